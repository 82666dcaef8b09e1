"""Cluster-recovery scores, the D families, the remedies and the checks of the recovery study."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr
from scipy.stats import t as student_t

from cossim.checking import CheckFailed, raise_on_failure
from cossim.model.objectives import eq1_objective
from cossim.model.rescale import case_a, case_b, eq5_split, rescale, sigma_squared
from cossim.model.similarity import item_item_cosine
from cossim.model.simulate import SimulationSpec, simulate
from cossim.model.solve import (
    eq1_shrinkage,
    gram_matrix,
    gram_top_spectrum,
    right_singular_spectrum,
    solve_eq1,
)
from cossim.recovery.checks import check_recovery_study
from cossim.recovery.dsweep import FAMILIES, shrinkage_power_scales, sigma_power_scales
from cossim.recovery.remedies import (
    cosine_from_gram,
    eq1_operators,
    fit_unit_norm_items,
    frequency_power_weights,
    inverse_propensity_weights,
    original_space_item_cosine,
    reweighted_gram,
    smoothed_data_item_cosine,
    standardised_gram,
)
from cossim.recovery.scores import (
    ClusterPairs,
    block_rank_correlation,
    cluster_recovery_scores,
    mean_and_interval,
    pair_auc,
    precision_at_k,
)
from cossim.recovery.study import (
    REMEDY_KEYS,
    TABLE3_PANELS,
    StudySettings,
    seed_study,
)
from cossim.recovery.tables import stack_seed_studies, table3_rows, table4_rows


def block_truth(clusters):
    return (clusters[:, None] == clusters[None, :]).astype(float)


def random_clustered_similarity(seed: int, p: int, n_clusters: int = 3, rounding=None):
    """Clusters of p items and a random symmetric p x p similarity, rounded to ``rounding`` decimals
    (ties) unless None."""
    rng = np.random.default_rng(seed)
    clusters = rng.integers(0, n_clusters, size=p)
    S = rng.random((p, p))
    S = (S + S.T) / 2
    return clusters, (S if rounding is None else np.round(S, rounding))


def brute_force_auc(values, same):
    positives, negatives = values[same], values[~same]
    wins = (positives[:, None] > negatives[None, :]) + 0.5 * (positives[:, None] == negatives[None, :])
    return wins.mean()


# --- the three scores on cases with known answers -------------------------------------------

def test_true_block_matrix_scores_perfectly():
    clusters = np.repeat(np.arange(3), [12, 15, 20])
    scores = cluster_recovery_scores(block_truth(clusters), clusters)
    assert scores == {"auc": 1.0, "precision_at_10": 1.0, "spearman": 1.0}


def test_reversed_blocks_score_zero_auc_and_minus_one_spearman():
    clusters = np.repeat(np.arange(3), [12, 15, 20])
    assert pair_auc(-block_truth(clusters), clusters) == 0.0
    assert block_rank_correlation(-block_truth(clusters), clusters) == pytest.approx(-1.0)
    assert precision_at_k(-block_truth(clusters), clusters, 10) == 0.0


def test_a_constant_matrix_scores_chance_with_exact_tie_handling():
    """All similarities tie: AUC 1/2, and precision@k is the expected share under a random order,
    (m_c - 1)/(p - 1) for an item of a cluster of size m_c, whatever the item order."""
    clusters = np.repeat(np.arange(3), [5, 10, 25])
    p = clusters.size
    constant = np.full((p, p), 0.3)
    assert pair_auc(constant, clusters) == 0.5
    sizes = np.bincount(clusters)[clusters]
    assert precision_at_k(constant, clusters, 7) == pytest.approx(np.mean((sizes - 1) / (p - 1)), abs=1e-15)
    assert np.isnan(block_rank_correlation(constant, clusters))


def test_precision_at_k_on_a_hand_made_example():
    # items 0,1 in cluster 0; 2,3 in cluster 1. Item 0's nearest is 2 (wrong), item 1's is 0 (right), ...
    clusters = np.array([0, 0, 1, 1])
    S = np.array([
        [1.0, 0.2, 0.9, 0.1],
        [0.2, 1.0, 0.1, 0.0],
        [0.9, 0.1, 1.0, 0.8],
        [0.1, 0.0, 0.8, 1.0],
    ])
    # nearest other item: 0 -> 2 (miss), 1 -> 0 (hit), 2 -> 0 (miss), 3 -> 2 (hit)
    assert precision_at_k(S, clusters, 1) == 0.5
    # two nearest: 0 -> {2, 1}: 1/2; 1 -> {0, 2}: 1/2; 2 -> {0, 3}: 1/2; 3 -> {2, 0}: 1/2
    assert precision_at_k(S, clusters, 2) == 0.5


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), rounding=st.sampled_from([None, 1, 2]))
def test_auc_and_spearman_match_brute_force_and_scipy_with_ties(seed, rounding):
    clusters, S = random_clustered_similarity(seed, 25, rounding=rounding)
    pairs = ClusterPairs.from_clusters(clusters)
    values, same = pairs.values(S), pairs.same
    if same.all() or not same.any():
        return
    assert pair_auc(S, clusters) == pytest.approx(brute_force_auc(values, same), abs=1e-12)
    assert block_rank_correlation(S, clusters) == pytest.approx(spearmanr(values, same).statistic, abs=1e-12)


def brute_force_precision(similarity, same_matrix, k, tolerance=1e-9):
    """precision@k row by row from a full sort: the k-th largest other value, the items clearly above
    it, and the items within the tolerance of it taken in proportion."""
    p = similarity.shape[0]
    hits = []
    for i in range(p):
        others = np.delete(similarity[i], i)
        member = np.delete(same_matrix[i], i)
        kth = np.sort(others)[::-1][k - 1]
        above = others > kth + tolerance
        tied = np.abs(others - kth) <= tolerance
        hits.append(np.sum(member & above) + (k - above.sum()) * np.sum(member & tied) / tied.sum())
    return np.mean(hits) / k


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), rounding=st.sampled_from([None, 1, 2]), k=st.integers(1, 29))
def test_precision_at_k_matches_a_row_by_row_brute_force_with_ties(seed, rounding, k):
    clusters, S = random_clustered_similarity(seed, 30, rounding=rounding)
    pairs = ClusterPairs.from_clusters(clusters)
    assert precision_at_k(S, pairs, k) == pytest.approx(brute_force_precision(S, pairs.same_matrix, k), abs=1e-12)


def test_precision_at_k_counts_rounding_ties_on_some_rows_and_not_others():
    """Rows with a tie at the k-th place go through the tie formula, the others are counted."""
    rng = np.random.default_rng(7)
    clusters = rng.integers(0, 4, size=60)
    S = rng.random((60, 60))
    S = (S + S.T) / 2
    S[3, 10], S[10, 3] = S[3, 11] + 1e-12, S[3, 11] + 1e-12  # a rounding-level tie in rows 3 and 10
    S[5] = S[:, 5] = 0.25  # item 5 ties with everything
    pairs = ClusterPairs.from_clusters(clusters)
    for k in (1, 5, 10, 59):
        assert precision_at_k(S, pairs, k) == pytest.approx(brute_force_precision(S, pairs.same_matrix, k), abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), rounding=st.sampled_from([None, 2, 3]), shared=st.booleans())
def test_auc_and_spearman_of_sorted_groups_equal_scipy_and_both_routes_agree_exactly(seed, rounding, shared):
    """The untied count and the merge of the two runs give the same bytes; both match scipy."""
    from scipy.stats import mannwhitneyu

    from cossim.recovery.scores import (
        auc_and_rank_correlation,
        rank_sum_and_tie_term,
        sorted_pair_groups,
        tied_rank_sum_and_tie_term,
    )

    rng = np.random.default_rng(seed)
    values = rng.standard_normal(500)
    same = rng.random(500) < 0.3
    if rounding is not None:
        values = np.round(values, rounding)
    if shared:  # a tie across the groups only
        values[np.flatnonzero(same)[0]] = values[np.flatnonzero(~same)[0]]
    positives, negatives = sorted_pair_groups(values, same)
    assert rank_sum_and_tie_term(positives, negatives) == tied_rank_sum_and_tie_term(positives, negatives)
    auc, rho = auc_and_rank_correlation(values, same)
    n1, n0 = int(same.sum()), int((~same).sum())
    assert auc == pytest.approx(mannwhitneyu(values[same], values[~same]).statistic / (n1 * n0), abs=1e-12)
    assert rho == pytest.approx(spearmanr(values, same).statistic, abs=1e-12)


@pytest.mark.parametrize("kind", ["normal", "heavy_tailed", "rounded", "with_nan", "with_inf", "constant", "tiny"])
def test_sort_values_sorts_exactly_like_numpy(kind):
    from cossim.recovery.scores import sort_values

    rng = np.random.default_rng(11)
    values = {
        "normal": rng.standard_normal(20_000),
        "heavy_tailed": np.exp(8 * rng.standard_normal(20_000)),  # most values in the lowest buckets
        "rounded": np.round(rng.standard_normal(20_000), 2),
        "with_nan": np.where(rng.random(2000) < 0.1, np.nan, rng.random(2000)),
        "with_inf": np.append(rng.random(2000), [np.inf, -np.inf]),
        "constant": np.full(100, 0.3),
        "tiny": np.array([0.5]),
    }[kind]
    np.testing.assert_array_equal(sort_values(values), np.sort(values))


def test_auc_leaves_nan_pairs_out():
    from cossim.recovery.scores import auc_and_rank_correlation

    values = np.array([0.1, np.nan, 0.3, 0.2, np.nan])
    same = np.array([False, True, True, False, False])
    # left: positive 0.3 against negatives 0.1, 0.2: it beats both
    assert auc_and_rank_correlation(values, same)[0] == 1.0
    assert np.isnan(auc_and_rank_correlation(np.array([np.nan, 0.3, 0.2]), np.array([True, False, False]))[0])


def with_undefined_items(S, undefined):
    """S with NaN in the rows and columns of the undefined items (as a cosine of zero-length embeddings)."""
    S = S.copy()
    S[undefined] = np.nan
    S[:, undefined] = np.nan
    return S


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), rounding=st.sampled_from([None, 2]), k=st.integers(1, 20),
       n_undefined=st.integers(1, 6))
def test_scores_leave_undefined_items_out_exactly(seed, rounding, k, n_undefined):
    """A score of a matrix with NaN rows and columns equals the score of the defined items alone, by
    brute force (AUC over every pair of pairs, precision row by row, Spearman by scipy)."""
    from cossim.recovery.recompute import independent_scores
    from cossim.recovery.scores import score_vector

    clusters, S = random_clustered_similarity(seed, 30, rounding=rounding)
    undefined = np.zeros(30, dtype=bool)
    undefined[np.random.default_rng(seed).choice(30, n_undefined, replace=False)] = True
    kept = ~undefined
    pairs = ClusterPairs.from_clusters(clusters[kept])
    values, same = pairs.values(S[np.ix_(kept, kept)]), pairs.same
    if same.all() or not same.any():
        return
    expected = [brute_force_auc(values, same), brute_force_precision(S[np.ix_(kept, kept)], pairs.same_matrix, k),
                spearmanr(values, same).statistic]
    with_nan = with_undefined_items(S, undefined)
    for route in (score_vector(with_nan, clusters, k), independent_scores(with_nan, clusters, k)):
        np.testing.assert_allclose(route, expected, atol=1e-12)


def test_precision_leaves_out_items_with_fewer_than_k_defined_similarities():
    clusters = np.repeat(np.arange(2), 5)
    S = block_truth(clusters) + 0.01 * np.arange(100).reshape(10, 10)
    S = (S + S.T) / 2
    assert np.isnan(precision_at_k(with_undefined_items(S, np.arange(10) >= 3), clusters, 3))
    from cossim.recovery.recompute import independent_scores

    assert np.isnan(independent_scores(with_undefined_items(S, np.arange(10) >= 3), clusters, 3)[1])
    assert precision_at_k(with_undefined_items(S, np.arange(10) >= 4), clusters, 3) == pytest.approx(
        brute_force_precision(S[:4, :4], block_truth(clusters[:4]) - np.eye(4) > 0, 3), abs=1e-12)


def test_item_without_interactions_is_left_out_of_every_seed_score():
    """A simulated item nobody chose: NaN in every model panel's cosines, and each score of the
    study equals the score on the items with interactions alone."""
    from cossim.recovery.study import panel_scores

    data = simulate(SimulationSpec(n_users=800, n_items=40, max_items_per_user=12), np.random.default_rng(2))
    kept = np.ones(40)
    kept[[4, 9]] = 0.0
    X = sp.csr_matrix(data.interactions @ sp.diags(kept))
    X.eliminate_zeros()
    spectrum = gram_top_spectrum(gram_matrix(X), 6)
    assert np.all(spectrum.V[[4, 9]] == 0.0)
    defined = kept > 0
    reduced = type(spectrum)(spectrum.sigma, spectrum.V[defined])
    full = panel_scores(spectrum, ClusterPairs.from_clusters(data.item_cluster), 50.0, 5.0, 5)
    alone = panel_scores(reduced, ClusterPairs.from_clusters(data.item_cluster[defined]), 50.0, 5.0, 5)
    np.testing.assert_allclose(full[1:], alone[1:], atol=1e-12)  # the model panels; the truth is defined


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), rounding=st.sampled_from([None, 1, 2]))
def test_the_checks_rank_route_matches_scipy_and_brute_force_with_ties(seed, rounding):
    from scipy.stats import mannwhitneyu

    from cossim.recovery.recompute import independent_scores

    clusters, S = random_clustered_similarity(seed, 30, rounding=rounding)
    pairs = ClusterPairs.from_clusters(clusters)
    values, same = pairs.values(S), pairs.same
    if same.all() or not same.any():
        return
    auc, precision, rho = independent_scores(S, clusters, 4)
    assert auc == pytest.approx(mannwhitneyu(values[same], values[~same]).statistic / (same.sum() * (~same).sum()),
                                abs=1e-12)
    assert rho == pytest.approx(spearmanr(values, same).statistic, abs=1e-12)
    assert precision == pytest.approx(brute_force_precision(S, pairs.same_matrix, 4), abs=1e-12)


def test_spearman_is_the_stated_affine_function_of_auc_without_ties():
    rng = np.random.default_rng(3)
    clusters = rng.integers(0, 4, size=40)
    S = rng.random((40, 40))
    pairs = ClusterPairs.from_clusters(clusters)
    N, n1 = pairs.same.size, int(pairs.same.sum())
    n0, q = N - n1, n1 / N
    expected = (pair_auc(S, clusters) - 0.5) * n0 * np.sqrt(12 * q / ((N**2 - 1) * (1 - q)))
    assert block_rank_correlation(S, clusters) == pytest.approx(expected, rel=1e-10)


def test_scores_ignore_increasing_transforms_and_item_relabelling():
    rng = np.random.default_rng(5)
    clusters = rng.integers(0, 3, size=30)
    S = rng.random((30, 30))
    S = (S + S.T) / 2
    base = cluster_recovery_scores(S, clusters)
    assert cluster_recovery_scores(np.exp(3 * S), clusters) == pytest.approx(base, abs=1e-12)
    perm = rng.permutation(30)
    assert cluster_recovery_scores(S[np.ix_(perm, perm)], clusters[perm]) == pytest.approx(base, abs=1e-12)


def test_mean_and_interval_is_the_student_t_interval():
    values = np.random.default_rng(2).normal(size=(12, 3))
    mean, low, high = mean_and_interval(values)
    for j in range(3):
        expected = student_t.interval(0.95, 11, loc=values[:, j].mean(), scale=values[:, j].std(ddof=1) / np.sqrt(12))
        np.testing.assert_allclose((low[j], high[j]), expected, rtol=1e-12)
    with pytest.raises(ValueError):
        mean_and_interval(values[:1])


# --- the D families ---------------------------------------------------------------------------

@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize("t", [-2.0, -0.5, 0.0, 0.5, 1.0, 2.0])
def test_every_family_member_is_an_eq1_optimum(family, t):
    sigma = np.array([50.0, 20.0, 5.0, 1.0])
    a, b = FAMILIES[family](sigma, 100.0, t)
    np.testing.assert_allclose(a * b, eq1_shrinkage(sigma, 100.0), rtol=1e-12)


def test_families_pass_through_the_paper_panels():
    sigma, lam = np.array([50.0, 20.0, 5.0, 1.0]), 100.0
    np.testing.assert_array_equal(sigma_power_scales(sigma, lam, 0.0)[1], case_a(sigma, lam)[1])
    np.testing.assert_allclose(sigma_power_scales(sigma, lam, 2.0)[1], sigma_squared(sigma, lam)[1], rtol=1e-15)
    np.testing.assert_allclose(shrinkage_power_scales(sigma, lam, 0.5)[1], eq5_split(sigma, lam)[1], rtol=1e-15)
    np.testing.assert_allclose(shrinkage_power_scales(sigma, lam, 1.0)[1], case_b(sigma, lam)[1], rtol=1e-15)


# --- the remedies -----------------------------------------------------------------------------

def small_data(seed=0, n=400, p=30):
    rng = np.random.default_rng(seed)
    return sp.csr_matrix((rng.random((n, p)) < rng.uniform(0.05, 0.5, size=p)).astype(float))


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 1000), log_d=st.lists(st.floats(-3, 3), min_size=6, max_size=6))
def test_original_space_cosines_do_not_move_under_d_but_embedding_cosine_does(seed, log_d):
    X = small_data(seed % 5)
    G = gram_matrix(X)
    fit = solve_eq1(right_singular_spectrum(X).truncate(6), lam=30.0)
    A, B = rescale(fit.A, fit.B, np.exp(log_d))
    np.testing.assert_allclose(original_space_item_cosine(A, B), original_space_item_cosine(fit.A, fit.B), atol=1e-9)
    np.testing.assert_allclose(smoothed_data_item_cosine(G, A, B), smoothed_data_item_cosine(G, fit.A, fit.B), atol=1e-9)
    if np.ptp(log_d) > 1.0:
        assert np.max(np.abs(item_item_cosine(B) - item_item_cosine(fit.B))) > 1e-3


def test_original_space_cosines_are_cosines_of_the_explicit_columns():
    X = small_data(1)
    fit = solve_eq1(right_singular_spectrum(X).truncate(5), lam=30.0)
    product = fit.A @ fit.B.T
    smoothed = X.toarray() @ product
    np.testing.assert_allclose(original_space_item_cosine(fit.A, fit.B), item_item_cosine(product.T), atol=1e-12)
    np.testing.assert_allclose(smoothed_data_item_cosine(gram_matrix(X), fit.A, fit.B), item_item_cosine(smoothed.T),
                               atol=1e-10)
    np.testing.assert_allclose(cosine_from_gram(fit.B @ fit.B.T), item_item_cosine(fit.B), atol=1e-12)


def test_reweighted_grams_equal_the_grams_of_the_reweighted_data():
    dense = small_data(2).toarray()
    dense[:, 3] = 0  # an item without interactions
    X = sp.csr_matrix(dense)
    G = gram_matrix(X)
    counts = dense.sum(axis=0)
    w = inverse_propensity_weights(counts)
    np.testing.assert_allclose(reweighted_gram(G, w), (dense * w).T @ (dense * w), atol=1e-12)
    assert w[3] == 0 and np.ptp((counts * w**2)[counts > 0]) < 1e-12  # equal squared mass per item
    np.testing.assert_allclose(frequency_power_weights(counts, 0.0), w, atol=1e-15)
    v = frequency_power_weights(counts, 0.75)
    ratio = (counts * v**2)[counts > 0] / counts[counts > 0] ** 0.75
    assert np.ptp(ratio) < 1e-12 * ratio.max()
    std = dense.std(axis=0)
    Z = np.divide(dense - dense.mean(axis=0), std, out=np.zeros_like(dense), where=std > 0)
    np.testing.assert_allclose(standardised_gram(G, counts, X.shape[0]), Z.T @ Z, atol=1e-9)


def test_gram_top_spectrum_matches_the_full_decomposition():
    X = small_data(3)
    full = right_singular_spectrum(X).truncate(4)
    top = gram_top_spectrum(gram_matrix(X), 4)
    np.testing.assert_allclose(top.sigma, full.sigma, rtol=1e-10)
    np.testing.assert_allclose(top.V, full.V, atol=1e-8)


def test_unit_norm_fit_keeps_unit_rows_descends_and_eliminates_a_exactly():
    X = small_data(4, n=600, p=40)
    G, lam = gram_matrix(X), 30.0
    fit1 = solve_eq1(right_singular_spectrum(X).truncate(5), lam)
    optimum = eq1_objective(G, fit1.A, fit1.B, lam)
    d = np.exp(np.random.default_rng(0).normal(size=5))
    fit = fit_unit_norm_items(G, lam, fit1.B / d, iterations=60)
    np.testing.assert_allclose(np.linalg.norm(fit.B, axis=1), 1.0, atol=1e-12)
    assert np.all(np.diff(fit.captured) >= 0)
    final = eq1_objective(G, fit.A, fit.B, lam)
    assert final == pytest.approx(np.trace(G) - fit.captured[-1], rel=1e-10)
    assert final >= optimum * (1 - 1e-12)
    assert fit.captured[-1] > fit.captured[0]


def test_eliminated_a_is_the_best_encoder_for_the_decoder():
    """A = S B (B^T B)^{-1} is where Eq. 1's gradient in A vanishes for fixed B."""
    from cossim.model.objectives import eq1_gradient

    X = small_data(5)
    G, lam = gram_matrix(X), 10.0
    B = np.random.default_rng(1).normal(size=(X.shape[1], 4))
    S, _ = eq1_operators(G, lam)
    A = S @ B @ np.linalg.inv(B.T @ B)
    grad_A, _ = eq1_gradient(G, A, B, lam)
    assert np.linalg.norm(grad_A) <= 1e-8 * np.linalg.norm(G) * np.linalg.norm(B)


