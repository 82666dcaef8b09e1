"""Families of Eq. 3 re-scalings and random D: how far the "ruler" of cosine similarity stretches.

Every Eq. 1 optimum is ``A = V_k dMat(a)``, ``B = V_k dMat(b)`` with ``a * b = g``
(Eq. 5, ``g_i = 1/(1 + lambda/sigma_i^2)``). Two one-parameter families of b, both with
``a = g / b`` so that ``A B^T`` never changes:

- ``sigma_power``: ``B = V_k dMat(sigma_i^t)``; t = 0 is ``B = V_k`` (Figure 1, panel 3) and
  t = 2 is ``B = V_k dMat(sigma_i^2)`` (panel 4).
- ``shrinkage_power``: ``B = V_k dMat(g_i^t)``, the Eq. 5 family; t = 0 is again ``B = V_k``,
  t = 1/2 is Eq. 5's symmetric split (panel 2) and t = 1 is Case B (Section 2.2).

Random D: ``d_i = exp(s z_i)``, ``z_i ~ N(0, 1)`` (log-normal), applied to Eq. 5's split.
"""

from __future__ import annotations

import hashlib

import numpy as np

from ..model.similarity import item_item_cosine
from ..model.solve import Spectrum, eq1_shrinkage, safe_divide
from .scores import as_pairs, score_vector


def embedding_cosine_scores(B: np.ndarray, pairs, k: int, memo: dict | None = None) -> np.ndarray:
    """Scores of the item-item cosine of the rows of B (Eq. 4), each distinct B scored once per memo.

    Figure 1's panels, the families and the remedies meet at the same embeddings (``B = V_k`` is
    t = 0 of both families and panel 3; Eq. 5's split at D = I is panel 2, t = 1/2 of
    ``shrinkage_power`` and the embedding cosine at D = I): equal bytes of B give equal scores.

    Parameters
    ----------
    B : ndarray, shape (p, k_rank)
        Item embeddings.
    pairs : ClusterPairs
    k : int
        k of precision@k.
    memo : dict, optional
        Scores of the embeddings seen so far, for one clustering (filled in place).

    Returns
    -------
    ndarray, shape (3,)
        In the order of :func:`cossim.recovery.scores.score_names`.
    """
    if memo is None:
        return score_vector(item_item_cosine(B), pairs, k)
    B = np.ascontiguousarray(B, dtype=float)
    key = (k, B.shape, hashlib.blake2b(B.tobytes(), digest_size=20).digest())
    if key not in memo:
        memo[key] = score_vector(item_item_cosine(B), pairs, k)
    return memo[key].copy()


def sigma_power_scales(sigma: np.ndarray, lam: float, t: float) -> tuple[np.ndarray, np.ndarray]:
    """``B = V_k dMat(sigma^t)`` and ``A = V_k dMat(g / sigma^t)``: an Eq. 1 optimum (Eq. 5, ``a * b = g``).

    Parameters
    ----------
    sigma : ndarray, shape (k,)
        Singular values of X.
    lam : float
        lambda of Eq. 1.
    t : float
        The exponent.

    Returns
    -------
    a, b : ndarrays, shape (k,)
        Column scales of A and B; 0 where sigma = 0.
    """
    sigma = np.asarray(sigma, dtype=float)
    b = np.zeros_like(sigma)
    np.power(sigma, t, out=b, where=sigma > 0)
    return safe_divide(eq1_shrinkage(sigma, lam), b), b


def shrinkage_power_scales(sigma: np.ndarray, lam: float, t: float) -> tuple[np.ndarray, np.ndarray]:
    """The Eq. 5 family ``B = V_k dMat(g^t)``, ``A = V_k dMat(g^(1 - t))``.

    Parameters
    ----------
    sigma : ndarray, shape (k,)
        Singular values of X.
    lam : float
        lambda of Eq. 1 (``g_i = 1/(1 + lambda/sigma_i^2)``).
    t : float
        The exponent.

    Returns
    -------
    a, b : ndarrays, shape (k,)
        Column scales of A and B; 0 where g = 0.
    """
    g = eq1_shrinkage(sigma, lam)
    b = np.zeros_like(g)
    np.power(g, t, out=b, where=g > 0)
    return safe_divide(g, b), b


