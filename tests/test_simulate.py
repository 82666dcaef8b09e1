"""Section 4 simulation: shapes, determinism, and the sampler's exactness in distribution."""

import numpy as np
import pytest
from scipy import stats

from cossim.model.sampler import sample_without_replacement
from cossim.model.simulate import SimulationSpec, item_popularity, items_per_user, simulate

SMALL = SimulationSpec(n_users=500, n_items=60, max_items_per_user=60)


def test_simulation_shapes_and_binary_values():
    data = simulate(SMALL, np.random.default_rng(0))
    X = data.interactions
    assert X.shape == (500, 60) and X.format == "csr"
    assert set(np.unique(X.data)) == {1.0}
    assert data.item_cluster.shape == (60,) and data.item_cluster.max() < SMALL.n_clusters
    assert np.all(data.item_popularity > 0)
    assert np.all(np.diff(X.indptr) >= SMALL.min_items_per_user)


def test_same_seed_same_data_and_block_size_does_not_matter():
    first = simulate(SMALL, np.random.default_rng(3))
    second = simulate(SimulationSpec(**{**SMALL.__dict__, "chunk_size": 7}), np.random.default_rng(3))
    assert (first.interactions != second.interactions).nnz == 0
    np.testing.assert_array_equal(first.item_popularity, second.item_popularity)
    other = simulate(SMALL, np.random.default_rng(4))
    assert (first.interactions != other.interactions).nnz > 0


def test_sampler_draws_distinct_items_in_the_requested_numbers():
    rng = np.random.default_rng(1)
    log_w = np.log(rng.random((200, 30)))
    counts = rng.integers(0, 31, size=200)
    rows, cols = sample_without_replacement(rng, log_w, counts)
    np.testing.assert_array_equal(np.bincount(rows, minlength=200), counts)
    assert len(set(zip(rows.tolist(), cols.tolist()))) == rows.size


def test_sampler_never_draws_zero_weight_items():
    rng = np.random.default_rng(2)
    log_w = np.zeros((100, 10))
    log_w[:, :4] = -np.inf
    rows, cols = sample_without_replacement(rng, log_w, np.full(100, 6))
    assert cols.min() >= 4


def test_sampler_matches_successive_weighted_draws_in_distribution():
    """The joint law of the first two draws' set equals rng.choice(replace=False, p=w)."""
    weights = np.array([8.0, 4.0, 2.0, 1.0, 1.0])
    trials = 40_000
    rng = np.random.default_rng(5)
    rows, cols = sample_without_replacement(rng, np.tile(np.log(weights), (trials, 1)), np.full(trials, 2))
    ours = cols.reshape(trials, 2)
    reference_rng = np.random.default_rng(6)
    reference = np.sort([reference_rng.choice(5, 2, replace=False, p=weights / weights.sum()) for _ in range(trials)], axis=1)
    codes = lambda pairs: pairs[:, 0] * 5 + pairs[:, 1]  # noqa: E731
    table = np.array([np.bincount(codes(ours), minlength=25), np.bincount(codes(reference), minlength=25)])
    table = table[:, table.sum(axis=0) > 0]
    assert stats.chi2_contingency(table).pvalue > 1e-3
    # and it is not the law of independent draws proportional to w (a wrong sampler):
    p = weights / weights.sum()
    naive_pair_01 = 2 * p[0] * p[1] / (1 - np.sum(p**2))
    observed_01 = np.mean((ours[:, 0] == 0) & (ours[:, 1] == 1))
    exact_01 = p[0] * p[1] / (1 - p[0]) + p[1] * p[0] / (1 - p[1])
    assert abs(observed_01 - exact_01) < 0.01
    assert abs(naive_pair_01 - exact_01) > 0.03  # the check above can tell the two laws apart


@pytest.mark.parametrize("law", ["zipf", "pareto", "power"])
def test_popularity_laws_are_positive_and_follow_their_exponent(law):
    rng = np.random.default_rng(0)
    clusters = np.repeat([0, 1], 500)
    pops = item_popularity(rng, clusters, np.array([0.3, 1.4]), law)
    assert np.all(pops > 0) and np.all(np.isfinite(pops))
    if law == "zipf":
        assert np.isclose(pops[clusters == 1].max(), 1.0) and np.isclose(pops[clusters == 1].min(), 500**-1.4)


@pytest.mark.parametrize("law", ["pareto", "power", "zipf"])
def test_items_per_user_respects_bounds(law):
    k = items_per_user(np.random.default_rng(0), 5000, 0.5, law, 2, 70)
    assert k.min() >= 2 and k.max() <= 70


def test_pareto_activity_has_the_stated_tail():
    k = items_per_user(np.random.default_rng(0), 200_000, 0.5, "pareto", 1, 10**9)
    # P(k >= 100) = 100^-0.5 for a Pareto tail of index 0.5
    assert abs(np.mean(k >= 100) - 0.1) < 0.005


def test_unknown_law_is_refused():
    with pytest.raises(ValueError, match="item_popularity_law"):
        item_popularity(np.random.default_rng(0), np.zeros(3, int), np.ones(1), "lognormal")