# --- the per-seed study, the tables and the checks ---------------------------------------------

TINY_SPEC = SimulationSpec(n_users=800, n_items=60, max_items_per_user=60)
TINY_SETTINGS = StudySettings(precision_k=5, exponent_low=-2.0, exponent_high=2.0, exponent_steps=9,
                              random_d_samples=3, remedy_d_samples=2, log_sd=1.0, unit_norm_iterations=8)


@pytest.fixture(scope="module")
def tiny_summary(tmp_path_factory):
    from cossim.io import save_npz

    paths = []
    for seed in (1, 2):
        data = simulate(TINY_SPEC, np.random.default_rng(seed))
        spectrum = right_singular_spectrum(data.interactions).truncate(6)
        study = seed_study(data.interactions, data.item_cluster, spectrum, 300.0, 10.0, TINY_SETTINGS,
                           np.random.default_rng([seed, 0]))
        path = tmp_path_factory.mktemp("seed") / "scores.npz"
        save_npz(path, study)
        paths.append(path)
    summary = stack_seed_studies(paths)
    summary["family_keys"] = np.asarray(tuple(FAMILIES))
    return summary


def test_checks_pass_on_a_correct_study(tiny_summary):
    results = check_recovery_study(tiny_summary)
    assert all(r.passed for r in results), [r for r in results if not r.passed]
    assert len(results) >= 12


