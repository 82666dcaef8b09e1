"""Shared plotting: the paper's colour map, undefined cosines in one grey, the heatmaps' colour
bar, and saving figures byte-reproducibly."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.patches import Patch

from ._rocket import ROCKET_RGB

UNDEFINED_COLOUR = "#8c8c8c"
"""A mid grey, (140, 140, 140): every heatmap draws an undefined (NaN) value in it. No colour of
rocket is within 0.42 of it (Euclidean distance in RGB on [0, 1]), so it reads as "no value"."""

UNDEFINED_ITEMS = "grey: undefined (item without interactions)"
"""How a figure names its grey cells when they are items' cosines."""

UNDEFINED_USERS = "grey: undefined (user or item without interactions)"
"""How a figure names its grey cells when they are user-user or user-item cosines."""

TITLE_SIZE = 13
"""Font size (pt) of the heatmap figures' titles. Shown at the README's width (830 px), a figure W
inches wide gives capitals ``cap_height_at(13, W)`` px: 10.4 px for Figure 1 (10.5 in), 9.5 px
for the levels (11.5 in), 9.4 px for panel 4 beside its published and fitted versions (11.6 in)."""


def cap_height_at(font_size: float, figure_width: float, shown_width: float = 830.0) -> float:
    """Height in pixels of a capital letter of ``font_size`` (pt) when a figure ``figure_width``
    inches wide is shown ``shown_width`` pixels wide (DejaVu Sans: cap height 0.729 em).

    Returns
    -------
    float
    """
    return 0.729 * font_size / 72.0 * shown_width / figure_width


def rocket_colormap() -> ListedColormap:
    """Seaborn's "rocket" colour map exactly (dark purple-black to cream), the paper's heatmaps',
    with undefined values (NaN) in :data:`UNDEFINED_COLOUR`.

    Built as seaborn builds it, from its published 256-entry table (:mod:`cossim._rocket`).
    """
    return ListedColormap(ROCKET_RGB, name="rocket").with_extremes(bad=UNDEFINED_COLOUR)


def has_undefined(*matrices) -> bool:
    """Whether any of the matrices holds an undefined (NaN) value."""
    return any(bool(np.isnan(np.asarray(matrix, dtype=float)).any()) for matrix in matrices)


def draw_heatmap(ax, levels: np.ndarray, title: str = "", title_size: float = TITLE_SIZE, **imshow):
    """One heatmap of colour levels in [0, 1] in rocket, NaN in grey, without ticks.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    levels : ndarray, shape (m, n)
        Colour-map positions (:func:`cossim.model.panels.colour_levels`); NaN where undefined.
    title : str
    title_size : float
    **imshow
        Passed on to ``imshow`` (e.g. ``aspect="auto"``).

    Returns
    -------
    matplotlib.image.AxesImage
    """
    image = ax.imshow(levels, cmap=rocket_colormap(), vmin=0.0, vmax=1.0, interpolation="nearest", **imshow)
    if title:
        ax.set_title(title, fontsize=title_size)
    ax.set_xticks([])
    ax.set_yticks([])
    return image


def colour_bar(fig, axes, colour_range, label: str = "cosine similarity", size: float = 11, values=(), **options):
    """One colour bar shared by heatmaps drawn with :func:`draw_heatmap`, in the values' own units.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    axes : Axes or sequence of Axes
        The heatmaps it serves (room is taken from them), or ``cax=`` in ``options``.
    colour_range : (float, float) or None
        The values at the two ends (values outside are drawn at the nearer end: the bar's
        triangles). None: each heatmap was scaled to its own smallest and largest value, and the
        bar says so.
    label : str
    size : float
        Font size of the label and ticks.
    values : sequence of ndarray
        The values drawn: the bar gets a triangle at an end beyond which some of them lie.
    **options
        Passed on to ``fig.colorbar``.

    Returns
    -------
    matplotlib.colorbar.Colorbar
    """
    if colour_range is None:
        mappable = ScalarMappable(Normalize(0.0, 1.0), rocket_colormap())
        bar = fig.colorbar(mappable, ax=axes, **options)
        bar.set_ticks([0.0, 1.0], labels=["smallest", "largest"])
        label = f"{label}\n(each panel from its smallest to its largest value)"
    else:
        mappable = ScalarMappable(Normalize(*colour_range), rocket_colormap())
        bar = fig.colorbar(mappable, ax=axes, extend=clipped_ends(values, colour_range), **options)
    bar.set_label(label, fontsize=size)
    bar.ax.tick_params(labelsize=size)
    return bar


def clipped_ends(values, colour_range) -> str:
    """Which ends of ``colour_range`` clip some defined value: "neither", "min", "max" or "both"."""
    low = any(bool(np.nanmin(v) < colour_range[0]) for v in values if not np.isnan(v).all())
    high = any(bool(np.nanmax(v) > colour_range[1]) for v in values if not np.isnan(v).all())
    return {(False, False): "neither", (True, False): "min", (False, True): "max", (True, True): "both"}[(low, high)]


def name_undefined(fig, note: str = UNDEFINED_ITEMS, size: float = 11) -> None:
    """A legend below the figure naming the grey of undefined values (call it when there are any)."""
    fig.legend(handles=[Patch(facecolor=UNDEFINED_COLOUR, edgecolor="none", label=note)],
               loc="outside lower center", fontsize=size, frameon=False)


def save_figure(fig, path, dpi: int = 150) -> None:
    """Save a figure with fixed metadata so the same figure gives the same bytes (PNG/PDF/SVG).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : str or Path
        The suffix picks the format.
    dpi : int
        Resolution of raster formats (PNG).
    """
    suffix = Path(path).suffix.lower()
    metadata = {
        ".png": {"Software": None},
        ".pdf": {"Creator": None, "Producer": None, "CreationDate": None},
        ".svg": {"Creator": None, "Date": None},
    }.get(suffix, {})
    if suffix == ".svg":
        with matplotlib.rc_context({"svg.hashsalt": "cossim"}):
            fig.savefig(path, dpi=dpi, metadata=metadata)
    else:
        fig.savefig(path, dpi=dpi, metadata=metadata)
