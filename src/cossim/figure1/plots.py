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

from ..model.panels import MODEL_PANELS, PANELS, SKIPPED_TRUTH_NOTE, colour_levels
from ..plotting import (
    TITLE_SIZE,
    UNDEFINED_COLOUR,
    UNDEFINED_ITEMS,
    colour_bar,
    draw_heatmap,
    has_undefined,
    name_undefined,
)
from ..vocabulary import PANEL_FORMULAS_DRAWN, PANEL_NAMES, panel_title
from .panel4 import published_level_image

COLUMNS = 3
"""Panels per row."""

LEVEL_LABEL = "colour level\n(ours: cosine on the colour range"
"""The colour bar of the levels: a position in the colour map, 0 darkest, 1 lightest."""

PUBLISHED_LEVEL = ";\npublished: read back from its colours"
"""Added to :data:`LEVEL_LABEL` when the published levels are drawn."""

UNDEFINED_BLOCKS = "grey: undefined (no defined cosine in the block)"

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
    shown = [(panel_title(panel.key), panels[panel.key]) for panel in PANELS if panel.key in panels]
    note = "" if "true_clusters" in panels else SKIPPED_TRUTH_NOTE
    return draw_grid(shown, colour_range, note, annotate)


def draw_grid(shown: list[tuple[str, np.ndarray]], colour_range, note: str = "", annotate: bool = False,
              bar_label: str = "cosine similarity"):
    """Heatmaps in rows of :data:`COLUMNS`, and the key (colour bar, grey named) in the next cell.

    Parameters
    ----------
    shown : list of (str, ndarray of shape (p, p))
        Each heatmap's title and values (NaN where undefined).
    colour_range : (float, float) or None
        Of every heatmap (None: each autoscaled).
    note : str
        The figure's title, if any.
    annotate : bool
        A colour bar beside each heatmap as well.
    bar_label : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    rows = math.ceil((len(shown) + 1) / COLUMNS)
    fig, axes = plt.subplots(rows, COLUMNS, figsize=(FIGURE_WIDTH, 3.75 * rows), layout="constrained")
    axes = axes.ravel()
    if note:
        fig.suptitle(note, fontsize=TITLE_SIZE - 2)
    for ax, (title, values) in zip(axes, shown):
        draw_heatmap(ax, colour_levels(values, colour_range), title)
        if annotate:
            span = colour_range or (float(np.nanmin(values)), float(np.nanmax(values)))
            colour_bar(fig, ax, span, label="", size=8, values=[values], fraction=0.046, pad=0.04)
    for ax in axes[len(shown):]:
        ax.axis("off")
    draw_key(fig, axes[len(shown)], colour_range, [values for _, values in shown], bar_label)
    return fig


def draw_key(fig, cell, colour_range, matrices, bar_label: str = "cosine similarity") -> None:
    """The figure's key in an empty cell: a horizontal colour bar, and the grey of undefined cosines.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    cell : matplotlib.axes.Axes
        An empty (switched off) cell of the grid.
    colour_range : (float, float) or None
    matrices : sequence of ndarray
        The values drawn: clipped ones give the bar a triangle; undefined ones (NaN) are named.
    bar_label : str
    """
    bar_axes = cell.inset_axes((0.05, 0.62, 0.9, 0.09))
    colour_bar(fig, None, colour_range, label=bar_label, cax=bar_axes, orientation="horizontal",
               size=TITLE_SIZE - 1, values=matrices)
    if has_undefined(*matrices):
        swatch = cell.inset_axes((0.05, 0.2, 0.09, 0.09))
        swatch.set_facecolor(UNDEFINED_COLOUR)
        swatch.set_xticks([])
        swatch.set_yticks([])
        cell.text(0.18, 0.245, UNDEFINED_ITEMS.removeprefix("grey: "), transform=cell.transAxes,
                  va="center", fontsize=TITLE_SIZE - 1, wrap=True)


def short_panel_name(key: str) -> str:
    """A panel's reader name on two lines (``panel 2`` / ``Eq. 5, D = I``), for narrow columns."""
    return PANEL_NAMES[key].replace(": ", "\n", 1)