@pytest.mark.parametrize(
    "mutation, failing",
    [
        (lambda s: s["remedies"].__setitem__((0, REMEDY_KEYS.index("original_space_AB"), 1, 0), 0.5),
         "original_space_AB_invariant_under_d"),
        (lambda s: s["families"].__setitem__((slice(None), 1), s["families"][:, 1, ::-1]),
         "shrinkage_power_t0.5_is_eq1_B_Vk_g_half"),
        (lambda s: s["remedies"].__setitem__((slice(None), REMEDY_KEYS.index("embedding_cosine")),
                                             s["remedies"][:, REMEDY_KEYS.index("embedding_cosine"), :1]),
         "embedding_cosine_moves_under_d"),
        (lambda s: s["unit_norm_relative_excess"].__setitem__(0, -0.01), "unit_norm_not_below_optimum"),
    ],
)
def test_each_check_fails_on_a_broken_study(tiny_summary, mutation, failing):
    summary = {key: np.array(value, copy=True) for key, value in tiny_summary.items()}
    mutation(summary)
    results = check_recovery_study(summary)
    assert [r.name for r in results if not r.passed] == [failing]
    with pytest.raises(CheckFailed, match=failing):
        raise_on_failure(results, "test")


def test_a_wrong_eq1_operator_breaks_the_elimination_check(monkeypatch):
    import cossim.recovery.study as study_module

    right = study_module.eq1_operators
    monkeypatch.setattr(study_module, "eq1_operators", lambda G, lam: (right(G, lam)[0], G))  # C = G is wrong
    data = simulate(TINY_SPEC, np.random.default_rng(1))
    spectrum = right_singular_spectrum(data.interactions).truncate(6)
    study = seed_study(data.interactions, data.item_cluster, spectrum, 300.0, 10.0, TINY_SETTINGS,
                       np.random.default_rng(0))
    assert np.max(study["unit_norm_identity_gap"]) > 1e-3


