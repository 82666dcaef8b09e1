"""Panel 4 against panel 2: why ``B = V_k dMat(sigma^2)`` always concentrates more on the leading
directions than Eq. 5's split, as a measured ordering.

Panel 2 draws ``B = V_k dMat(w2)`` with Eq. 5's ``w2_l = g_l^{1/2} = sigma_l / sqrt(sigma_l^2 +
lambda)``, panel 4 ``B = V_k dMat(w4)`` with ``w4_l = sigma_l^2``. Their ratio ``w4_l / w2_l =
sigma_l sqrt(sigma_l^2 + lambda)`` grows with ``sigma_l``, so it does not increase along the
descending spectrum (:func:`weight_ratio`). Write ``h_i^w(m) = sum_{l <= m} w_l^2 V_il^2 / sum_l
w_l^2 V_il^2`` for the share of item i's squared embedding norm in the m leading directions
(:func:`head_shares`).

**Proposition.** For every item i with a nonzero embedding and every m = 1..k,
``h_i^{w4}(m) >= h_i^{w2}(m)``.

*Proof.* Put ``a_l = w2_l^2 V_il^2 >= 0`` and ``rho_l = (w4_l / w2_l)^2`` (``rho_l = 0`` where
``sigma_l = 0``), non-increasing in l. With ``A = sum_{l <= m} a_l`` and ``T = sum_{l > m} a_l``,
the head of panel 4 is ``H = sum_{l <= m} rho_l a_l >= rho_m A`` and its tail ``T' = sum_{l > m}
rho_l a_l <= rho_m T``. ``H / (H + T')`` grows with H and falls with T', so it is at least
``rho_m A / (rho_m A + rho_m T) = A / (A + T)`` when ``rho_m > 0``; when ``rho_m = 0`` the tail of
panel 4 is zero and its share is 1. QED.

With m = 1, every item's panel-4 embedding makes a smaller angle with the first singular direction
than its panel-2 embedding (``cos^2`` of that angle is ``h_i(1)``). Where that direction is overall
popularity (every item loading on it with the same sign), two items' cosine is at least
``sqrt(h_i h_j) - sqrt((1 - h_i)(1 - h_j))``, a bound that rises with both shares: panel 4 is
pushed towards 1 everywhere. The proposition is what :func:`ordering_diagnostics` measures and
rule ``check_fidelity`` enforces in every cell.
"""

from __future__ import annotations

import numpy as np

__all__ = ["head_shares", "ordering_diagnostics", "weight_ratio"]


def weight_ratio(sigma: np.ndarray, lam: float) -> np.ndarray:
    """``w4_l / w2_l = sigma_l sqrt(sigma_l^2 + lambda)``: panel 4's weights over panel 2's.

    Parameters
    ----------
    sigma : ndarray, shape (k,)
        Singular values, descending.
    lam : float
        Eq. 1's lambda.

    Returns
    -------
    ndarray, shape (k,)
        Non-increasing along ``sigma``; 0 where ``sigma_l = 0``.
    """
    sigma = np.asarray(sigma, dtype=float)
    return sigma * np.sqrt(sigma**2 + lam)


def head_shares(V: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``h_i(m)``: the share of each item's squared embedding norm in the m leading directions.

    Parameters
    ----------
    V : ndarray, shape (p, k)
        ``V_k`` (columns in the order of the descending singular values).
    weights : ndarray, shape (k,)
        w of ``B = V_k dMat(w)``.

    Returns
    -------
    ndarray, shape (p', k)
        Row i, column m-1: ``h_i(m)``, for the p' items whose embedding is nonzero.
    """
    energy = (np.asarray(V, dtype=float) * np.asarray(weights, dtype=float)) ** 2
    total = energy.sum(axis=1)
    keep = total > 0
    return np.cumsum(energy[keep], axis=1) / total[keep, None]


def ordering_diagnostics(sigma: np.ndarray, V: np.ndarray, lam: float) -> dict:
    """The proposition's quantities for one data set (JSON-ready).

    Parameters
    ----------
    sigma : ndarray, shape (k,)
    V : ndarray, shape (p, k)
    lam : float
        Eq. 1's lambda.

    Returns
    -------
    dict
        ``ratio_max_increase``: the largest rise of :func:`weight_ratio` from one direction to the
        next (<= 0 when the ratio does not increase along the spectrum, the proposition's premise);
        ``min_head_share_margin``: the smallest ``h_i^{w4}(m) - h_i^{w2}(m)`` over items and m
        (>= 0 by the proposition); ``panel2_first_share`` and ``panel4_first_share``: the mean over
        items of ``h_i(1)``.
    """
    sigma = np.asarray(sigma, dtype=float)
    squared = sigma**2
    w2 = np.sqrt(np.divide(squared, squared + lam, out=np.zeros_like(sigma), where=squared + lam > 0))
    w4 = squared
    ratio = weight_ratio(sigma, lam)
    h2, h4 = head_shares(V, w2), head_shares(V, w4)
    same = h2.shape == h4.shape
    return {
        "ratio_max_increase": float(np.max(np.diff(ratio))) if ratio.size > 1 else 0.0,
        "min_head_share_margin": float(np.min(h4 - h2)) if same and h2.size else float("nan"),
        "panel2_first_share": float(np.mean(h2[:, 0])) if h2.size else float("nan"),
        "panel4_first_share": float(np.mean(h4[:, 0])) if h4.size else float("nan"),
    }
