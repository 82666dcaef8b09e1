"""The verdict scorecard: one verdict for each Figure 1 panel, each Table 1 claim and each
conclusion on real data, made from the checked artifacts by stated rules.

Verdicts are ``reproduced``, ``partly reproduced``, ``not reproduced`` and ``not testable here``.

Figure 1 panels (``figure1_published.csv`` and ``checks/figure1.json``):

- the panel's *pattern* is the paper's qualitative statement about it, tested by the Figure 1
  check (:data:`PANEL_PATTERN_CHECKS`): panel 1 is exactly the cluster indicator, panel 2 shows
  clear blocks, panel 3 fainter ones, panel 5 a high similarity between clusters. Panel 4 has no
  such check; its pattern is the published one, "dimmer than panel 2 inside the three large
  clusters", read from the comparison table (:func:`panel4_dimmer_than_panel2`);
- *reproduced*: the pattern holds and the panel's mean absolute block error against the
  digitised published figure is at most :data:`LEVEL_TOLERANCE`;
- *partly reproduced*: the pattern holds, the levels differ by more;
- *not reproduced*: the pattern fails;
- *not testable here*: the data are not the paper's simulation (no published figure to compare),
  or have no ground-truth clusters (no blocks to compare).

Table 1 claims (``table1_claims.csv``): *reproduced* when the row passes, *not reproduced* when it
fails, *not testable here* when the data cannot test it (the row says why).

Conclusions on real data (``movielens_findings.json``): *reproduced* when the conclusion holds;
*partly reproduced* when it is made of parts (the claims of Table 1, the three parts of Figure
1's pattern) and some but not all hold; *not reproduced* otherwise.

The number behind each row is stated with it (``number`` and ``number_meaning``). Rule
``check_scorecard`` recomputes every row by another route (:mod:`cossim.site.scorecard_check`).
"""

from __future__ import annotations

import math

from ..vocabulary import PANEL_NAMES

REPRODUCED, PARTLY, NOT_REPRODUCED, NOT_TESTABLE = (
    "reproduced", "partly reproduced", "not reproduced", "not testable here")
VERDICTS = (REPRODUCED, PARTLY, NOT_REPRODUCED, NOT_TESTABLE)

LEVEL_TOLERANCE = 0.05
"""Largest mean absolute block error (colour levels in [0, 1]) of a reproduced Figure 1 panel:
about the spread of the published levels' digitisation (e.g. 0.53-0.68 within panel 2's blocks)."""

PANEL_PATTERN_CHECKS = {
    "true_clusters": ("true_clusters_exact",),
    "eq1_B_Vk_g_half": ("eq5_blocks_clear",),
    "eq1_B_Vk": ("case_a_blocks_fainter",),
    "eq1_B_Vk_sigma2": (),
    "eq2_unique": ("eq2_merged_high",),
}
"""The checks of ``checks/figure1.json`` that test each panel's published pattern."""

PATTERN_STATEMENTS = {
    "true_clusters": "1 within a cluster, 0 between",
    "eq1_B_Vk_g_half": "clear blocks: within-cluster minus between-cluster cosine at least 0.2",
    "eq1_B_Vk": "blocks fainter than panel 2's, still visible",
    "eq1_B_Vk_sigma2": "dimmer than panel 2 inside the three large clusters, as published",
    "eq2_unique": "clusters merge: between-cluster cosine at least 0.3 above panel 2's",
}

CONCLUSIONS = {
    "claims": ("Every analytic claim of Table 1 holds on real data", "claims of Table 1 that hold"),
    "training_eq1_arbitrary": ("Equally optimal trained Eq. 1 models imply different D and different item cosines",
                               "largest mean absolute difference of item cosines between two optimal Eq. 1 runs"),
    "training_eq2_unique": ("Trained Eq. 2 models agree on the item cosines",
                            "largest absolute difference of item cosines between two Eq. 2 runs"),
    "d_changes_cosines": ("The choice of D changes the item cosines", "largest change of an item cosine over D"),
    "figure1_pattern": ("Figure 1's pattern (clear blocks at D = I, fainter ones for B = V_k, merged for Eq. 2)",
                        "parts of the pattern seen, of 3"),
    "d_changes_recovery": ("The choice of D moves how well cosines recover genres by more than the intervals",
                           "largest minus smallest AUC over the D sweep of Eq. 1"),
    "eq2_not_better": ("Eq. 2's unique cosine recovers genres no better than Eq. 5's",
                       "AUC of Eq. 2's cosine (Eq. 5's is beside it in the evidence)"),
    "remedy_d_invariant": ("Cosines in the original space (remedy 2) are the same for every D",
                           "spread of the remedy's AUC over D"),
}
"""The paper's conclusions on real data, as ``movielens_findings.json`` keys them: (statement,
meaning of the number behind the verdict)."""

CONCLUSION_NUMBERS = {
    "claims": "passed",
    "training_eq1_arbitrary": "cosine_mean_abs_diff_max",
    "training_eq2_unique": "cosine_max_abs_diff_max",
    "d_changes_cosines": "max_cosine_change",
    "figure1_pattern": None,
    "d_changes_recovery": None,
    "eq2_not_better": "eq2_auc",
    "remedy_d_invariant": "original_space_spread",
}
"""The entry of each conclusion's record that is the number behind it (None: computed below)."""