def test_tables_have_one_row_per_seed_and_three_summary_rows(tiny_summary):
    columns, rows = table3_rows(tiny_summary["panels"], [1, 2], k=5)
    assert columns == ["panel", "label", "seed", "statistic", "auc", "precision_at_5", "spearman"]
    assert len(rows) == 6 * (2 + 3)
    assert [r["statistic"] for r in rows[:5]] == ["value", "value", "mean", "ci95_low", "ci95_high"]
    columns, rows = table4_rows(tiny_summary["remedies"], [1, 2], k=5)
    assert "auc_range_over_d" in columns and len(rows) == len(REMEDY_KEYS) * 5
    invariant = [r for r in rows if r["method"] == "original_space_AB" and r["statistic"] == "value"]
    assert all(r["auc_range_over_d"] <= 1e-9 for r in invariant)


def test_case_a_user_cosine_is_the_original_space_user_cosine():
    """Rows of X A B^T = X V_k dMat(g) V_k^T have the inner products of X V_k dMat(g) (Case A's X A)."""
    from cossim.model.similarity import user_user_cosine
    from cossim.recovery.remedies import smoothed_user_cosine

    X = small_data(6)
    fit = solve_eq1(right_singular_spectrum(X).truncate(5), lam=30.0)
    a, _ = case_a(fit.spectrum.sigma, 30.0)
    users = np.arange(50)
    np.testing.assert_allclose(user_user_cosine(X, fit.spectrum.V * a, users),
                               smoothed_user_cosine(X[users], fit.A, fit.B), atol=1e-10)


