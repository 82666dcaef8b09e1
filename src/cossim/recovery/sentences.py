"""The recovery study's findings as sentences: what docs/recovery.md and the notebook say.

Each function turns entries of ``recovery_findings.json`` (:func:`cossim.recovery.findings.recovery_findings`,
checked by rule ``check_recovery``) into sentences; a comparison ("most", "less than") is made
here from the numbers, so the sentence changes when they do.
"""

from __future__ import annotations

from ..prose import listing, names, number, quoted
from ..vocabulary import FAMILY_NAMES
from .findings import RANDOM_D_QUANTILES

BEST_PREFIX = "best_panel_seeds__"
FAMILY_SUFFIX = "__mean_auc_max"


def best_panel_sentence(findings: dict) -> str:
    """On how many seeds each model panel has the highest AUC, most first (ties in stored order).

    Parameters
    ----------
    findings : dict
        ``n_seeds``, ``first_seed``, ``last_seed`` and ``best_panel_seeds__<panel>``.
    """
    counts = {key[len(BEST_PREFIX):]: n for key, n in findings.items() if key.startswith(BEST_PREFIX)}
    ordered = sorted(counts, key=lambda panel: -counts[panel])
    top = counts[ordered[0]]
    leaders = [panel for panel in ordered if counts[panel] == top]
    others = [f"{quoted(panel)} on {counts[panel]}" for panel in ordered if 0 < counts[panel] < top]
    never_keys = [panel for panel in ordered if counts[panel] == 0 and top > 0]
    seeds = f"the {findings['n_seeds']} seeds ({findings['first_seed']} to {findings['last_seed']})"
    if len(leaders) == 1:
        head = f"Over {seeds}, {quoted(leaders[0])} recovers the clusters best (highest AUC) on the most seeds, {top}"
    else:
        head = (f"Over {seeds}, {listing(quoted(panel) for panel in leaders)} share the most seeds with the "
                f"highest AUC, {top} each")
    tail = f"; then {listing(others)}" if others else ""
    tail += f"; never {names(never_keys, 'or')}" if never_keys else ""
    return head + tail + "."


def ranking_sentence(findings: dict) -> str:
    """The model panels by mean AUC over the seeds (``mean_auc_ranking``: keys joined by " > ")."""
    ranked = findings["mean_auc_ranking"].split(" > ")
    if len(ranked) == 1:
        return f"The only model panel is {quoted(ranked[0])}."
    middle = f", then {listing(quoted(panel) for panel in ranked[1:-1])}," if len(ranked) > 2 else ""
    return (f"By mean AUC over the seeds, {quoted(ranked[0])} ranks first{middle} and "
            f"{quoted(ranked[-1])} last.")


def family_sentences(findings: dict) -> list[str]:
    """Where the mean AUC is lowest and highest along each family of the D sweep (``<family>__mean_auc_*``)."""
    families = [key[: -len(FAMILY_SUFFIX)] for key in findings if key.endswith(FAMILY_SUFFIX)]
    return [
        f"Along the family {FAMILY_NAMES.get(family, family)} ({findings['exponent_steps']} exponents t), the "
        f"mean AUC is lowest, {number(findings[f'{family}__mean_auc_min'])}, at t = "
        f"{number(findings[f'{family}__mean_auc_min_t'])} and highest, {number(findings[f'{family}__mean_auc_max'])}, "
        f"at t = {number(findings[f'{family}__mean_auc_max_t'])}."
        for family in families
    ]


def random_d_sentence(findings: dict) -> str:
    """The AUC of Eq. 5's item cosine under random re-scalings D (``random_d_*``)."""
    share = round(100 * (RANDOM_D_QUANTILES[1] - RANDOM_D_QUANTILES[0]))
    return (f"Under {findings['random_d_draws']} random re-scalings D ({findings['random_d_per_seed']} per seed), "
            f"the AUC of the item cosine of Eq. 1's optimum ranges from {number(findings['random_d_auc_min'])} to "
            f"{number(findings['random_d_auc_max'])}; {share} % of the draws lie between "
            f"{number(findings['random_d_auc_q05'])} and {number(findings['random_d_auc_q95'])}.")


