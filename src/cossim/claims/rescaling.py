"""Claims 3-6 of Table 1: Eq. 1's diagonal re-scaling D (Eq. 3, Eq. 4) and the cases A and B.

The cases of Section 2.2 are built by applying Eq. 3's re-scaling to the solver's Eq. 1 fit,
never by writing their result down, so a wrong Eq. 5 breaks them too.
"""

from __future__ import annotations

import numpy as np

from ..model.objectives import OBJECTIVES
from ..model.rescale import rescale
from ..model.similarity import (
    cosine_changes,
    cosine_similarity,
    item_item_cosine,
    user_embeddings,
    user_item_cosine,
    user_user_cosine,
)
from ..model.solve import Fit, eq1_shrinkage
from .rows import MATERIAL_CHANGE, ROUNDING, ClaimRow, row

__all__ = [
    "random_diagonal",
    "claim_eq1_d_invariance",
    "case_a_factors",
    "case_b_factors",
    "claim_case_a_identity",
    "ranking_violation",
    "claim_case_a_ranking",
    "claim_case_b_user_cosine",
]


def random_diagonal(rng: np.random.Generator, k: int, spread: float = 10.0) -> np.ndarray:
    """The diagonal of a random invertible D: ``d_i = spread^u_i``, ``u_i ~ Unif(-1, 1)``.

    Parameters
    ----------
    rng : numpy.random.Generator
    k : int
        Number of latent dimensions.
    spread : float
        ``d_i`` lies in ``[1 / spread, spread]``.

    Returns
    -------
    ndarray, shape (k,)
    """
    return spread ** rng.uniform(-1.0, 1.0, size=k)


def claim_eq1_d_invariance(G: np.ndarray, fit: Fit, data: str, rng: np.random.Generator, trials: int) -> list[ClaimRow]:
    """Claim 3 (Eq. 3, Eq. 4): a random diagonal D leaves ``A B^T`` and Eq. 1 unchanged, while
    the item-item cosine matrix changes.

    Parameters
    ----------
    G : ndarray, shape (p, p)
        The Gram matrix ``X^T X``.
    fit : Fit
        Eq. 1's closed form (Eq. 5), ``A``, ``B`` of shape (p, k).
    data : str
        The rows' ``data`` column.
    rng : numpy.random.Generator
        Draws the D's (:func:`random_diagonal`, ``d_i`` in [0.1, 10]).
    trials : int
        Number of random D.

    Returns
    -------
    list of ClaimRow
        Rows 3a (product), 3b (objective), 3c (cosine changes; its claim text gives the mean size).
    """
    value, _ = OBJECTIVES["eq1"]
    product = fit.A @ fit.B.T
    best = value(G, fit.A, fit.B, fit.lam)
    reference = item_item_cosine(fit.B)
    product_errors, objective_errors, max_changes, mean_changes = [], [], [], []
    for _ in range(trials):
        A_D, B_D = rescale(fit.A, fit.B, random_diagonal(rng, fit.a.size))
        product_errors.append(np.max(np.abs(A_D @ B_D.T - product)) / np.max(np.abs(product)))
        objective_errors.append(abs(value(G, A_D, B_D, fit.lam) - best) / abs(best))
        change = cosine_changes(item_item_cosine(B_D), reference)  # defined cosines only
        max_changes.append(change.max())
        mean_changes.append(change.mean())
    where = "Sec. 2.1-2.3, Eq. 3 and Eq. 4"
    return [
        row("3a_eq1_product_invariant_under_D", where, "Eq. 1: A(D) B(D)^T is unchanged by a random diagonal D", data,
            f"max over {trials} D (d_i in [0.1, 10]) of max|A(D)B(D)^T - AB^T| / max|AB^T|",
            max(product_errors), "<=", ROUNDING),
        row("3b_eq1_objective_invariant_under_D", where, "Eq. 1's objective is unchanged by a random diagonal D", data,
            f"max over {trials} D of |f(A D, B D^-1) - f(A, B)| / f(A, B)", max(objective_errors), "<=", ROUNDING),
        row("3c_eq1_item_cosine_changes_under_D", where,
            "Eq. 1: the same D changes the item-item cosine matrix (mean over D of mean |change| "
            f"= {np.mean(mean_changes):.3f}, of max |change| = {np.mean(max_changes):.3f})", data,
            f"min over {trials} D of max |cos_D - cos_I| over item pairs", min(max_changes), ">=", MATERIAL_CHANGE),
    ]


def case_a_factors(fit: Fit) -> tuple[np.ndarray, np.ndarray]:
    """Case A (Sec. 2.2): Eq. 3 with ``D = dMat(g)^{1/2}`` applied to the Eq. 1 fit.

    Parameters
    ----------
    fit : Fit
        Eq. 1's closed form, ``A``, ``B`` of shape (p, k).

    Returns
    -------
    A, B : ndarray, shape (p, k)
        ``A = V_k dMat(g)``, ``B = V_k``.
    """
    return rescale(fit.A, fit.B, np.sqrt(eq1_shrinkage(fit.spectrum.sigma, fit.lam)))


