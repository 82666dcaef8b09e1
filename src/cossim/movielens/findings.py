"""Which of the paper's conclusions hold on MovieLens: each one a verdict with the numbers behind it.

:func:`movielens_findings` reads the tables of the claims, training and MovieLens studies (never
their code) and states, per conclusion, the numbers and whether the conclusion holds. The notebook
prints these verdicts; rule check_movielens_findings derives them again.

The conclusions, in the paper's order:

1. ``claims``: the analytic claims of Sections 2-3 (Table 1) hold on the data.
2. ``d_changes_cosines``: Eq. 1 is invariant to D (Eq. 3) while D changes the item-item cosines.
3. ``figure1_pattern``: Figure 1's picture: clear blocks at D = I (Eq. 5), fainter ones for
   ``B = V_k``, and everything merged high for Eq. 2's unique solution (rule check_figure1's
   pattern checks on the primary-genre blocks; reported, not enforced, on real data).
4. ``training_eq1_arbitrary``: equally optimal trained Eq. 1 models differ in their implied D and
   cosines (Table 2): the optimiser, not the objective, picks the cosines.
5. ``training_eq2_unique``: trained Eq. 2 models agree with the closed form (Eq. 6) on the cosines.
6. ``d_changes_recovery``: the re-scalings change how well the cosines recover the ground truth
   (genres) by more than the sampling noise of the users (Figure 1's message).
7. ``eq2_not_better``: Eq. 2's unique cosine is no better at recovering the ground truth than Eq. 5's
   (its interval's low end is not above Eq. 5's high end; the paper: unique is not the same as best).
8. ``remedy_d_invariant``: the original-space cosine of Section 3 does not depend on D.
"""

from __future__ import annotations

import numpy as np

CONCLUSIONS = ("claims", "d_changes_cosines", "figure1_pattern", "training_eq1_arbitrary", "training_eq2_unique", "d_changes_recovery",
               "eq2_not_better", "remedy_d_invariant")
"""The conclusions tested, in the paper's order (the module docstring)."""

NOISE_FACTOR = 2.0
"""D "changes recovery" when the AUC range over D exceeds this many times the mean half-width of
the bootstrap intervals of Table 3's model panels."""

INVARIANCE = 1e-9
"""A spread of the AUC over D below this is no dependence on D."""

UNIQUE_COSINE = 1e-4
"""Trained Eq. 2 runs whose cosines differ from the closed form's by less than this agree."""

ARBITRARY_SPREAD = 1.5
"""Eq. 1 runs at the optimum whose implied D spread (max d / min d) reaches this differ in D."""


def _float(value) -> float:
    return float(value)


def claims_finding(claims: list[dict]) -> dict:
    """Conclusion 1: how many of Table 1's claims pass, which cannot be tested, which fail.

    Parameters
    ----------
    claims : list of dict
        Rows of ``table1_claims.csv`` as read (``id``, ``pass``: ``true``, ``false`` or another
        word for a claim the data cannot test).

    Returns
    -------
    dict
    """
    passed = [row["id"] for row in claims if row["pass"] == "true"]
    failed = [row["id"] for row in claims if row["pass"] == "false"]
    untestable = [row["id"] for row in claims if row["pass"] not in ("true", "false")]
    return {"total": len(claims), "passed": len(passed), "failed": failed, "not_testable": untestable,
            "holds": not failed and bool(passed)}


def d_finding(claims: list[dict], facts: dict) -> dict:
    """Conclusion 2: D leaves Eq. 1 unchanged (claims 3a, 3b) and moves the cosines (3c, and the facts).

    Parameters
    ----------
    claims : list of dict
    facts : dict
        ``movielens_facts.json``.

    Returns
    -------
    dict
    """
    by_id = {row["id"].split("_")[0]: row for row in claims}
    invariant = all(by_id.get(key, {}).get("pass") == "true" for key in ("3a", "3b", "3c"))
    return {
        "claim_3c_measured": _float(by_id["3c"]["measured"]) if "3c" in by_id else float("nan"),
        "mean_cosine_change": facts["d_mean_cosine_change"],
        "max_cosine_change": facts["d_max_cosine_change"],
        "holds": invariant and facts["d_max_cosine_change"] > 0.1,
    }


