"""Checks that turn Figure 1 into a verified artifact.

Each check returns a :class:`CheckResult`; :func:`raise_on_failure` fails the workflow with a
message naming every failed check. The recomputation deliberately avoids the library's solver
and re-scaling code. The spectrum the fits were built from is certified from X alone
(:func:`spectrum_certificate`: orthonormality, eigen-residuals computed by sparse products
with X, and ARPACK's largest eigenvalue outside the certified subspace, which must not exceed
``sigma_k^2``), and every panel's formula is then written out on the certified spectrum
(:func:`panels_from_spectrum`). :func:`reference_figure1_panels` is the slower dense-SVD route,
kept as a test oracle. :mod:`cossim.figure1.undefined` checks where the stored cosines are undefined.
"""

from __future__ import annotations

import numpy as np

from ..checking import CheckResult, at_least, at_most
from ..model.objectives import OBJECTIVES
from ..model.panels import PANEL_KEYS, has_ground_truth


def reference_figure1_panels(X_dense: np.ndarray, order: np.ndarray, k: int, lam1: float, lam2: float) -> dict:
    """Figure 1's four model panels recomputed from a dense SVD of X, formulas written out.

    The slow oracle of the tests; the workflow's check certifies the fits' spectrum instead
    (:func:`spectrum_certificate`) and calls :func:`panels_from_spectrum` on it.

    Parameters
    ----------
    X_dense : ndarray, shape (n, p)
    order : ndarray of int, shape (p,)
        The item index at each display position.
    k : int
        Rank.
    lam1, lam2 : float
        lambda of Eq. 1 and of Eq. 2.

    Returns
    -------
    dict of str to ndarray, each of shape (p, p)
        Keyed by :data:`cossim.model.panels.MODEL_PANELS`, in display order.
    """
    _, s, Vt = np.linalg.svd(X_dense, full_matrices=False)
    V = Vt[:k].T.copy()
    V[~np.any(X_dense != 0, axis=0)] = 0.0  # a zero column of X: exactly 0 in every singular vector of sigma > 0
    return panels_from_spectrum(s[:k], V, order, lam1, lam2)


def panels_from_spectrum(s: np.ndarray, V: np.ndarray, order: np.ndarray, lam1: float, lam2: float) -> dict:
    """Figure 1's four model panels from the top-k spectrum of X, each formula written out.

    Panel 2 is Eq. 5's ``B = V_k dMat(1/(1 + lambda/sigma_i^2))^{1/2}``, panel 3 ``B = V_k``,
    panel 4 ``B = V_k dMat(sigma_i^2)`` and panel 5 Eq. 6's ``B(2) = V_k dMat(sigma_i (1 -
    lambda/sigma_i)_+)^{1/2}`` (Section 4); each panel is the cosine of the rows of its B, NaN in
    the row and column of a zero row of B (no direction, Eq. 4 undefined).

    Parameters
    ----------
    s : ndarray, shape (k,)
        Singular values sigma_1 >= ... >= sigma_k.
    V : ndarray, shape (p, k)
        Right singular vectors, in item order (a column's sign changes no panel).
    order : ndarray of int, shape (p,)
        The item index at each display position.
    lam1, lam2 : float
        lambda of Eq. 1 and of Eq. 2.

    Returns
    -------
    dict of str to ndarray, each of shape (p, p)
        Keyed by :data:`cossim.model.panels.MODEL_PANELS`, in display order.
    """
    s, V = np.asarray(s, dtype=float), np.asarray(V, dtype=float)[order]
    with np.errstate(divide="ignore", invalid="ignore"):
        item_scales = {
            "eq1_B_Vk_g_half": np.sqrt(np.where(s > 0, 1.0 / (1.0 + lam1 / s**2), 0.0)),
            "eq1_B_Vk": np.ones_like(s),
            "eq1_B_Vk_sigma2": s**2,
            "eq2_unique": np.sqrt(s * np.maximum(1.0 - np.where(s > 0, lam2 / s, np.inf), 0.0)),
        }
    panels = {}
    for key, scale in item_scales.items():
        B = V * scale
        norms = np.linalg.norm(B, axis=1)
        unit = np.divide(B, norms[:, None], out=np.zeros_like(B), where=norms[:, None] > 0)
        cosine = unit @ unit.T
        cosine[norms == 0] = np.nan
        cosine[:, norms == 0] = np.nan
        panels[key] = cosine
    return panels


