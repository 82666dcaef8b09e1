"""Undefined cosines in Figure 1: NaN exactly for the items without interactions (rule ``check_figure1``).

An item no user chose has a zero column of X, so ``X^T X e_i = 0``: its row of ``V_k`` and of every
B is zero, and its cosine with any item, itself included, is undefined (Eq. 4 divides by its
length). Which items those are is decided here from the interactions alone, not from the fits.
"""

from __future__ import annotations

from ..checking import CheckResult, at_most
from ..model.panels import MODEL_PANELS
from ..model.similarity import items_without_interactions, misplaced_undefined


def check_undefined_cosines(saved: dict, X) -> list[CheckResult]:
    """Every model panel holds NaN exactly in the rows and columns of the items without interactions.

    An item no user chose has a zero column of X, so ``X^T X e_i = 0``, its row of ``V_k`` and of
    every B is zero, and its cosine with any item, itself included, is undefined (Eq. 4 divides by
    its length). Per panel, the count of finite entries in those rows and columns plus the count
    of non-finite entries elsewhere must be 0.

    Parameters
    ----------
    saved : dict
        Figure 1's matrices in display order (``{panel key: (p, p)}``) and ``order``, shape (p,).
    X : scipy.sparse matrix or ndarray, shape (n, p)
        The interactions.

    Returns
    -------
    list of CheckResult
        One per model panel present, named ``<panel>_undefined_exactly_for_empty_items``.
    """
    empty = items_without_interactions(X)[saved["order"]]
    results = []
    for key in (key for key in MODEL_PANELS if key in saved):
        matrix = saved[key]
        undefined = empty[:, None] | empty[None, :]
        misplaced = misplaced_undefined(matrix, undefined)
        results.append(at_most(
            f"{key}_undefined_exactly_for_empty_items",
            f"panel {key}: NaN in every row and column of the {int(empty.sum())} items without interactions "
            "and finite elsewhere (count of entries that are not)", float(misplaced), 0.0))
    return results