COLUMNS = ("row", "kind", "subject", "verdict", "number", "number_meaning", "evidence")


def panel4_dimmer_than_panel2(published: dict) -> tuple[bool, bool]:
    """Whether panel 4 is dimmer than panel 2 inside the large clusters: (ours, published).

    Parameters
    ----------
    published : dict of str to dict
        Rows of ``figure1_published.csv`` by panel key, cells as read.
    """
    ours = float(published["eq1_B_Vk_sigma2"]["within_large"]) < float(published["eq1_B_Vk_g_half"]["within_large"])
    printed = (float(published["eq1_B_Vk_sigma2"]["published_within_large"])
               < float(published["eq1_B_Vk_g_half"]["published_within_large"]))
    return ours, printed


def panel_verdict(pattern_holds: bool, mean_abs_error: float, testable: bool) -> str:
    """The verdict of a Figure 1 panel (module docstring)."""
    if not testable:
        return NOT_TESTABLE
    if not pattern_holds:
        return NOT_REPRODUCED
    return REPRODUCED if mean_abs_error <= LEVEL_TOLERANCE else PARTLY


def figure1_rows(published: list[dict], checks: list[dict], testable: bool, evidence: str) -> list[dict]:
    """One row per Figure 1 panel.

    Parameters
    ----------
    published : list of dict
        ``figure1_published.csv`` as read (one row per panel).
    checks : list of dict
        The ``checks`` of ``checks/figure1.json``.
    testable : bool
        Whether the data are the paper's simulation.
    evidence : str
        The site page (and anchor) that shows the comparison.
    """
    by_panel = {row["panel"]: row for row in published}
    passed = {check["name"]: bool(check["passed"]) for check in checks}
    rows = []
    for key in PANEL_NAMES:
        if key not in PANEL_PATTERN_CHECKS:
            continue
        compared = testable and {key, "eq1_B_Vk_g_half"} <= set(by_panel)
        names = PANEL_PATTERN_CHECKS[key]
        pattern = compared and (all(passed.get(name, False) for name in names) if names else (
            panel4_dimmer_than_panel2(by_panel) == (True, True)))
        error = float(by_panel[key]["mean_abs_error"]) if compared else math.nan
        rows.append({
            "row": f"figure1_{key}", "kind": "Figure 1 panel",
            "subject": f"{PANEL_NAMES[key]}: {PATTERN_STATEMENTS[key]}",
            "verdict": panel_verdict(pattern, error, compared),
            "number": error,
            "number_meaning": "mean absolute block error against the published figure" if compared
            else "no published figure for these data" if not testable else "no ground-truth clusters in these data",
            "evidence": evidence,
        })
    return rows


def claim_verdict(passed: str) -> str:
    """The verdict of a Table 1 row from its ``pass`` cell."""
    return {"true": REPRODUCED, "false": NOT_REPRODUCED}.get(passed, NOT_TESTABLE)


def claim_rows(claims: list[dict], evidence: str) -> list[dict]:
    """One row per analytic claim of Table 1 (``table1_claims.csv`` as read)."""
    return [{
        "row": f"claim_{row['id']}", "kind": "Table 1 claim", "subject": row["claim"],
        "verdict": claim_verdict(row["pass"]),
        "number": float(row["measured"]) if row["pass"] in ("true", "false") else math.nan,
        "number_meaning": f"{row['quantity']} (must be {row['comparison']} {float(row['tolerance']):.3g})",
        "evidence": evidence,
    } for row in claims]


def conclusion_number(key: str, record: dict) -> float:
    """The number behind a conclusion's verdict (:data:`CONCLUSION_NUMBERS`)."""
    if key == "figure1_pattern":
        return float(sum(bool(value) for name, value in record.items() if name.endswith("_seen")))
    if key == "d_changes_recovery":
        return float(record["auc_max"]) - float(record["auc_min"])
    return float(record[CONCLUSION_NUMBERS[key]])


def conclusion_verdict(key: str, record: dict) -> str:
    """The verdict of a conclusion on real data (module docstring)."""
    if record["holds"]:
        return REPRODUCED
    if key == "claims":
        some = record["passed"] > 0
    elif key == "figure1_pattern":
        some = conclusion_number(key, record) > 0
    else:
        some = False
    return PARTLY if some else NOT_REPRODUCED


def conclusion_rows(findings: dict, evidence) -> list[dict]:
    """One row per conclusion of ``movielens_findings.json``; ``evidence(key)`` gives the page
    and anchor that shows conclusion ``key``.

    Raises
    ------
    KeyError
        Naming a conclusion the findings hold that has no statement here (or the reverse).
    """
    found = sorted(key[: -len("_holds")] for key in findings if key.endswith("_holds"))
    if sorted(CONCLUSIONS) != found:
        raise KeyError(f"conclusions in the findings {found} differ from those stated {sorted(CONCLUSIONS)}")
    rows = []
    for key, (statement, meaning) in CONCLUSIONS.items():
        record = findings[key]
        rows.append({
            "row": f"movielens_{key}", "kind": "conclusion on real data (MovieLens 100k)",
            "subject": statement, "verdict": conclusion_verdict(key, record),
            "number": conclusion_number(key, record),
            "number_meaning": meaning + (f", of {record['total']}" if key == "claims" else ""),
            "evidence": evidence(key),
        })
    return rows
