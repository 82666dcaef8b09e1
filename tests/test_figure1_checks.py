"""Figure 1's panels and the checks that guard them: they pass on right data, fail on wrong."""

import numpy as np
import pytest

from cossim.checking import CheckFailed, raise_on_failure
from cossim.figure1.checks import (
    check_display_order,
    check_recomputation,
    check_stationarity,
    reference_figure1_panels,
)
from cossim.model.panels import (
    PANEL_KEYS,
    block_means,
    clusters_from_truth_panel,
    colour_levels,
    display_order,
    figure1_panels,
)
from cossim.model.simulate import SimulationSpec, simulate
from cossim.model.solve import fit_arrays, gram_matrix, right_singular_spectrum, solve_eq1, solve_eq2
from cossim.published import check_qualitative_pattern

K, LAM1, LAM2 = 20, 1000.0, 30.0


@pytest.fixture(scope="module")
def small_figure():
    data = simulate(SimulationSpec(n_users=3000, n_items=200, max_items_per_user=200), np.random.default_rng(7))
    spectrum = right_singular_spectrum(data.interactions).truncate(K)
    panels = figure1_panels(spectrum, data.item_cluster, data.item_popularity, LAM1, LAM2)
    return data, spectrum, panels


def test_display_order_sorts_by_cluster_then_descending_popularity():
    clusters = np.array([1, 0, 1, 0, 0])
    popularity = np.array([0.5, 0.1, 0.9, 0.7, 0.1])
    np.testing.assert_array_equal(display_order(clusters, popularity), [3, 1, 4, 2, 0])


def test_panels_have_the_paper_layout(small_figure):
    data, _, panels = small_figure
    assert tuple(k for k in panels if k != "order") == PANEL_KEYS
    for key in PANEL_KEYS:
        assert panels[key].shape == (200, 200)
        np.testing.assert_allclose(panels[key], panels[key].T, atol=1e-12)
    labels = clusters_from_truth_panel(panels["true_clusters"])
    np.testing.assert_array_equal(np.bincount(labels), np.bincount(data.item_cluster))


def test_block_means_exclude_the_diagonal():
    M = np.eye(4) + 0.5 * (1 - np.eye(4))
    levels = block_means(M, np.array([0, 0, 1, 1]))
    np.testing.assert_allclose(levels, [[0.5, 0.5], [0.5, 0.5]])


def test_colour_levels_clip_or_autoscale():
    M = np.array([[-0.5, 0.25], [1.5, 0.75]])
    np.testing.assert_allclose(colour_levels(M, (0.0, 1.0)), [[0.0, 0.25], [1.0, 0.75]])
    np.testing.assert_allclose(colour_levels(M, None), [[0.0, 0.375], [1.0, 0.625]])


def test_all_checks_pass_on_correct_data(small_figure):
    data, spectrum, panels = small_figure
    X = data.interactions
    reference = reference_figure1_panels(X.toarray(), panels["order"], K, LAM1, LAM2)
    fits = {"eq1": fit_arrays(solve_eq1(spectrum, LAM1)), "eq2": fit_arrays(solve_eq2(spectrum, LAM2))}
    results = (
        check_display_order(panels["order"], data.item_cluster, data.item_popularity)
        + check_recomputation(panels, reference, data.item_cluster, 1e-6)
        + check_stationarity(gram_matrix(X), fits)
        + check_qualitative_pattern(panels, data.item_cluster)
    )
    raise_on_failure(results, "test")
    assert len(results) == 13


@pytest.mark.parametrize(
    "panel, wrong_scale",
    [
        ("eq1_B_Vk_g_half", lambda s: (1 + LAM1 / s**2) ** 0.5),  # the paper's title taken literally
        ("eq1_B_Vk_g_half", lambda s: 1 / (1 + LAM1 / s**2)),  # exponent 1 instead of 1/2
        ("eq1_B_Vk_sigma2", lambda s: s),  # sigma instead of sigma^2
        ("eq2_unique", lambda s: np.sqrt(np.maximum(s - LAM2, 0) / s)),  # A(2)'s scale in place of B(2)'s
    ],
)
def test_recomputation_check_catches_a_wrong_formula(small_figure, panel, wrong_scale):
    data, spectrum, panels = small_figure
    from cossim.model.similarity import item_item_cosine

    broken = dict(panels)
    broken[panel] = item_item_cosine(spectrum.V[panels["order"]] * wrong_scale(spectrum.sigma))
    reference = reference_figure1_panels(data.interactions.toarray(), panels["order"], K, LAM1, LAM2)
    results = check_recomputation(broken, reference, data.item_cluster, 1e-6)
    with pytest.raises(CheckFailed, match=f"{panel}_recomputed"):
        raise_on_failure(results, "test")


def test_stationarity_check_catches_a_wrong_exponent(small_figure):
    data, spectrum, _ = small_figure
    fit = fit_arrays(solve_eq1(spectrum, LAM1))
    g = fit["a"] ** 2
    fit["A"] = fit["B"] = spectrum.V * g  # Eq. 5 with exponent 1 instead of 1/2
    with pytest.raises(CheckFailed, match="eq1_stationary"):
        raise_on_failure(check_stationarity(gram_matrix(data.interactions), {"eq1": fit}), "test")


def test_order_check_catches_an_unsorted_order(small_figure):
    data, _, panels = small_figure
    shuffled = np.random.default_rng(0).permutation(panels["order"])
    with pytest.raises(CheckFailed, match="order_by_cluster"):
        raise_on_failure(check_display_order(shuffled, data.item_cluster, data.item_popularity), "test")


def test_pattern_check_fails_when_panels_are_swapped(small_figure):
    data, _, panels = small_figure
    swapped = dict(panels, eq1_B_Vk_g_half=panels["eq2_unique"], eq2_unique=panels["eq1_B_Vk_g_half"])
    with pytest.raises(CheckFailed, match="eq2_merged_high"):
        raise_on_failure(check_qualitative_pattern(swapped, data.item_cluster), "test")


@pytest.mark.parametrize("colour_range", [(0.0, 1.0), None])
def test_published_comparison_passes_its_check_and_every_wrong_number_fails_it(small_figure, colour_range):
    """Each number of the comparison table is guarded: recomputed by one-hot block sums."""
    from conftest import REPO

    from cossim.figure1.checks import check_published_comparison
    from cossim.figure1.compare import COMPARISON_COLUMNS, published_comparison
    from cossim.published import load_published_levels

    data, _, panels = small_figure
    published = load_published_levels(REPO / "data" / "figure1_published_block_levels.csv")
    sorted_clusters = data.item_cluster[panels["order"]]
    rows = published_comparison(panels, sorted_clusters, colour_range, published)
    assert [row["panel"] for row in rows] == list(PANEL_KEYS)
    as_read = [{key: str(value) for key, value in row.items()} for row in rows]  # as the CSV is read back
    raise_on_failure(check_published_comparison(as_read, panels, sorted_clusters, colour_range, published), "test")
    for column in COMPARISON_COLUMNS[1:]:
        wrong = [dict(row) for row in as_read]
        wrong[2][column] = str(float(wrong[2][column]) + 1e-6)
        with pytest.raises(CheckFailed, match="eq1_B_Vk_published_comparison"):
            raise_on_failure(check_published_comparison(wrong, panels, sorted_clusters, colour_range, published), "t")
    with pytest.raises(CheckFailed, match="published_comparison_complete"):
        raise_on_failure(check_published_comparison(as_read[:-1], panels, sorted_clusters, colour_range, published), "t")


def test_a_colour_range_that_draws_a_panel_in_one_colour_fails_the_check(small_figure):
    from cossim.figure1.checks import check_colour_range_shows_the_panels

    _, _, panels = small_figure
    for fine in ((0.0, 1.0), None):
        raise_on_failure(check_colour_range_shows_the_panels(panels, fine), "test")
    with pytest.raises(CheckFailed, match="visible_in_colour_range"):
        raise_on_failure(check_colour_range_shows_the_panels(panels, (-1.0, -0.5)), "test")


