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
- Table 1 tests that Eq. 2 zeroes the dimensions with ``sigma_i <= lambda`` at rank k: with
  ``sigma_k > model.eq2_lambda`` that claim is not testable here; a note says so before any job,
  and Table 1 reports it so (not a failure).
- Table 1 (claims at k = p) needs the ``claims.full_rank_items`` most popular items (all when
  null) to have full column rank: ``sigma_q / sigma_1 > sqrt(q eps)``, the accuracy with which
  the Gram route resolves a singular value (the criterion the claims study verifies); the message
  names the largest number of most popular items that has it.

Messages about lambda name the value the rule of :mod:`cossim.model.regularisation` suggests.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..model.items import most_popular_items
from ..model.regularisation import kept_dimensions, suggested_lambdas
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


def has_full_column_rank(values: np.ndarray) -> bool:
    """Whether singular values ``values`` (descending, q of them) are those of a full-column-rank X:
    ``sigma_q / sigma_1 > sqrt(q eps)``, the accuracy with which the Gram route resolves a singular value.

    Parameters
    ----------
    values : ndarray, shape (q,)

    Returns
    -------
    bool
    """
    ratio = float(values[-1] / values[0]) if values[0] > 0 else 0.0
    return ratio > np.sqrt(values.size * np.finfo(float).eps)


def largest_full_rank_items(X: sp.csr_matrix, gram: np.ndarray) -> int:
    """The largest q whose q most popular items have full column rank (bisection; 1 at least).

    The q most popular items contain the q - 1 most popular ones, so full column rank holds for
    every q up to the largest: bisection finds it with about log2(min(n, p)) eigvalsh.

    Parameters
    ----------
    X : scipy.sparse.csr_matrix, shape (n, p)
    gram : ndarray, shape (p, p)
        ``X^T X``.

    Returns
    -------
    int
    """
    def full(q: int) -> bool:
        items = most_popular_items(X, q)
        return has_full_column_rank(singular_values(gram[np.ix_(items, items)]))

    low, high = 1, min(X.shape)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if full(middle) else (low, middle - 1)
    return low


def refuse_empty_fits(X: sp.csr_matrix, rank: int, config: dict | None, path) -> list[str]:
    """Refuse data on which the rank-k truncation, Eq. 2, Table 2's training or Table 1's claims
    at k = p are empty or undefined; return notes on what runs but cannot be tested.

    Every message names the key, the file, the singular value it conflicts with and the value
    that would work (the lambdas of :func:`cossim.model.regularisation.suggested_lambdas`, the
    largest ``claims.full_rank_items`` with full column rank).

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

    Returns
    -------
    list of str
        Notes: Table 1's claim 8 is not testable when Eq. 2 keeps every dimension at rank k.

    Raises
    ------
    OwnDataError
        Naming the key, the file and the singular value it conflicts with.
    """
    if X.shape[1] > SPECTRUM_MAX_ITEMS:  # no spectrum: only what the sizes tell
        if config is not None and config.get("claims") is not None:
            refuse_more_items_than_users(X.shape, config["claims"]["full_rank_items"], path)
        return []
    gram = (X.T @ X).toarray()
    eigenvalues = np.linalg.eigvalsh(gram)
    numerical_rank = int(np.count_nonzero(np.abs(eigenvalues) > np.abs(eigenvalues).max() * gram.shape[0] * np.finfo(float).eps))
    if rank > numerical_rank:
        raise OwnDataError(
            f"model.rank: k={rank} exceeds the rank {numerical_rank} of the matrix in {path} (numerical rank of "
            "X^T X); allowed: k <= rank of X"
        )
    if config is None:
        return []
    sigma = np.sqrt(np.clip(eigenvalues, 0.0, None))[::-1]
    lam = config.get("model", {}).get("eq2_lambda")
    suggested = suggested_lambdas(sigma, rank)
    if lam is not None and sigma[0] <= lam:
        raise OwnDataError(
            f"model.eq2_lambda: lambda={lam:g} is at least sigma_1 = {sigma[0]:.6g}, the largest singular value "
            f"of the matrix in {path}, so Eq. 2's solution is zero; allowed: lambda < {sigma[0]:.6g} "
            f"(suggested: {suggested.eq2_lambda:g}, with model.eq1_lambda {suggested.eq1_lambda:g}; "
            f"python -m cossim spectrum {path} --rank {rank})"
        )
    notes = refuse_empty_training(X, gram, config.get("training"), path)
    claims = config.get("claims")
    if claims is not None and lam is not None and not sigma[rank - 1] < sigma[0]:
        raise OwnDataError(
            f"model.rank: at k={rank} sigma_k = sigma_1 = {sigma[0]:.6g} in the matrix of {path}, so no lambda of Eq. 2 "
            "both keeps a dimension and zeroes one, as Table 1's claim about the zeroed dimensions needs; "
            "allowed: a rank k with sigma_k < sigma_1 (k >= 2)"
        )
    if claims is not None and lam is not None and sigma[rank - 1] > lam:
        notes.append(
            f"model.eq2_lambda: lambda={lam:g} is below sigma_{rank} = {sigma[rank - 1]:.6g} of the matrix in {path}, "
            "so Eq. 2 keeps all k dimensions and Table 1's claim 8 (Eq. 2 zeroes those with sigma_i <= lambda) is "
            f"not testable here (reported so, not a failure); to test it: {sigma[rank - 1]:.6g} <= lambda < "
            f"{sigma[0]:.6g} (the spectrum rule suggests {suggested.eq2_lambda:g}, which keeps "
            f"{kept_dimensions(sigma[:rank], suggested.eq2_lambda)} of the {rank})"
        )
    if claims is not None:
        refuse_rank_deficient_claims(X, gram, claims["full_rank_items"], path)
    return notes


