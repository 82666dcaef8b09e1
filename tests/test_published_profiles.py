"""The published popularity profiles and ours: loading, the cell-and-quartile computation written out
again, the round trip through a level image, the gradient, and panel 4's best fit."""

import numpy as np
import pytest
from conftest import REPO

from cossim.figure1.panel4 import (
    FIT_EXPONENTS,
    PUBLISHED_CLUSTER_SIZES,
    fit_panel4,
    panel4_formula,
    published_level_image,
    sigma_power_cosine,
)
from cossim.model.panels import MODEL_PANELS, block_means, colour_levels, display_order
from cossim.model.simulate import SimulationSpec, simulate
from cossim.model.solve import right_singular_spectrum
from cossim.published import load_published_levels, score_levels
from cossim.published_profiles import (
    cell_means,
    cell_quartiles,
    combined_error,
    load_published_profiles,
    popularity_gradient,
    popularity_profiles,
)

PROFILES = load_published_profiles(REPO / "data" / "figure1_published_popularity_profiles.csv")
BLOCKS = load_published_levels(REPO / "data" / "figure1_published_block_levels.csv")
SIZES = np.array(PUBLISHED_CLUSTER_SIZES)
CLUSTERS = np.repeat(np.arange(SIZES.size), SIZES)


def test_published_profiles_are_three_clusters_of_four_by_four_levels():
    assert set(PROFILES) == set(MODEL_PANELS)
    for profile in PROFILES.values():
        assert profile.shape == (3, 4, 4) and np.all((profile >= 0) & (profile <= 1))
    # the published gradient: positive in every large cluster of panels 3 and 4, two of panel 2's
    assert np.all(popularity_gradient(PROFILES["eq1_B_Vk"]) > 0)
    assert np.all(popularity_gradient(PROFILES["eq1_B_Vk_sigma2"]) > 0)
    assert list(np.sign(popularity_gradient(PROFILES["eq1_B_Vk_g_half"]))) == [-1, 1, 1]
    assert score_levels(PROFILES, PROFILES)["eq1_B_Vk"].mean_abs == 0.0


def test_cells_lie_wholly_inside_the_cluster_and_take_the_quartile_of_their_centre():
    cells, quartile = cell_quartiles(slice(335, 628), 25)
    assert cells[0] * 25 >= 335 and (cells[-1] + 1) * 25 <= 628
    assert list(cells) == list(range(14, 25))  # 350..625
    for j, q in zip(cells, quartile):
        assert q == min(3, int(4 * ((j + 0.5) * 25 - 335) / 293))
    assert list(cell_quartiles(slice(0, 335), 25)[1]) == [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3]


def test_profiles_are_means_of_cell_means_with_the_diagonal():
    p = 1000
    identity = np.eye(p)
    means, size = cell_means(identity)
    assert size == 25 and means.shape == (40, 40)
    np.testing.assert_allclose(np.diag(means), 1 / 25)
    profile = popularity_profiles(identity, CLUSTERS)
    for c, block in enumerate([slice(0, 335), slice(335, 628), slice(628, 900)]):
        _, quartile = cell_quartiles(block, 25)
        for a in range(4):
            n = np.sum(quartile == a)
            # only the n diagonal cells of the quartile hold a diagonal line: 1/25 each, over n^2 cells
            assert profile[c, a, a] == pytest.approx(1 / (25 * n), rel=1e-12)
        off = ~np.eye(4, dtype=bool)
        assert np.all(profile[c][off] == 0)
    constant = np.full((p, p), 0.3)
    np.testing.assert_allclose(popularity_profiles(constant, CLUSTERS), 0.3)


def test_a_level_image_of_the_published_panel_gives_back_its_profiles_and_gradient():
    for key in MODEL_PANELS:
        image = published_level_image(BLOCKS[key], PROFILES[key])
        assert image.shape == (1000, 1000)
        np.testing.assert_allclose(popularity_profiles(image, CLUSTERS), PROFILES[key], atol=1e-12)
        # the small clusters' blocks keep their published levels
        np.testing.assert_allclose(block_means(image, CLUSTERS)[3:, 3:], BLOCKS[key][3:, 3:], atol=1e-12)


def test_gradient_is_positive_when_the_popular_corner_is_brightest():
    position = np.arange(1000)
    levels = np.exp(-position[:, None] / 400.0 - position[None, :] / 400.0)  # brightest at the top left
    assert np.all(popularity_gradient(popularity_profiles(levels, CLUSTERS)) > 0)
    assert np.all(popularity_gradient(popularity_profiles(levels[::-1, ::-1], CLUSTERS)) < 0)
    assert combined_error(0.1, 0.3) == pytest.approx(0.2)


@pytest.fixture(scope="module")
def small_data():
    spec = SimulationSpec(n_users=3000, n_items=200, item_popularity_law="zipf", max_items_per_user=200)
    data = simulate(spec, np.random.default_rng(5))
    spectrum = right_singular_spectrum(data.interactions).truncate(20)
    order = display_order(data.item_cluster, data.item_popularity)
    return spectrum.V[order], spectrum.sigma, data.item_cluster[order]


def test_panel4_fit_recovers_the_exponent_that_drew_the_target(small_data):
    V, sigma, clusters = small_data
    target = colour_levels(sigma_power_cosine(V, sigma, 0.5), (0.0, 1.0))
    fit = fit_panel4(V, sigma, clusters, block_means(target, clusters), popularity_profiles(target, clusters),
                     (0.0, 1.0))
    assert fit["exponent"] == 0.5 and fit["score"] == pytest.approx(0.0, abs=1e-12)
    assert set(fit["scan"]) == set(FIT_EXPONENTS) and min(fit["scan"].values()) == fit["score"]
    assert fit["scan"][2.0] > 0.01  # the printed formula is another member
    np.testing.assert_allclose(fit["cosine"], sigma_power_cosine(V, sigma, 0.5))
    assert panel4_formula(0.5) == "B = V_k dMat(sigma_i^0.5)"
