"""Figure 1 of the paper: five item-item cosine heatmaps, items in display order.

Panels, left to right (keys of :data:`PANELS`):

1. ``true_clusters``: 1 within a cluster, 0 between.
2. ``eq1_B_Vk_g_half``: Eq. 1 with Eq. 5's ``B = V_k dMat(1/(1 + lambda/sigma_i^2))^{1/2}``.
   The paper's title reads ``dMat(1 + lambda/sigma_i^2)^{1/2}``, a typo (docs/paper.md, "Figure 1").
3. ``eq1_B_Vk``: Eq. 1 with ``B = V_k`` (Case A).
4. ``eq1_B_Vk_sigma2``: Eq. 1 with ``B = V_k dMat(sigma_i^2)``.
5. ``eq2_unique``: Eq. 2's unique ``B = V_k dMat(sigma_i (1 - lambda/sigma_i)_+)^{1/2}`` (Eq. 6).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .rescale import case_a, eq5_split, sigma_squared
from .similarity import item_item_cosine
from .solve import Spectrum, eq2_factor_scales

NO_CLUSTER = -1
"""The cluster label of an item whose ground-truth cluster is unknown (own data without clusters)."""


@dataclass(frozen=True)
class Panel:
    """One panel of Figure 1 (Section 4): its key, its title (mathtext) and its item scales.

    Attributes
    ----------
    key : str
        One of :data:`PANEL_KEYS`.
    title : str
        The paper's panel title, as matplotlib mathtext.
    item_scales : callable or None
        ``item_scales(sigma, lam_eq1, lam_eq2)``, with ``sigma`` of shape (k,), returns b of
        shape (k,) with ``B = V_k dMat(b)``; ``None`` for the ground-truth panel.
    """

    key: str
    title: str
    item_scales: Callable | None


PANELS = (
    Panel("true_clusters", "True clusters", None),
    Panel(
        "eq1_B_Vk_g_half",
        r"$B = V_k \cdot \mathrm{dMat}(\frac{1}{1+\lambda/\sigma_i^2})^{1/2}$",
        lambda sigma, lam1, lam2: eq5_split(sigma, lam1)[1],
    ),
    Panel("eq1_B_Vk", r"$B = V_k$", lambda sigma, lam1, lam2: case_a(sigma, lam1)[1]),
    Panel(
        "eq1_B_Vk_sigma2",
        r"$B = V_k \cdot \mathrm{dMat}(\sigma_i^2)$",
        lambda sigma, lam1, lam2: sigma_squared(sigma, lam1)[1],
    ),
    Panel(
        "eq2_unique",
        r"$B = V_k \cdot \mathrm{dMat}(\sigma_i (1-\lambda/\sigma_i)_+)^{1/2}$",
        lambda sigma, lam1, lam2: eq2_factor_scales(sigma, lam2)[1],
    ),
)
PANEL_KEYS = tuple(panel.key for panel in PANELS)
MODEL_PANELS = PANEL_KEYS[1:]
SKIPPED_TRUTH_NOTE = "Panel 'True clusters' skipped: no ground-truth item clusters (config own_data.item_clusters)"


def has_ground_truth(item_cluster: np.ndarray) -> bool:
    """Whether every item has a known cluster (none is :data:`NO_CLUSTER`).

    Parameters
    ----------
    item_cluster : ndarray of int, shape (p,)

    Returns
    -------
    bool
    """
    return bool(np.all(np.asarray(item_cluster) != NO_CLUSTER))


def display_order(item_cluster: np.ndarray, popularity: np.ndarray) -> np.ndarray:
    """Item indices sorted by cluster, then by descending baseline popularity (Figure 1).

    Ties are broken by item index, so the order is deterministic.

    Parameters
    ----------
    item_cluster : ndarray of int, shape (p,)
        c_i of each item.
    popularity : ndarray of float, shape (p,)
        Baseline popularity p_i of each item.

    Returns
    -------
    ndarray of int, shape (p,)
        The item index at each display position.
    """
    return np.lexsort((np.arange(item_cluster.size), -popularity, item_cluster))


def true_cluster_matrix(item_cluster: np.ndarray) -> np.ndarray:
    """Panel 1: ``1[c_i == c_j]`` as floats, shape (p, p).

    Parameters
    ----------
    item_cluster : ndarray of int, shape (p,)

    Returns
    -------
    ndarray of float, shape (p, p)
    """
    return (item_cluster[:, None] == item_cluster[None, :]).astype(float)


def figure1_panels(
    spectrum: Spectrum,
    item_cluster: np.ndarray,
    popularity: np.ndarray,
    lam_eq1: float,
    lam_eq2: float,
) -> dict[str, np.ndarray]:
    """The five 1000 x 1000 (p x p) matrices of Figure 1 in display order, plus ``order``.

    Without ground-truth clusters (every cluster :data:`NO_CLUSTER`) panel 1
    is left out and the items are displayed by descending popularity.

    Parameters
    ----------
    spectrum : Spectrum
        The rank-k truncation ``(Sigma_k, V_k)`` of X: ``sigma`` (k,), ``V`` (p, k).
    item_cluster : ndarray of int, shape (p,)
        c_i of each item, or :data:`NO_CLUSTER` everywhere.
    popularity : ndarray of float, shape (p,)
        Baseline popularity of each item (the order within a cluster).
    lam_eq1, lam_eq2 : float
        lambda of Eq. 1 (10,000 in the paper) and of Eq. 2 (100).

    Returns
    -------
    dict
        Keys :data:`PANEL_KEYS` (cosine values, before any colour mapping), each of shape
        (p, p), and ``order`` (the item index at each display position), shape (p,). The row and
        column of an item without interactions (a zero row of ``V_k``) are NaN in every model panel.
    """
    order = display_order(item_cluster, popularity)
    V_display = spectrum.V[order]
    panels = {"true_clusters": true_cluster_matrix(item_cluster[order])} if has_ground_truth(item_cluster) else {}
    for panel in PANELS[1:]:
        b = panel.item_scales(spectrum.sigma, lam_eq1, lam_eq2)
        panels[panel.key] = item_item_cosine(V_display * b)
    panels["order"] = order
    return panels


def clusters_from_truth_panel(truth: np.ndarray) -> np.ndarray:
    """Cluster label (0, 1, ...) of each display position, read off panel 1.

    Panel 1 is block diagonal in display order; a new cluster starts wherever an item is not
    in its predecessor's cluster.

    Parameters
    ----------
    truth : ndarray, shape (p, p)
        Panel 1 in display order.

    Returns
    -------
    ndarray of int64, shape (p,)
    """
    p = truth.shape[0]
    starts = truth[np.arange(1, p), np.arange(p - 1)] == 0
    return np.concatenate(([0], np.cumsum(starts))).astype(np.int64)


def cluster_boundaries(sorted_clusters: np.ndarray) -> list[slice]:
    """Contiguous display ranges of each cluster present, in display order.

    Parameters
    ----------
    sorted_clusters : ndarray of int, shape (p,)
        Cluster of each display position (contiguous runs).

    Returns
    -------
    list of slice
        One per cluster present (C' of them).
    """
    change = np.flatnonzero(np.diff(sorted_clusters)) + 1
    edges = np.concatenate(([0], change, [sorted_clusters.size]))
    return [slice(int(lo), int(hi)) for lo, hi in zip(edges[:-1], edges[1:])]


def block_means(matrix: np.ndarray, sorted_clusters: np.ndarray, exclude_diagonal: bool = True) -> np.ndarray:
    """Mean of the defined entries of each cluster x cluster block of a matrix in display order.

    The diagonal (an item with itself) is excluded from the diagonal blocks by default, as in
    the digitised published figure. Undefined (NaN) entries are left out of every mean; a block
    with no defined entry (a 1-item cluster's own block, without its diagonal) is NaN.

    Parameters
    ----------
    matrix : ndarray, shape (p, p)
    sorted_clusters : ndarray of int, shape (p,)
        Cluster of each display position (contiguous runs).
    exclude_diagonal : bool

    Returns
    -------
    ndarray, shape (C', C')
        One row and column per cluster present.
    """
    blocks = cluster_boundaries(sorted_clusters)
    out = np.empty((len(blocks), len(blocks)))
    for r, rows in enumerate(blocks):
        for c, cols in enumerate(blocks):
            block = matrix[rows, cols]
            kept = ~np.isnan(block)
            if r == c and exclude_diagonal:
                np.fill_diagonal(kept, False)
            out[r, c] = block[kept].mean() if kept.any() else np.nan
    return out


def colour_levels(matrix: np.ndarray, colour_range: tuple[float, float] | None) -> np.ndarray:
    """Map values to colour-map positions in [0, 1].

    ``colour_range=(vmin, vmax)`` clips to that range; ``None`` autoscales to the matrix's own
    minimum and maximum (a constant matrix maps to 0). NaN (an undefined cosine) stays NaN and
    takes no part in the autoscale.

    Parameters
    ----------
    matrix : ndarray, shape (p, p)
        Any shape works; the result has the same.
    colour_range : (float, float) or None

    Returns
    -------
    ndarray of float, shape (p, p)
    """
    matrix = np.asarray(matrix, dtype=float)
    if colour_range is None:
        defined = matrix[~np.isnan(matrix)]
        vmin, vmax = (float(defined.min()), float(defined.max())) if defined.size else (0.0, 0.0)
    else:
        vmin, vmax = colour_range
    if vmax <= vmin:
        return np.where(np.isnan(matrix), np.nan, 0.0)
    return np.clip((matrix - vmin) / (vmax - vmin), 0.0, 1.0)
