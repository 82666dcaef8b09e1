"""Drawing Figure 1 in the paper's layout: one row of five heatmaps."""

from __future__ import annotations

import matplotlib.pyplot as plt

from ..model.panels import PANELS, SKIPPED_TRUTH_NOTE, colour_levels
from ..plotting import rocket_colormap


def draw_figure1(panels: dict, colour_range=(0.0, 1.0), annotate: bool = False):
    """One row of five heatmaps in the paper's layout (Figure 1, Section 4).

    Parameters
    ----------
    panels : dict of str to ndarray, each of shape (p, p)
        Matrices keyed by :data:`cossim.model.panels.PANEL_KEYS`, in display order. Without
        ``true_clusters`` (data with no ground truth) that panel is skipped with a note.
    colour_range : (float, float) or None
        Fixed colour range with clipping, or None to autoscale each panel.
    annotate : bool
        Add a colour bar to each panel (the paper has none).

    Returns
    -------
    matplotlib.figure.Figure
    """
    cmap = rocket_colormap()
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