def refuse_empty_training(X: sp.csr_matrix, gram: np.ndarray, training: dict | None, path) -> list[str]:
    """Refuse a ``training`` section whose rank exceeds its items or whose Eq. 2 fit is zero; note a
    configured lambda that differs from the rule's (``training.*_lambda: suggested`` suits the data).

    Parameters
    ----------
    X : scipy.sparse.csr_matrix, shape (n, p)
    gram : ndarray, shape (p, p)
        ``X^T X``.
    training : dict or None
        Config section ``training``.
    path : str or Path

    Returns
    -------
    list of str
        A note when a configured training lambda is not the rule's (the configured numbers suit the
        default data).
    """
    if training is None:
        return []
    items = most_popular_items(X, training["n_items"])
    if training["rank"] > items.size:
        raise OwnDataError(
            f"training.rank: k={training['rank']} exceeds the {items.size} items of {path} that training uses"
        )
    values = singular_values(gram[np.ix_(items, items)])
    suggested = suggested_lambdas(values, training["rank"], keep_all=True)
    configured = {key: training[key] for key in ("eq1_lambda", "eq2_lambda") if training[key] != "suggested"}
    notes = []
    if any(value != getattr(suggested, key) for key, value in configured.items()):
        notes.append(
            f"training: {', '.join(f'{key}={value:g}' for key, value in configured.items())} configured; on the "
            f"{items.size} training items of {path} the rule suggests eq1_lambda={suggested.eq1_lambda:g}, "
            f"eq2_lambda={suggested.eq2_lambda:g} (set training.eq1_lambda and training.eq2_lambda to suggested)"
        )
    if "eq2_lambda" not in configured:  # the rule keeps all training.rank dimensions
        return notes
    if values[0] <= training["eq2_lambda"]:
        raise OwnDataError(
            f"training.eq2_lambda: lambda={training['eq2_lambda']:g} is at least sigma_1 = {values[0]:.6g} of the "
            f"{items.size} most popular items of {path}, so the trained Eq. 2 fit is zero; allowed: lambda < "
            f"{values[0]:.6g} (suggested, keeping all {training['rank']} dimensions: {suggested.eq2_lambda:g})"
        )
    return notes


def refuse_more_items_than_users(shape: tuple[int, int], full_rank_items: int | None, path) -> None:
    """Refuse Table 1's claims at k = p on more items than users: ``X^T X`` then has rank at most n.

    Needs no spectrum: it runs for p > SPECTRUM_MAX_ITEMS, where the spectrum is not computed before any
    job (below, :func:`refuse_rank_deficient_claims` gives the same refusal with the largest value that works).

    Parameters
    ----------
    shape : (int, int)
        (n, p) of X.
    full_rank_items : int or None
        Config key ``claims.full_rank_items`` (None: all items).
    path : str or Path
    """
    n, p = shape
    q = p if full_rank_items is None else min(full_rank_items, p)
    if q > n:
        what = "null (all items)" if full_rank_items is None else str(full_rank_items)
        raise OwnDataError(
            f"claims.full_rank_items: {what} gives {q:,} items but {path} has n = {n:,} users < {q:,} items, so X has no "
            f"full column rank there (X^T X has rank at most n), which Table 1's claims at k = p need; allowed: at most "
            f"n = {n:,} most popular items whose columns are linearly independent "
            "(python -m cossim spectrum prints sigma_p / sigma_1)"
        )


def refuse_rank_deficient_claims(X: sp.csr_matrix, gram: np.ndarray, full_rank_items: int | None, path) -> None:
    """Refuse ``claims.full_rank_items`` items without full column rank (Table 1's claims at k = p).

    Parameters
    ----------
    X : scipy.sparse.csr_matrix, shape (n, p)
    gram : ndarray, shape (p, p)
        ``X^T X``.
    full_rank_items : int or None
        Config key ``claims.full_rank_items`` (None: all items).
    path : str or Path

    Raises
    ------
    OwnDataError
        Naming the key, the largest number of most popular items with full column rank, and
        ``n < p`` when that is why.
    """
    items = most_popular_items(X, full_rank_items)
    values = singular_values(gram[np.ix_(items, items)])
    if has_full_column_rank(values):
        return
    ratio = float(values[-1] / values[0]) if values[0] > 0 else 0.0
    n, p = X.shape
    why = f" (n = {n:,} users < {items.size:,} items: X^T X has rank at most n)" if n < items.size else ""
    raise OwnDataError(
        f"claims.full_rank_items: the {items.size} most popular items of {path} have no full column rank "
        f"(sigma_{values.size} / sigma_1 = {ratio:.3g}){why}, which Table 1's claims at k = p need; allowed: "
        "a number of most popular items whose columns are linearly independent: set claims.full_rank_items: "
        f"{largest_full_rank_items(X, gram)} (the largest that has full column rank) or fewer"
    )