def unit_norm_sentences(findings: dict) -> list[str]:
    """Whether unit-norm training (remedy 1) moves the AUC of its start, against what D moves it."""
    change, spread = findings["unit_norm_mean_abs_auc_change"], findings["embedding_cosine_mean_auc_range"]
    relation = "less" if change < spread else "no less" if change == spread else "more"
    start, trained = findings["unit_norm_start_mean_relative_excess"], findings["unit_norm_mean_relative_excess"]
    direction = "lowers" if trained < start else "leaves" if trained == start else "raises"
    verdict = ("so the constraint keeps the D training started from rather than choosing one" if change < spread
               else "so training moves the AUC at least as much as the choice of D does")
    return [
        f"Unit-norm training (remedy 1), started from the normalised B(D) at D = I and "
        f"{findings['remedy_d_per_seed']} random D per seed, moves the AUC by {number(change)} on average: "
        f"{relation} than D moves the start's AUC ({number(spread)}, the mean range over D), {verdict}. The "
        f"trained fits' AUC spans {number(findings['unit_norm_training_mean_auc_range'])} over D on average, "
        f"and correlates with the start's at {number(findings['unit_norm_auc_correlation'])}.",
        f"Training {direction} Eq. 1's value above the unconstrained optimum, relative, from {number(start)} "
        f"at the start to {number(trained)}.",
    ]


def same_model_sentence(table3: list[dict]) -> str:
    """How far the mean AUC of one Eq. 1 model moves between the panels that re-scale it (Eq. 3).

    Parameters
    ----------
    table3 : list of dict
        Rows of ``table3_cluster_recovery.csv`` (``panel``, ``statistic``, ``auc``); the panels whose
        key starts with ``eq1_`` are one Eq. 1 optimum under different D.
    """
    means = {row["panel"]: float(row["auc"]) for row in table3
             if row["statistic"] == "mean" and row["panel"].startswith("eq1_")}
    low, high = min(means, key=means.get), max(means, key=means.get)
    return (f"Table 3's {len(means)} rows of one and the same Eq. 1 model, differing only in D, have mean AUCs from "
            f"{number(means[low])} ({quoted(low)}) to {number(means[high])} ({quoted(high)}), a difference of "
            f"{number(means[high] - means[low])}.")


D_FREE_BOUND = 1e-6
"""A range over D at most this is no range (rule ``check_recovery`` bounds the original-space ones by it)."""


def d_invariance_sentence(table4: list[dict]) -> str:
    """Which approaches of Table 4 the random D leave unchanged, and how far D moves the others.

    Parameters
    ----------
    table4 : list of dict
        Rows of ``table4_remedies.csv`` (``method``, ``statistic``, ``auc_range_over_d``).
    """
    ranges = {row["method"]: float(row["auc_range_over_d"]) for row in table4 if row["statistic"] == "mean"}
    fixed = [method for method, spread in ranges.items() if spread <= D_FREE_BOUND]
    moved = {method: spread for method, spread in ranges.items() if spread > D_FREE_BOUND}
    head = (f"No random D changes the AUC of {names(fixed)}" if fixed
            else "Every approach's AUC changes under the random D")
    if not moved:
        return head + "; no approach depends on D."
    least = min(moved, key=moved.get)
    return (f"{head}; D still moves the AUC of every other approach, by {number(moved[least])} on average at the "
            f"least ({quoted(least)}) and by {number(max(moved.values()))} at the most.")


def recovery_sentences(findings: dict) -> list[str]:
    """Every sentence of the study's findings, in the order the docs tell them.

    Parameters
    ----------
    findings : dict
        ``recovery_findings.json`` as read.

    Returns
    -------
    list of str
    """
    return [best_panel_sentence(findings), ranking_sentence(findings), *family_sentences(findings),
            random_d_sentence(findings), *unit_norm_sentences(findings)]
