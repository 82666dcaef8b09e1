"""Figure 1 against the published figure: block levels and their differences, one row per panel.

Each panel's cosines are encoded as the digitised published figure is (colour levels, then means
of the cluster x cluster blocks without the diagonal; :func:`cossim.published.model_block_levels`)
and compared with the published levels block by block.
"""

from __future__ import annotations

import numpy as np

from ..model.panels import PANEL_KEYS, block_means, colour_levels
from ..published import block_level_summary, score_panel

COMPARISON_COLUMNS = (
    "panel",
    "within_large",
    "between_large",
    "within_small",
    "published_within_large",
    "published_between_large",
    "published_within_small",
    "mean_abs_error",
    "worst_abs_error",
)


def published_comparison(
    panels: dict, sorted_clusters: np.ndarray, colour_range, published: dict
) -> list[dict]:
    """One row per panel: our block-level summary, the published one and the block errors.

    Parameters
    ----------
    panels : dict
        Figure 1's matrices in display order, keyed by :data:`cossim.model.panels.PANEL_KEYS`,
        each of shape (p, p).
    sorted_clusters : ndarray of int, shape (p,)
        The cluster of each display position.
    colour_range : (float, float) or None
        The figure's colour range (None: each panel autoscaled).
    published : dict
        ``{panel key: (C, C) array}`` of published block levels
        (:func:`cossim.published.load_published_levels`).

    Returns
    -------
    list of dict
        Keys :data:`COMPARISON_COLUMNS`, one row per panel present in both ``panels`` and
        ``published``. The errors are NaN where the block grids differ in shape (data with
        another number of clusters).
    """
    rows = []
    for key in (key for key in PANEL_KEYS if key in panels and key in published):
        levels = block_means(colour_levels(panels[key], colour_range), sorted_clusters)
        ours, theirs = block_level_summary(levels), block_level_summary(published[key])
        score = score_panel(levels, published[key])
        rows.append({
            "panel": key,
            **ours,
            **{f"published_{name}": value for name, value in theirs.items()},
            "mean_abs_error": score.mean_abs,
            "worst_abs_error": score.worst_abs,
        })
    return rows
