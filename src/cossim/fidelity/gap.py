"""How far a reading trails the best: the gap in standard errors of Welch's t-test.

With few seeds the top of the ranking is ordered partly by chance, so the default's gap to the best
is measured in standard errors of the difference of the two seed means, with a one-sided Welch
t-test (:func:`welch_test`, :func:`gap_to_best`).
"""

from __future__ import annotations

import numpy as np
from scipy.stats import ttest_ind

__all__ = ["gap_to_best", "seed_scores", "welch_test"]


def seed_scores(rows: list[dict], reading: str, colour_range: str) -> np.ndarray:
    """The ranking score ``overall`` of one reading under one colour range, one per seed.

    Returns
    -------
    ndarray, shape (n_seeds,)
        In table order.
    """
    return np.array([float(r["overall"]) for r in rows if (r["reading"], r["colour_range"]) == (reading, colour_range)])


def welch_test(mine: np.ndarray, theirs: np.ndarray):
    """Welch's t-test that ``mine`` has the larger mean (one-sided, unequal variances).

    Parameters
    ----------
    mine, theirs : ndarray, shape (n,) and (m,)
        Per-seed ranking scores of two readings (lower is better), n, m >= 2.

    Returns
    -------
    scipy.stats._result_classes.TtestResult
        ``scipy.stats.ttest_ind(mine, theirs, equal_var=False, alternative="greater")``:
        ``statistic`` (the difference of the means in standard errors), ``df`` (Welch-Satterthwaite
        degrees of freedom) and ``pvalue``; ``mine`` trails ``theirs`` significantly at confidence
        c when ``pvalue < 1 - c``, i.e. when ``statistic`` exceeds the Student t quantile
        ``t.ppf(c, df)``.
    """
    return ttest_ind(mine, theirs, equal_var=False, alternative="greater")


def gap_to_best(ranking: list[dict], place: int, rows: list[dict]) -> dict:
    """How far the reading at ``place`` of ``ranking`` trails the best.

    With few seeds the top of the ranking is ordered partly by chance (each seed draws the
    cluster exponents beta_c anew); a gap within the Student t quantile of Welch's test (about two
    standard errors with many seeds, far more with two) is no evidence that the better-ranked
    reading is better.

    Parameters
    ----------
    ranking : list of dict
        ``reading``, ``colour_range`` and ``overall`` (seed mean), best first.
    place : int
        1-based place in ``ranking``.
    rows : list of dict
        Rows of ``fidelity.csv``: the per-seed scores (:func:`seed_scores`).

    Returns
    -------
    dict
        ``gap`` (score difference of the seed means); ``standard_error`` (Welch's: the square root
        of the sum of the two readings' own seed variances over their seed counts; None unless
        both have at least two seeds); ``degrees_of_freedom`` (Welch-Satterthwaite, from
        :func:`welch_test`; None unless the standard error is positive) and
        ``gap_in_standard_errors`` (``gap / standard_error``, Welch's t statistic; None without a
        positive standard error).
    """
    entry, best = ranking[place - 1], ranking[0]
    mine = seed_scores(rows, entry["reading"], entry["colour_range"])
    theirs = seed_scores(rows, best["reading"], best["colour_range"])
    gap = float(entry["overall"] - best["overall"])
    standard_error = degrees_of_freedom = None
    if mine.size > 1 and theirs.size > 1:
        standard_error = float(np.sqrt(mine.var(ddof=1) / mine.size + theirs.var(ddof=1) / theirs.size))
        if standard_error > 0:
            degrees_of_freedom = float(welch_test(mine, theirs).df)
    return {
        "gap": gap,
        "standard_error": standard_error,
        "degrees_of_freedom": degrees_of_freedom,
        "gap_in_standard_errors": gap / standard_error if standard_error else None,
    }