PATTERN_CHECKS = ("eq5_blocks_clear", "case_a_blocks_fainter", "eq2_merged_high")
"""Rule check_figure1's checks of the simulated figure's qualitative pattern."""


def pattern_finding(figure1_checks: list[dict]) -> dict:
    """Conclusion 3: whether Figure 1's qualitative pattern is seen, check by check.

    Parameters
    ----------
    figure1_checks : list of dict
        The ``checks`` of ``results/<dataset>/checks/figure1.json`` (name, measured, bound, passed).

    Returns
    -------
    dict
        ``<check>_seen`` and ``<check>_measured`` per pattern check; holds when all are seen
        (and every one was reported).
    """
    by_name = {check["name"]: check for check in figure1_checks}
    found = {}
    for name in PATTERN_CHECKS:
        check = by_name.get(name, {"passed": False, "measured": float("nan")})
        found[f"{name}_seen"] = bool(check["passed"])
        found[f"{name}_measured"] = float(check["measured"])
    found["holds"] = all(found[f"{name}_seen"] for name in PATTERN_CHECKS)
    return found


def training_findings(training: list[dict], optimum_gap: float) -> tuple[dict, dict]:
    """Conclusions 3 and 4 from Table 2.

    Parameters
    ----------
    training : list of dict
        Rows of ``table2_training.csv`` as read.
    optimum_gap : float
        A run with ``objective_gap`` at most this reached the optimum (the training check's bound).

    Returns
    -------
    eq1, eq2 : dict
    """
    def runs(objective):
        return [row for row in training if row["objective"] == objective and _float(row["objective_gap"]) <= optimum_gap]

    eq1, eq2 = runs("eq1"), runs("eq2")
    spread = [_float(row["d_spread"]) for row in eq1]
    mean_diff = [_float(row["cosine_mean_abs_diff"]) for row in eq1]
    eq2_diff = [_float(row["cosine_max_abs_diff"]) for row in eq2]
    first = {
        "runs": sum(row["objective"] == "eq1" for row in training),
        "at_optimum": len(eq1),
        "d_spread_min": min(spread, default=float("nan")),
        "d_spread_max": max(spread, default=float("nan")),
        "cosine_mean_abs_diff_min": min(mean_diff, default=float("nan")),
        "cosine_mean_abs_diff_max": max(mean_diff, default=float("nan")),
        "holds": len(eq1) >= 2 and max(spread, default=0.0) >= ARBITRARY_SPREAD,
    }
    second = {
        "runs": sum(row["objective"] == "eq2" for row in training),
        "at_optimum": len(eq2),
        "cosine_max_abs_diff_max": max(eq2_diff, default=float("nan")),
        "holds": len(eq2) >= 2 and max(eq2_diff) < UNIQUE_COSINE,
    }
    return first, second


