"""Rule check_scorecard: every row of the scorecard recomputed by another route, and compared.

The second route shares no code with :mod:`cossim.site.scorecard` but its stated rules:

- a Figure 1 panel's pattern is read as ``measured >= bound`` of its checks (not their ``passed``
  flag), panel 4's from the published table's levels, and the verdict from a decision table;
- a Table 1 claim is re-judged from its measured value, comparison and tolerance (not its
  ``pass`` cell);
- a conclusion's parts are counted from the findings' top-level counts (``claims_passed``,
  ``claims_total``) and from the pattern checks of the real data's own Figure 1 check.
"""

from __future__ import annotations

import math
import operator

from ..checking import CheckResult
from .scorecard import (
    CONCLUSION_NUMBERS,
    CONCLUSIONS,
    LEVEL_TOLERANCE,
    NOT_REPRODUCED,
    NOT_TESTABLE,
    PANEL_PATTERN_CHECKS,
    PARTLY,
    REPRODUCED,
)

PANEL_DECISIONS = {
    (True, True): REPRODUCED,
    (True, False): PARTLY,
    (False, True): NOT_REPRODUCED,
    (False, False): NOT_REPRODUCED,
}
"""(pattern holds, levels within the tolerance) -> verdict of a Figure 1 panel."""

COMPARISONS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt, "==": operator.eq}
MOVIELENS_PATTERN = ("eq5_blocks_clear", "case_a_blocks_fainter", "eq2_merged_high")


def expected_figure1(published: list[dict], checks: list[dict], testable: bool) -> dict:
    """``{row: (verdict, number)}`` of the Figure 1 panels."""
    measured = {c["name"]: float(c["measured"]) >= float(c["bound"]) for c in checks}
    levels = {row["panel"]: row for row in published}
    expected = {}
    for key, names in PANEL_PATTERN_CHECKS.items():
        if not (testable and key in levels and "eq1_B_Vk_g_half" in levels):
            expected[f"figure1_{key}"] = (NOT_TESTABLE, math.nan)
            continue
        if names:
            pattern = all(measured.get(name, False) for name in names)
        else:
            ours = float(levels[key]["within_large"]) - float(levels["eq1_B_Vk_g_half"]["within_large"])
            printed = (float(levels[key]["published_within_large"])
                       - float(levels["eq1_B_Vk_g_half"]["published_within_large"]))
            pattern = ours < 0 and printed < 0
        error = float(levels[key]["mean_abs_error"])
        expected[f"figure1_{key}"] = (PANEL_DECISIONS[(pattern, error <= LEVEL_TOLERANCE)], error)
    return expected


def expected_claims(claims: list[dict]) -> dict:
    """``{row: (verdict, number)}`` of Table 1's claims, re-judged from measured and tolerance."""
    expected = {}
    for row in claims:
        if row["pass"] not in ("true", "false"):
            expected[f"claim_{row['id']}"] = (NOT_TESTABLE, math.nan)
            continue
        value = float(row["measured"])
        holds = COMPARISONS[row["comparison"]](value, float(row["tolerance"]))
        expected[f"claim_{row['id']}"] = (REPRODUCED if holds else NOT_REPRODUCED, value)
    return expected


def expected_conclusions(findings: dict, movielens_figure1: list[dict]) -> dict:
    """``{row: (verdict, number)}`` of the conclusions on real data."""
    seen = sum(any(c["name"] == name and c["passed"] for c in movielens_figure1) for name in MOVIELENS_PATTERN)
    parts = {"claims": (findings["claims_passed"], findings["claims_total"]),
             "figure1_pattern": (seen, len(MOVIELENS_PATTERN))}
    expected = {}
    for key in CONCLUSIONS:
        record = findings[key]
        if key in parts:
            held, total = parts[key]
            verdict = REPRODUCED if held == total else PARTLY if held > 0 else NOT_REPRODUCED
            number = float(held)
        else:
            verdict = REPRODUCED if findings[f"{key}_holds"] else NOT_REPRODUCED
            number = (record["auc_max"] - record["auc_min"] if key == "d_changes_recovery"
                      else record[CONCLUSION_NUMBERS[key]])
        expected[f"movielens_{key}"] = (verdict, float(number))
    return expected


def same_number(a: float, b: float) -> bool:
    """Equal to 1e-12 relative, or both undefined."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


def compare(scorecard: list[dict], expected: dict) -> list[CheckResult]:
    """One check per expected row (the scorecard's verdict and number agree), and one that the
    scorecard holds exactly the expected rows."""
    by_row = {row["row"]: row for row in scorecard}
    results = []
    for name, (verdict, number) in expected.items():
        row = by_row.get(name)
        agrees = row is not None and row["verdict"] == verdict and same_number(float(row["number"] or "nan"), number)
        results.append(CheckResult(
            f"scorecard_{name}", f"row {name}: verdict {verdict!r}, number {number:.6g}, recomputed",
            0.0 if agrees else 1.0, 0.0, agrees))
    extra = sorted(set(by_row) - set(expected))
    complete = not extra and len(by_row) == len(scorecard)
    results.append(CheckResult(
        "scorecard_rows_complete", "the scorecard holds each recomputed row once, and no other"
        + (f" (extra: {', '.join(extra)})" if extra else ""), float(len(extra)), 0.0, complete))
    return results
