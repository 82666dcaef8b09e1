"""Re-scalings of Eq. 1's solution by a diagonal D (Eq. 3) and the paper's named choices.

Every Eq. 1 optimum has the form ``A = V_k dMat(a)``, ``B = V_k dMat(b)`` with
``a * b = g`` (Eq. 5, ``g_i = 1/(1 + lambda/sigma_i^2)``), up to a rotation. A named choice
is a pair of per-dimension scales (a, b); the D it corresponds to is
``d = a / sqrt(g) = sqrt(g) / b``.
"""

from __future__ import annotations

import numpy as np

from .solve import eq1_shrinkage, safe_divide


def rescale(A: np.ndarray, B: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eq. 3: ``A(D) = A D`` and ``B(D) = B D^{-1}`` for ``D = dMat(d)``.

    Parameters
    ----------
    A, B : ndarray, shape (p, k)
        Factors of an Eq. 1 solution.
    d : ndarray, shape (k,)
        Diagonal of D.

    Returns
    -------
    A_D, B_D : ndarray, shape (p, k)
        ``A(D)`` and ``B(D)``; their product ``A(D) B(D)^T`` equals ``A B^T``.

    Raises
    ------
    ValueError
        If D is not invertible (a zero or non-finite entry) or has the wrong length.
    """
    d = np.asarray(d, dtype=float)
    if d.shape != (A.shape[1],):
        raise ValueError(f"d must have shape ({A.shape[1]},), got {d.shape}")
    if not np.all(np.isfinite(d)) or np.any(d == 0):
        raise ValueError("D must be invertible: every entry of d finite and non-zero")
    return A * d, B / d


def eq5_split(sigma: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Eq. 5's symmetric split, D = I: ``a = b = g^{1/2}``.

    Parameters
    ----------
    sigma : ndarray, shape (k,)
        Singular values of X.
    lam : float
        lambda of Eq. 1.

    Returns
    -------
    a, b : ndarray, shape (k,)
        ``A = V_k dMat(a)``, ``B = V_k dMat(b)``.
    """
    root_g = np.sqrt(eq1_shrinkage(sigma, lam))
    return root_g, root_g.copy()


def case_a(sigma: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Case A (Section 2.2), ``D = dMat(g)^{1/2}``: ``A = V_k dMat(g)``, ``B = V_k``.

    Parameters
    ----------
    sigma : ndarray, shape (k,)
        Singular values of X.
    lam : float
        lambda of Eq. 1.

    Returns
    -------
    a, b : ndarray, shape (k,)
        ``A = V_k dMat(a)``, ``B = V_k dMat(b)``.
    """
    return eq1_shrinkage(sigma, lam), np.ones_like(np.asarray(sigma, dtype=float))


def case_b(sigma: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Case B (Section 2.2), ``D = dMat(g)^{-1/2}``: ``A = V_k``, ``B = V_k dMat(g)``.

    Parameters
    ----------
    sigma : ndarray, shape (k,)
        Singular values of X.
    lam : float
        lambda of Eq. 1.

    Returns
    -------
    a, b : ndarray, shape (k,)
        ``A = V_k dMat(a)``, ``B = V_k dMat(b)``.
    """
    return np.ones_like(np.asarray(sigma, dtype=float)), eq1_shrinkage(sigma, lam)


def inverse_sqrt_sigma(sigma: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Section 2.3's suggestion ``D = dMat(sqrt(1/sigma_i))`` applied to Eq. 5.

    ``a = sqrt(g / sigma)``, ``b = sqrt(g sigma)``; a zero singular value gives 0.

    Parameters
    ----------
    sigma : ndarray, shape (k,)
        Singular values of X.
    lam : float
        lambda of Eq. 1.

    Returns
    -------
    a, b : ndarray, shape (k,)
        ``A = V_k dMat(a)``, ``B = V_k dMat(b)``.
    """
    sigma = np.asarray(sigma, dtype=float)
    g = eq1_shrinkage(sigma, lam)
    return np.sqrt(safe_divide(g, sigma)), np.sqrt(g * sigma)


def sigma_squared(sigma: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Figure 1, panel 4 (Section 4): ``B = V_k dMat(sigma_i^2)``, so ``a = g / sigma^2``.

    Parameters
    ----------
    sigma : ndarray, shape (k,)
        Singular values of X.
    lam : float
        lambda of Eq. 1.

    Returns
    -------
    a, b : ndarray, shape (k,)
        ``A = V_k dMat(a)``, ``B = V_k dMat(b)``.
    """
    sigma2 = np.asarray(sigma, dtype=float) ** 2
    return safe_divide(eq1_shrinkage(sigma, lam), sigma2), sigma2


NAMED_EQ1_SCALINGS = {
    "eq5": eq5_split,
    "case_a": case_a,
    "case_b": case_b,
    "inverse_sqrt_sigma": inverse_sqrt_sigma,
    "sigma_squared": sigma_squared,
}


def implied_d(sigma: np.ndarray, lam: float, b: np.ndarray) -> np.ndarray:
    """The D of Eq. 3 that turns Eq. 5's B into ``V_k dMat(b)``: ``d = g^{1/2} / b``.

    Zero where g = 0 or b = 0 (the dimension carries nothing and D is undetermined there).

    Parameters
    ----------
    sigma : ndarray, shape (k,)
        Singular values of X.
    lam : float
        lambda of Eq. 1.
    b : ndarray, shape (k,)
        Item scales, ``B = V_k dMat(b)``.

    Returns
    -------
    d : ndarray, shape (k,)
        Diagonal of D.
    """
    return safe_divide(np.sqrt(eq1_shrinkage(sigma, lam)), b)
