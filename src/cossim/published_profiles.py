"""The published Figure 1 inside the large clusters: popularity-quartile profiles, and ours.

The block levels of :mod:`cossim.published` average each cluster's diagonal block into one
number, which hides how similarity varies with popularity inside a cluster. The published figure
is also digitised at a finer grain (``data/figure1_published_popularity_profiles.csv``): each panel
was cut into a grid of :data:`PROFILE_CELLS` x :data:`PROFILE_CELLS` cells (25 items a side for
1,000 items), each cell's mean colour level taken *with* the diagonal line (an item with itself),
and, inside each of the three large clusters, the cells lying wholly inside the cluster's diagonal
block averaged by popularity quartile of their rows and columns. A cell belongs to the quartile
that holds its centre: the cluster's display positions (descending popularity) are cut into four
equal parts, so quartile 1 is the most popular quarter. That gives a 4 x 4 *profile* per large
cluster and panel, 48 numbers per panel.

Our panels are encoded the same way (:func:`model_profile_levels`: colour levels, the same cells,
the same quartiles) and scored by their absolute differences (:func:`score_profile`, the same
:class:`~cossim.published.PanelScore` as the blocks). :func:`popularity_gradient` is the level of
quartile (1, 1) minus that of (4, 4): positive when a cluster's most popular items are the most
alike, as in the published panels 2 to 4.
"""

from __future__ import annotations

import csv

import numpy as np

from .model.panels import MODEL_PANELS, cluster_boundaries, colour_levels

__all__ = [
    "LARGE_CLUSTERS",
    "PROFILE_CELLS",
    "PROFILE_WEIGHT",
    "QUARTILES",
    "cell_means",
    "cell_quartiles",
    "combined_error",
    "load_published_profiles",
    "model_profile_levels",
    "popularity_gradient",
    "popularity_profiles",
]

PROFILE_CELLS = 40
"""Cells per side of the digitised grid (25 items per cell for the paper's 1,000 items)."""

LARGE_CLUSTERS = 3
"""The profiles cover the leading clusters of the display order, the three large ones."""

QUARTILES = 4
"""Popularity quantiles per cluster side."""


def load_published_profiles(path) -> dict[str, np.ndarray]:
    """The published popularity profiles: ``{panel key: (L, 4, 4) array of colour levels}``.

    The CSV has columns panel, cluster (1-based, display order), row_quartile, col_quartile
    (1 = most popular) and level.

    Parameters
    ----------
    path : str or Path
        ``data/figure1_published_popularity_profiles.csv``.

    Returns
    -------
    dict of str to ndarray, each of shape (L, Q, Q)
        L clusters and Q quartiles as the file has them; NaN for an entry missing from it.
    """
    entries: dict[str, dict[tuple[int, int, int], float]] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            at = (int(row["cluster"]) - 1, int(row["row_quartile"]) - 1, int(row["col_quartile"]) - 1)
            entries.setdefault(row["panel"], {})[at] = float(row["level"])
    profiles = {}
    for panel, cells in entries.items():
        shape = tuple(max(at[axis] for at in cells) + 1 for axis in range(3))
        array = np.full(shape, np.nan)
        for at, value in cells.items():
            array[at] = value
        profiles[panel] = array
    return profiles


def cell_means(levels: np.ndarray, cells: int = PROFILE_CELLS) -> tuple[np.ndarray, int]:
    """Mean of the defined entries of each cell of a ``cells x cells`` grid over a panel, the
    diagonal line included; undefined (NaN) entries are left out, a cell with none defined is NaN.

    Parameters
    ----------
    levels : ndarray, shape (p, p)
        A panel's colour levels in display order.
    cells : int
        Cells per side; a cell is ``s = max(1, p // cells)`` items wide, and the last
        ``p - s * (p // s)`` items (none when ``cells`` divides p) fall outside every cell.

    Returns
    -------
    means : ndarray, shape (m, m)
        ``means[a, b]`` is the mean of the defined entries of ``levels[a s:(a+1) s, b s:(b+1) s]``,
        ``m = p // s``.
    size : int
        s, the cell width in items.
    """
    p = levels.shape[0]
    size = max(1, p // cells)
    m = p // size
    grid = levels[: m * size, : m * size].reshape(m, size, m, size)
    defined = ~np.isnan(grid)
    if defined.all():
        return grid.mean(axis=(1, 3)), size
    counts = defined.sum(axis=(1, 3))
    sums = np.where(defined, grid, 0.0).sum(axis=(1, 3))
    return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan), size