def test_precision_at_k_treats_rounding_level_differences_as_ties():
    """Items 1 and 2 are the same item up to rounding: which one is 'nearer' must not matter."""
    clusters = np.array([0, 0, 1, 1])
    base = np.array([[1.0, 0.5, 0.5, 0.1], [0.5, 1.0, 0.2, 0.1], [0.5, 0.2, 1.0, 0.3], [0.1, 0.1, 0.3, 1.0]])
    nudged = base.copy()
    nudged[0, 1] += 1e-15  # rounding noise favours the same-cluster item
    nudged[0, 2] -= 1e-15
    assert precision_at_k(nudged, clusters, k=1) == precision_at_k(base, clusters, k=1)
    clear = base.copy()
    clear[0, 1] += 1e-3  # a real difference still counts
    assert precision_at_k(clear, clusters, k=1) > precision_at_k(base, clusters, k=1)


# --- the user-user scores and the quoted findings, and their checks ---------------------------

@pytest.fixture(scope="module")
def tiny_users():
    from cossim.recovery.user_panels import user_cluster_scores, user_similarity_panels

    data = simulate(TINY_SPEC, np.random.default_rng(3))
    fit = solve_eq1(right_singular_spectrum(data.interactions).truncate(6), lam=300.0)
    users = user_similarity_panels(data.interactions, data.item_cluster, data.item_popularity, fit.spectrum, 300.0, 10.0,
                                   np.arange(0, 800, 10))
    columns, rows = user_cluster_scores(users, k=5)
    as_stored = [{key: f"{value:.6f}" if isinstance(value, float) else str(value) for key, value in row.items()}
                 for row in rows]  # as the CSV holds them
    return users, columns, as_stored


