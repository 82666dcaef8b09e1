"""Findings read as sentences generated from the checked JSON: a changed number changes the sentence.

The sentences modules (cossim.<study>.sentences) and their rendering by cossim.docs. Each test
changes one value of a findings dict and the comparison the sentence makes must follow it.
"""

from __future__ import annotations

import copy
import json

import pytest

from cossim import docs
from cossim.fidelity.sentences import fidelity_sentences, reading_words
from cossim.movielens.sentences import facts_sentences, findings_sentences
from cossim.prose import listing, number
from cossim.recovery.sentences import (
    best_panel_sentence,
    d_invariance_sentence,
    ranking_sentence,
    recovery_sentences,
    same_model_sentence,
    unit_norm_sentences,
)

RECOVERY = {
    "n_seeds": 20, "first_seed": 1, "last_seed": 20, "exponent_steps": 17, "random_d_per_seed": 12,
    "remedy_d_per_seed": 4, "mean_auc_ranking": "eq2_unique > eq1_inverse_sqrt_sigma > eq1_B_Vk_g_half > eq1_B_Vk",
    "best_panel_seeds__eq1_B_Vk_g_half": 3, "best_panel_seeds__eq1_B_Vk": 0, "best_panel_seeds__eq1_B_Vk_sigma2": 3,
    "best_panel_seeds__eq2_unique": 14, "best_panel_seeds__eq1_inverse_sqrt_sigma": 0,
    "shrinkage_power__mean_auc_min": 0.4994, "shrinkage_power__mean_auc_min_t": -2.0,
    "shrinkage_power__mean_auc_max": 0.9673, "shrinkage_power__mean_auc_max_t": 2.0,
    "random_d_draws": 240, "random_d_auc_min": 0.501, "random_d_auc_q05": 0.52, "random_d_auc_q95": 0.91,
    "random_d_auc_max": 0.997, "unit_norm_auc_correlation": 0.999, "unit_norm_mean_abs_auc_change": 0.0044,
    "embedding_cosine_mean_auc_range": 0.39, "unit_norm_training_mean_auc_range": 0.37,
    "unit_norm_start_mean_relative_excess": 0.061, "unit_norm_mean_relative_excess": 0.0031,
}


def test_numbers_read_to_three_significant_digits_and_nan_reads_undefined():
    assert [number(v) for v in (0.123456, 2200.0, 96056, 1.15e-5, float("nan"), None, 17)] == [
        "0.123", "2200", "96,056", "1.15e-05", "undefined", "undefined", "17"]
    assert listing(["a"]) == "a" and listing(["a", "b", "c"], "or") == "a, b or c" and listing([]) == "none"


def test_the_panel_best_on_most_seeds_follows_the_counts():
    assert "“panel 5: Eq. 2, unique (Eq. 6)” recovers the clusters best (highest AUC) on the most seeds, 14" in (
        best_panel_sentence(RECOVERY))
    flipped = dict(RECOVERY, best_panel_seeds__eq2_unique=0, best_panel_seeds__eq1_inverse_sqrt_sigma=14)
    sentence = best_panel_sentence(flipped)
    assert "“Eq. 1, D = dMat(σ^(-1/2)) (Section 2.3)” recovers the clusters best" in sentence
    assert "never “panel 3: B = V_k (Case A)” or “panel 5: Eq. 2, unique (Eq. 6)”" in sentence
    tied = dict(RECOVERY, best_panel_seeds__eq2_unique=8, best_panel_seeds__eq1_B_Vk_g_half=9,
                best_panel_seeds__eq1_B_Vk_sigma2=3)
    assert "“panel 2: Eq. 5, D = I” recovers the clusters best" in best_panel_sentence(tied)
    tied["best_panel_seeds__eq2_unique"] = 9
    assert "share the most seeds with the highest AUC, 9 each" in best_panel_sentence(tied)


def test_the_ranking_sentence_follows_the_stored_ranking():
    assert ranking_sentence(RECOVERY).startswith("By mean AUC over the seeds, “panel 5: Eq. 2, unique (Eq. 6)” ranks first")
    swapped = dict(RECOVERY, mean_auc_ranking="eq1_B_Vk > eq2_unique")
    assert ranking_sentence(swapped) == ("By mean AUC over the seeds, “panel 3: B = V_k (Case A)” ranks first and "
                                         "“panel 5: Eq. 2, unique (Eq. 6)” last.")


def test_unit_norm_comparisons_flip_with_their_numbers():
    moved, excess = unit_norm_sentences(RECOVERY)
    assert ": less than D moves the start's AUC (0.39" in moved and excess.startswith("Training lowers")
    moved, excess = unit_norm_sentences(dict(RECOVERY, unit_norm_mean_abs_auc_change=0.5,
                                             unit_norm_mean_relative_excess=0.1))
    assert ": more than D moves the start's AUC" in moved and excess.startswith("Training raises")


def test_every_recovery_number_shown_is_the_stored_one_to_three_digits():
    text = " ".join(recovery_sentences(RECOVERY))
    assert "0.967, at t = 2" in text and "0.499, at t = -2" in text and "from 0.501 to 0.997" in text
    assert "_" not in text.replace("V_k", "")  # no raw key


