"""The MovieLens study's findings and facts as sentences: what docs/movielens.md and the notebook say.

:func:`findings_sentences` turns ``movielens_findings.json`` (:func:`cossim.movielens.findings.movielens_findings`,
derived again by rule ``check_movielens_findings``) into one sentence per conclusion, whose
verdict and comparisons are made here from the stored numbers and verdicts; :func:`facts_sentences`
describes the data from ``movielens_facts.json``.
"""

from __future__ import annotations

from ..prose import listing, names, number, quoted
from .findings import ARBITRARY_SPREAD, CONCLUSIONS, NOISE_FACTOR

CHANCE = 0.5
"""The AUC of a similarity that ranks pairs at random."""


def verdict(holds: bool) -> str:
    """The verdict word of a conclusion."""
    return "holds" if holds else "does not hold"


def claims_sentence(found: dict) -> str:
    """Conclusion 1: Table 1's analytic claims."""
    text = f"The analytic claims of Sections 2-3 ({verdict(found['holds'])}): {found['passed']} of {found['total']} claims pass"
    if found["failed"]:
        text += f"; {listing(found['failed'])} fail"
    if found["not_testable"]:
        text += f"; {listing(found['not_testable'])} cannot be tested on this data"
    return text + "."


def d_changes_cosines_sentence(found: dict) -> str:
    """Conclusion 2: D leaves Eq. 1 unchanged and moves the item cosines."""
    return (f"D leaves Eq. 1 unchanged and moves the item cosines ({verdict(found['holds'])}): a random re-scaling D moves "
            f"an item cosine by {number(found['mean_cosine_change'])} on average and by up to "
            f"{number(found['max_cosine_change'])}.")


PATTERN_WORDS = {
    "eq5_blocks_clear": "clear genre blocks at D = I (Eq. 5)",
    "case_a_blocks_fainter": "fainter blocks for B = V_k",
    "eq2_merged_high": "everything merged high for Eq. 2's unique solution",
}
"""The parts of Figure 1's picture, by rule check_figure1's pattern checks."""


def figure1_pattern_sentence(found: dict) -> str:
    """Conclusion 3: Figure 1's qualitative picture, part by part."""
    seen = [f"{words} {'seen' if found[f'{key}_seen'] else 'not seen'} (measured {number(found[f'{key}_measured'])})"
            for key, words in PATTERN_WORDS.items()]
    return f"Figure 1's picture ({verdict(found['holds'])}): {listing(seen)}."


def training_eq1_sentence(found: dict) -> str:
    """Conclusion 4: equally optimal trained Eq. 1 models differ in D and in their cosines."""
    spread = found["d_spread_max"]
    relation = "reaching" if spread >= ARBITRARY_SPREAD else "short of"
    return (f"Training picks D, not Eq. 1 ({verdict(found['holds'])}): {found['at_optimum']} of {found['runs']} trained "
            f"Eq. 1 runs reach the optimum; their implied D spread (max d / min d) ranges from "
            f"{number(found['d_spread_min'])} to {number(spread)}, {relation} the {number(ARBITRARY_SPREAD)} "
            f"that counts as different, and their item cosines differ by {number(found['cosine_mean_abs_diff_min'])} "
            f"to {number(found['cosine_mean_abs_diff_max'])} on average.")


def training_eq2_sentence(found: dict) -> str:
    """Conclusion 5: trained Eq. 2 models agree with the closed form on the cosines."""
    return (f"Eq. 2's cosines are unique ({verdict(found['holds'])}): {found['at_optimum']} of {found['runs']} trained "
            f"Eq. 2 runs reach the optimum, and their cosines differ from the closed form's (Eq. 6) by at most "
            f"{number(found['cosine_max_abs_diff_max'])}.")


def d_changes_recovery_sentence(found: dict) -> str:
    """Conclusion 6: D moves genre recovery by more than the resampling noise."""
    moved = found["auc_max"] - found["auc_min"]
    bound = NOISE_FACTOR * found["mean_interval_half_width"]
    relation = "more" if moved > bound else "no more"
    return (f"D changes how well cosines recover genres ({verdict(found['holds'])}): over the D sweep's "
            f"re-scalings (both families of exponents and the random D) the AUC spans {number(found['auc_min'])} to {number(found['auc_max'])}, {relation} than {number(NOISE_FACTOR)} "
            f"times the bootstrap intervals' mean half-width ({number(found['mean_interval_half_width'])}); the best "
            f"panel is {quoted(found['best_panel'])} (AUC {number(found['best_auc'])}).")


