"""Drawing Figure 1 in the paper's style, and saving figures byte-reproducibly."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.colors import LinearSegmentedColormap

from .figure1 import PANELS, SKIPPED_TRUTH_NOTE, colour_levels

# Anchor colours chosen by eye along seaborn's "rocket" map (dark purple-black, plum, red,
# orange, cream): a dependency-free stand-in; the analysis uses colour positions, not colours.
ROCKET_LIKE_ANCHORS = ("#03051a", "#4c1d4b", "#a11a5b", "#e83f3f", "#f69c73", "#faebdd")


def rocket_like_colormap() -> LinearSegmentedColormap:
    """A perceptually ordered dark-to-cream colour map in the style of seaborn's "rocket"."""
    return LinearSegmentedColormap.from_list("rocket_like", ROCKET_LIKE_ANCHORS, N=256)


def draw_figure1(panels: dict, colour_range=(0.0, 1.0), annotate: bool = False):
    """One row of five heatmaps in the paper's layout (Figure 1).

    Parameters
    ----------
    panels : dict
        Matrices keyed by :data:`cossim.figure1.PANEL_KEYS`, in display order. Without
        ``true_clusters`` (data with no ground truth) that panel is skipped with a note.
    colour_range : (float, float) or None
        Fixed colour range with clipping, or None to autoscale each panel.
    annotate : bool
        Add a colour bar to each panel (the paper has none).

    Returns
    -------
    matplotlib.figure.Figure
    """
    cmap = rocket_like_colormap()
    shown = [panel for panel in PANELS if panel.key in panels]
    fig, axes = plt.subplots(1, len(shown), figsize=(3.2 * len(shown), 3.6), layout="constrained")
    if "true_clusters" not in panels:
        fig.suptitle(SKIPPED_TRUTH_NOTE, fontsize=8)
    for ax, panel in zip(axes, shown):
        levels = colour_levels(panels[panel.key], colour_range)
        image = ax.imshow(levels, cmap=cmap, vmin=0.0, vmax=1.0, interpolation="nearest")
        ax.set_title(panel.title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        if annotate:
            fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="colour level")
    return fig


def save_figure(fig, path) -> None:
    """Save a figure with fixed metadata so the same figure gives the same bytes (PNG/PDF/SVG)."""
    suffix = Path(path).suffix.lower()
    metadata = {
        ".png": {"Software": None},
        ".pdf": {"Creator": None, "Producer": None, "CreationDate": None},
        ".svg": {"Creator": None, "Date": None},
    }.get(suffix, {})
    if suffix == ".svg":
        with matplotlib.rc_context({"svg.hashsalt": "cossim"}):
            fig.savefig(path, dpi=150, metadata=metadata)
    else:
        fig.savefig(path, dpi=150, metadata=metadata)
