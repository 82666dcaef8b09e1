"""Rule check_claims: re-judge a saved Table 1 and verify that every claim of the paper has a row."""

from __future__ import annotations

from ..checking import CheckResult
from .rows import NOT_TESTABLE

__all__ = [
    "PAPER_CLAIMS",
    "table_checks",
]

PAPER_CLAIMS = ("1", "2", "3", "4", "5", "6", "7", "8")
"""The claims Table 1 must cover; every row id starts with its claim's number."""


def table_checks(table: list[dict]) -> list[CheckResult]:
    """Re-judge every row of a saved Table 1 and verify that every claim has a row.

    The verdict is recomputed from ``measured``, ``comparison`` and ``tolerance`` (a row whose
    saved ``pass`` disagrees fails too), so the check does not trust the writer. A row whose
    ``pass`` is "not testable" is no failure here; :func:`cossim.claims.table_checks.check_table1`
    verifies against the data that the claim is indeed untestable (``table1_pass``).

    Parameters
    ----------
    table : list of dict
        The rows of ``table1_claims.csv`` (values as the CSV's strings or as numbers), with at
        least the columns ``id``, ``claim``, ``measured``, ``comparison``, ``tolerance``, ``pass``.

    Returns
    -------
    list of CheckResult
        One per row, named by the row's id, then ``all_claims_present``.
    """
    results = []
    for saved in table:
        if str(saved["pass"]).lower() == NOT_TESTABLE:
            results.append(CheckResult(saved["id"], f"{saved['claim']} (not a failure; that the data cannot test it "
                                       "is verified by table1_pass)", float(saved["measured"]),
                                       float(saved["tolerance"]), True))
            continue
        measured, tolerance = float(saved["measured"]), float(saved["tolerance"])
        holds = measured <= tolerance if saved["comparison"] == "<=" else measured >= tolerance
        consistent = str(saved["pass"]).lower() == str(bool(holds)).lower()
        results.append(CheckResult(saved["id"], saved["claim"], measured, tolerance, bool(holds and consistent)))
    covered = {saved["id"].split("_")[0].rstrip("abcdefgh") for saved in table}
    missing = [number for number in PAPER_CLAIMS if number not in covered]
    results.append(CheckResult("all_claims_present", f"Table 1 has a row for claims {', '.join(PAPER_CLAIMS)}"
                               f" (missing: {', '.join(missing) or 'none'})", float(len(missing)), 0.0, not missing))
    return results