def case_b_factors(fit: Fit) -> tuple[np.ndarray, np.ndarray]:
    """Case B (Sec. 2.2): Eq. 3 with ``D = dMat(g)^{-1/2}`` applied to the Eq. 1 fit.

    Parameters
    ----------
    fit : Fit
        Eq. 1's closed form, ``A``, ``B`` of shape (p, k).

    Returns
    -------
    A, B : ndarray, shape (p, k)
        ``A = V_k``, ``B = V_k dMat(g)``.
    """
    return rescale(fit.A, fit.B, 1.0 / np.sqrt(eq1_shrinkage(fit.spectrum.sigma, fit.lam)))


def claim_case_a_identity(fit: Fit, data: str) -> list[ClaimRow]:
    """Claim 4: in Case A at full rank (k = p) the item-item cosine is the identity.

    Parameters
    ----------
    fit : Fit
        Eq. 1's closed form at k = p on data with full column rank.
    data : str
        The row's ``data`` column.

    Returns
    -------
    list of ClaimRow
        Row 4: max |cos - I| over all item pairs.
    """
    _, B = case_a_factors(fit)
    cosine = item_item_cosine(B)
    return [row("4_case_a_item_cosine_is_identity", "Sec. 2.2, Case A (k = p)",
                "Case A: item-item cosine equals the identity", data, "max |cos - I| over all item pairs",
                np.max(cosine_changes(cosine, np.eye(cosine.shape[0]))), "<=", ROUNDING)]


def ranking_violation(scores: np.ndarray, reference: np.ndarray) -> float:
    """Largest rise of ``scores`` along each row's ranking by ``reference`` (descending).

    Parameters
    ----------
    scores, reference : ndarray, shape (users, items)
        Two scores of the same items for the same users.

    Returns
    -------
    float
        Zero when every row of ``scores`` ranks the items exactly as ``reference`` does (ties in
        ``reference`` aside); otherwise the largest rise, relative to its row's largest ``|scores|``.
        A row with an undefined (NaN) score (a user without interactions) is left out.
    """
    defined = ~np.isnan(scores).any(axis=1)
    scores, reference = scores[defined], reference[defined]
    if scores.shape[0] == 0:
        return 0.0
    order = np.argsort(-reference, axis=1, kind="stable")
    sorted_scores = np.take_along_axis(scores, order, axis=1)
    rises = np.diff(sorted_scores, axis=1).max(axis=1)
    scale = np.abs(scores).max(axis=1)
    return float(max(0.0, np.max(np.where(scale > 0, rises / np.where(scale > 0, scale, 1.0), 0.0))))


def claim_case_a_ranking(X, fit: Fit, users: np.ndarray, data: str) -> list[ClaimRow]:
    """Claim 5: in Case A the user-item cosine ranks each user's items as the dot product
    ``x_u A B^T`` does.

    Parameters
    ----------
    X : sparse matrix or ndarray, shape (n, p)
        The data, with full column rank.
    fit : Fit
        Eq. 1's closed form at k = p.
    users : ndarray of int, shape (m,)
        The users compared.
    data : str
        The row's ``data`` column.

    Returns
    -------
    list of ClaimRow
        Row 5: :func:`ranking_violation` of the cosine against the dot product.
    """
    A, B = case_a_factors(fit)
    cosine = user_item_cosine(X, A, B, users)
    dot = user_embeddings(X, fit.A, users) @ fit.B.T
    return [row("5_case_a_user_item_ranking", "Sec. 2.2, Case A (k = p)",
                "Case A: user-item cosine ranks items for each user exactly as the dot product", data,
                f"largest rise of cosine along the dot-product ranking, {users.size} users, relative",
                ranking_violation(cosine, dot), "<=", ROUNDING)]


def claim_case_b_user_cosine(X, fit: Fit, users: np.ndarray, data: str) -> list[ClaimRow]:
    """Claim 6: in Case B the user-user cosine is ``Omega_A X X^T Omega_A``, the raw data's.

    Parameters
    ----------
    X : sparse matrix or ndarray, shape (n, p)
        The data, with full column rank.
    fit : Fit
        Eq. 1's closed form at k = p.
    users : ndarray of int, shape (m,)
        The users compared.
    data : str
        The row's ``data`` column.

    Returns
    -------
    list of ClaimRow
        Row 6: max |cos - raw cosine| over the m x m user pairs.
    """
    A, _ = case_b_factors(fit)
    X_users = X[users]
    raw = cosine_similarity(X_users.toarray() if hasattr(X_users, "toarray") else X_users)
    return [row("6_case_b_user_cosine_is_raw_data", "Sec. 2.2, Case B (k = p)",
                "Case B: user-user cosine equals Omega_A X X^T Omega_A", data,
                f"max |cos - raw cosine| over {users.size} x {users.size} user pairs",
                np.max(cosine_changes(user_user_cosine(X, A, users), raw), initial=0.0), "<=", ROUNDING)]
