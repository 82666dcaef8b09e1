"""Figure 1 as numbers, published beside ours: block and popularity-profile levels, one colour map.

Both rows draw each model panel from its digitised levels only (:func:`cossim.figure1.panel4.
published_level_image`): every cluster x cluster block filled with its mean colour level, and
inside each large cluster the cells of each popularity-quartile pair filled with that profile
level. The published row uses the published levels and cluster sizes, ours the levels of our
panels (:func:`cossim.published.model_block_levels`, :func:`cossim.published_profiles.
model_profile_levels`) and our cluster sizes, so match and mismatch, including the direction of the
within-cluster popularity gradient, show at a glance.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..model.panels import MODEL_PANELS, PANELS, cluster_boundaries
from ..plotting import rocket_colormap
from ..published import model_block_levels
from ..published_profiles import model_profile_levels
from .panel4 import PUBLISHED_CLUSTER_SIZES, published_level_image

__all__ = ["draw_levels_comparison", "our_levels"]


def our_levels(panels: dict, sorted_clusters: np.ndarray, colour_range) -> tuple[dict, dict, list[int]]:
    """Block levels, popularity profiles and cluster sizes of our four model panels.

    Parameters
    ----------
    panels : dict of str to ndarray, each of shape (p, p)
        Figure 1's matrices in display order (cosine values).
    sorted_clusters : ndarray of int, shape (p,)
    colour_range : (float, float) or None

    Returns
    -------
    blocks : dict of str to ndarray, shape (C, C)
    profiles : dict of str to ndarray, shape (L, 4, 4)
    sizes : list of int
        Items per cluster in display order.
    """
    blocks = model_block_levels(panels, sorted_clusters, colour_range)
    profiles = model_profile_levels(panels, sorted_clusters, colour_range)
    sizes = [block.stop - block.start for block in cluster_boundaries(sorted_clusters)]
    return blocks, profiles, sizes


def draw_levels_comparison(
    published_blocks: dict, published_profiles: dict, blocks: dict, profiles: dict, sizes, title: str = ""
):
    """Two rows of four heatmaps: the published model panels (top) and ours (bottom), as levels.

    Parameters
    ----------
    published_blocks, blocks : dict of str to ndarray, shape (C, C)
        Block levels, published and ours, keyed by model panel.
    published_profiles, profiles : dict of str to ndarray, shape (L, 4, 4)
        Popularity profiles, published and ours.
    sizes : sequence of int
        Our cluster sizes in display order. ``blocks``, ``profiles`` and ``sizes`` None (data without
        ground-truth clusters): the bottom row is left empty, with a note.
    title : str
        Figure title (e.g. the data set).

    Returns
    -------
    matplotlib.figure.Figure
    """
    cmap = rocket_colormap()
    titles = {panel.key: panel.title for panel in PANELS}
    fig, axes = plt.subplots(2, len(MODEL_PANELS), figsize=(3.0 * len(MODEL_PANELS), 6.6), layout="constrained")
    rows = (
        ("published", published_blocks, published_profiles, PUBLISHED_CLUSTER_SIZES),
        ("ours", blocks, profiles, sizes),
    )
    for r, (label, block_levels, profile_levels, cluster_sizes) in enumerate(rows):
        for c, key in enumerate(MODEL_PANELS):
            ax = axes[r, c]
            if block_levels is None:
                ax.text(0.5, 0.5, "no ground-truth clusters", ha="center", va="center", fontsize=8)
            else:
                image = published_level_image(np.asarray(block_levels[key]), np.asarray(profile_levels[key]),
                                              cluster_sizes)
                ax.imshow(image, cmap=cmap, vmin=0.0, vmax=1.0, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(titles[key], fontsize=9)
            if c == 0:
                ax.set_ylabel(label, fontsize=10)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig
