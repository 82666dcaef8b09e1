"""Claims 7 and 8 of Table 1: Eq. 2's solution (Eq. 6) is unique up to rotation, and zeroes the
latent dimensions whose singular value does not exceed lambda."""

from __future__ import annotations

import numpy as np

from ..model.objectives import OBJECTIVES
from ..model.rescale import rescale
from ..model.similarity import cosine_changes, item_item_cosine, user_item_cosine, user_user_cosine
from ..model.solve import Fit
from .rescaling import random_diagonal
from .rows import OBJECTIVE_SLACK, ROUNDING, ClaimRow, row, untestable

__all__ = [
    "random_rotation",
    "claim_eq2_rotation_and_uniqueness",
    "claim_eq2_zeroes_small_sigma",
]


def random_rotation(rng: np.random.Generator, k: int) -> np.ndarray:
    """A random orthogonal matrix (QR of a Gaussian matrix, signs fixed).

    Parameters
    ----------
    rng : numpy.random.Generator
    k : int
        Number of latent dimensions.

    Returns
    -------
    ndarray, shape (k, k)
    """
    Q, R = np.linalg.qr(rng.standard_normal((k, k)))
    return Q * np.sign(np.diag(R))


def claim_eq2_rotation_and_uniqueness(
    X, G: np.ndarray, fit: Fit, users: np.ndarray, data: str, rng: np.random.Generator, trials: int
) -> list[ClaimRow]:
    """Claim 7: Eq. 2's cosines and objective are invariant under a rotation R, and any D other
    than +-1 on the dimensions Eq. 2 keeps strictly increases Eq. 2's objective (so D is unique).

    Parameters
    ----------
    X : sparse matrix or ndarray, shape (n, p)
        The data.
    G : ndarray, shape (p, p)
        Its Gram matrix ``X^T X``.
    fit : Fit
        Eq. 2's closed form (Eq. 6), ``A``, ``B`` of shape (p, k).
    users : ndarray of int, shape (m,)
        The users of the user-user and user-item comparisons.
    data : str
        The rows' ``data`` column.
    rng : numpy.random.Generator
        Draws the rotations and the D's.
    trials : int
        Number of random R, and of random D (alternately all kept dimensions re-scaled by a
        factor in [0.5, 2] each, or a single one by 1 %; random signs throughout).

    Returns
    -------
    list of ClaimRow
        Rows 7a (cosines), 7b (objective), 7c (unique D).
    """
    value, _ = OBJECTIVES["eq2"]
    best = value(G, fit.A, fit.B, fit.lam)
    reference = (item_item_cosine(fit.B), user_user_cosine(X, fit.A, users), user_item_cosine(X, fit.A, fit.B, users))
    changes, objective_changes = [], []
    for _ in range(trials):
        R = random_rotation(rng, fit.b.size)
        A_R, B_R = fit.A @ R, fit.B @ R
        rotated = (item_item_cosine(B_R), user_user_cosine(X, A_R, users), user_item_cosine(X, A_R, B_R, users))
        changes.append(max(np.max(cosine_changes(r, c), initial=0.0) for r, c in zip(rotated, reference)))
        objective_changes.append(abs(value(G, A_R, B_R, fit.lam) - best) / abs(best))
    kept = np.flatnonzero(fit.b > 0)
    increases = []
    for trial in range(trials):
        d = np.ones(fit.b.size)
        if trial % 2 == 0:  # all kept dimensions re-scaled at random
            d[kept] = random_diagonal(rng, kept.size, spread=2.0)
        else:  # a single kept dimension off by 1 %
            d[rng.choice(kept)] = rng.choice([1.01, 1 / 1.01])
        d *= rng.choice([-1.0, 1.0], size=d.size)
        A_D, B_D = rescale(fit.A, fit.B, d)
        increases.append((value(G, A_D, B_D, fit.lam) - best) / abs(best))
    where = "Sec. 2.1 (Eq. 2, Eq. 6) and Sec. 2.3"
    return [
        row("7a_eq2_cosines_rotation_invariant", where,
            "Eq. 2: item-item, user-user and user-item cosines are invariant under a random rotation R", data,
            f"max over {trials} R of max |cos_R - cos| (all three matrices, {users.size} users)",
            max(changes), "<=", ROUNDING),
        row("7b_eq2_objective_rotation_invariant", where, "Eq. 2's objective is invariant under a rotation R", data,
            f"max over {trials} R of |f(AR, BR) - f(A, B)| / f(A, B)", max(objective_changes), "<=", ROUNDING),
        row("7c_eq2_unique_D", where,
            f"any D other than +-1 on the {kept.size} kept dimensions strictly increases Eq. 2", data,
            f"min over {trials} D (random signs; all kept d_i in [0.5, 2], or one off by 1%) of "
            "(f(AD, BD^-1) - f) / f", min(increases), ">=", OBJECTIVE_SLACK),
    ]


