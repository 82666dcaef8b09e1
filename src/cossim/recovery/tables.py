"""Tables 3 and 4 from the per-seed results: stacked over seeds, one row per seed and summary rows.

Each table has one row per panel (Table 3) or approach (Table 4) and seed, plus the rows ``mean``,
``ci95_low`` and ``ci95_high`` over the seeds (:func:`cossim.recovery.scores.mean_and_interval`).
"""

from __future__ import annotations

import numpy as np

from .scores import mean_and_interval, score_names
from .study import REMEDIES, TABLE3_LABELS, TABLE3_PANELS


def summary_rows(key_column: str, key: str, label: str, values: np.ndarray, columns: tuple, seeds) -> list[dict]:
    """One row per seed (``statistic = value``) and the rows ``mean``, ``ci95_low``, ``ci95_high``.

    Parameters
    ----------
    key_column : str
        Name of the key column (``panel`` or ``method``).
    key, label : str
        The row's key and its description.
    values : ndarray, shape (n_seeds, len(columns))
    columns : tuple of str
    seeds : sequence of int, length n_seeds

    Returns
    -------
    list of dict
        n_seeds + 3 rows (summary rows have ``seed = "all"``).
    """
    rows = [
        {key_column: key, "label": label, "seed": int(seed), "statistic": "value", **dict(zip(columns, row))}
        for seed, row in zip(seeds, values)
    ]
    mean, low, high = mean_and_interval(values)
    for statistic, row in (("mean", mean), ("ci95_low", low), ("ci95_high", high)):
        rows.append({key_column: key, "label": label, "seed": "all", "statistic": statistic, **dict(zip(columns, row))})
    return rows


def table3_rows(panels: np.ndarray, seeds, k: int = 10) -> tuple[list[str], list[dict]]:
    """Table 3: cluster recovery of each Figure 1 panel, per seed and summarised.

    Parameters
    ----------
    panels : ndarray, shape (n_seeds, len(TABLE3_PANELS), 3)
    seeds : sequence of int, length n_seeds
    k : int
        k of precision@k.

    Returns
    -------
    columns : list of str
    rows : list of dict
        ``len(TABLE3_PANELS) * (n_seeds + 3)`` rows.
    """
    names = score_names(k)
    rows = []
    for p, key in enumerate(TABLE3_PANELS):
        rows += summary_rows("panel", key, TABLE3_LABELS[key], panels[:, p, :], names, seeds)
    return ["panel", "label", "seed", "statistic", *names], rows


def spread_over_d(scores: np.ndarray) -> np.ndarray:
    """Largest minus smallest score over the D axis (axis -2), the D-dependence of a method.

    Parameters
    ----------
    scores : ndarray, shape (..., n_d, n_scores)

    Returns
    -------
    ndarray, shape (..., n_scores)
    """
    return scores.max(axis=-2) - scores.min(axis=-2)


def table4_rows(remedies: np.ndarray, seeds, k: int = 10) -> tuple[list[str], list[dict]]:
    """Table 4: each approach's scores at D = I and their range over random D, per seed and summarised.

    Parameters
    ----------
    remedies : ndarray, shape (n_seeds, len(REMEDIES), 1 + n_d, 3)
        Column 0 of axis 2 is D = I.
    seeds : sequence of int, length n_seeds
    k : int
        k of precision@k.

    Returns
    -------
    columns : list of str
    rows : list of dict
        ``len(REMEDIES) * (n_seeds + 3)`` rows.
    """
    names = score_names(k)
    range_names = tuple(f"{name}_range_over_d" for name in names)
    extreme_names = ("auc_min_over_d", "auc_max_over_d")
    columns = names + range_names + extreme_names
    rows = []
    for m, (key, label) in enumerate(REMEDIES):
        scores = remedies[:, m]
        values = np.hstack([scores[:, 0, :], spread_over_d(scores), scores[:, :, 0].min(axis=1, keepdims=True),
                            scores[:, :, 0].max(axis=1, keepdims=True)])
        rows += summary_rows("method", key, label, values, columns, seeds)
    return ["method", "label", "seed", "statistic", *columns], rows


def stack_seed_studies(paths) -> dict:
    """Stack the arrays of several :func:`seed_study` files along a new first axis (one per seed).

    Parameters
    ----------
    paths : sequence of path-like
        One ``scores.npz`` per seed, in seed order.

    Returns
    -------
    dict of ndarrays
        Each array of :func:`seed_study` with a leading axis of length ``len(paths)``; ``exponents``,
        the same for every seed, is kept once.
    """
    studies = []
    for path in paths:
        with np.load(path) as stored:
            studies.append(dict(stored))
    stacked = {key: np.stack([study[key] for study in studies]) for key in studies[0] if key != "exponents"}
    stacked["exponents"] = studies[0]["exponents"]
    return stacked