def test_user_scores_are_the_item_scores_of_the_user_matrices(tiny_users):
    from cossim.recovery.user_panels import user_panel_columns

    users, columns, rows = tiny_users
    assert columns == ["scaling", "label", "auc", "precision_at_5", "spearman"]
    assert [row["scaling"] for row in rows] == [key for key, _ in user_panel_columns()]
    for row in rows:
        expected = cluster_recovery_scores(users[f"user_user__{row['scaling']}"], users["user_cluster"], k=5)
        assert float(row["auc"]) == pytest.approx(expected["auc"], abs=5e-7)
    by_key = {row["scaling"]: row for row in rows}
    assert by_key["case_a"]["auc"] == by_key["original_space"]["auc"]


def test_user_checks_pass_on_correct_scores(tiny_users):
    from cossim.recovery.checks import check_user_scores

    users, _, rows = tiny_users
    results = check_user_scores(users, rows, k=5)
    assert all(r.passed for r in results), [r for r in results if not r.passed]


@pytest.mark.parametrize("change", [0.01, -0.2])
def test_check_recovery_fails_when_a_user_user_auc_is_changed(tiny_users, tmp_path, change):
    from cossim.checking import run_checks
    from cossim.logs import logged_to
    from cossim.recovery.checks import check_user_scores

    users, _, rows = tiny_users
    changed = [dict(row) for row in rows]
    changed[2]["auc"] = f"{float(changed[2]['auc']) + change:.6f}"
    results = check_user_scores(users, changed, k=5)
    assert [r.name for r in results if not r.passed] == ["user_auc_recomputed"]
    with logged_to(tmp_path / "check.log") as log, pytest.raises(CheckFailed, match="user_auc_recomputed"):
        run_checks(results, log, "test", tmp_path / "report.json")
    assert not (tmp_path / "report.json").exists()