MOVIELENS = {
    "conclusions_holding": 7, "conclusions": 8,
    "claims": {"total": 17, "passed": 17, "failed": [], "not_testable": [], "holds": True},
    "d_changes_cosines": {"mean_cosine_change": 0.369, "max_cosine_change": 1.67, "holds": True},
    "figure1_pattern": {"eq5_blocks_clear_seen": False, "eq5_blocks_clear_measured": 0.107,
                        "case_a_blocks_fainter_seen": True, "case_a_blocks_fainter_measured": 0.0316,
                        "eq2_merged_high_seen": True, "eq2_merged_high_measured": 0.611, "holds": False},
    "training_eq1_arbitrary": {"runs": 6, "at_optimum": 6, "d_spread_min": 1.66, "d_spread_max": 8.29,
                               "cosine_mean_abs_diff_min": 0.07, "cosine_mean_abs_diff_max": 0.25, "holds": True},
    "training_eq2_unique": {"runs": 6, "at_optimum": 6, "cosine_max_abs_diff_max": 1.2e-5, "holds": True},
    "d_changes_recovery": {"auc_min": 0.504, "auc_max": 0.608, "mean_interval_half_width": 0.00865,
                           "best_panel": "eq1_B_Vk_g_half", "best_auc": 0.608, "holds": True},
    "eq2_not_better": {"eq5_auc": 0.608, "eq5_low": 0.598, "eq5_high": 0.618, "eq2_auc": 0.501, "eq2_low": 0.496,
                       "eq2_high": 0.506, "eq2_below_eq5": True, "holds": True},
    "remedy_d_invariant": {"original_space_auc": 0.578, "original_space_spread": 0.0, "embedding_auc": 0.608,
                           "embedding_spread": 0.079, "embedding_auc_min": 0.529,
                           "d_invariant": ["original_space_AB"], "holds": True},
    "binarisations": {"compared": True, "panels_differing": ["eq2_unique"]},
}


def test_movielens_verdicts_and_comparisons_follow_the_findings():
    sentences = findings_sentences(MOVIELENS)
    assert sentences[0] == "7 of the paper's 8 conclusions tested here hold on this data."
    assert sentences[1] == "The analytic claims of Sections 2-3 (holds): 17 of 17 claims pass."
    assert "Figure 1's picture (does not hold): clear genre blocks at D = I (Eq. 5) not seen (measured 0.107)" in sentences[3]
    assert "more than 2 times" in sentences[6] and "its interval lies wholly below Eq. 5's" in sentences[7]
    assert "its interval contains 0.5, the AUC of chance" in sentences[7]
    changed = copy.deepcopy(MOVIELENS)
    changed["d_changes_recovery"].update(auc_max=0.51, holds=False)
    changed["eq2_not_better"].update(eq2_low=0.62, eq2_high=0.64, eq2_below_eq5=False, holds=False)
    changed["figure1_pattern"].update(eq5_blocks_clear_seen=True, holds=True)
    changed["claims"].update(failed=["3a"], passed=16, holds=False)
    sentences = findings_sentences(changed)
    assert "(does not hold)" in sentences[1] and "3a fail" in sentences[1]
    assert "Figure 1's picture (holds): clear genre blocks at D = I (Eq. 5) seen" in sentences[3]
    assert "(does not hold)" in sentences[6] and "no more than 2 times" in sentences[6]
    assert "its interval lies wholly above Eq. 5's" in sentences[7] and "lies above 0.5" in sentences[7]
    changed["eq2_not_better"].update(eq2_low=0.6, eq2_high=0.61)
    assert "the two intervals overlap" in findings_sentences(changed)[7]


def test_movielens_facts_read_as_sentences():
    facts = {"n_users": 943, "n_items": 1000, "interactions": 96056, "min_rating": 1.0, "density": 0.1019,
             "genres": 19, "share_same_genre": 0.4045, "suggested_eq1_lambda": 2200.0, "suggested_eq2_lambda": 46.0,
             "recovery_users": 943, "recovery_items": 500, "recovery_eq1_lambda": 3500.0, "recovery_eq2_lambda": 58.0}
    text = " ".join(facts_sentences(facts))
    assert "96,056 interactions" in text and "2200 for Eq. 1 and 46 for Eq. 2" in text and "3500 and 58" in text


FIDELITY = {
    "n_readings": 2, "n_cells": 4, "ranked_panels": ["eq1_B_Vk_g_half", "eq2_unique"],
    "qualitative_pattern_holds_everywhere": False,
    "ranking": [{"reading": "clusters-published__pop-power__cap-150", "colour_range": "fixed", "overall": 0.0667},
                {"reading": "clusters-published__pop-zipf__cap-30", "colour_range": "autoscale", "overall": 0.48}],
    "best": {"seeds": [1, 2], "overall_seed_sd": 0.0016, "qualitative_pattern_holds": True,
             "mean_abs": {"eq2_unique": 0.027, "eq1_B_Vk_sigma2": 0.81, "eq1_B_Vk_g_half": 0.083}},
}