def complement_top_eigenvalue(X, V: np.ndarray, tolerance: float = 1e-12, seed: int = 0) -> float:
    """The largest eigenvalue of ``X^T X`` on the orthogonal complement of the columns of V.

    ARPACK's Lanczos (``eigsh``, one eigenvalue) on ``P X^T X P`` with ``P = I - V V^T``, applied
    as sparse products with X (no Gram matrix). If V spans the top-k eigenvectors of
    ``X^T X``, this is ``sigma_{k+1}^2``; if it misses one of them, it is at least that
    eigenvalue, which exceeds ``sigma_k^2``.

    Parameters
    ----------
    X : scipy.sparse matrix or ndarray, shape (n, p)
    V : ndarray, shape (p, k)
        Orthonormal columns, k < p.
    tolerance : float
        ARPACK's relative tolerance.
    seed : int
        Seed of the starting vector (deterministic result).

    Returns
    -------
    float
        0 if k = p (no complement).
    """
    from scipy.sparse.linalg import LinearOperator, eigsh

    p, k = V.shape
    if k >= p:
        return 0.0
    XT = X.T

    def apply(w):
        w = w - V @ (V.T @ w)
        y = XT @ (X @ w)
        return y - V @ (V.T @ y)

    operator = LinearOperator((p, p), matvec=apply, dtype=np.float64)
    start = np.random.default_rng(seed).standard_normal(p)
    if p - k == 1:  # ARPACK needs k < n - 1: the complement is the single direction `start` projected
        w = start - V @ (V.T @ start)
        return float(w @ apply(w) / (w @ w))
    value = eigsh(operator, k=1, which="LA", v0=start, tol=tolerance, ncv=min(p - k, 20))[0]
    return float(value[0])


def spectrum_certificate(X, sigma: np.ndarray, V: np.ndarray, tolerance: float = 1e-9) -> list[CheckResult]:
    """Certify from X alone that (sigma, V) is the top-k spectrum of ``X = U Sigma V^T`` (Section 2).

    Independent of the solver (no Gram matrix, no ``eigh``): sparse products with X and one
    ARPACK eigenvalue. Four statements, each relative to ``sigma_1^2``:

    - ``V^T V = I`` (largest entry of ``V^T V - I``);
    - every column is an eigenvector: ``max_i ||X^T (X v_i) - sigma_i^2 v_i|| <= tolerance
      sigma_1^2``; with orthonormal V, each ``sigma_i^2`` is then within that distance of an
      eigenvalue of ``X^T X`` (the residual bound for symmetric matrices);
    - ``sigma`` is non-negative and descending;
    - none is missing: the largest eigenvalue of ``X^T X`` outside the span of V
      (:func:`complement_top_eigenvalue`) is at most ``sigma_k^2`` (``(theta - sigma_k^2) /
      sigma_1^2 <= tolerance``), so the k pairs are the k largest.

    A wrong solver fails one of them: a wrong Gram matrix or a wrong square root gives large
    residuals, eigenpairs from the middle or bottom of the spectrum (or one missed near the
    gap) leave a larger eigenvalue outside V, a non-orthogonal basis fails the first.

    Parameters
    ----------
    X : scipy.sparse matrix or ndarray, shape (n, p)
    sigma : ndarray, shape (k,)
    V : ndarray, shape (p, k)
    tolerance : float

    Returns
    -------
    list of CheckResult
        Names ``spectrum_orthonormal``, ``spectrum_eigen_residual``, ``spectrum_descending``,
        ``spectrum_is_top_k``.
    """
    sigma, V = np.asarray(sigma, dtype=float), np.asarray(V, dtype=float)
    k = sigma.size
    scale = float(sigma[0] ** 2) if k and sigma[0] > 0 else 1.0
    orthonormal = float(np.max(np.abs(V.T @ V - np.eye(k))))
    residual = np.asarray(X.T @ (X @ V)) - V * sigma**2
    worst_residual = float(np.max(np.linalg.norm(residual, axis=0))) / scale
    descending = float(np.sum(np.diff(sigma) > 0) + np.sum(sigma < 0))
    outside = complement_top_eigenvalue(X, V)
    return [
        at_most("spectrum_orthonormal", "the saved V_k has orthonormal columns", orthonormal, tolerance),
        at_most("spectrum_eigen_residual", "max_i ||X^T X v_i - sigma_i^2 v_i|| / sigma_1^2 (by sparse products with X)",
                worst_residual, tolerance),
        at_most("spectrum_descending", "saved singular values are non-negative and descending", descending, 0.0),
        at_most("spectrum_is_top_k", "(largest eigenvalue of X^T X outside span(V_k) - sigma_k^2) / sigma_1^2, by ARPACK",
                (outside - float(sigma[-1] ** 2)) / scale, tolerance),
    ]


def check_display_order(order: np.ndarray, item_cluster: np.ndarray, popularity: np.ndarray) -> list[CheckResult]:
    """The display order is a permutation, sorted by cluster, then by descending popularity.

    Parameters
    ----------
    order : ndarray of int, shape (p,)
    item_cluster : ndarray of int, shape (p,)
    popularity : ndarray of float, shape (p,)

    Returns
    -------
    list of CheckResult
    """
    p = item_cluster.size
    is_permutation = order.shape == (p,) and np.array_equal(np.sort(order), np.arange(p))
    clusters = item_cluster[order] if is_permutation else np.zeros(p)
    pops = popularity[order] if is_permutation else np.zeros(p)
    same_cluster = clusters[1:] == clusters[:-1]
    popularity_rises = np.sum(same_cluster & (pops[1:] > pops[:-1]))
    return [
        at_least("order_is_permutation", "order is a permutation of the items", float(is_permutation), 1.0),
        at_most("order_by_cluster", "clusters never decrease along the display order", float(np.sum(np.diff(clusters) < 0)), 0.0),
        at_most("order_by_popularity", "popularity never increases within a cluster", float(popularity_rises), 0.0),
    ]


def check_recomputation(saved: dict, reference: dict, item_cluster: np.ndarray, tolerance: float) -> list[CheckResult]:
    """Every saved panel agrees with the independent recomputation within ``tolerance``.

    Parameters
    ----------
    saved : dict of str to ndarray
        Figure 1's panels, each of shape (p, p), and ``order``, shape (p,).
    reference : dict of str to ndarray, each of shape (p, p)
        :func:`reference_figure1_panels`.
    item_cluster : ndarray of int, shape (p,)
    tolerance : float
        Largest allowed absolute difference.

    Returns
    -------
    list of CheckResult
    """
    order = saved["order"]
    truth = (item_cluster[order][:, None] == item_cluster[order][None, :]).astype(float)
    results = []
    if "true_clusters" in saved or has_ground_truth(item_cluster):
        difference = np.max(np.abs(saved["true_clusters"] - truth)) if "true_clusters" in saved else np.inf
        results.append(at_most("true_clusters_exact", "panel 1 equals 1[c_i == c_j]", difference, 0.0))
    for key, expected in reference.items():
        same_undefined = np.array_equal(np.isnan(saved[key]), np.isnan(expected))
        difference = float(np.nanmax(np.abs(saved[key] - expected), initial=0.0)) if same_undefined else np.inf
        results.append(at_most(f"{key}_recomputed", f"panel {key} matches its formula recomputed on the certified spectrum",
                               difference, tolerance))
    return results


def check_stationarity(G: np.ndarray, fits: dict, tolerance: float = 1e-8) -> list[CheckResult]:
    """The gradient of each objective vanishes at its saved closed-form solution (Eq. 5, Eq. 6).

    The gradient norm is measured relative to ``||G||_F ||A||`` style scales: ``||grad|| /
    (||G||_F (1 + ||A||_F ||B||_F))``.

    Parameters
    ----------
    G : ndarray, shape (p, p)
        Gram matrix ``X^T X``.
    fits : dict
        ``{"eq1" or "eq2": arrays}`` as saved from :func:`cossim.model.solve.fit_arrays`, with
        ``A``, ``B`` of shape (p, k) and ``lam``.
    tolerance : float

    Returns
    -------
    list of CheckResult
    """
    results = []
    for name, fit in fits.items():
        _, gradient = OBJECTIVES[name]
        grad_A, grad_B = gradient(G, fit["A"], fit["B"], float(fit["lam"]))
        scale = np.linalg.norm(G) * (1.0 + np.linalg.norm(fit["A"]) * np.linalg.norm(fit["B"]))
        size = np.hypot(np.linalg.norm(grad_A), np.linalg.norm(grad_B)) / scale
        results.append(at_most(f"{name}_stationary", f"{name} gradient vanishes at the closed form", size, tolerance))
    return results




def one_hot_block_levels(levels: np.ndarray, sorted_clusters: np.ndarray) -> np.ndarray:
    """Block means of the defined entries without the diagonal, by matrix products.

    An independent route to :func:`cossim.model.panels.block_means` for the check of the
    published comparison: sums of the defined (not NaN) entries over their count.

    Parameters
    ----------
    levels : ndarray, shape (p, p)
    sorted_clusters : ndarray of int, shape (p,)
        Cluster of each display position (contiguous runs).

    Returns
    -------
    ndarray, shape (C', C') for the C' clusters present, in display order.
    """
    _, first = np.unique(sorted_clusters, return_index=True)
    labels = sorted_clusters[np.sort(first)]
    member = (sorted_clusters[:, None] == labels[None, :]).astype(float)
    defined = ~np.isnan(levels)
    values = np.where(defined, levels, 0.0)
    sums = member.T @ values @ member - np.diag(member.T @ np.diag(values))
    counts = member.T @ defined.astype(float) @ member - np.diag(member.T @ np.diag(defined).astype(float))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.where(counts > 0, counts, 1.0), np.nan)