def test_user_checks_fail_when_a_row_is_missing_or_out_of_range(tiny_users):
    from cossim.recovery.checks import check_user_scores

    users, _, rows = tiny_users
    failed = [r.name for r in check_user_scores(users, rows[:-1], k=5) if not r.passed]
    assert "user_scores_cover_every_panel" in failed
    broken = [dict(row) for row in rows]
    broken[0]["precision_at_5"] = "1.5"
    assert [r.name for r in check_user_scores(users, broken, k=5) if not r.passed] == ["user_scores_in_range"]


def test_user_checks_fail_when_case_a_is_not_the_original_space(tiny_users):
    from cossim.recovery.checks import check_user_scores

    users, _, rows = tiny_users
    broken = dict(users)
    broken["user_user__original_space"] = users["user_user__original_space"] * 0.999
    assert [r.name for r in check_user_scores(broken, rows, k=5) if not r.passed] == ["user_case_a_is_original_space"]


def table4_as_stored(summary):
    columns, rows = table4_rows(summary["remedies"], list(summary["seeds"]), k=5)
    return [{key: f"{value:.6f}" if isinstance(value, float) else str(value) for key, value in row.items()}
            for row in rows]


@pytest.fixture(scope="module")
def tiny_findings(tiny_summary):
    from cossim.recovery.findings import recovery_findings

    summary = {**tiny_summary, "seeds": np.array([1, 2])}
    return summary, recovery_findings(summary)


def test_findings_are_what_the_notebook_quoted(tiny_findings):
    summary, findings = tiny_findings
    per_seed = summary["panels"][:, :, 0]
    best = [TABLE3_PANELS[1 + int(np.argmax(row[1:]))] for row in per_seed]
    assert {k: findings[f"best_panel_seeds__{k}"] for k in set(best)} == {k: best.count(k) for k in set(best)}
    start = summary["remedies"][:, REMEDY_KEYS.index("embedding_cosine"), :, 0]
    assert findings["embedding_cosine_mean_auc_range"] == pytest.approx(np.mean(start.max(axis=1) - start.min(axis=1)))
    mean_auc = summary["families"][:, 1, :, 0].mean(axis=0)
    assert findings["shrinkage_power__mean_auc_max"] == mean_auc.max()
    assert findings["random_d_draws"] == summary["random_d"][..., 0].size
    assert findings["n_seeds"] == 2 and findings["remedy_d_per_seed"] == TINY_SETTINGS.remedy_d_samples


def test_findings_checks_pass_and_catch_a_changed_finding(tiny_findings):
    from cossim.recovery.checks import check_findings

    summary, findings = tiny_findings
    table4 = table4_as_stored(summary)
    assert all(r.passed for r in check_findings(findings, summary, table4))
    for key, value, failing in (
        ("embedding_cosine_mean_auc_range", findings["embedding_cosine_mean_auc_range"] + 0.01,
         "findings_ranges_match_table4"),
        ("random_d_auc_q05", findings["random_d_auc_max"] + 0.001, "findings_random_d_ordered"),
        ("n_seeds", 3, "findings_seed_count"),
        ("random_d_auc_max", 1.2, "findings_scores_in_range"),
    ):
        changed = {**findings, key: value}
        assert failing in [r.name for r in check_findings(changed, summary, table4) if not r.passed], key


# --- the rule file's view of the configuration -------------------------------------------------

def test_every_artifact_is_reachable_by_its_key():
    """A key that shadows an attribute of Study (e.g. "summary") would give the rule file a wrong path."""
    from cossim.recovery.artifacts import STUDY

    for key, path in STUDY.files.items():
        assert getattr(STUDY, key) == path, key