def eq2_not_better_sentence(found: dict) -> str:
    """Conclusion 7: Eq. 2's unique cosine is no better than Eq. 5's, with where it lies against chance."""
    eq2 = f"{number(found['eq2_auc'])} ({number(found['eq2_low'])} to {number(found['eq2_high'])})"
    eq5 = f"{number(found['eq5_auc'])} ({number(found['eq5_low'])} to {number(found['eq5_high'])})"
    if found["eq2_below_eq5"]:
        relation = "its interval lies wholly below Eq. 5's"
    elif found["eq2_low"] > found["eq5_high"]:
        relation = "its interval lies wholly above Eq. 5's"
    else:
        relation = "the two intervals overlap"
    if found["eq2_low"] <= CHANCE <= found["eq2_high"]:
        chance = "; its interval contains 0.5, the AUC of chance"
    else:
        chance = f"; its interval lies {'above' if found['eq2_low'] > CHANCE else 'below'} 0.5, the AUC of chance"
    return (f"Unique is not best ({verdict(found['holds'])}): Eq. 2's unique cosine recovers genres with AUC {eq2}, "
            f"Eq. 5's with {eq5}: {relation}{chance}.")


def remedy_sentence(found: dict) -> str:
    """Conclusion 8: the original-space cosine of Section 3 does not depend on D."""
    return (f"The original-space cosine does not depend on D ({verdict(found['holds'])}): its AUC is "
            f"{number(found['original_space_auc'])} with a spread over D of {number(found['original_space_spread'])}, "
            f"while the embedding cosine's AUC spreads by {number(found['embedding_spread'])} (from "
            f"{number(found['embedding_auc_min'])} to {number(found['embedding_auc_min'] + found['embedding_spread'])} "
            f"over D = I and the remedies' random D); the approaches that do not move with D: "
            f"{names(found['d_invariant'])}.")


def binarisation_sentence(found: dict) -> str:
    """The panels whose recovery intervals do not overlap between the two binarisations."""
    if not found["compared"]:
        return "The two binarisations of the ratings were not compared on this data."
    if not found["panels_differing"]:
        return "Between the two binarisations of the ratings, every panel's recovery interval overlaps."
    return (f"Between the two binarisations of the ratings, the recovery intervals do not overlap for "
            f"{names(found['panels_differing'])}.")


SENTENCES = {
    "claims": claims_sentence,
    "d_changes_cosines": d_changes_cosines_sentence,
    "figure1_pattern": figure1_pattern_sentence,
    "training_eq1_arbitrary": training_eq1_sentence,
    "training_eq2_unique": training_eq2_sentence,
    "d_changes_recovery": d_changes_recovery_sentence,
    "eq2_not_better": eq2_not_better_sentence,
    "remedy_d_invariant": remedy_sentence,
}
"""One sentence per conclusion of :data:`cossim.movielens.findings.CONCLUSIONS`."""


def findings_sentences(findings: dict) -> list[str]:
    """How many of the paper's conclusions hold, then one sentence per conclusion, in the paper's order.

    Parameters
    ----------
    findings : dict
        ``movielens_findings.json`` as read.

    Returns
    -------
    list of str
    """
    head = (f"{findings['conclusions_holding']} of the paper's {findings['conclusions']} conclusions tested here "
            f"hold on this data.")
    sentences = [head] + [SENTENCES[key](findings[key]) for key in CONCLUSIONS]
    if "binarisations" in findings:
        sentences.append(binarisation_sentence(findings["binarisations"]))
    return sentences


def facts_sentences(facts: dict) -> list[str]:
    """The data and the lambdas chosen for it (``movielens_facts.json``).

    Parameters
    ----------
    facts : dict

    Returns
    -------
    list of str
    """
    sentences = [
        f"The data: {number(facts['n_users'])} users and their {number(facts['n_items'])} most rated films, "
        f"{number(facts['interactions'])} interactions (a rating of at least {number(facts['min_rating'])}; "
        f"density {number(facts['density'])}), and {facts['genres']} genres; {number(facts['share_same_genre'])} "
        f"of the film pairs share a genre.",
        f"The rule's lambdas on the whole data are {number(facts['suggested_eq1_lambda'])} for Eq. 1 and "
        f"{number(facts['suggested_eq2_lambda'])} for Eq. 2; on the recovery study's {number(facts['recovery_users'])} "
        f"users and {number(facts['recovery_items'])} films, {number(facts['recovery_eq1_lambda'])} and "
        f"{number(facts['recovery_eq2_lambda'])}.",
    ]
    if "d_mean_cosine_change" in facts:
        sentences.append(f"A random re-scaling D moves an item cosine of the recovery study's films by {number(facts['d_mean_cosine_change'])} on average "
                         f"and by up to {number(facts['d_max_cosine_change'])}.")
    if "random_d_auc_min" in facts:
        sentences.append(f"Under the D sweep's random re-scalings D (D = I left out), the AUC of the item cosine "
                         f"against genres ranges from {number(facts['random_d_auc_min'])} to "
                         f"{number(facts['random_d_auc_max'])}.")
    return sentences
