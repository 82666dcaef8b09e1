"""Refusing well-formed data that the model cannot fit: no interactions, empty users or items,
or a matrix whose rank is below the model's rank k.

A value of 0 counts as no interaction. Every user and every item needs at least one non-zero
value (an item without one has a zero embedding, whose cosine is undefined). The rank of ``X``
is bounded cheaply and exactly by the number of distinct non-zero user rows and of distinct
non-zero item columns (its numerical rank, for ``p <= 2000``: :mod:`cossim.data.spectrum`).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .parsing import OwnDataError


def listed(ids: np.ndarray, limit: int = 5) -> str:
    """At most ``limit`` ids, comma-separated, for a message.

    Parameters
    ----------
    ids : ndarray of int, shape (m,)
    limit : int

    Returns
    -------
    str
    """
    return ", ".join(str(int(i)) for i in ids[:limit]) + (", ..." if ids.size > limit else "")


def distinct_lines(X: sp.csr_matrix) -> int:
    """Number of distinct non-zero rows of ``X`` (entries compared exactly).

    Parameters
    ----------
    X : scipy.sparse.csr_matrix, shape (n, p)
        Without explicit zeros, with sorted indices.

    Returns
    -------
    int
    """
    rows = set()
    for start, end in zip(X.indptr[:-1], X.indptr[1:]):
        if end > start:
            rows.add((X.indices[start:end].tobytes(), X.data[start:end].tobytes()))
    return len(rows)


def refuse_degenerate(X: sp.spmatrix, item_ids: np.ndarray, user_ids: np.ndarray, path) -> sp.csr_matrix:
    """Refuse data without interactions, or with a user or item that has only zeros.

    Parameters
    ----------
    X : scipy.sparse matrix, shape (n, p)
    item_ids, user_ids : ndarray, shape (p,) and (n,)
        The file's ids, for the messages.
    path : str or Path

    Returns
    -------
    scipy.sparse.csr_matrix, shape (n, p)
        ``X`` without its explicit zeros.

    Raises
    ------
    OwnDataError
        Naming the file and the reason.
    """
    nonzero = sp.csr_matrix(X, copy=True)
    nonzero.eliminate_zeros()
    nonzero.sort_indices()
    if nonzero.nnz == 0:
        raise OwnDataError(f"{path}: all {X.nnz} values are 0: no interactions left (a value of 0 counts as none)")
    squares = float(np.dot(nonzero.data, nonzero.data))
    if not np.isfinite(squares):
        raise OwnDataError(f"{path}: the squared values sum to {squares}: X^T X would not be finite")
    empty_items = np.flatnonzero(np.diff(nonzero.tocsc().indptr) == 0)
    if empty_items.size:
        raise OwnDataError(
            f"{path}: {empty_items.size} item(s) have no non-zero interaction: {listed(np.asarray(item_ids)[empty_items])}; "
            "allowed: every item (and user) with at least one non-zero value (remove the item)"
        )
    empty_users = np.flatnonzero(np.diff(nonzero.indptr) == 0)
    if empty_users.size:
        raise OwnDataError(
            f"{path}: {empty_users.size} user(s) have no non-zero interaction: {listed(np.asarray(user_ids)[empty_users])}; "
            "allowed: every user (and item) with at least one non-zero value (remove the user)"
        )
    return nonzero


def refuse_low_rank(X: sp.csr_matrix, rank: int, path) -> None:
    """Refuse a model rank k above a bound on the rank of ``X`` (Section 2's truncation needs sigma_k > 0).

    The bound: the numbers of items, of users, of distinct non-zero user rows and of distinct
    non-zero item columns (rows or columns that are equal add nothing to the rank).

    Parameters
    ----------
    X : scipy.sparse.csr_matrix, shape (n, p)
        Without explicit zeros, sorted indices (:func:`refuse_degenerate`).
    rank : int
        The model's rank k.
    path : str or Path

    Raises
    ------
    OwnDataError
        Naming ``model.rank``, the file and the bound that k exceeds.
    """
    n_users, n_items = X.shape
    if rank > n_items:
        raise OwnDataError(f"model.rank: k={rank} exceeds the {n_items} items of {path}")
    if rank > n_users:
        raise OwnDataError(f"model.rank: k={rank} exceeds the {n_users} users of {path}")
    distinct_users = distinct_lines(X)
    distinct_items = distinct_lines(X.T.tocsr())
    bound = min(distinct_users, distinct_items)
    if rank > bound:
        raise OwnDataError(
            f"model.rank: k={rank} exceeds the rank of the matrix in {path}, which is at most {bound} "
            f"({distinct_users} distinct user rows, {distinct_items} distinct item columns); allowed: k <= rank of X"
        )