def test_the_spectrum_certificate_passes_the_solver_and_its_panels_match_the_dense_svd(small_figure):
    """The check's route (certified spectrum, formulas written out) agrees with the dense-SVD oracle."""
    from cossim.figure1.checks import panels_from_spectrum, spectrum_certificate

    data, spectrum, panels = small_figure
    X = data.interactions
    raise_on_failure(spectrum_certificate(X, spectrum.sigma, spectrum.V), "test")
    ours = panels_from_spectrum(spectrum.sigma, spectrum.V, panels["order"], LAM1, LAM2)
    oracle = reference_figure1_panels(X.toarray(), panels["order"], K, LAM1, LAM2)
    for key, matrix in oracle.items():
        np.testing.assert_allclose(ours[key], matrix, atol=1e-9)
    raise_on_failure(check_recomputation(panels, ours, data.item_cluster, 1e-6), "test")


def wrong_spectra(X, k):
    """Spectra a wrong solver could return, each with the check it must fail."""
    full = right_singular_spectrum(X)
    sigma, V = full.sigma, full.V
    skip_kth = list(range(k - 1)) + [k]
    rng = np.random.default_rng(3)
    one_count_off = X.toarray()
    one_count_off[rng.integers(X.shape[0]), :] = 0  # a Gram matrix missing one user
    dropped = right_singular_spectrum(one_count_off).truncate(k)
    G32 = gram_matrix(X).astype(np.float32)
    values, vectors = np.linalg.eigh(G32)
    return {
        "pairs 2..k+1 (the top one missed)": (sigma[1:k + 1], V[:, 1:k + 1], "spectrum_is_top_k"),
        "pair k+1 in place of pair k": (sigma[skip_kth], V[:, skip_kth], "spectrum_is_top_k"),
        "the bottom k pairs": (sigma[-k:][::-1], V[:, -k:][:, ::-1], "spectrum_is_top_k"),
        "sigma^2 reported as sigma": (sigma[:k] ** 2, V[:, :k], "spectrum_eigen_residual"),
        "sqrt(sigma) reported as sigma": (np.sqrt(sigma[:k]), V[:, :k], "spectrum_eigen_residual"),
        "ascending order": (sigma[:k][::-1], V[:, :k][:, ::-1], "spectrum_descending"),
        "the Gram matrix of X without one user": (dropped.sigma, dropped.V, "spectrum_eigen_residual"),
        "eigh in float32": (np.sqrt(np.clip(values[::-1][:k], 0, None)).astype(float),
                            vectors[:, ::-1][:, :k].astype(float), "spectrum_orthonormal"),
        "a rotated, unnormalised basis": (sigma[:k], V[:, :k] @ (np.eye(k) + 1e-6), "spectrum_orthonormal"),
    }


def test_the_spectrum_certificate_fails_every_wrong_solver(small_figure):
    from cossim.figure1.checks import spectrum_certificate

    data, _, _ = small_figure
    for what, (sigma, V, failing) in wrong_spectra(data.interactions, K).items():
        with pytest.raises(CheckFailed, match=failing):
            raise_on_failure(spectrum_certificate(data.interactions, sigma, V), what)


def test_the_complement_eigenvalue_is_the_next_singular_value_squared(small_figure):
    from cossim.figure1.checks import complement_top_eigenvalue

    data, _, _ = small_figure
    full = right_singular_spectrum(data.interactions)
    for k in (1, K, 199):
        theta = complement_top_eigenvalue(data.interactions, full.V[:, :k])
        np.testing.assert_allclose(theta, full.sigma[k] ** 2, rtol=1e-9)
    assert complement_top_eigenvalue(data.interactions, full.V) == 0.0


