"""A row of Table 1: one measured claim, the bound it must meet and its verdict; the tolerances.

Every tolerance is relative unless stated. Rounding in float64 is about 1e-16; the bounds leave
room for the accumulated rounding of p x p products, and a wrong formula misses them by many
orders of magnitude (see tests/test_claims.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..checking import CheckResult

__all__ = [
    "ROUNDING",
    "GRADIENT",
    "OBJECTIVE_SLACK",
    "MATERIAL_CHANGE",
    "NOT_TESTABLE",
    "ClaimRow",
    "row",
    "untestable",
]

ROUNDING = 1e-10
"""Largest difference allowed between two quantities the paper says are equal."""
GRADIENT = 1e-8
"""Largest gradient norm at a claimed optimum, relative to ``||G||_F (1 + ||A||_F ||B||_F)``."""
OBJECTIVE_SLACK = 1e-12
"""Largest relative improvement over a claimed optimum that is still counted as rounding."""
MATERIAL_CHANGE = 1e-3
"""Smallest change that counts as "changes" (far above rounding, far below the changes seen)."""
NOT_TESTABLE = "not testable"
"""The ``pass`` cell of a claim the data cannot test (e.g. claim 8 when Eq. 2 zeroes no dimension):
neither a pass nor a failure; rule check_claims verifies against the data that it is untestable."""


@dataclass(frozen=True)
class ClaimRow:
    """One row of Table 1.

    Attributes
    ----------
    id : str
        Short name starting with the claim's number, e.g. ``"3c_eq1_item_cosine_changes_under_D"``.
    where : str
        Where the paper states it (section and equations).
    claim : str
        The claim in one line.
    data : str
        The data and rank it was measured on.
    quantity : str
        What ``measured`` is.
    measured : float
        The measured quantity.
    comparison : {"<=", ">="}
        How ``measured`` is compared with ``tolerance``.
    tolerance : float
        The bound ``measured`` must meet.
    passed : bool
        The verdict (False for an untestable claim, whose ``pass`` cell is :data:`NOT_TESTABLE`).
    testable : bool
        False when the data cannot test the claim; the claim text says why.
    """

    id: str
    where: str
    claim: str
    data: str
    quantity: str
    measured: float
    comparison: str
    tolerance: float
    passed: bool
    testable: bool = True

    @property
    def verdict(self) -> str:
        """``PASS``, ``FAIL`` or ``NOT TESTABLE`` (for logs)."""
        return ("PASS" if self.passed else "FAIL") if self.testable else NOT_TESTABLE.upper()

    def as_dict(self) -> dict:
        """CSV-ready form (``pass`` as the column name of the verdict: a bool, or :data:`NOT_TESTABLE`)."""
        row = asdict(self)
        testable = row.pop("testable")
        row["pass"] = row.pop("passed") if testable else NOT_TESTABLE
        return row

    def as_check(self) -> CheckResult:
        """The row as a :class:`cossim.checking.CheckResult` (for ``raise_on_failure``); an untestable
        claim is no failure."""
        if not self.testable:
            return CheckResult(self.id, f"{self.claim} (not a failure)", self.measured, self.tolerance, True)
        return CheckResult(self.id, self.claim, self.measured, self.tolerance, self.passed)


def row(id, where, claim, data, quantity, measured, comparison, tolerance) -> ClaimRow:
    """Build a row and judge it.

    Parameters
    ----------
    id, where, claim, data, quantity : str
        As in :class:`ClaimRow`.
    measured, tolerance : float
        The measurement and its bound.
    comparison : {"<=", ">="}
        ``measured <= tolerance`` or ``measured >= tolerance`` passes; NaN always fails.

    Returns
    -------
    ClaimRow
    """
    measured, tolerance = float(measured), float(tolerance)
    passed = measured <= tolerance if comparison == "<=" else measured >= tolerance
    return ClaimRow(id, where, claim, data, quantity, measured, comparison, tolerance, bool(passed))


def untestable(id, where, claim, data, quantity, measured, comparison, tolerance) -> ClaimRow:
    """A row for a claim the data cannot test: ``claim`` says "not testable here" and why.

    Parameters
    ----------
    id, where, claim, data, quantity, comparison : str
        As in :class:`ClaimRow`; ``claim`` contains "not testable here" and the reason.
    measured, tolerance : float
        What shows it untestable (e.g. 0 dimensions to test, of at least 1 needed).

    Returns
    -------
    ClaimRow
        ``passed`` False, ``testable`` False.
    """
    if "not testable here" not in claim:
        raise ValueError(f"an untestable claim's text must say 'not testable here' and why: {claim!r}")
    return ClaimRow(id, where, claim, data, quantity, float(measured), comparison, float(tolerance), False, False)