def draw_levels(rows: list[tuple[str, dict, dict, list[int]]], title: str):
    """Figure 1's model panels as levels, one row per source (the published figure, ours).

    Each panel is redrawn from its levels only (:func:`cossim.figure1.panel4.published_level_image`):
    every cluster x cluster block filled with its mean colour level, and inside each large cluster
    each pair of popularity quartiles with its profile level.

    Parameters
    ----------
    rows : list of (str, dict, dict, list of int)
        Per row: its label, block levels ``{panel key: (C, C)}``, popularity profiles
        ``{panel key: (L, 4, 4)}`` and cluster sizes in display order. NaN levels (a block
        without a defined cosine) are drawn grey and named. No rows: the title alone.
    title : str
        E.g. :func:`levels_title`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not rows:
        fig = plt.figure(figsize=(11.5, 1.2))
        fig.suptitle(title, fontsize=TITLE_SIZE)
        return fig
    fig, axes = plt.subplots(len(rows), len(MODEL_PANELS), figsize=(11.5, 0.9 + 3.0 * len(rows)),
                             layout="constrained", squeeze=False)
    images = []
    for r, (label, blocks, profiles, sizes) in enumerate(rows):
        for c, key in enumerate(MODEL_PANELS):
            image = published_level_image(np.asarray(blocks[key]), np.asarray(profiles[key]), sizes)
            images.append(image)
            draw_heatmap(axes[r, c], image, short_panel_name(key) if r == 0 else "")
            if c == 0:
                axes[r, c].set_ylabel(label, fontsize=TITLE_SIZE)
    published = any(label == "published" for label, *_ in rows)
    colour_bar(fig, axes, (0.0, 1.0), label=LEVEL_LABEL + (PUBLISHED_LEVEL if published else "") + ")",
               size=TITLE_SIZE - 2, fraction=0.03)
    fig.suptitle(title, fontsize=TITLE_SIZE)
    if has_undefined(*images):
        name_undefined(fig, UNDEFINED_BLOCKS, size=TITLE_SIZE - 2)
    return fig


def levels_title(dataset: str, published_reference: bool, ground_truth: bool, clusters: str = "cluster") -> str:
    """The title of the levels figure: which rows it draws, and why a row is missing.

    Parameters
    ----------
    dataset : str
    published_reference : bool
        Whether the data is the simulation the published figure shows (then its row is drawn).
    ground_truth : bool
        Whether the items have ground-truth clusters (then our row is drawn).
    clusters : str
        What the data's item clusters are (``cluster``; ``genre`` on MovieLens).

    Returns
    -------
    str
    """
    if published_reference and ground_truth:
        return f"Figure 1 as levels: published (top) and ours (bottom, data set {dataset})"
    if published_reference:
        return f"Figure 1 as levels: published; ours not drawn (data set {dataset} has no ground-truth clusters)"
    if ground_truth:
        return (f"Ours on data set {dataset}: each {clusters} x {clusters} block at its mean colour level\n"
                "(no published reference on this data: not compared with the published figure)")
    return f"Data set {dataset}: no ground-truth clusters and no published reference, no levels to draw"


def draw_panel4(printed: np.ndarray, colour_range, published_image=None, best_fit=None, fit=None):
    """Panel 4 as printed, and, on data the published figure speaks of, the published panel 4
    redrawn from its levels and the best fit of ``B = V_k dMat(sigma_i^t)``, side by side.

    Parameters
    ----------
    printed : ndarray, shape (p, p)
        Panel 4's cosines in display order (NaN where undefined).
    colour_range : (float, float) or None
    published_image : ndarray, shape (p', p'), optional
        :func:`cossim.figure1.panel4.published_level_image` of the published panel 4. None: the
        data has no published reference, and panel 4 is drawn alone, saying so.
    best_fit : ndarray, shape (p, p), optional
        The best member's cosines.
    fit : dict, optional
        :func:`cossim.figure1.panel4.fit_panel4` (``exponent``, ``block_mean_abs``, ``profile_mean_abs``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    printed_title = "panel 4 as printed\n" + PANEL_FORMULAS_DRAWN["eq1_B_Vk_sigma2"]
    if published_image is None:
        shown = [(colour_levels(printed, colour_range), printed_title)]
    else:
        shown = [
            (colour_levels(printed, colour_range), printed_title),
            (published_image, "published panel 4\n(its digitised levels)"),
            (colour_levels(best_fit, colour_range),
             rf"best fit: $B = V_k\,\mathrm{{dMat}}(\sigma_i^{{{fit['exponent']:g}}})$" + "\n"
             f"mean |error|: blocks {fit['block_mean_abs']:.3f},\npopularity profiles {fit['profile_mean_abs']:.3f}"),
        ]
    width = 3.4 * len(shown) + 1.4
    fig, axes = plt.subplots(1, len(shown), figsize=(max(width, 6.0), 4.9), layout="constrained", squeeze=False)
    for ax, (image, title) in zip(axes[0], shown):
        draw_heatmap(ax, image, title)
    colour_bar(fig, axes[0], colour_range, size=TITLE_SIZE - 2, values=[printed], fraction=0.05,
               label="cosine similarity" + ("" if published_image is None else "\n(published: colour level)"))
    if published_image is None:
        fig.suptitle("no published reference on this data:\npanel 4 is not compared", fontsize=TITLE_SIZE)
    if has_undefined(*(image for image, _ in shown)):
        name_undefined(fig, UNDEFINED_ITEMS, size=TITLE_SIZE - 2)
    return fig
