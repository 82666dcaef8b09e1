"""The exact and scalable sampler of Section 4's interactions: k_u distinct items per user,
drawn without replacement with probabilities ``p_ui``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


def sample_without_replacement(
    rng: np.random.Generator, log_weights: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``counts[r]`` distinct columns of each row r, successively and without replacement.

    Probabilities are proportional to ``exp(log_weights[r])``. Vectorised Gumbel-top-k: the
    ``counts[r]`` largest ``log w + Gumbel`` keys of a row are distributed exactly as successive
    weighted draws without replacement, which is what ``rng.choice(p=w / w.sum(), replace=False)``
    does. Columns of zero weight are never drawn; callers must keep ``counts[r]`` at most the
    number of positive weights of row r.

    Parameters
    ----------
    rng : numpy.random.Generator
    log_weights : ndarray of float, shape (m, q)
        Unnormalised log probabilities, ``-inf`` for weight 0.
    counts : ndarray of int, shape (m,)
        Draws per row.

    Returns
    -------
    rows, cols : ndarray of int64, shape (counts.sum(),)
        Coordinates of the draws, grouped by row, columns ascending within a row.
    """
    n_rows, n_cols = log_weights.shape
    if counts.size == 0 or counts.max() == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    keys = log_weights + rng.gumbel(size=(n_rows, n_cols))
    # the counts[r] largest keys of a row are those at or above its counts[r]-th largest key
    # (keys tie with probability 0); rows drawing nothing get an unreachable threshold
    threshold = np.sort(keys, axis=1)[np.arange(n_rows), np.clip(n_cols - counts, 0, n_cols - 1)]
    threshold[counts == 0] = np.inf
    rows, cols = np.nonzero(keys >= threshold[:, None])
    return rows.astype(np.int64), cols.astype(np.int64)


def user_item_log_weights(
    preferences: np.ndarray, item_cluster: np.ndarray, popularity: np.ndarray
) -> np.ndarray:
    """``log(p_{u,c_i} p_i)``, the unnormalised log of p_ui (Section 4), for a block of users.

    Parameters
    ----------
    preferences : ndarray of float, shape (m, C)
        p_uc of the block's users.
    item_cluster : ndarray of int, shape (p,)
    popularity : ndarray of float, shape (p,)

    Returns
    -------
    ndarray of float, shape (m, p)
        ``-inf`` where p_uc = 0.
    """
    with np.errstate(divide="ignore"):
        return np.log(preferences)[:, item_cluster] + np.log(popularity)[None, :]


# --- Scalable exact sampler ------------------------------------------------------------------
#
# Successive weighted sampling without replacement has the same law as reading an i.i.d.
# stream of draws with probabilities p_ui and keeping each item the first time it appears.
# Most users draw few items (k_u is heavy tailed), so a few rounds of cheap i.i.d. draws finish
# them in O(k_u log p); a user left unfinished (or whose k_u is a large share of the items) is
# completed by Gumbel-top-k over the items not drawn yet. That is exact too: given the items
# drawn so far, the rest is successive sampling from the remaining items.

SAMPLING_BLOCK_USERS = 8192
"""Users whose random numbers are drawn together. Fixed, so that the data never depend on
the memory setting ``chunk_size``."""

STREAM_ROUNDS = 3
"""Rounds of i.i.d. draws before the dense completion."""

DENSE_SHARE = 8
"""Users with ``k_u > n_items / DENSE_SHARE`` skip the i.i.d. rounds: collecting that many
distinct items one draw at a time costs more than one dense row of keys."""

DENSE_KEYS_PER_CHUNK = 1 << 22
"""Dense Gumbel keys held at once when ``chunk_size`` is None (32 MiB of float64)."""