def check_published_comparison(
    rows: list[dict], saved: dict, sorted_clusters: np.ndarray, colour_range, published: dict
) -> list[CheckResult]:
    """Every number of the published-comparison table equals an independent recomputation.

    The block levels are recomputed with :func:`one_hot_block_levels` and the colour mapping is
    written out; each row's summary and errors must agree to 1e-9.

    Parameters
    ----------
    rows : list of dict
        The table of :func:`cossim.figure1.compare.published_comparison`, numbers possibly as
        strings (read back by :func:`cossim.io.load_table_csv`).
    saved : dict of str to ndarray, each of shape (p, p)
        Figure 1's panels in display order.
    sorted_clusters : ndarray of int, shape (p,)
    colour_range : (float, float) or None
    published : dict of str to ndarray, each of shape (C, C)
        :func:`cossim.published.load_published_levels`.

    Returns
    -------
    list of CheckResult
    """
    results = []
    lo, hi = (None, None) if colour_range is None else colour_range
    for row in rows:
        matrix = saved[row["panel"]]
        low, high = (np.nanmin(matrix), np.nanmax(matrix)) if colour_range is None else (lo, hi)
        levels = np.clip((matrix - low) / (high - low), 0.0, 1.0) if high > low else np.zeros_like(matrix)
        ours = one_hot_block_levels(levels, sorted_clusters)
        theirs = published[row["panel"]]
        expected = {}
        for prefix, grid in (("", ours), ("published_", theirs)):
            big, n = min(3, grid.shape[0]), grid.shape[0]
            expected[f"{prefix}within_large"] = np.nanmean(np.diag(grid)[:big])
            expected[f"{prefix}between_large"] = (
                grid[:big, :big][~np.eye(big, dtype=bool)].mean() if big > 1 else np.nan
            )
            expected[f"{prefix}within_small"] = np.nanmean(np.diag(grid)[big:]) if n > big else np.nan
        same_shape = ours.shape == theirs.shape
        expected["mean_abs_error"] = np.mean(np.abs(ours - theirs)) if same_shape else np.nan
        expected["worst_abs_error"] = np.max(np.abs(ours - theirs)) if same_shape else np.nan
        differences = [
            abs(float(row[key]) - float(value)) for key, value in expected.items()
            if not (np.isnan(float(row[key])) and np.isnan(value))
        ]
        results.append(at_most(
            f"{row['panel']}_published_comparison",
            f"panel {row['panel']}: block levels and errors against the published figure recomputed",
            float(np.max(differences)) if differences else 0.0, 1e-9,
        ))
    expected_panels = [key for key in PANEL_KEYS if key in saved and key in published]
    results.append(at_least(
        "published_comparison_complete", "the comparison has one row per panel, in order",
        float([row["panel"] for row in rows] == expected_panels), 1.0,
    ))
    return results


def check_colour_range_shows_the_panels(saved: dict, colour_range, minimum_share: float = 0.01) -> list[CheckResult]:
    """Each model panel keeps some of its cosines inside the colour range, unclipped.

    A range that every cosine falls outside draws a panel of one colour, a silent wrong figure.
    The share of defined off-diagonal cosines strictly inside ``(vmin, vmax)`` must be at least
    ``minimum_share`` (autoscaling, ``colour_range=None``, maps each panel's own range).

    Parameters
    ----------
    saved : dict
        Figure 1's matrices, ``{panel key: ndarray of shape (p, p)}``.
    colour_range : (float, float) or None
    minimum_share : float
    """
    results = []
    for key in PANEL_KEYS[1:]:
        matrix = saved[key]
        off_diagonal = matrix[~np.eye(matrix.shape[0], dtype=bool)]
        off_diagonal = off_diagonal[~np.isnan(off_diagonal)]
        if off_diagonal.size == 0:
            off_diagonal = np.zeros(1)  # nothing defined: nothing shows
        low, high = (off_diagonal.min(), off_diagonal.max()) if colour_range is None else colour_range
        inside = np.mean((off_diagonal > low) & (off_diagonal < high)) if colour_range is not None else (
            1.0 if high > low else 0.0
        )
        results.append(at_least(
            f"{key}_visible_in_colour_range",
            f"panel {key}: share of cosines inside the colour range (not drawn as one colour)",
            float(inside), minimum_share,
        ))
    return results
