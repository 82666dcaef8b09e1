"""Drawing Figure 1: the paper's five heatmaps, in two rows of three so that a reader can read them.

The paper prints one row of five panels, titled by formulas. Shown at a README's width (830 px),
one row of five makes each 1000 x 1000 panel about 150 px wide and needs 18 pt titles to be
legible; two rows of three give each panel about 250 px and legible titles at
:data:`FIGURE_WIDTH` inches and :data:`cossim.plotting.TITLE_SIZE` pt. The sixth cell holds the
shared colour bar and, when there are undefined cosines, the name of their grey.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from ..model.panels import PANELS, SKIPPED_TRUTH_NOTE, colour_levels
from ..plotting import (
    TITLE_SIZE,
    UNDEFINED_COLOUR,
    UNDEFINED_ITEMS,
    colour_bar,
    draw_heatmap,
    has_undefined,
)
from ..vocabulary import panel_title

COLUMNS = 3
"""Panels per row."""

FIGURE_WIDTH = 10.5
"""Inches: three panels of about 3.3 inches (capitals of 13 pt titles are 10 px tall at 830 px)."""


def draw_figure1(panels: dict, colour_range=(0.0, 1.0), annotate: bool = False):
    """Figure 1 (Section 4): the panels in display order, two rows of three, one colour bar.

    Parameters
    ----------
    panels : dict of str to ndarray, each of shape (p, p)
        Matrices keyed by :data:`cossim.model.panels.PANEL_KEYS`, in display order; NaN where a
        cosine is undefined (drawn grey, and named). Without ``true_clusters`` (data with no
        ground truth) that panel is skipped with a note.
    colour_range : (float, float) or None
        Fixed colour range with clipping, or None to autoscale each panel.
    annotate : bool
        A colour bar beside each panel as well (a reading aid; the paper has none).

    Returns
    -------
    matplotlib.figure.Figure
    """
    shown = [panel for panel in PANELS if panel.key in panels]
    rows = math.ceil((len(shown) + 1) / COLUMNS)
    fig, axes = plt.subplots(rows, COLUMNS, figsize=(FIGURE_WIDTH, 3.75 * rows), layout="constrained")
    axes = axes.ravel()
    if "true_clusters" not in panels:
        fig.suptitle(SKIPPED_TRUTH_NOTE, fontsize=TITLE_SIZE - 2)
    for ax, panel in zip(axes, shown):
        levels = colour_levels(panels[panel.key], colour_range)
        draw_heatmap(ax, levels, panel_title(panel.key))
        if annotate:
            span = None if colour_range is None else (float(np.nanmin(panels[panel.key])),
                                                       float(np.nanmax(panels[panel.key])))
            colour_bar(fig, ax, colour_range or span, label="", size=8, values=[panels[panel.key]],
                       fraction=0.046, pad=0.04)
    key_cell = axes[len(shown)]
    for ax in axes[len(shown):]:
        ax.axis("off")
    draw_key(fig, key_cell, colour_range, [panels[panel.key] for panel in shown])
    return fig


def draw_key(fig, cell, colour_range, matrices) -> None:
    """The figure's key in an empty cell: a horizontal colour bar, and the grey of undefined cosines.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    cell : matplotlib.axes.Axes
        An empty (switched off) cell of the grid.
    colour_range : (float, float) or None
    matrices : sequence of ndarray
        The values drawn: clipped ones give the bar a triangle; undefined ones (NaN) are named.
    """
    bar_axes = cell.inset_axes((0.05, 0.62, 0.9, 0.09))
    colour_bar(fig, None, colour_range, cax=bar_axes, orientation="horizontal", size=TITLE_SIZE - 1,
               values=matrices)
    if has_undefined(*matrices):
        swatch = cell.inset_axes((0.05, 0.2, 0.09, 0.09))
        swatch.set_facecolor(UNDEFINED_COLOUR)
        swatch.set_xticks([])
        swatch.set_yticks([])
        cell.text(0.18, 0.245, UNDEFINED_ITEMS.removeprefix("grey: "), transform=cell.transAxes,
                  va="center", fontsize=TITLE_SIZE - 1, wrap=True)