def untestable_claim8(lam: float, rank: int) -> str:
    """Claim 8's text when Eq. 2 keeps every dimension at rank k (no ``sigma_i <= lambda``).

    Parameters
    ----------
    lam : float
        Eq. 2's lambda.
    rank : int
        k.

    Returns
    -------
    str
    """
    return (f"Eq. 2 zeroes every dimension with sigma_i <= lambda: not testable here (no sigma_i <= lambda = {lam:g} "
            f"at rank {rank}: Eq. 2 keeps all {rank} dimensions; a larger model.eq2_lambda tests it)")


def claim_eq2_zeroes_small_sigma(G: np.ndarray, fit: Fit, data: str) -> list[ClaimRow]:
    """Claim 8: Eq. 2 zeroes every latent dimension with ``sigma_i <= lambda`` (Eq. 6), and
    switching any of them back on increases Eq. 2.

    A dimension is switched back on as ``b_i = t``, ``a_i = t / sigma_i`` (the direction that
    helps the data term most), for ``t`` in 0.1, 1, 10, on the dimension with ``sigma_i``
    nearest lambda (the hardest case), the median one and the smallest one.

    Parameters
    ----------
    G : ndarray, shape (p, p)
        The Gram matrix ``X^T X``.
    fit : Fit
        Eq. 2's closed form (Eq. 6), ``A``, ``B`` of shape (p, k).
    data : str
        The rows' ``data`` column.

    Returns
    -------
    list of ClaimRow
        Rows 8a (the zeros) and 8b (they are optimal); a single untestable row 8a (not a
        failure, :func:`cossim.claims.rows.untestable`) when no ``sigma_i <= lambda`` at this rank.
    """
    value, _ = OBJECTIVES["eq2"]
    sigma = fit.spectrum.sigma
    small = np.flatnonzero(sigma <= fit.lam)
    where = "Sec. 2.1, Eq. 6"
    if small.size == 0:
        return [untestable("8a_eq2_zeroes_small_sigma", where, untestable_claim8(fit.lam, sigma.size), data,
                           "dimensions with sigma_i <= lambda", 0, ">=", 1)]
    largest = max(np.max(np.abs(fit.A[:, small])), np.max(np.abs(fit.B[:, small])))
    best = value(G, fit.A, fit.B, fit.lam)
    probed = np.unique(small[[np.argmax(sigma[small]), small.size // 2, np.argmin(sigma[small])]])
    increases = []
    for i in probed:
        for t in (0.1, 1.0, 10.0):
            a, b = fit.a.copy(), fit.b.copy()
            a[i], b[i] = t / sigma[i], t
            V = fit.spectrum.V
            increases.append((value(G, V * a, V * b, fit.lam) - best) / abs(best))
    return [
        row("8a_eq2_zeroes_small_sigma", where,
            f"Eq. 2 zeroes every dimension with sigma_i <= lambda ({small.size} of {sigma.size})", data,
            "max |entry| of A and B on the dimensions with sigma_i <= lambda", largest, "<=", 0.0),
        row("8b_eq2_small_sigma_stay_off", where,
            "switching any such dimension back on increases Eq. 2 (the zeros are optimal)", data,
            f"min over {probed.size} such dimensions (sigma_i nearest lambda, median, smallest) x 3 sizes"
            " of (f(switched on) - f) / f", min(increases), ">=", OBJECTIVE_SLACK),
    ]