def cell_quartiles(block: slice, size: int, quartiles: int = QUARTILES) -> tuple[np.ndarray, np.ndarray]:
    """The cells lying wholly inside a cluster's display range, and the quartile of each.

    Cell j covers display positions ``[j s, (j+1) s)``. It lies wholly inside the cluster
    ``[lo, hi)`` when ``lo <= j s`` and ``(j+1) s <= hi``; its quartile is the one holding its
    centre, ``floor(Q ((j + 1/2) s - lo) / (hi - lo))``.

    Parameters
    ----------
    block : slice
        The cluster's display range ``[lo, hi)``.
    size : int
        s, the cell width in items.
    quartiles : int
        Q.

    Returns
    -------
    cells : ndarray of int, shape (n,)
        Indices j of the cells, ascending.
    quartile : ndarray of int, shape (n,)
        0-based quartile of each (0 = most popular).
    """
    lo, hi = block.start, block.stop
    cells = np.arange(-(-lo // size), hi // size)
    centre = (cells + 0.5) * size
    quartile = np.minimum(quartiles - 1, np.floor(quartiles * (centre - lo) / (hi - lo)).astype(int))
    return cells, quartile


def popularity_profiles(
    levels: np.ndarray,
    sorted_clusters: np.ndarray,
    large: int = LARGE_CLUSTERS,
    quartiles: int = QUARTILES,
    cells: int = PROFILE_CELLS,
) -> np.ndarray:
    """The popularity-quartile profiles of one panel, computed as the published ones were.

    ``profile[c, a, b]`` is the mean, over the cells of cluster c's diagonal block whose row cell
    lies in quartile a and column cell in quartile b (:func:`cell_quartiles`), of the defined cell
    means (:func:`cell_means`, diagonal line included; undefined entries left out).

    Parameters
    ----------
    levels : ndarray, shape (p, p)
        A panel's colour levels in display order.
    sorted_clusters : ndarray of int, shape (p,)
        The cluster of each display position (contiguous runs, large clusters first).
    large, quartiles, cells : int
        L, Q and the cells per side.

    Returns
    -------
    ndarray, shape (L, Q, Q)
        NaN where a cluster is missing or a quartile holds no whole cell.
    """
    means, size = cell_means(levels, cells)
    out = np.full((large, quartiles, quartiles), np.nan)
    for c, block in enumerate(cluster_boundaries(sorted_clusters)[:large]):
        index, quartile = cell_quartiles(block, size, quartiles)
        for a in range(quartiles):
            for b in range(quartiles):
                rows, cols = index[quartile == a], index[quartile == b]
                cell = means[np.ix_(rows, cols)]
                if np.any(~np.isnan(cell)):
                    out[c, a, b] = cell[~np.isnan(cell)].mean()
    return out


def model_profile_levels(panels: dict, sorted_clusters: np.ndarray, colour_range) -> dict[str, np.ndarray]:
    """Popularity profiles of the four model panels, encoded as the published figure is.

    Parameters
    ----------
    panels : dict of str to ndarray, each of shape (p, p)
        Figure 1's matrices in display order (cosine values).
    sorted_clusters : ndarray of int, shape (p,)
    colour_range : (float, float) or None
        As :func:`cossim.model.panels.colour_levels`.

    Returns
    -------
    dict of str to ndarray, each of shape (L, Q, Q)
        Keyed by :data:`cossim.model.panels.MODEL_PANELS`.
    """
    return {
        key: popularity_profiles(colour_levels(panels[key], colour_range), sorted_clusters) for key in MODEL_PANELS
    }


def popularity_gradient(profile: np.ndarray) -> np.ndarray:
    """Level of the most popular quartile with itself minus the least popular's, per cluster.

    Parameters
    ----------
    profile : ndarray, shape (L, Q, Q)

    Returns
    -------
    ndarray, shape (L,)
        ``profile[c, 0, 0] - profile[c, Q-1, Q-1]``.
    """
    profile = np.asarray(profile, dtype=float)
    return profile[:, 0, 0] - profile[:, -1, -1]


PROFILE_WEIGHT = 0.5
"""Weight of the profile error when a panel is scored on blocks and profiles together
(:func:`combined_error`): the blocks (between and within clusters) and the profiles (the
popularity gradient inside the large clusters) count equally."""


def combined_error(block_mean_abs: float, profile_mean_abs: float, weight: float = PROFILE_WEIGHT) -> float:
    """``(1 - weight) * block error + weight * profile error``: one number for blocks and profiles.

    Parameters
    ----------
    block_mean_abs, profile_mean_abs : float
        Mean absolute block-level and profile errors (:func:`cossim.published.score_panel`).
    weight : float
        Weight of the profiles.

    Returns
    -------
    float
    """
    return float((1.0 - weight) * block_mean_abs + weight * profile_mean_abs)