@pytest.fixture(scope="module")
def figure_with_empty_items():
    """A simulated data set with three items nobody chose, its fits and Figure 1's panels."""
    import scipy.sparse as sp

    data = simulate(SimulationSpec(n_users=2000, n_items=120, max_items_per_user=60), np.random.default_rng(3))
    kept = np.ones(120)
    kept[[5, 40, 77]] = 0.0
    X = sp.csr_matrix(data.interactions @ sp.diags(kept))
    X.eliminate_zeros()
    spectrum = right_singular_spectrum(X).truncate(K)
    panels = figure1_panels(spectrum, data.item_cluster, data.item_popularity, LAM1, LAM2)
    return X, data, spectrum, panels


def test_empty_items_have_nan_rows_and_columns_in_every_model_panel_and_the_check_passes(figure_with_empty_items):
    from cossim.figure1.undefined import check_undefined_cosines, items_without_interactions

    X, data, spectrum, panels = figure_with_empty_items
    empty = items_without_interactions(X)
    assert np.flatnonzero(empty).tolist() == [5, 40, 77]
    shown = empty[panels["order"]]
    for key in PANEL_KEYS[1:]:
        np.testing.assert_array_equal(np.isnan(panels[key]), shown[:, None] | shown[None, :])
    assert np.all(np.isfinite(panels["true_clusters"]))
    raise_on_failure(check_undefined_cosines(panels, X), "Figure 1")
    reference = reference_figure1_panels(X.toarray(), panels["order"], K, LAM1, LAM2)
    raise_on_failure(check_recomputation(panels, reference, data.item_cluster, 1e-8), "Figure 1")


@pytest.mark.parametrize("planted", ["finite_in_empty_row", "finite_on_empty_diagonal", "nan_elsewhere"])
def test_undefined_cosine_check_fails_on_a_planted_value(figure_with_empty_items, planted):
    from cossim.figure1.undefined import check_undefined_cosines

    X, _, _, panels = figure_with_empty_items
    wrong = dict(panels)
    matrix = wrong["eq2_unique"] = panels["eq2_unique"].copy()
    position = int(np.flatnonzero(panels["order"] == 40)[0])
    if planted == "finite_in_empty_row":
        matrix[position, 0] = 0.3
    elif planted == "finite_on_empty_diagonal":
        matrix[position, position] = 1.0
    else:
        matrix[0, 1] = np.nan
    with pytest.raises(CheckFailed, match="eq2_unique_undefined_exactly_for_empty_items"):
        raise_on_failure(check_undefined_cosines(wrong, X), "Figure 1")


def test_block_means_and_profiles_leave_undefined_entries_out():
    from cossim.published_profiles import popularity_profiles

    rng = np.random.default_rng(0)
    M = rng.random((80, 80))
    clusters = np.repeat([0, 1, 2], [40, 30, 10])
    undefined = np.zeros(80, dtype=bool)
    undefined[[3, 50]] = True
    with_nan = M.copy()
    with_nan[undefined] = np.nan
    with_nan[:, undefined] = np.nan
    levels = block_means(with_nan, clusters)
    for r, c in [(0, 0), (0, 1), (1, 2), (2, 2)]:
        block = with_nan[clusters == r][:, clusters == c]
        keep = ~np.isnan(block)
        if r == c:
            np.fill_diagonal(keep, False)
        assert levels[r, c] == pytest.approx(block[keep].mean(), abs=1e-14)
    only_nan = np.full((4, 4), np.nan)
    assert np.isnan(block_means(only_nan, np.array([0, 0, 1, 1]))).all()
    profiles = popularity_profiles(with_nan, clusters, large=2, cells=20)  # cells of 4 items
    assert np.all(np.isfinite(profiles))
    cell = with_nan[0:4, 0:4]  # cluster 0, quartile 1: cells 0 and 1 (items 0-7), item 3 undefined
    first = np.nanmean(np.array([np.nanmean(with_nan[a:a + 4, b:b + 4]) for a in (0, 4) for b in (0, 4)]))
    assert profiles[0, 0, 0] == pytest.approx(first, abs=1e-14) and np.isnan(cell[3]).all()
