"""Subsets of the items: the most popular ones, and X restricted to them (Tables 1 and 2 use
them where the full item set is too large or lacks full column rank)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def most_popular_items(X, count: int | None) -> np.ndarray:
    """Indices of the ``count`` items with the most interactions, in item order.

    Parameters
    ----------
    X : sparse matrix or ndarray, shape (n, p)
    count : int or None
        How many items; None (or at least p) for all of them.

    Returns
    -------
    ndarray of int, shape (min(count, p),)
        Ascending item indices; ties in popularity are broken by item index.
    """
    totals = np.asarray(X.sum(axis=0)).ravel()
    if count is None or count >= totals.size:
        return np.arange(totals.size)
    ranked = np.lexsort((np.arange(totals.size), -totals))
    return np.sort(ranked[:count])


def restrict_to_items(X, items: np.ndarray):
    """The columns ``items`` of X: the same users on fewer items.

    Parameters
    ----------
    X : sparse matrix or ndarray, shape (n, p)
    items : ndarray of int, shape (q,)

    Returns
    -------
    scipy.sparse.csr_matrix or ndarray, shape (n, q)
    """
    return X[:, items].tocsr() if sp.issparse(X) else np.asarray(X)[:, items]
