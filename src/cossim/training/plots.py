"""The training figure: item-item cosine heatmaps of equally good trained models beside the closed forms."""

from __future__ import annotations

import numpy as np

from ..model.similarity import item_item_cosine
from ..plotting import UNDEFINED_ITEMS, has_undefined, name_undefined, rocket_colormap
from .runs import OPTIMUM_GAP, most_different_pair, objective_runs

__all__ = [
    "OBJECTIVE_NAMES",
    "training_panels",
    "draw_run_pairs",
    "draw_training_figure",
]

OBJECTIVE_NAMES = {"eq1": "Eq. 1", "eq2": "Eq. 2"}


def training_panels(rows: list[dict], runs: dict, optimum_gap: float = OPTIMUM_GAP) -> list[list[tuple[str, np.ndarray]]]:
    """The panels of the training figure: per objective, the closed form and the two runs at the
    optimum whose item-item cosine matrices differ most (:func:`cossim.training.runs.optimal_pairs`).

    Parameters
    ----------
    rows : list of dict
        Table 2 rows (values as numbers or as the strings of the CSV), in the order of ``runs``.
    runs : dict
        The arrays of ``runs.npz``: ``"<objective>_B"`` of shape (runs, p, k),
        ``"<objective>_closed_B"`` of shape (p, k) and the display ``"order"`` of the p items.
    optimum_gap : float
        See :data:`cossim.training.runs.OPTIMUM_GAP`.

    Returns
    -------
    list of list of (str, ndarray of shape (p, p))
        One list per objective (Eq. 1, then Eq. 2): ``(title, cosine matrix)``, items in display
        order (by cluster, then by popularity). Fewer than three panels when fewer than two runs
        reached the optimum.
    """
    order = runs["order"]
    panel_rows = []
    for objective, name in OBJECTIVE_NAMES.items():
        mine, cosines, at_optimum = objective_runs(rows, runs, objective, optimum_gap)
        i, j, _ = most_different_pair(cosines, at_optimum)
        panels = [(f"{name}: closed form", item_item_cosine(runs[f"{objective}_closed_B"][order]))]
        for index in (i, j):
            if index >= 0:
                run = mine[index]
                panels.append((f"{name}: run (scale {float(run['init_scale']):g}, #{int(float(run['run']))}), "
                               f"gap {float(run['objective_gap']):.1e}", cosines[index]))
        panel_rows.append(panels)
    return panel_rows


def draw_run_pairs(panels: list[list[tuple[str, np.ndarray]]]):
    """Item-item cosine heatmaps, one row per objective: ``panels[row] = [(title, matrix), ...]``.

    Colour range [-1, 1] (cosines), the colour map of Figure 1 (seaborn's rocket), no ticks;
    undefined cosines (NaN) in the named grey.

    Parameters
    ----------
    panels : list of list of (str, ndarray of shape (p, p))
        Titles and matrices, e.g. from :func:`training_panels`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    n_rows, n_cols = len(panels), max(len(r) for r in panels)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(3.2 * n_cols, 3.4 * n_rows), layout="constrained", squeeze=False)
    for ax_row, row in zip(axes, panels):
        for ax, (title, matrix) in zip(ax_row, row):
            image = ax.imshow(matrix, cmap=rocket_colormap(), vmin=-1.0, vmax=1.0, interpolation="nearest")
            ax.set_title(title, fontsize=8)
            ax.set_xticks([])
            ax.set_yticks([])
    fig.colorbar(image, ax=axes, fraction=0.02, label="cosine similarity")
    if has_undefined(*(matrix for row in panels for _, matrix in row)):
        name_undefined(fig, UNDEFINED_ITEMS, size=9)
    return fig


def draw_training_figure(rows: list[dict], runs: dict, optimum_gap: float = OPTIMUM_GAP):
    """The training figure (``results/paper/figures/training.png``): :func:`training_panels` drawn by
    :func:`draw_run_pairs`.

    Parameters
    ----------
    rows, runs, optimum_gap
        As in :func:`training_panels`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    return draw_run_pairs(training_panels(rows, runs, optimum_gap))
