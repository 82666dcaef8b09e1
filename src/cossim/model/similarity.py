"""Cosine similarities of embeddings (Section 2.3, Eq. 4).

Item embeddings are the rows of B, user embeddings the rows of X A. A row of zero length (an item
or user without interactions) has no direction: its cosine with every row, itself included, is
undefined and stored as NaN, and every score leaves it out.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def row_norms(M: np.ndarray) -> np.ndarray:
    """Euclidean norm of each row of a dense matrix.

    Parameters
    ----------
    M : ndarray, shape (m, k)

    Returns
    -------
    ndarray, shape (m,)
    """
    return np.sqrt(np.einsum("ij,ij->i", M, M))


def normalise_rows(M: np.ndarray) -> np.ndarray:
    """``Omega M``: each row scaled to unit length; zero rows stay zero (Eq. 4's Omega).

    For projections (unit-norm training), where a zero row must stay a zero row; a cosine marks
    such rows undefined instead (:func:`cosine_similarity`).

    Parameters
    ----------
    M : array_like, shape (m, k)

    Returns
    -------
    ndarray of float, shape (m, k)
    """
    M = np.asarray(M, dtype=float)
    norms = row_norms(M)
    inverse = np.zeros_like(norms)
    np.divide(1.0, norms, out=inverse, where=norms > 0)
    return M * inverse[:, None]


def undefined_where(matrix: np.ndarray, rows: np.ndarray, columns: np.ndarray | None = None) -> np.ndarray:
    """``matrix`` with NaN in the given rows and columns (in place; returned for chaining).

    Parameters
    ----------
    matrix : ndarray of float, shape (m, q)
    rows : ndarray of bool, shape (m,)
        Rows whose every entry is undefined.
    columns : ndarray of bool, shape (q,), optional
        Columns whose every entry is undefined; defaults to ``rows`` (a square matrix).

    Returns
    -------
    ndarray, shape (m, q)
    """
    matrix[rows, :] = np.nan
    matrix[:, rows if columns is None else columns] = np.nan
    return matrix


def items_without_interactions(X) -> np.ndarray:
    """Which items no user chose: columns of X with no non-zero entry, counted from X itself.

    Their rows of V_k and of every B are zero (``X^T X e_i = 0``), so their cosines are undefined.

    Parameters
    ----------
    X : scipy.sparse matrix or ndarray, shape (n, p)

    Returns
    -------
    ndarray of bool, shape (p,)
    """
    nonzero = (X != 0).sum(axis=0) if sp.issparse(X) else np.count_nonzero(np.asarray(X), axis=0)
    return np.asarray(nonzero).ravel() == 0


def users_without_interactions(X) -> np.ndarray:
    """Which users chose no item: rows of X with no non-zero entry, counted from X itself.

    Their embeddings ``x_u A`` are zero, so their cosines are undefined.

    Parameters
    ----------
    X : scipy.sparse matrix or ndarray, shape (n, p)

    Returns
    -------
    ndarray of bool, shape (n,)
    """
    return items_without_interactions(X.T)


def misplaced_undefined(matrix: np.ndarray, undefined: np.ndarray) -> int:
    """How many entries break "NaN exactly where the cosine is undefined" (Eq. 4).

    Parameters
    ----------
    matrix : ndarray, shape (m, q)
        Stored cosines.
    undefined : ndarray of bool, shape (m, q)
        Where the cosine is undefined (a row or column of zero length).

    Returns
    -------
    int
        Finite entries where ``undefined`` plus non-finite entries elsewhere; 0 when the matrix is right.
    """
    matrix = np.asarray(matrix, dtype=float)
    return int(np.sum(np.isfinite(matrix[undefined])) + np.sum(~np.isfinite(matrix[~undefined])))


def cosine_similarity(left: np.ndarray, right: np.ndarray | None = None) -> np.ndarray:
    """Cosine similarity between the rows of ``left`` and the rows of ``right`` (Eq. 4).

    Parameters
    ----------
    left : ndarray, shape (m, k)
    right : ndarray, shape (q, k), optional
        Defaults to ``left``.

    Returns
    -------
    ndarray, shape (m, q)
        Entries in [-1, 1]; NaN in the row of a zero row of ``left`` and in the column of a zero
        row of ``right`` (a vector of length 0 has no direction), the diagonal included.
    """
    left = np.asarray(left, dtype=float)
    left_unit = normalise_rows(left)
    right_unit = left_unit if right is None else normalise_rows(right)
    cosine = np.clip(left_unit @ right_unit.T, -1.0, 1.0)
    left_zero = row_norms(left) == 0
    right_zero = left_zero if right is None else row_norms(np.asarray(right, dtype=float)) == 0
    return undefined_where(cosine, left_zero, right_zero)


def cosine_changes(changed: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """``|changed - reference|`` over the entries defined in both; +inf where exactly one is NaN.

    Undefined cosines (NaN) are left out; a cosine that is defined in one matrix and not in the
    other is a change of unbounded size (it never passes as "unchanged").

    Parameters
    ----------
    changed, reference : ndarray, same shape (m, q)

    Returns
    -------
    ndarray, shape (N,)
        One entry per position where at least one of the two is defined.
    """
    changed, reference = np.asarray(changed, dtype=float), np.asarray(reference, dtype=float)
    undefined = np.isnan(changed), np.isnan(reference)
    either = undefined[0] | undefined[1]
    gaps = np.where(either, np.inf, np.abs(np.where(either, 0.0, changed - reference)))
    return gaps[~(undefined[0] & undefined[1])]


def item_item_cosine(B: np.ndarray) -> np.ndarray:
    """Item-item cosine ``Omega_B B B^T Omega_B`` (Section 2.3), shape (p, p).

    Parameters
    ----------
    B : ndarray, shape (p, k)
        Item embeddings (rows), e.g. ``B(D)`` of Eq. 3.

    Returns
    -------
    ndarray, shape (p, p)
        NaN in the row and column of a zero row of B (an item without interactions).
    """
    return cosine_similarity(B)


def user_embeddings(X, A: np.ndarray, users: np.ndarray) -> np.ndarray:
    """Rows ``users`` of ``X A``, computed without forming ``X A`` for all users.

    Parameters
    ----------
    X : scipy.sparse.csr_matrix or ndarray, shape (n, p)
    A : ndarray, shape (p, k)
    users : ndarray of int, shape (m,)
        Row indices of the sampled users.

    Returns
    -------
    ndarray, shape (m, k)
    """
    X_users = X[users]
    return np.asarray(X_users @ A) if sp.issparse(X_users) else X_users @ A


def user_user_cosine(X, A: np.ndarray, users: np.ndarray) -> np.ndarray:
    """User-user cosine ``Omega_A X A A^T X^T Omega_A`` on a sample of users, shape (m, m).

    Parameters
    ----------
    X : scipy.sparse.csr_matrix or ndarray, shape (n, p)
    A : ndarray, shape (p, k)
        User embeddings are the rows of ``X A``, e.g. ``A(D)`` of Eq. 3.
    users : ndarray of int, shape (m,)
        Row indices of the sampled users.

    Returns
    -------
    ndarray, shape (m, m)
    """
    return cosine_similarity(user_embeddings(X, A, users))


def user_item_cosine(X, A: np.ndarray, B: np.ndarray, users: np.ndarray) -> np.ndarray:
    """User-item cosine ``Omega_A X A B^T Omega_B`` for a sample of users, shape (m, p).

    Parameters
    ----------
    X : scipy.sparse.csr_matrix or ndarray, shape (n, p)
    A, B : ndarray, shape (p, k)
    users : ndarray of int, shape (m,)
        Row indices of the sampled users.

    Returns
    -------
    ndarray, shape (m, p)
    """
    return cosine_similarity(user_embeddings(X, A, users), B)


def sample_users(rng: np.random.Generator, n_users: int, size: int) -> np.ndarray:
    """A sorted sample of ``min(size, n_users)`` distinct user indices.

    Parameters
    ----------
    rng : numpy.random.Generator
    n_users : int
    size : int

    Returns
    -------
    ndarray of int, shape (min(size, n_users),)
    """
    return np.sort(rng.choice(n_users, size=min(size, n_users), replace=False))