FAMILIES = {"sigma_power": sigma_power_scales, "shrinkage_power": shrinkage_power_scales}

# Where Figure 1's Eq. 1 panels (and Case B) sit on the two families: (family, t, label).
FIGURE1_POINTS = (
    ("sigma_power", 0.0, "panel 3: B = V_k"),
    ("sigma_power", 2.0, "panel 4: B = V_k dMat(sigma^2)"),
    ("shrinkage_power", 0.0, "panel 3: B = V_k"),
    ("shrinkage_power", 0.5, "panel 2: Eq. 5, D = I"),
    ("shrinkage_power", 1.0, "Case B: B = V_k dMat(g)"),
)


def exponent_grid(low: float, high: float, steps: int) -> np.ndarray:
    """Evenly spaced exponents, rounded to 1e-12 so that grid points such as 0, 1/2 and 2 are hit exactly.

    Parameters
    ----------
    low, high : float
        The first and last exponent.
    steps : int
        Number of exponents.

    Returns
    -------
    ndarray, shape (steps,)
    """
    return np.round(np.linspace(low, high, steps), 12)


def family_scores(
    spectrum: Spectrum, lam: float, item_cluster: np.ndarray, exponents: np.ndarray, k: int = 10,
    memo: dict | None = None,
) -> np.ndarray:
    """Cluster-recovery scores of the item-item cosine along both families.

    Parameters
    ----------
    spectrum : Spectrum
        Top-k right singular vectors ``V`` (p, k) and singular values ``sigma`` (k,) of X.
    lam : float
        lambda of Eq. 1.
    item_cluster : ndarray of int, shape (p,), or ClusterPairs
    exponents : ndarray, shape (n_exponents,)
    k : int
        k of precision@k.
    memo : dict, optional
        See :func:`embedding_cosine_scores`.

    Returns
    -------
    ndarray, shape (len(FAMILIES), n_exponents, 3)
        Scores in the order of :func:`cossim.recovery.scores.score_names`, families in the order
        of :data:`FAMILIES`.
    """
    pairs = as_pairs(item_cluster)
    out = np.empty((len(FAMILIES), len(exponents), 3))
    for f, scales in enumerate(FAMILIES.values()):
        for e, t in enumerate(exponents):
            b = scales(spectrum.sigma, lam, float(t))[1]
            out[f, e] = embedding_cosine_scores(spectrum.V * b, pairs, k, memo)
    return out


def lognormal_d(rng: np.random.Generator, size: int, rank: int, log_sd: float) -> np.ndarray:
    """Random diagonals ``d = exp(log_sd * z)``, ``z ~ N(0, I_k)``.

    Parameters
    ----------
    rng : numpy.random.Generator
    size : int
        Number of diagonals.
    rank : int
        k, the length of each diagonal.
    log_sd : float
        Standard deviation of ``log d_i``.

    Returns
    -------
    ndarray, shape (size, rank)
    """
    return np.exp(log_sd * rng.standard_normal((size, rank)))


def random_d_scores(
    spectrum: Spectrum, lam: float, item_cluster: np.ndarray, d_samples: np.ndarray, k: int = 10,
    memo: dict | None = None,
) -> np.ndarray:
    """Scores of the item-item cosine of ``B(D) = B(1) D^{-1}`` (Eq. 3, Eq. 5) for each row d.

    Parameters
    ----------
    spectrum : Spectrum
        Top-k right singular vectors ``V`` (p, k) and singular values ``sigma`` (k,) of X.
    lam : float
        lambda of Eq. 1.
    item_cluster : ndarray of int, shape (p,), or ClusterPairs
    d_samples : ndarray, shape (n_d, k)
        One diagonal of D per row.
    k : int
        k of precision@k.
    memo : dict, optional
        See :func:`embedding_cosine_scores`.

    Returns
    -------
    ndarray, shape (n_d, 3)
    """
    pairs = as_pairs(item_cluster)
    root_g = np.sqrt(eq1_shrinkage(spectrum.sigma, lam))
    return np.array([embedding_cosine_scores(spectrum.V * (root_g / d), pairs, k, memo) for d in d_samples])
