"""MovieLens 100k as the workflow's data set: ratings made binary, genres made a ground truth.

The files are the ones the ``recbole`` package ships (``ml-100k.inter``: ``user_id item_id rating
timestamp``, tab-separated; ``ml-100k.item``: ``item_id title year genres``, genres separated by
spaces). They are read here, never copied: GroupLens allows research use and forbids
redistribution.

- Binarisation: ``X_ui = 1`` when user u rated item i at least ``min_rating`` (1: any rating, the
  paper's "interaction"; 4: a liked item). Users and items left without an interaction are dropped.
- Ground truth: each item belongs to one or more of 19 genres (a ``(p, 19)`` boolean membership).
  Two items are "same" when they share a genre (:func:`genre_overlap`). Items also get one
  *primary* genre, their rarest (:func:`primary_genre`), which orders Figure 1 and is the single
  cluster the generic studies read from ``items.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

INTERACTION_HEADER = ("user_id:token", "item_id:token", "rating:float", "timestamp:float")
ITEM_HEADER = ("item_id:token", "movie_title:token_seq", "release_year:token", "class:token_seq")


class MovieLensError(ValueError):
    """A MovieLens file is not as the recbole package ships it."""


@dataclass(frozen=True)
class Ratings:
    """The ratings of ``ml-100k.inter``, one entry per (user, item).

    Attributes
    ----------
    user_ids, item_ids : ndarray of int64, shape (m,)
    ratings : ndarray of float, shape (m,)
    """

    user_ids: np.ndarray
    item_ids: np.ndarray
    ratings: np.ndarray


@dataclass(frozen=True)
class Genres:
    """Genres of the items of ``ml-100k.item``.

    Attributes
    ----------
    item_ids : ndarray of int64, shape (q,)
    names : tuple of str, length g
        The genres, sorted.
    membership : ndarray of bool, shape (q, g)
        ``membership[j, c]``: item ``item_ids[j]`` has genre ``names[c]``.
    """

    item_ids: np.ndarray
    names: tuple
    membership: np.ndarray


def _lines(path, header: tuple) -> list[list[str]]:
    """The tab-separated fields of every line after the header, which must be ``header``."""
    path = Path(path)
    text = path.read_text(encoding="utf-8").splitlines()
    if not text or tuple(text[0].split("\t")) != header:
        raise MovieLensError(f"{path}: expected the header {' '.join(header)!r}")
    rows = [line.split("\t") for line in text[1:] if line]
    bad = next((number for number, row in enumerate(rows, start=2) if len(row) != len(header)), None)
    if bad is not None:
        raise MovieLensError(f"{path}:{bad}: expected {len(header)} tab-separated fields")
    return rows


def read_ratings(path) -> Ratings:
    """Read ``ml-100k.inter``.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Ratings
        Refused (MovieLensError) if a (user, item) pair occurs twice.
    """
    rows = _lines(path, INTERACTION_HEADER)
    users = np.array([int(row[0]) for row in rows], dtype=np.int64)
    items = np.array([int(row[1]) for row in rows], dtype=np.int64)
    ratings = np.array([float(row[2]) for row in rows])
    pairs = np.unique(np.stack([users, items]), axis=1)
    if pairs.shape[1] != users.size:
        raise MovieLensError(f"{path}: {users.size - pairs.shape[1]} duplicate (user, item) pairs")
    return Ratings(users, items, ratings)


def read_genres(path) -> Genres:
    """Read the genres of ``ml-100k.item`` (the last field, space-separated).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Genres
        Items in file order; genre names sorted.
    """
    rows = _lines(path, ITEM_HEADER)
    item_ids = np.array([int(row[0]) for row in rows], dtype=np.int64)
    tags = [row[3].split() for row in rows]
    names = tuple(sorted({tag for item_tags in tags for tag in item_tags}))
    column = {name: c for c, name in enumerate(names)}
    membership = np.zeros((len(rows), len(names)), dtype=bool)
    for j, item_tags in enumerate(tags):
        membership[j, [column[tag] for tag in item_tags]] = True
    return Genres(item_ids, names, membership)


def binary_interactions(ratings: Ratings, min_rating: float) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """X with ``X_ui = 1`` where user u rated item i at least ``min_rating``.

    Rows are the users with at least one such rating and columns the items with at least one,
    both by increasing id.

    Parameters
    ----------
    ratings : Ratings
    min_rating : float

    Returns
    -------
    X : scipy.sparse.csr_matrix of float64, shape (n, p)
    user_ids : ndarray of int64, shape (n,)
    item_ids : ndarray of int64, shape (p,)
    """
    keep = ratings.ratings >= min_rating
    user_ids, rows = np.unique(ratings.user_ids[keep], return_inverse=True)
    item_ids, columns = np.unique(ratings.item_ids[keep], return_inverse=True)
    X = sp.csr_matrix((np.ones(rows.size), (rows, columns)), shape=(user_ids.size, item_ids.size))
    X.sort_indices()
    return X, user_ids, item_ids


def most_popular_items(X: sp.csr_matrix, max_items: int | None) -> tuple[np.ndarray, np.ndarray]:
    """The ``max_items`` items with the most interactions, and the users left with one.

    Ties in the count are broken by the lower column index; the columns keep their order.

    Parameters
    ----------
    X : scipy.sparse.csr_matrix, shape (n, p)
    max_items : int or None
        None keeps every item.

    Returns
    -------
    users : ndarray of int, shape (n',)
        Row indices kept, increasing.
    items : ndarray of int, shape (p',)
        Column indices kept, increasing.
    """
    n, p = X.shape
    if max_items is None or max_items >= p:
        items = np.arange(p)
    else:
        counts = np.asarray(X.getnnz(axis=0))
        items = np.sort(np.lexsort((np.arange(p), -counts))[:max_items])
    users = np.flatnonzero(X[:, items].getnnz(axis=1) > 0)
    return users, items


def membership_of(genres: Genres, item_ids: np.ndarray) -> np.ndarray:
    """The genre membership of the items ``item_ids`` (in that order).

    Parameters
    ----------
    genres : Genres
    item_ids : ndarray of int, shape (p,)

    Returns
    -------
    ndarray of bool, shape (p, g)
        Refused (MovieLensError) if an item has no row or no genre.
    """
    position = {int(item): j for j, item in enumerate(genres.item_ids)}
    missing = [int(item) for item in item_ids if int(item) not in position]
    if missing:
        raise MovieLensError(f"{len(missing)} rated items have no genres, e.g. item {missing[0]}")
    membership = genres.membership[[position[int(item)] for item in item_ids]]
    if not membership.any(axis=1).all():
        raise MovieLensError("an item without any genre cannot be placed in the ground truth")
    return membership


def primary_genre(membership: np.ndarray) -> np.ndarray:
    """Each item's rarest genre among the ``p`` items (ties: the lower genre index).

    The rarest genre is the most specific one: Toy Story (Animation, Children's, Comedy) is an
    Animation film first.

    Parameters
    ----------
    membership : ndarray of bool, shape (p, g)

    Returns
    -------
    ndarray of int64, shape (p,)
        Genre index in [0, g).
    """
    sizes = membership.sum(axis=0)
    cost = np.where(membership, sizes[None, :], np.iinfo(np.int64).max)
    return np.argmin(cost, axis=1).astype(np.int64)


def genre_overlap(membership: np.ndarray) -> np.ndarray:
    """The ground truth of item pairs: ``S_ij = 1`` when items i and j share a genre.

    Parameters
    ----------
    membership : ndarray of bool, shape (p, g)

    Returns
    -------
    ndarray of bool, shape (p, p)
        True on the diagonal.
    """
    M = membership.astype(np.int64)
    return (M @ M.T) > 0


def genre_jaccard(membership: np.ndarray) -> np.ndarray:
    """How much two items' genre sets overlap: ``|G_i & G_j| / |G_i | G_j|`` (the drawn truth panel).

    Parameters
    ----------
    membership : ndarray of bool, shape (p, g)

    Returns
    -------
    ndarray of float, shape (p, p)
        1 on the diagonal, 0 for pairs sharing no genre.
    """
    M = membership.astype(float)
    shared = M @ M.T
    sizes = M.sum(axis=1)
    return shared / (sizes[:, None] + sizes[None, :] - shared)


def save_genres(path, item_ids: np.ndarray, names: tuple, membership: np.ndarray) -> None:
    """Write ``item_genres.csv``: item index, MovieLens id, then one 0/1 column per genre.

    Parameters
    ----------
    path : str or Path
    item_ids : ndarray of int, shape (p,)
    names : tuple of str, length g
    membership : ndarray of bool, shape (p, g)
    """
    import csv

    from ..io import atomic_path

    with atomic_path(path) as temporary, open(temporary, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["item", "movielens_id", *names])
        for index, (item, row) in enumerate(zip(item_ids, membership)):
            writer.writerow([index, int(item), *row.astype(int).tolist()])


def load_genres(path) -> tuple[np.ndarray, tuple, np.ndarray]:
    """Read ``item_genres.csv`` (:func:`save_genres`).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    item_ids : ndarray of int64, shape (p,)
    names : tuple of str, length g
    membership : ndarray of bool, shape (p, g)
    """
    import csv

    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    if header[:2] != ["item", "movielens_id"] or [int(row[0]) for row in body] != list(range(len(body))):
        raise MovieLensError(f"{path}: expected columns item, movielens_id, <genres> with items 0..p-1 in order")
    item_ids = np.array([int(row[1]) for row in body], dtype=np.int64)
    membership = np.array([[value == "1" for value in row[2:]] for row in body], dtype=bool).reshape(len(body), -1)
    return item_ids, tuple(header[2:]), membership


def movielens_data(ratings: Ratings, genres: Genres, min_rating: float, max_items: int | None):
    """The workflow's data set from MovieLens: X, its item ids and genres, primary genre, popularity.

    Parameters
    ----------
    ratings : Ratings
    genres : Genres
    min_rating : float
        :func:`binary_interactions`'s threshold.
    max_items : int or None
        :func:`most_popular_items`' count.

    Returns
    -------
    X : csr_matrix, shape (n, p)
    item_ids : ndarray of int64, shape (p,)
    membership : ndarray of bool, shape (p, g)
    primary : ndarray of int64, shape (p,)
    popularity : ndarray of float, shape (p,)
        Share of the n users who interacted with each item.
    """
    X, _, item_ids = binary_interactions(ratings, min_rating)
    users, items = most_popular_items(X, max_items)
    X, item_ids = X[users][:, items], item_ids[items]
    membership = membership_of(genres, item_ids)
    popularity = np.asarray(X.getnnz(axis=0)) / X.shape[0]
    return X, item_ids, membership, primary_genre(membership), popularity
