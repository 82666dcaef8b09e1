"""Issue 6: the scalable sampler and solver give the same mathematics as the simple ones."""

import numpy as np
import pytest
import scipy.sparse as sp
from scipy import stats

from cossim.model import sampler as sim
from cossim.model.sampler import sample_interactions
from cossim.model.simulate import SimulationSpec, simulate
from cossim.model.solve import (
    binary_gram_matrix,
    lanczos_spectrum,
    right_singular_spectrum,
    top_right_singular_spectrum,
)


def pair_law_table(pairs_a, pairs_b, n_items):
    codes = lambda pairs: pairs[:, 0] * n_items + pairs[:, 1]  # noqa: E731
    table = np.array([np.bincount(codes(pairs_a), minlength=n_items**2),
                      np.bincount(codes(pairs_b), minlength=n_items**2)])
    return table[:, table.sum(axis=0) > 0]


@pytest.mark.parametrize("rounds", [0, 1, 3])
def test_structured_sampler_matches_rng_choice_in_distribution(monkeypatch, rounds):
    """Pairs drawn for one user profile: same law as rng.choice(replace=False), whether the
    i.i.d. rounds finish the users (3 rounds), leave them to the dense completion midway (1) or
    skip them (0)."""
    monkeypatch.setattr(sim, "STREAM_ROUNDS", rounds)
    n_items, trials = 16, 30_000
    item_cluster = np.repeat([0, 1], 8)
    popularity = np.tile(np.array([8.0, 4.0, 2.0, 1.0, 1.0, 0.5, 0.5, 0.25]), 2)
    preferences = np.tile([0.8, 0.2], (trials, 1))
    counts = np.full(trials, 2)
    X = sample_interactions(np.random.default_rng(0), preferences, item_cluster, popularity, counts)
    ours = X.indices.reshape(trials, 2)
    weights = preferences[0][item_cluster] * popularity
    reference_rng = np.random.default_rng(1)
    reference = np.sort([reference_rng.choice(n_items, 2, replace=False, p=weights / weights.sum())
                         for _ in range(trials)], axis=1)
    assert stats.chi2_contingency(pair_law_table(ours, reference, n_items)).pvalue > 1e-3
    # the test can tell: independent draws (with replacement, deduplicated) have another law
    wrong = np.sort(reference_rng.choice(n_items, size=(trials, 2), p=weights / weights.sum()), axis=1)
    wrong = wrong[wrong[:, 0] != wrong[:, 1]]
    assert stats.chi2_contingency(pair_law_table(wrong, reference, n_items)).pvalue < 1e-6


def test_structured_sampler_never_draws_zero_preference_clusters():
    item_cluster = np.repeat([0, 1, 2], 40)
    popularity = np.ones(120)
    preferences = np.tile([0.5, 0.0, 0.5], (500, 1))
    counts = np.random.default_rng(0).integers(1, 81, size=500)
    X = sample_interactions(np.random.default_rng(1), preferences, item_cluster, popularity, counts)
    assert np.all(item_cluster[X.indices] != 1)
    np.testing.assert_array_equal(np.diff(X.indptr), counts)
    rows = np.repeat(np.arange(500), counts)
    assert np.all(np.diff(X.indices)[rows[1:] == rows[:-1]] > 0)  # distinct, sorted


def test_simulation_is_byte_reproducible_across_blocks_and_chunk_sizes(monkeypatch):
    spec = SimulationSpec(n_users=3000, n_items=300, max_items_per_user=300)
    first = simulate(spec, np.random.default_rng(11)).interactions
    monkeypatch.setattr(sim, "DENSE_KEYS_PER_CHUNK", 999)
    second = simulate(SimulationSpec(**{**spec.__dict__, "chunk_size": None}), np.random.default_rng(11)).interactions
    for name in ("indices", "indptr", "data"):
        assert getattr(first, name).tobytes() == getattr(second, name).tobytes()
    assert first.indices.dtype == np.int32


def test_binary_gram_is_exact():
    rng = np.random.default_rng(3)
    X = sp.random(3000, 70, density=0.3, format="csr", random_state=rng, data_rvs=np.ones)
    np.testing.assert_array_equal(binary_gram_matrix(X), (X.T @ X).toarray())


def test_lanczos_matches_the_exact_top_of_the_spectrum():
    data = simulate(SimulationSpec(n_users=4000, n_items=300, max_items_per_user=300), np.random.default_rng(5))
    exact = right_singular_spectrum(data.interactions).truncate(10)
    fast = lanczos_spectrum(data.interactions, 10)
    np.testing.assert_allclose(fast.sigma, exact.sigma, rtol=1e-8)
    np.testing.assert_allclose(np.abs(np.sum(fast.V * exact.V, axis=0)), 1.0, atol=1e-6)


def test_solver_choice_by_size(monkeypatch):
    data = simulate(SimulationSpec(n_users=2000, n_items=120, max_items_per_user=120), np.random.default_rng(6))
    exact = top_right_singular_spectrum(data.interactions, 5)
    monkeypatch.setattr("cossim.model.solve.GRAM_EIGH_MAX_ITEMS", 50)
    krylov = top_right_singular_spectrum(data.interactions, 5)
    np.testing.assert_allclose(krylov.sigma, exact.sigma, rtol=1e-8)


def test_gram_top_spectrum_equals_the_truncated_full_one():
    data = simulate(SimulationSpec(n_users=2000, n_items=120, max_items_per_user=120), np.random.default_rng(8))
    full = right_singular_spectrum(data.interactions).truncate(7)
    top = top_right_singular_spectrum(data.interactions, 7)
    np.testing.assert_allclose(top.sigma, full.sigma, rtol=1e-12)
    np.testing.assert_allclose(top.V, full.V, atol=1e-9)


def test_binary_gram_is_exact_with_short_and_long_rows():
    X = simulate(SimulationSpec(n_users=3000, n_items=200, max_items_per_user=200), np.random.default_rng(9)).interactions
    lengths = np.diff(X.indptr)
    assert (lengths * 8 > 200).any() and (lengths * 8 <= 200).any()
    np.testing.assert_array_equal(binary_gram_matrix(X), (X.T @ X).toarray())
