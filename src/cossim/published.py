"""The published Figure 1, digitised, and how a replication's panels are compared with it.

The published figure is digitised as colour levels (positions in the rocket colour map, dark = 0,
cream = 1), averaged per cluster x cluster block with the diagonal line excluded
(``data/figure1_published_block_levels.csv``; see ``docs/paper.md``). Our panels are encoded the
same way (:func:`model_block_levels`) and scored by their absolute differences
(:func:`score_panel`). :func:`check_qualitative_pattern` states the figure's qualitative message.
Shared by the Figure 1 and fidelity studies.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np

from .checking import CheckResult, at_least
from .model.panels import MODEL_PANELS, block_means, colour_levels


def load_published_levels(path) -> dict[str, np.ndarray]:
    """The digitised published Figure 1: ``{panel key: (C, C) array of colour levels}``.

    The CSV has columns panel, row_cluster, col_cluster (1-based, display order), colour_level.

    Parameters
    ----------
    path : str or Path
        ``data/figure1_published_block_levels.csv``.

    Returns
    -------
    dict of str to ndarray, each of shape (C, C)
        NaN for a block missing from the file.
    """
    entries: dict[str, dict[tuple[int, int], float]] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cell = (int(row["row_cluster"]) - 1, int(row["col_cluster"]) - 1)
            entries.setdefault(row["panel"], {})[cell] = float(row["colour_level"])
    levels = {}
    for panel, cells in entries.items():
        size = max(max(cell) for cell in cells) + 1
        matrix = np.full((size, size), np.nan)
        for (r, c), value in cells.items():
            matrix[r, c] = value
        levels[panel] = matrix
    return levels


def model_block_levels(panels: dict, sorted_clusters: np.ndarray, colour_range) -> dict[str, np.ndarray]:
    """Block levels of the four model panels, encoded as the published figure is.

    Each panel's cosines are mapped to colour levels (:func:`cossim.model.panels.colour_levels`:
    fixed range with clipping, or ``None`` for per-panel autoscale), then averaged per cluster
    block with the diagonal excluded (:func:`cossim.model.panels.block_means`).

    Parameters
    ----------
    panels : dict of str to ndarray, each of shape (p, p)
        Figure 1's matrices in display order (:func:`cossim.model.panels.figure1_panels`).
    sorted_clusters : ndarray of int, shape (p,)
        The cluster of each display position.
    colour_range : (float, float) or None

    Returns
    -------
    dict of str to ndarray, each of shape (C', C')
        Keyed by :data:`cossim.model.panels.MODEL_PANELS`.
    """
    return {key: block_means(colour_levels(panels[key], colour_range), sorted_clusters) for key in MODEL_PANELS}


@dataclass(frozen=True)
class PanelScore:
    """Absolute block-level errors of one panel: their mean and their maximum.

    Both are NaN if the block grids differ in shape (e.g. a cluster drew no item).

    Attributes
    ----------
    mean_abs, worst_abs : float
    """

    mean_abs: float
    worst_abs: float


def score_panel(ours: np.ndarray, published: np.ndarray) -> PanelScore:
    """Mean and worst absolute difference between two block-level grids.

    Parameters
    ----------
    ours, published : ndarray, shape (C, C)

    Returns
    -------
    PanelScore
        NaN in both fields if the shapes differ.
    """
    ours, published = np.asarray(ours, dtype=float), np.asarray(published, dtype=float)
    if ours.shape != published.shape:
        return PanelScore(float("nan"), float("nan"))
    error = np.abs(ours - published)
    return PanelScore(float(np.mean(error)), float(np.max(error)))


def score_levels(ours: dict, published: dict, keys=MODEL_PANELS) -> dict[str, PanelScore]:
    """:func:`score_panel` for each panel key.

    Parameters
    ----------
    ours, published : dict of str to ndarray, each of shape (C, C)
    keys : iterable of str
        Panel keys to score (default: the four model panels).

    Returns
    -------
    dict of str to PanelScore
    """
    return {key: score_panel(ours[key], published[key]) for key in keys}


def overall_score(scores: dict[str, PanelScore], keys=None) -> float:
    """The ranking score of a reading: the mean of the panels' mean absolute errors.

    The mean is over the panels ``keys`` (default: all scored panels).

    Parameters
    ----------
    scores : dict of str to PanelScore
    keys : list of str, optional

    Returns
    -------
    float
    """
    keys = list(scores) if keys is None else keys
    return float(np.mean([scores[key].mean_abs for key in keys]))


def block_level_summary(levels: np.ndarray, large: int = 3) -> dict:
    """Mean block level within the ``large`` first clusters, between them, and within the rest.

    The published figure is summarised this way (docs/paper.md): three large clusters
    followed by small ones.

    Parameters
    ----------
    levels : ndarray, shape (C, C)
        Block levels in display order.
    large : int
        Number of leading (large) clusters.

    Returns
    -------
    dict
        Floats ``within_large``, ``between_large`` and ``within_small`` (NaN when undefined).
    """
    big = levels[:large, :large]
    off_diagonal = ~np.eye(big.shape[0], dtype=bool)
    return {
        "within_large": float(np.nanmean(np.diag(big))),
        "between_large": float(big[off_diagonal].mean()) if big.shape[0] > 1 else float("nan"),
        "within_small": float(np.nanmean(np.diag(levels)[large:])) if levels.shape[0] > large else float("nan"),
    }


def block_contrast(matrix: np.ndarray, sorted_clusters: np.ndarray) -> tuple[float, float]:
    """Mean within-cluster (off the diagonal) and mean between-cluster value of a panel.

    Parameters
    ----------
    matrix : ndarray, shape (p, p)
        A panel in display order.
    sorted_clusters : ndarray of int, shape (p,)

    Returns
    -------
    within, between : float
    """
    levels = block_means(matrix, sorted_clusters)
    within = np.nanmean(np.diag(levels))
    between = levels[~np.eye(levels.shape[0], dtype=bool)].mean() if levels.shape[0] > 1 else np.nan
    return float(within), float(between)


def check_qualitative_pattern(saved: dict, item_cluster: np.ndarray) -> list[CheckResult]:
    """The published pattern of Figure 1 (Section 4), as three checks.

    Clear blocks for Eq. 5, faint blocks for ``B = V_k``, merged high similarity for Eq. 2.

    Parameters
    ----------
    saved : dict of str to ndarray
        Figure 1's panels, each of shape (p, p), and ``order``, shape (p,).
    item_cluster : ndarray of int, shape (p,)
        c_i, indexed by item (not display position).

    Returns
    -------
    list of CheckResult
    """
    sorted_clusters = item_cluster[saved["order"]]
    contrast = {}
    for key in ("eq1_B_Vk_g_half", "eq1_B_Vk", "eq2_unique"):
        within, between = block_contrast(saved[key], sorted_clusters)
        contrast[key] = (within, between, within - between)
    return [
        at_least("eq5_blocks_clear", "panel 2: within-cluster minus between-cluster cosine >= 0.2",
                 contrast["eq1_B_Vk_g_half"][2], 0.2),
        at_least("case_a_blocks_fainter", "panel 3 block contrast is positive but below panel 2's: (p2 - p3) contrast",
                 min(contrast["eq1_B_Vk_g_half"][2] - contrast["eq1_B_Vk"][2], contrast["eq1_B_Vk"][2]), 0.0),
        at_least("eq2_merged_high", "panel 5: between-cluster cosine exceeds panel 2's by >= 0.3",
                 contrast["eq2_unique"][1] - contrast["eq1_B_Vk_g_half"][1], 0.3),
    ]