def dense_rows_per_chunk(n_items: int, chunk_size: int | None = None) -> int:
    """Rows of dense Gumbel keys generated at once.

    ``chunk_size`` if given, else about :data:`DENSE_KEYS_PER_CHUNK` keys' worth of rows.

    Parameters
    ----------
    n_items : int
    chunk_size : int or None

    Returns
    -------
    int
        At least 1.
    """
    if chunk_size is not None:
        return max(1, int(chunk_size))
    return max(1, DENSE_KEYS_PER_CHUNK // max(1, n_items))


@dataclass(frozen=True)
class ClusteredItemLaw:
    """The item law ``p_ui = p_{u,c_i} p_i / sum_j p_{u,c_j} p_j`` of Section 4.

    Arranged for fast inverse-CDF draws: items sorted by cluster, running popularity sums.

    Attributes
    ----------
    items_by_cluster : ndarray of int64, shape (p,)
        Item indices sorted by cluster (stable).
    cumulative_popularity : ndarray of float, shape (p,)
        Running sum of ``p_i`` in ``items_by_cluster`` order.
    cluster_start, cluster_stop : ndarray of int64, shape (C,)
        Range of each cluster in ``items_by_cluster``.
    cluster_mass : ndarray of float, shape (C,)
        ``W_c = sum_{i in c} p_i``.
    """

    items_by_cluster: np.ndarray
    cumulative_popularity: np.ndarray
    cluster_start: np.ndarray
    cluster_stop: np.ndarray
    cluster_mass: np.ndarray

    @classmethod
    def build(cls, item_cluster: np.ndarray, popularity: np.ndarray, n_clusters: int) -> ClusteredItemLaw:
        """Arrange ``c_i`` and ``p_i`` for :meth:`draw`.

        Parameters
        ----------
        item_cluster : ndarray of int, shape (p,)
        popularity : ndarray of float, shape (p,)
        n_clusters : int
            C.

        Returns
        -------
        ClusteredItemLaw
        """
        order = np.argsort(item_cluster, kind="stable")
        sizes = np.bincount(item_cluster, minlength=n_clusters)
        stop = np.cumsum(sizes)
        sorted_popularity = popularity[order]
        mass = np.bincount(item_cluster, weights=popularity, minlength=n_clusters)
        return cls(order.astype(np.int64), np.cumsum(sorted_popularity), (stop - sizes).astype(np.int64),
                   stop.astype(np.int64), mass)

    def cluster_cdf(self, preferences: np.ndarray) -> np.ndarray:
        """Each user's cumulative cluster probabilities ``sum_{c' <= c} p_uc' W_c' / Z_u``.

        Parameters
        ----------
        preferences : ndarray of float, shape (m, C)

        Returns
        -------
        ndarray of float, shape (m, C)
            Last column exactly 1.
        """
        cumulative = np.cumsum(preferences * self.cluster_mass, axis=1)
        cumulative /= cumulative[:, -1:]
        cumulative[:, -1] = 1.0
        return cumulative

    def draw(self, rng: np.random.Generator, cdf: np.ndarray, users: np.ndarray) -> np.ndarray:
        """One independent item for each entry of ``users``, with probability p_ui.

        One uniform v per draw: the cluster is where v falls in the user's cluster CDF
        (:meth:`cluster_cdf`, probability proportional to ``p_uc W_c``), and v's relative
        position within that cluster's interval picks the item with probability ``p_i / W_c``.

        Parameters
        ----------
        rng : numpy.random.Generator
        cdf : ndarray of float, shape (m, C)
            :meth:`cluster_cdf` of the block's users.
        users : ndarray of int64, shape (d,)
            Row of ``cdf`` of each draw.

        Returns
        -------
        ndarray of int64, shape (d,)
        """
        n_clusters = cdf.shape[1]
        v = rng.random(users.size)
        # all users' CDFs in one sorted array: user u's entries are u + cdf[u]
        offsets = (np.arange(cdf.shape[0])[:, None] + cdf).ravel()
        cluster = np.searchsorted(offsets, users + v, side="right") - users * n_clusters
        cluster = np.clip(cluster, 0, n_clusters - 1)
        flat = users * n_clusters + cluster
        low = np.where(cluster > 0, cdf.ravel()[flat - 1], 0.0)
        high = cdf.ravel()[flat]
        # a rounding edge may land on an empty interval (a cluster of zero weight): step back
        empty = high <= low
        while empty.any():
            cluster[empty] -= 1
            flat = users * n_clusters + cluster
            low = np.where(cluster > 0, cdf.ravel()[flat - 1], 0.0)
            high = cdf.ravel()[flat]
            empty = high <= low
        within = np.clip((v - low) / (high - low), 0.0, 1.0)
        start, stop = self.cluster_start[cluster], self.cluster_stop[cluster]
        before = np.where(start > 0, self.cumulative_popularity[np.maximum(start - 1, 0)], 0.0)
        position = np.searchsorted(self.cumulative_popularity, before + within * self.cluster_mass[cluster],
                                   side="right")
        return self.items_by_cluster[np.clip(position, start, stop - 1)]


def first_new_draws(
    users: np.ndarray, items: np.ndarray, needed: np.ndarray, n_items: int, drawn: np.ndarray
) -> np.ndarray:
    """Codes ``user * n_items + item`` of each user's first ``needed[user]`` new stream items.

    New means neither a repeat within the stream nor in ``drawn``.

    Parameters
    ----------
    users, items : ndarray of int64, shape (d,)
        The draws in stream order, grouped by user (ascending).
    needed : ndarray of int64, shape (m,)
        Items still missing, indexed by user.
    n_items : int
    drawn : ndarray of int64, shape (e,)
        Sorted codes of the items each user already has.

    Returns
    -------
    ndarray of int64
        At most ``needed.sum()`` codes, in stream order.
    """
    codes = users * n_items + items
    unique_codes, first = np.unique(codes, return_index=True)
    fresh = ~np.isin(unique_codes, drawn, assume_unique=True)
    first = np.sort(first[fresh])
    codes, owners = codes[first], users[first]
    group_start = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    rank = np.arange(owners.size) - np.repeat(group_start, np.diff(np.r_[group_start, owners.size]))
    return codes[rank < needed[owners]]


def sample_block(
    rng: np.random.Generator,
    preferences: np.ndarray,
    law: ClusteredItemLaw,
    item_cluster: np.ndarray,
    popularity: np.ndarray,
    counts: np.ndarray,
    dense_rows: int,
) -> np.ndarray:
    """Exact successive sampling of ``counts[u]`` distinct items for a block of users.

    Parameters
    ----------
    rng : numpy.random.Generator
    preferences : ndarray of float, shape (m, C)
    law : ClusteredItemLaw
    item_cluster : ndarray of int, shape (p,)
    popularity : ndarray of float, shape (p,)
    counts : ndarray of int64, shape (m,)
    dense_rows : int
        Rows of dense keys at once (:func:`dense_rows_per_chunk`).

    Returns
    -------
    ndarray of int64, shape (counts.sum(),)
        Sorted codes ``user * n_items + item`` (users local to the block).
    """
    n_users, n_items = counts.size, item_cluster.size
    drawn = np.empty(0, np.int64)
    have = np.zeros(n_users, np.int64)
    streaming = counts * DENSE_SHARE <= n_items
    cdf = law.cluster_cdf(preferences)
    for _ in range(STREAM_ROUNDS):
        active = np.flatnonzero(streaming & (have < counts))
        if active.size == 0:
            break
        needed = counts[active] - have[active]
        draws = 2 * needed + 4
        users = np.repeat(active, draws)
        items = law.draw(rng, cdf, users)
        missing = np.zeros(n_users, np.int64)
        missing[active] = needed
        new = first_new_draws(users, items, missing, n_items, drawn)
        have += np.bincount(new // n_items, minlength=n_users)
        drawn = np.sort(np.concatenate((drawn, new)))
    rest = np.flatnonzero(have < counts)
    for start in range(0, rest.size, dense_rows):
        users = rest[start:start + dense_rows]
        log_w = user_item_log_weights(preferences[users], item_cluster, popularity)
        mine = drawn[np.isin(drawn // n_items, users)]
        local = np.searchsorted(users, mine // n_items)
        log_w[local, mine % n_items] = -np.inf
        rows, cols = sample_without_replacement(rng, log_w, counts[users] - have[users])
        drawn = np.sort(np.concatenate((drawn, users[rows] * n_items + cols)))
    return drawn


def sample_interactions(
    rng: np.random.Generator,
    preferences: np.ndarray,
    item_cluster: np.ndarray,
    popularity: np.ndarray,
    counts: np.ndarray,
    chunk_size: int | None = None,
) -> sp.csr_matrix:
    """Binary X of Section 4: ``counts[u]`` distinct items per user u, drawn with probability p_ui.

    Drawn successively without replacement, ``p_ui`` proportional to ``p_{u,c_i} p_i``. Exact in
    law (the same law as ``rng.choice(p, counts[u], replace=False, p=p_u)`` per user), memory
    O(nnz + chunk x p), time about linear in the number of interactions. Users are processed in
    fixed blocks of :data:`SAMPLING_BLOCK_USERS`; ``chunk_size`` only bounds the rows of dense
    keys held at once and does not change the result. Callers must keep ``counts[u]`` at most the
    number of items of positive probability.

    Parameters
    ----------
    rng : numpy.random.Generator
    preferences : ndarray of float, shape (n_users, C)
        p_uc.
    item_cluster : ndarray of int, shape (n_items,)
        c_i.
    popularity : ndarray of float, shape (n_items,)
        p_i.
    counts : ndarray of int64, shape (n_users,)
        k_u.
    chunk_size : int or None

    Returns
    -------
    scipy.sparse.csr_matrix, shape (n_users, n_items)
        float64 ones, sorted int32 column indices (int64 if they would not fit).
    """
    n_users, n_items = preferences.shape[0], item_cluster.size
    law = ClusteredItemLaw.build(item_cluster, popularity, preferences.shape[1])
    dense_rows = dense_rows_per_chunk(n_items, chunk_size)
    nnz = int(counts.sum())
    index_dtype = np.int32 if max(nnz, n_items) < np.iinfo(np.int32).max else np.int64
    indices = np.empty(nnz, dtype=index_dtype)
    indptr = np.zeros(n_users + 1, dtype=index_dtype)
    np.cumsum(counts, out=indptr[1:])
    for start in range(0, n_users, SAMPLING_BLOCK_USERS):
        block = slice(start, min(start + SAMPLING_BLOCK_USERS, n_users))
        codes = sample_block(rng, preferences[block], law, item_cluster, popularity, counts[block], dense_rows)
        indices[indptr[block.start]:indptr[block.stop]] = codes % n_items
    return sp.csr_matrix((np.ones(nnz), indices, indptr), shape=(n_users, n_items))
