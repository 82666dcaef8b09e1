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
    "ClaimRow",
    "row",
]

ROUNDING = 1e-10
"""Largest difference allowed between two quantities the paper says are equal."""
GRADIENT = 1e-8
"""Largest gradient norm at a claimed optimum, relative to ``||G||_F (1 + ||A||_F ||B||_F)``."""
OBJECTIVE_SLACK = 1e-12
"""Largest relative improvement over a claimed optimum that is still counted as rounding."""
MATERIAL_CHANGE = 1e-3
"""Smallest change that counts as "changes" (far above rounding, far below the changes seen)."""


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
        The verdict.
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

    def as_dict(self) -> dict:
        """CSV-ready form (``pass`` as the column name of the verdict)."""
        row = asdict(self)
        row["pass"] = row.pop("passed")
        return row

    def as_check(self) -> CheckResult:
        """The row as a :class:`cossim.checking.CheckResult` (for ``raise_on_failure``)."""
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
