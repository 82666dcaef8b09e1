"""Figure 1 as numbers, published beside ours: block and popularity-profile levels, one colour map.

Both rows of :func:`cossim.figure1.plots.draw_levels` draw each model panel from its digitised
levels only (:func:`cossim.figure1.panel4.published_level_image`): every cluster x cluster block filled with its mean colour level, and
inside each large cluster the cells of each popularity-quartile pair filled with that profile
level. The published row uses the published levels and cluster sizes, ours the levels of our
panels (:func:`cossim.published.model_block_levels`, :func:`cossim.published_profiles.
model_profile_levels`) and our cluster sizes, so match and mismatch, including the direction of the
within-cluster popularity gradient, show at a glance.
"""

from __future__ import annotations

import numpy as np

from ..model.panels import cluster_boundaries
from ..published import model_block_levels
from ..published_profiles import model_profile_levels

__all__ = ["our_levels"]


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
