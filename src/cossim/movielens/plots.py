"""Figures of the MovieLens study: Figure 1 with a genre-overlap first panel, and the D sweep.

Drawn by rules (never by the notebook); saved with :func:`cossim.io.save_figure_atomic`.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ..model.panels import MODEL_PANELS, PANELS, colour_levels  # noqa: E402
from ..plotting import rocket_colormap  # noqa: E402

GENRE_TITLE = "Genre overlap (Jaccard)"


def draw_genre_figure1(matrices: dict, overlap: np.ndarray, colour_range):
    """Figure 1's layout on MovieLens: genre overlap, then the four model panels, in display order.

    Parameters
    ----------
    matrices : dict
        Figure 1's matrices (``figure1.npz``): the keys of :data:`MODEL_PANELS`, each (p, p), and
        ``order`` (p,).
    overlap : ndarray, shape (p, p)
        Genre Jaccard overlap of the items in item order (reordered here by ``order``).
    colour_range : (float, float) or None
        Of the model panels (None: each autoscaled); the overlap is drawn on [0, 1].

    Returns
    -------
    matplotlib.figure.Figure
    """
    order = matrices["order"]
    titles = {panel.key: panel.title for panel in PANELS}
    fig, axes = plt.subplots(1, 5, figsize=(20, 4.4))
    shown = [(GENRE_TITLE, colour_levels(overlap[np.ix_(order, order)], (0.0, 1.0)))]
    shown += [(titles[key], colour_levels(matrices[key], colour_range)) for key in MODEL_PANELS]
    for axis, (title, levels) in zip(axes, shown):
        axis.imshow(levels, cmap=rocket_colormap(), vmin=0.0, vmax=1.0, interpolation="nearest")
        axis.set_title(title, fontsize=10)
        axis.set_xticks([])
        axis.set_yticks([])
    fig.tight_layout()
    return fig


def draw_sweep(d_sweep: list[dict], remedies: list[dict], recovery: list[dict]):
    """Left: AUC against genres along both Eq. 3 families and under random D; right: the remedies.

    Parameters
    ----------
    d_sweep : list of dict
        Rows of ``movielens_d_sweep.csv`` (numbers as floats).
    remedies : list of dict
        Rows of ``movielens_remedies.csv``.
    recovery : list of dict
        Rows of ``movielens_recovery.csv`` (Eq. 2's unique panel is drawn as a line).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2))
    for family, label in (("sigma_power", "B = V_k dMat(sigma^t)"), ("shrinkage_power", "B = V_k dMat(g^t)")):
        rows = [row for row in d_sweep if row["family"] == family]
        left.plot([row["t"] for row in rows], [row["auc"] for row in rows], marker="o", label=label)
    random_auc = [row["auc"] for row in d_sweep if row["family"] == "random_d"]
    if random_auc:
        left.axhspan(min(random_auc), max(random_auc), color="grey", alpha=0.25, label="random D (range)")
    eq2 = next(row for row in recovery if row["panel"] == "eq2_unique")
    left.axhline(eq2["auc"], color="black", linestyle="--", label="Eq. 2 unique")
    left.set_xlabel("exponent t")
    left.set_ylabel("pair AUC against genres")
    left.legend(fontsize=8)
    positions = np.arange(len(remedies))
    auc = np.array([row["auc"] for row in remedies])
    low = auc - np.array([row["auc_min"] for row in remedies])
    high = np.array([row["auc_max"] for row in remedies]) - auc
    right.barh(positions, auc, xerr=[low, high], color="#b5476b", capsize=3)
    right.set_yticks(positions, [row["approach"] for row in remedies], fontsize=8)
    right.set_xlim(min(0.5, float(np.min(auc - low)) - 0.01), float(np.max(auc + high)) + 0.01)
    right.set_xlabel("AUC at D = I (bars: range under random D)")
    fig.tight_layout()
    return fig
