"""The combined ranking score and the gradient signs of a fidelity cell."""

import numpy as np
import pytest
from conftest import REPO

from cossim.fidelity.ranking import table_rows
from cossim.fidelity.scoring import gradient_signs_right, ranking_score
from cossim.model.panels import MODEL_PANELS
from cossim.published_profiles import load_published_profiles

PROFILES = load_published_profiles(REPO / "data" / "figure1_published_popularity_profiles.csv")


def test_ranking_score_weighs_blocks_and_profiles_equally():
    assert ranking_score(0.1, 0.3) == pytest.approx(0.2)
    assert ranking_score(0.1, 0.3, weight=0.0) == pytest.approx(0.1)
    assert ranking_score(0.1, 0.3, weight=1.0) == pytest.approx(0.3)


def test_gradient_signs_count_the_published_sign_in_panels_2_and_3():
    assert gradient_signs_right(PROFILES, PROFILES) == 6
    flipped = {key: value[:, ::-1, ::-1] for key, value in PROFILES.items()}  # most popular quarter last
    assert gradient_signs_right(flipped, PROFILES) == 0
    nan = {key: np.full((3, 4, 4), np.nan) for key in PROFILES}
    assert gradient_signs_right(nan, PROFILES) == 0


def test_a_table_row_ranks_on_the_mean_of_block_and_profile_errors():
    scores = {key: {"mean_abs": 0.1 * (i + 1), "worst_abs": 0.5} for i, key in enumerate(MODEL_PANELS)}
    profile_scores = {key: {"mean_abs": 0.2 * (i + 1), "worst_abs": 0.6} for i, key in enumerate(MODEL_PANELS)}
    cell = {"seed": 1, "sigma": [3.0, 1.0], "n_interactions": 5, "qualitative": {"a": True},
            "dominance": {"sigma1_over_sigma2": 3.0, "panel4_first_share": 0.9},
            "colour_ranges": {"fixed": {"scores": scores, "profile_scores": profile_scores,
                                        "profiles": {key: value.tolist() for key, value in PROFILES.items()}}}}
    ranked = ["eq1_B_Vk_g_half", "eq1_B_Vk", "eq2_unique"]  # block errors 0.1, 0.2, 0.4; profiles 0.2, 0.4, 0.8
    row = table_rows("r", {"item_popularity_law": "zipf"}, cell, PROFILES, ranked)[0]
    assert row["block_overall"] == pytest.approx(0.7 / 3)
    assert row["profile_overall"] == pytest.approx(1.4 / 3)
    assert row["overall"] == pytest.approx(0.35)
    assert row["gradient_signs_right"] == 6
    assert row["eq1_B_Vk_gradient_c1"] == pytest.approx(PROFILES["eq1_B_Vk"][0, 0, 0] - PROFILES["eq1_B_Vk"][0, 3, 3])


def test_an_undefined_value_agrees_only_with_an_undefined_recomputation():
    from cossim.fidelity.table_checks import first_difference, same_number

    nan = float("nan")
    assert same_number(nan, nan) and same_number("nan", nan)
    assert not same_number(nan, 0.0) and not same_number(0.0, nan) and not same_number("", nan)
    assert same_number(1.0, 1.0 + 1e-12) and not same_number(1.0, 1.001)
    assert first_difference({"a": [1.0, nan]}, {"a": [1.0, nan]}) is None
    assert first_difference({"a": [1.0, 0.5]}, {"a": [1.0, nan]}) == ".a[1]"