def test_rule_helpers_read_seeds_and_per_seed_settings_off_the_config():
    from cossim.recovery.rules import recovery_seed_paths, recovery_seed_settings, recovery_seeds

    config = {"dataset": "small", "recovery": {"n_seeds": 3, "first_seed": 4, "heatmap_users": 60, "log_sd": 1.0}}
    assert recovery_seeds(config) == [4, 5, 6]
    assert recovery_seed_settings(config) == {"log_sd": 1.0}
    assert recovery_seed_paths(config) == [f"results/small/recovery/seeds/seed{s}.npz" for s in (4, 5, 6)]


def test_items_without_data_get_the_same_remedy_scores_from_the_study_and_its_recomputation():
    """Items never drawn (a zero column of X) have exact zeros in every re-weighted spectrum, so the
    remedies' cosines do not depend on the eigensolver's rounding residue there."""
    from cossim.recovery.recompute import recompute_remedies
    from cossim.recovery.study import REMEDY_KEYS, StudySettings, items_without_data_zeroed, remedy_scores

    data = simulate(SimulationSpec(n_users=1500, n_items=60, max_items_per_user=20), np.random.default_rng(5))
    kept = np.ones(60)
    kept[[3, 17]] = 0.0  # two items nobody chose
    X = sp.csr_matrix(data.interactions @ sp.diags(kept))
    X.eliminate_zeros()
    G = gram_matrix(X)
    zeroed = items_without_data_zeroed(gram_top_spectrum(G, 8), G)
    assert np.all(zeroed.V[[3, 17]] == 0.0)
    spectrum = zeroed
    settings = StudySettings(10, -2.0, 2.0, 5, 2, 1, 1.0, 5)
    counts = np.asarray(X.sum(axis=0)).ravel().astype(float)
    scores, _ = remedy_scores(G, counts, X.shape[0], spectrum, 100.0, ClusterPairs.from_clusters(data.item_cluster),
                              np.ones((0, 8)), settings)
    again = recompute_remedies(G, counts, X.shape[0], spectrum.V, spectrum.sigma, 100.0, data.item_cluster,
                               np.ones((0, 8)), 10, list(REMEDY_KEYS), 5)
    for key in REMEDY_KEYS:  # every approach leaves the two items out, in both routes
        np.testing.assert_allclose(scores[REMEDY_KEYS.index(key)], again[REMEDY_KEYS.index(key)], atol=1e-9)


@pytest.fixture(scope="module")
def users_with_empty_rows():
    """User panels on data where three sampled users and two items have no interaction."""
    from cossim.model.panels import display_order
    from cossim.recovery.user_panels import user_similarity_panels

    data = simulate(TINY_SPEC, np.random.default_rng(3))
    X = data.interactions.tolil()
    X[[0, 10, 20], :] = 0
    X[:, [4, 33]] = 0
    X = sp.csr_matrix(X)
    X.eliminate_zeros()
    fit = solve_eq1(right_singular_spectrum(X).truncate(6), lam=300.0)
    users = user_similarity_panels(X, data.item_cluster, data.item_popularity, fit.spectrum, 300.0, 10.0,
                                   np.arange(0, 800, 10))
    return users, X, display_order(data.item_cluster, data.item_popularity)


def test_user_panels_are_undefined_exactly_for_users_and_items_without_interactions(users_with_empty_rows):
    from cossim.recovery.checks import check_user_undefined_cosines
    from cossim.recovery.user_panels import user_panel_columns

    users, X, order = users_with_empty_rows
    results = check_user_undefined_cosines(users, X, order)
    assert len(results) == 2 * len(user_panel_columns())
    assert all(r.passed for r in results), [r for r in results if not r.passed]
    from cossim.model.similarity import users_without_interactions

    empty = users_without_interactions(X)[users["users"]]
    assert np.isin([0, 10, 20], users["users"][empty]).all() and np.all(np.isnan(users["user_user__eq5"][empty]))
    empty_items = np.isin(order, [4, 33])
    assert np.isnan(users["user_item__eq5"][:, empty_items]).all()
    assert np.isfinite(users["user_item__original_space"][~empty][:, empty_items]).all()


@pytest.mark.parametrize("key, where", [("user_user__eq5", "empty user"), ("user_user__original_space", "diagonal"),
                                        ("user_item__case_b", "empty user"), ("user_item__sigma_squared", "empty item"),
                                        ("user_item__original_space", "empty user"), ("user_user__case_a", "elsewhere")])
def test_user_undefined_check_fails_on_a_planted_value(users_with_empty_rows, key, where):
    from cossim.recovery.checks import check_user_undefined_cosines

    users, X, order = users_with_empty_rows
    row = int(np.flatnonzero(users["users"] == 10)[0])
    column = {"empty user": 3, "diagonal": row, "empty item": int(np.flatnonzero(order == 33)[0]),
              "elsewhere": 5}[where]
    if where == "elsewhere":
        row = 1
    broken = dict(users)
    broken[key] = users[key].copy()
    broken[key][row, column] = np.nan if where == "elsewhere" else 0.5
    failed = [r.name for r in check_user_undefined_cosines(broken, X, order) if not r.passed]
    assert failed == [f"{key}_undefined_exactly_for_empty_users"]
