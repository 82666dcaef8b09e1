"""Figures of the MovieLens study: Figure 1 with a genre-overlap first panel, and the D sweep.

Drawn by rules (never by the notebook); saved with :func:`cossim.io.save_figure_atomic`.
"""

from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ..figure1.plots import draw_grid  # noqa: E402
from ..model.panels import MODEL_PANELS  # noqa: E402
from ..vocabulary import FAMILY_NAMES, PANEL_NAMES, REMEDY_NAMES, panel_title  # noqa: E402

GENRE_TITLE = "panel 1 on real data:\ngenre overlap (Jaccard)"


def binarisation(min_rating: float) -> str:
    """What counts as an interaction, in words: ``a rating of any value`` or ``a rating of 4 or more``."""
    return "a rating of any value" if min_rating <= 1 else f"a rating of {min_rating:g} or more"


def draw_genre_figure1(matrices: dict, overlap: np.ndarray, colour_range):
    """Figure 1's panels on MovieLens, the first one the films' genre overlap, in display order.

    Parameters
    ----------
    matrices : dict
        Figure 1's matrices (``figure1.npz``): the keys of :data:`MODEL_PANELS`, each (p, p), NaN
        where undefined, and ``order`` (p,).
    overlap : ndarray, shape (p, p)
        Genre Jaccard overlap of the items in item order (reordered here by ``order``), in [0, 1].
    colour_range : (float, float) or None
        Of the model panels (None: each autoscaled); the overlap is drawn on [0, 1] (with None its
        own range, which is [0, 1] too: each film overlaps itself fully, and some pair not at all).

    Returns
    -------
    matplotlib.figure.Figure
    """
    order = matrices["order"]
    shown = [(GENRE_TITLE, overlap[np.ix_(order, order)])]
    shown += [(panel_title(key), matrices[key]) for key in MODEL_PANELS]
    return draw_grid(shown, colour_range, bar_label="cosine similarity (panel 1: genre overlap)")


def draw_sweep(d_sweep: list[dict], remedies: list[dict], recovery: list[dict], title: str = ""):
    """Left: AUC against genres along both Eq. 3 families and under random D; right: the remedies.

    Parameters
    ----------
    d_sweep : list of dict
        Rows of ``movielens_d_sweep.csv`` (numbers as floats).
    remedies : list of dict
        Rows of ``movielens_remedies.csv``.
    recovery : list of dict
        Rows of ``movielens_recovery.csv`` (Eq. 2's unique panel is drawn as a line).
    title : str
        The figure's title: the data set and its binarisation (:func:`binarisation`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8), layout="constrained")
    for family in FAMILY_NAMES:
        rows = [row for row in d_sweep if row["family"] == family]
        left.plot([row["t"] for row in rows], [row["auc"] for row in rows], marker="o", label=FAMILY_NAMES[family])
    random_auc = [row["auc"] for row in d_sweep if row["family"] == "random_d"]
    if random_auc:
        left.axhspan(min(random_auc), max(random_auc), color="grey", alpha=0.25, label="random D (range)")
    eq2 = next(row for row in recovery if row["panel"] == "eq2_unique")
    left.axhline(eq2["auc"], color="black", linestyle="--", label=PANEL_NAMES["eq2_unique"])
    left.set_xlabel("exponent t")
    left.set_ylabel("pair AUC against genres")
    left.legend(fontsize=8)
    positions = np.arange(len(remedies))
    auc = np.array([row["auc"] for row in remedies])
    low = auc - np.array([row["auc_min"] for row in remedies])
    high = np.array([row["auc_max"] for row in remedies]) - auc
    right.barh(positions, auc, xerr=[low, high], color="#b5476b", capsize=3)
    names = [textwrap.fill(REMEDY_NAMES.get(row["approach"], row["approach"]), 44) for row in remedies]
    right.set_yticks(positions, names, fontsize=7)
    right.set_xlim(min(0.5, float(np.min(auc - low)) - 0.01), float(np.max(auc + high)) + 0.01)
    right.set_xlabel("AUC at D = I (bars: range under random D)")
    if title:
        fig.suptitle(title, fontsize=12)
    return fig
