"""The fidelity figure: published vs ours for the best reading, and the error landscape."""

from __future__ import annotations

import textwrap

import numpy as np

from ..model.panels import MODEL_PANELS
from ..plotting import has_undefined, name_undefined, rocket_colormap
from ..vocabulary import PANEL_NAMES, panel_number
from .grid import shared_choices

__all__ = ["draw_fidelity", "reading_labels"]


def reading_labels(entries: list[dict]) -> tuple[list[str], list[str]]:
    """Short row labels of (reading, colour range) entries: only the choices that differ.

    Parameters
    ----------
    entries : list of dict
        Each with ``reading`` (a reading name) and ``colour_range``.

    Returns
    -------
    labels : list of str
        Per entry, its varying ``label-value`` parts joined by ", ", then `` / `` and the colour
        range (``(all alike)`` when the readings do not differ).
    shared : list of str
        The parts every entry's reading shares, stated once elsewhere.
    """
    shared, varying = shared_choices([entry["reading"] for entry in entries])
    labels = [
        f"{', '.join(parts) or '(all alike)'} / {entry['colour_range']}" for parts, entry in zip(varying, entries)
    ]
    return labels, shared


def draw_fidelity(published: dict, best: dict, averaged: list[dict], goal: float = 0.05, top: int = 15):
    """Draw the fidelity figure.

    Left: the block levels of the four model panels, published (top row) and ours for the best
    reading (bottom row, seed-averaged), in the rocket colour map with the values printed.
    Right, top: every (reading, colour range) as a point, panel 4's error against the mean
    error of panels 2, 3 and 5, with the goal drawn. Right, bottom: each panel's error for the
    ``top`` best readings, labelled by the choices in which they differ (the choices they share
    are named in the title).

    Parameters
    ----------
    published : dict
        :func:`cossim.published.load_published_levels`: ``{panel key: (C, C) colour levels}``.
    best : dict
        The ``best`` entry of ``fidelity_best.json``
        (:func:`cossim.fidelity.ranking.reading_summary`): its ``levels`` (C x C per model panel)
        and ``mean_abs``.
    averaged : list of dict
        ``fidelity_averaged.csv`` (:func:`cossim.fidelity.tables.averaged_rows`), best first:
        ``reading``, ``colour_range`` and ``<panel>_mean_abs`` per model panel.
    goal : float
        Mean absolute error drawn as the goal in the landscape.
    top : int
        How many of the best entries the error table shows.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    cmap = rocket_colormap()
    titles = {key: PANEL_NAMES[key].replace(": ", "\n", 1) for key in MODEL_PANELS}
    error = [{key: entry[f"{key}_mean_abs"] for key in MODEL_PANELS} for entry in averaged]
    fig = plt.figure(figsize=(18, 8), layout="constrained")
    undefined = False
    grid = fig.add_gridspec(2, 6, width_ratios=[1, 1, 1, 1, 1.6, 1.6])
    for column, key in enumerate(MODEL_PANELS):
        for row, (label, levels) in enumerate((("published", published[key]), ("ours", best["levels"][key]))):
            ax = fig.add_subplot(grid[row, column])
            levels = np.asarray(levels, dtype=float)
            ax.imshow(levels, cmap=cmap, vmin=0.0, vmax=1.0)
            undefined = undefined or has_undefined(levels)
            for (r, c), value in np.ndenumerate(levels):
                if not np.isnan(value):  # an undefined level is its grey cell, no number
                    ax.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=6,
                            color="black" if value > 0.6 else "white")
            ax.set_xticks([])
            ax.set_yticks([])
            if row == 0:
                ax.set_title(titles[key], fontsize=9)
            else:
                ax.set_title(f"mean |error| {best['mean_abs'][key]:.3f}", fontsize=8)
            if column == 0:
                ax.set_ylabel(label)
    scatter = fig.add_subplot(grid[0, 4:])
    others = [k for k in MODEL_PANELS if k != "eq1_B_Vk_sigma2"]
    for colour_range, marker in zip(sorted({e["colour_range"] for e in averaged}), "osD^v"):
        members = [i for i, e in enumerate(averaged) if e["colour_range"] == colour_range]
        scatter.scatter([error[i]["eq1_B_Vk_sigma2"] for i in members],
                        [np.mean([error[i][k] for k in others]) for i in members],
                        marker=marker, alpha=0.7, label=f"colour range: {colour_range}")
    scatter.scatter([error[0]["eq1_B_Vk_sigma2"]], [np.mean([error[0][k] for k in others])], s=160,
                    facecolors="none", edgecolors="black", label="best reading")
    scatter.axvline(goal, color="grey", linestyle=":")
    scatter.axhline(goal, color="grey", linestyle=":")
    scatter.set_xlabel(f"{PANEL_NAMES['eq1_B_Vk_sigma2']}: mean |error|")
    scatter.set_ylabel("panels 2, 3, 5: mean of mean |error|")
    scatter.set_xlim(left=0)
    scatter.set_ylim(bottom=0)
    scatter.legend(fontsize=7)
    scatter.set_title(f"error landscape: {len(averaged)} reading x colour range pairs (seed-averaged)", fontsize=9)
    table = fig.add_subplot(grid[1, 4:])
    shown = averaged[:top]
    errors = np.array([[error[i][k] for k in MODEL_PANELS] for i in range(len(shown))])
    table.imshow(errors, cmap="viridis_r", vmin=0.0, vmax=max(0.3, float(np.nanmax(errors))), aspect="auto")
    for (r, c), value in np.ndenumerate(errors):
        table.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=7,
                   color="white" if value > 0.15 else "black")
    labels, shared = reading_labels(shown)
    table.set_xticks(range(len(MODEL_PANELS)), [f"panel {panel_number(key)}" for key in MODEL_PANELS], fontsize=8)
    table.set_yticks(range(len(shown)), labels, fontsize=7)
    title = f"mean |error| per panel, best {len(shown)}" + (f"; all have {', '.join(shared)}" if shared else "")
    table.set_title(textwrap.fill(title, 90), fontsize=9)
    if undefined:
        name_undefined(fig, "grey: undefined (no defined cosine in the block)", size=9)
    return fig
