"""Refusing own data whose singular values make a study's fit empty or undefined.

On a user's data the configuration cannot be checked against the data before it is read, so
these checks run, with the data, before any job (:func:`cossim.data.own_data.check_own_data`).
They need the singular values of ``X``, from ``eigvalsh(X^T X)``; that costs a p x p matrix,
so they run when ``p <= SPECTRUM_MAX_ITEMS`` (the paper's p = 1,000 takes well under a second).

- Section 2's rank-k truncation needs ``sigma_k > 0``: ``model.rank`` at most the numerical
  rank of ``X`` (eigenvalues of ``X^T X`` above ``p * eps`` times the largest, as
  :func:`numpy.linalg.matrix_rank` counts them).
- Eq. 2 (``model.eq2_lambda``) zeroes every dimension with ``sigma_i <= lambda`` (Eq. 6): when
  ``sigma_1 <= lambda`` its embeddings are all zero and their cosines undefined.
- Table 2 (training) fits the ``training.n_items`` most popular items at ``training.rank``, and
  compares the trained Eq. 2 fit on its non-zero dimensions: it needs ``training.rank`` at most
  that number of items and ``sigma_1 > training.eq2_lambda`` there.
- Table 1 tests that Eq. 2 zeroes the dimensions with ``sigma_i <= lambda`` at rank k: it needs
  ``sigma_k <= model.eq2_lambda``.
- Table 1 (claims at k = p) needs the ``claims.full_rank_items`` most popular items (all when
  null) to have full column rank: ``sigma_q / sigma_1 > sqrt(q eps)``, the accuracy with which
  the Gram route resolves a singular value (the criterion the claims study verifies).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..model.items import most_popular_items
from .parsing import OwnDataError

SPECTRUM_MAX_ITEMS = 2000
"""Largest p for which the singular values are computed before any job (a p x p eigvalsh)."""


def singular_values(gram: np.ndarray) -> np.ndarray:
    """Singular values of X from its Gram matrix, descending.

    Parameters
    ----------
    gram : ndarray, shape (q, q)
        ``X^T X`` (or a principal submatrix of it).

    Returns
    -------
    ndarray, shape (q,)
    """
    return np.sqrt(np.clip(np.linalg.eigvalsh(gram), 0.0, None))[::-1]


def refuse_empty_fits(X: sp.csr_matrix, rank: int, config: dict | None, path) -> None:
    """Refuse data on which the rank-k truncation, Eq. 2, Table 2's training or Table 1's claims
    at k = p are empty.

    Parameters
    ----------
    X : scipy.sparse.csr_matrix, shape (n, p)
    rank : int
        The model's rank k.
    config : dict or None
        The validated configuration (keys ``model``, ``training``, ``claims`` are read when
        present); None checks the rank only.
    path : str or Path
        The interaction file, for the messages.

    Raises
    ------
    OwnDataError
        Naming the key, the file and the singular value it conflicts with.
    """
    if X.shape[1] > SPECTRUM_MAX_ITEMS:
        return
    gram = (X.T @ X).toarray()
    eigenvalues = np.linalg.eigvalsh(gram)
    numerical_rank = int(np.count_nonzero(np.abs(eigenvalues) > np.abs(eigenvalues).max() * gram.shape[0] * np.finfo(float).eps))
    if rank > numerical_rank:
        raise OwnDataError(
            f"model.rank: k={rank} exceeds the rank {numerical_rank} of the matrix in {path} (numerical rank of "
            "X^T X); allowed: k <= rank of X"
        )
    if config is None:
        return
    sigma = np.sqrt(np.clip(eigenvalues, 0.0, None))[::-1]
    lam = config.get("model", {}).get("eq2_lambda")
    if lam is not None and sigma[0] <= lam:
        raise OwnDataError(
            f"model.eq2_lambda: lambda={lam:g} is at least sigma_1 = {sigma[0]:.6g}, the largest singular value "
            f"of the matrix in {path}, so Eq. 2's solution is zero; allowed: lambda < {sigma[0]:.6g}"
        )
    training = config.get("training")
    if training is not None:
        items = most_popular_items(X, training["n_items"])
        if training["rank"] > items.size:
            raise OwnDataError(
                f"training.rank: k={training['rank']} exceeds the {items.size} items of {path} that training uses"
            )
        top = singular_values(gram[np.ix_(items, items)])[0]
        if top <= training["eq2_lambda"]:
            raise OwnDataError(
                f"training.eq2_lambda: lambda={training['eq2_lambda']:g} is at least sigma_1 = {top:.6g} of the "
                f"{items.size} most popular items of {path}, so the trained Eq. 2 fit is zero; allowed: lambda < {top:.6g}"
            )
    claims = config.get("claims")
    if claims is not None and lam is not None and not sigma[rank - 1] < sigma[0]:
        raise OwnDataError(
            f"model.rank: at k={rank} sigma_k = sigma_1 = {sigma[0]:.6g} in the matrix of {path}, so no lambda of Eq. 2 "
            "both keeps a dimension and zeroes one, as Table 1's claim about the zeroed dimensions needs; "
            "allowed: a rank k with sigma_k < sigma_1 (k >= 2)"
        )
    if claims is not None and lam is not None and sigma[rank - 1] > lam:
        raise OwnDataError(
            f"model.eq2_lambda: lambda={lam:g} is below sigma_{rank} = {sigma[rank - 1]:.6g} of the matrix in {path}, "
            "so Eq. 2 zeroes no dimension at rank k and Table 1's claim that it zeroes those with sigma_i <= lambda "
            f"cannot be tested; allowed: {sigma[rank - 1]:.6g} <= lambda < {sigma[0]:.6g}"
        )
    if claims is not None:
        items = most_popular_items(X, claims["full_rank_items"])
        values = singular_values(gram[np.ix_(items, items)])
        ratio = float(values[-1] / values[0]) if values[0] > 0 else 0.0
        if not ratio > np.sqrt(values.size * np.finfo(float).eps):
            raise OwnDataError(
                f"claims.full_rank_items: the {items.size} most popular items of {path} have no full column rank "
                f"(sigma_{values.size} / sigma_1 = {ratio:.3g}), which Table 1's claims at k = p need; allowed: "
                "a number of most popular items whose columns are linearly independent"
            )