def test_fidelity_readings_in_words_and_the_largest_error_follows_the_numbers():
    assert reading_words("clusters-published__pop-power__cap-150") == (
        "published cluster probabilities, item popularity by the power law and at most 150 items per user")
    text = " ".join(fidelity_sentences(FIDELITY))
    assert "Closest to the published figure: published cluster probabilities" in text and "__" not in text
    assert "it is largest for “panel 4: B = V_k dMat(σ²)”" in text
    assert "does not hold in every cell of the grid; for the best reading it holds" in text
    changed = copy.deepcopy(FIDELITY)
    changed["best"]["mean_abs"]["eq1_B_Vk_sigma2"] = 0.01
    changed["qualitative_pattern_holds_everywhere"] = True
    text = " ".join(fidelity_sentences(changed))
    assert "it is largest for “panel 2: Eq. 5, D = I”" in text and "holds in every cell of the grid" in text


def test_docs_render_a_findings_file_as_its_sentences_and_refuse_one_without(tmp_path):
    (tmp_path / "recovery_findings.json").write_text(json.dumps(RECOVERY))
    (tmp_path / "t.csv").write_text("panel,auc\neq1_B_Vk_g_half,nan\n")
    text = ("<!-- generated from recovery_findings.json -->\n<!-- end generated -->\n"
            "<!-- generated from t.csv -->\n<!-- end generated -->\n")
    filled = docs.fill(text, tmp_path)
    assert "- " + best_panel_sentence(RECOVERY) + "\n" in filled and "best_panel_seeds" not in filled
    assert "| panel 2: Eq. 5, D = I | undefined |" in filled
    (tmp_path / "other.json").write_text("{}")
    with pytest.raises(ValueError, match="no sentences"):
        docs.fill("<!-- generated from other.json -->\n<!-- end generated -->", tmp_path)


def test_the_same_model_spread_and_the_d_invariance_follow_their_tables():
    table3 = [{"panel": "eq1_B_Vk_g_half", "statistic": "mean", "auc": "0.9"},
              {"panel": "eq1_B_Vk", "statistic": "mean", "auc": "0.6"},
              {"panel": "eq1_B_Vk", "statistic": "ci95_low", "auc": "0.1"},
              {"panel": "eq2_unique", "statistic": "mean", "auc": "0.99"}]
    sentence = same_model_sentence(table3)
    assert "2 rows" in sentence and "from 0.6 (“panel 3: B = V_k (Case A)”) to 0.9 (“panel 2: Eq. 5" in sentence
    assert "difference of 0.3." in sentence
    table4 = [{"method": "original_space_AB", "statistic": "mean", "auc_range_over_d": "0"},
              {"method": "embedding_cosine", "statistic": "mean", "auc_range_over_d": "0.4"},
              {"method": "dot_product", "statistic": "mean", "auc_range_over_d": "0.3"}]
    sentence = d_invariance_sentence(table4)
    assert sentence.startswith("No random D changes the AUC of “cosine of the columns of A B^T (remedy 2)”;")
    assert "by 0.3 on average at the least (“unnormalised dot product" in sentence and "0.4 at the most" in sentence
    moved = [dict(row, auc_range_over_d="0.2") for row in table4]
    assert d_invariance_sentence(moved).startswith("Every approach's AUC changes under the random D")


def test_the_unit_norm_verdict_follows_the_comparison():
    assert "so the constraint keeps the D training started from" in unit_norm_sentences(RECOVERY)[0]
    moved = unit_norm_sentences(dict(RECOVERY, unit_norm_mean_abs_auc_change=0.5))[0]
    assert "so training moves the AUC at least as much as the choice of D does" in moved


def test_fidelity_readings_without_a_defined_error_are_named_apart_not_called_the_last():
    changed = copy.deepcopy(FIDELITY)
    changed["ranking"].append({"reading": "clusters-published__pop-power__cap-30", "colour_range": "fixed",
                               "overall": float("nan")})
    text = " ".join(fidelity_sentences(changed))
    assert "undefined" not in text and "nan" not in text
    assert "the last with a defined error, published cluster probabilities, item popularity by the zipf law" in text
    assert "1 of the readings has no defined error" in text and "at most 30 items per user" in text
    assert "no defined error" not in " ".join(fidelity_sentences(FIDELITY))


def test_a_check_report_is_one_line_naming_what_did_not_hold_in_words_with_the_list_folded():
    from cossim.prose import checks_summary

    checks = [{"name": "eq5_blocks_clear", "statement": "panel 2: within minus between >= 0.2", "measured": 0.107,
               "bound": 0.2, "passed": False},
              {"name": "order_ok", "statement": "display order", "measured": 1.0, "bound": 1.0, "passed": True}]
    line, folded = checks_summary(checks, "check_figure1").split("<details>")
    assert "1 of 2 checks of rule `check_figure1` did not hold" in line and "panel 2: within minus" in line
    assert "0.107" in line and "eq5_blocks_clear" not in line and "display order" not in line
    assert "display order" in folded and "\\|" not in folded.split("<summary>")[0]
    assert checks_summary(checks[1:], "r").startswith("All 1 checks of rule `r` passed.")
