"""The MovieLens study's tables: recovery against genres with bootstrap intervals, the remedies,
the D sweep, the data's facts and the comparison of the two binarisations.

Every row is a plain dict of the arrays of :func:`cossim.movielens.recovery.recovery_study` and
:func:`~cossim.movielens.recovery.bootstrap_panels`; rule check_movielens rebuilds each one.
"""

from __future__ import annotations

import numpy as np

from ..recovery.dsweep import FAMILIES
from ..recovery.study import REMEDIES, TABLE3_LABELS, TABLE3_PANELS
from .recovery import bootstrap_interval

SCORES = ("auc", "precision", "spearman")
"""The three scores, in the order of :func:`cossim.recovery.scores.score_vector`."""


def recovery_rows(panels: np.ndarray, replicates: np.ndarray) -> list[dict]:
    """Table 3 on MovieLens: each panel's scores against genres, with 95 % bootstrap intervals.

    Parameters
    ----------
    panels : ndarray, shape (len(TABLE3_PANELS), 3)
        Scores on the data.
    replicates : ndarray, shape (B, len(TABLE3_PANELS), 3)
        Scores on the bootstrap replicates of the users.

    Returns
    -------
    list of dict
        Keys ``panel, label`` and, per score s, ``s, s_low, s_high`` (estimate -/+ 1.96 sd of the
        replicates), then ``replicates``.
    """
    low, high = bootstrap_interval(panels, replicates)
    rows = []
    for p, key in enumerate(TABLE3_PANELS):
        row = {"panel": key, "label": TABLE3_LABELS[key]}
        for s, score in enumerate(SCORES):
            row.update({score: float(panels[p, s]), f"{score}_low": float(low[p, s]), f"{score}_high": float(high[p, s])})
        row["replicates"] = int(replicates.shape[0])
        rows.append(row)
    return rows


def remedy_rows(remedies: np.ndarray) -> list[dict]:
    """Table 4 on MovieLens: each approach's AUC and precision at D = I and their range under random D.

    Parameters
    ----------
    remedies : ndarray, shape (len(REMEDIES), 1 + n_d, 3)
        Column 0 at D = I, the others under the random diagonals.

    Returns
    -------
    list of dict
        Keys ``approach, label, auc, auc_min, auc_max, auc_spread, precision, precision_spread``
        (min, max and spread over D = I and every random D).
    """
    rows = []
    for r, (key, label) in enumerate(REMEDIES):
        auc, precision = remedies[r, :, 0], remedies[r, :, 1]
        rows.append({
            "approach": key,
            "label": label,
            "auc": float(auc[0]),
            "auc_min": float(auc.min()),
            "auc_max": float(auc.max()),
            "auc_spread": float(auc.max() - auc.min()),
            "precision": float(precision[0]),
            "precision_spread": float(precision.max() - precision.min()),
        })
    return rows


def d_sweep_rows(exponents: np.ndarray, families: np.ndarray, random_d: np.ndarray) -> list[dict]:
    """The D sweep on MovieLens: AUC and precision along both families of Eq. 3 re-scalings, then
    under each random D.

    Parameters
    ----------
    exponents : ndarray, shape (steps,)
    families : ndarray, shape (len(FAMILIES), steps, 3)
    random_d : ndarray, shape (n_d, 3)

    Returns
    -------
    list of dict
        Keys ``family, t, auc, precision``; the random draws have family ``random_d`` and t the
        draw's index.
    """
    rows = [
        {"family": family, "t": float(t), "auc": float(families[f, j, 0]), "precision": float(families[f, j, 1])}
        for f, family in enumerate(FAMILIES)
        for j, t in enumerate(exponents)
    ]
    rows += [{"family": "random_d", "t": float(j), "auc": float(scores[0]), "precision": float(scores[1])}
             for j, scores in enumerate(random_d)]
    return rows


def study_facts(dataset: str, min_rating: float, shape: tuple, interactions: int, recovery_shape: tuple,
                study: dict, suggested: tuple, genres: int) -> dict:
    """The data's facts and the study's summary numbers (``movielens_facts.json``).

    Parameters
    ----------
    dataset : str
    min_rating : float
    shape : (int, int)
        (n, p) of the data set's X.
    interactions : int
        Non-zeros of X.
    recovery_shape : (int, int)
        (n, p) of the recovery study's X.
    study : dict
        :func:`~cossim.movielens.recovery.recovery_study`'s arrays.
    suggested : (float, float)
        The rule's lambdas on the data set's X.
    genres : int
        Genres of the ground truth.

    Returns
    -------
    dict
    """
    shift = study["cosine_shift"]
    random_auc = study["random_d"][:, 0]
    return {
        "dataset": dataset,
        "min_rating": float(min_rating),
        "n_users": int(shape[0]),
        "n_items": int(shape[1]),
        "interactions": int(interactions),
        "density": interactions / (shape[0] * shape[1]),
        "genres": int(genres),
        "suggested_eq1_lambda": float(suggested[0]),
        "suggested_eq2_lambda": float(suggested[1]),
        "recovery_users": int(recovery_shape[0]),
        "recovery_items": int(recovery_shape[1]),
        "recovery_eq1_lambda": float(study["lambdas"][0]),
        "recovery_eq2_lambda": float(study["lambdas"][1]),
        "share_same_genre": float(study["share_same"]),
        "d_mean_cosine_change": float(shift[:, 0].mean()),
        "d_max_cosine_change": float(shift[:, 1].max()),
        "random_d_auc_min": float(random_auc.min()),
        "random_d_auc_max": float(random_auc.max()),
    }


def binarisation_rows(tables: dict) -> list[dict]:
    """Both binarisations side by side: each panel's AUC with its interval, and whether they differ.

    Parameters
    ----------
    tables : dict of str to list of dict
        ``{dataset: recovery_rows(...)}`` for the binarisations, in display order.

    Returns
    -------
    list of dict
        Per panel: ``panel, label``, ``auc_<dataset>``, ``auc_low_<dataset>``, ``auc_high_<dataset>``
        for each data set, and ``intervals_overlap`` (``"yes"``/``"no"``) of the first two.
    """
    names = list(tables)
    rows = []
    for index, first in enumerate(tables[names[0]]):
        row = {"panel": first["panel"], "label": first["label"]}
        for name in names:
            other = tables[name][index]
            if other["panel"] != first["panel"]:
                raise ValueError(f"{name}: panel {other['panel']} where {first['panel']} was expected")
            row.update({f"auc_{name}": other["auc"], f"auc_low_{name}": other["auc_low"],
                        f"auc_high_{name}": other["auc_high"]})
        if len(names) > 1:
            a, b = tables[names[0]][index], tables[names[1]][index]
            row["intervals_overlap"] = "yes" if a["auc_low"] <= b["auc_high"] and b["auc_low"] <= a["auc_high"] else "no"
        rows.append(row)
    return rows


def numeric_rows(rows: list[dict]) -> list[dict]:
    """Rows read by :func:`cossim.io.load_table_csv` with every cell that is a number as a float.

    Parameters
    ----------
    rows : list of dict of str to str

    Returns
    -------
    list of dict
    """
    out = []
    for row in rows:
        converted = {}
        for key, value in row.items():
            try:
                converted[key] = float(value)
            except ValueError:
                converted[key] = value
        out.append(converted)
    return out