def recovery_findings(recovery: list[dict], d_sweep: list[dict], remedies: list[dict]) -> tuple[dict, dict, dict]:
    """Conclusions 5, 6 and 7 from the MovieLens recovery, D-sweep and remedies tables.

    Parameters
    ----------
    recovery, d_sweep, remedies : list of dict
        Rows of ``movielens_recovery.csv``, ``movielens_d_sweep.csv``, ``movielens_remedies.csv``.

    Returns
    -------
    d_recovery, eq2, remedy : dict
    """
    panel = {row["panel"]: row for row in recovery}
    models = [row for row in recovery if row["panel"] != "true_clusters"]
    half = float(np.mean([(_float(row["auc_high"]) - _float(row["auc_low"])) / 2 for row in models]))
    sweep = [_float(row["auc"]) for row in d_sweep]
    low, high = min(sweep), max(sweep)
    best = max(models, key=lambda row: _float(row["auc"]))
    d_recovery = {"auc_min": low, "auc_max": high, "mean_interval_half_width": half,
                  "best_panel": best["panel"], "best_auc": _float(best["auc"]),
                  "holds": high - low > NOISE_FACTOR * half}
    eq5, eq2 = panel["eq1_B_Vk_g_half"], panel["eq2_unique"]
    eq2_finding = {"eq5_auc": _float(eq5["auc"]), "eq5_low": _float(eq5["auc_low"]), "eq5_high": _float(eq5["auc_high"]),
                   "eq2_auc": _float(eq2["auc"]), "eq2_low": _float(eq2["auc_low"]), "eq2_high": _float(eq2["auc_high"]),
                   "eq2_below_eq5": _float(eq2["auc_high"]) < _float(eq5["auc_low"]),
                   "holds": _float(eq2["auc_low"]) <= _float(eq5["auc_high"])}
    rows = {row["approach"]: row for row in remedies}
    original, embedding = rows["original_space_AB"], rows["embedding_cosine"]
    remedy = {"original_space_auc": _float(original["auc"]), "original_space_spread": _float(original["auc_spread"]),
              "embedding_auc": _float(embedding["auc"]), "embedding_spread": _float(embedding["auc_spread"]),
              "embedding_auc_min": _float(embedding["auc_min"]),
              "d_invariant": sorted(key for key, row in rows.items() if _float(row["auc_spread"]) <= INVARIANCE),
              "holds": _float(original["auc_spread"]) <= INVARIANCE}
    return d_recovery, eq2_finding, remedy


def movielens_findings(claims: list[dict], training: list[dict], optimum_gap: float, recovery: list[dict],
                       d_sweep: list[dict], remedies: list[dict], facts: dict, binarisations: list[dict],
                       figure1_checks: list[dict]) -> dict:
    """Every conclusion's verdict and numbers (``movielens_findings.json``).

    Parameters
    ----------
    claims, training : list of dict
        Table 1 and Table 2 on MovieLens, as read.
    optimum_gap : float
        The training check's bound on a run at the optimum.
    recovery, d_sweep, remedies : list of dict
        The MovieLens tables, as read.
    facts : dict
    binarisations : list of dict
        ``movielens_binarisations.csv`` as read.
    figure1_checks : list of dict
        The checks of Figure 1 on MovieLens (``figure1.json``).

    Returns
    -------
    dict
        Top-level scalars first (``conclusions_holding`` of ``conclusions``, ``claims_passed`` of
        ``claims_total``, ``<conclusion>_holds``), then one section per conclusion of
        :data:`CONCLUSIONS` and ``binarisations`` (the panels whose intervals do not overlap
        between the two binarisations).
    """
    eq1, eq2 = training_findings(training, optimum_gap)
    d_recovery, eq2_recovery, remedy = recovery_findings(recovery, d_sweep, remedies)
    differing = [row["panel"] for row in binarisations if row.get("intervals_overlap") == "no"]
    found = {
        "claims": claims_finding(claims),
        "d_changes_cosines": d_finding(claims, facts),
        "figure1_pattern": pattern_finding(figure1_checks),
        "training_eq1_arbitrary": eq1,
        "training_eq2_unique": eq2,
        "d_changes_recovery": d_recovery,
        "eq2_not_better": eq2_recovery,
        "remedy_d_invariant": remedy,
        "binarisations": {"compared": "intervals_overlap" in binarisations[0], "panels_differing": differing},
    }
    verdicts = {f"{key}_holds": found[key]["holds"] for key in CONCLUSIONS}
    return {"conclusions_holding": sum(verdicts.values()), "conclusions": len(CONCLUSIONS),
            "claims_passed": found["claims"]["passed"], "claims_total": found["claims"]["total"], **verdicts, **found}
