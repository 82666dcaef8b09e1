"""Section 4 of the paper: clustered user-item interaction data.

The paper states n, p, C, the ranges of the power-law exponents and the sampling scheme
``p_ui = p_{u,c_i} p_i / sum_j p_{u,c_j} p_j``; everything it leaves unstated
(PAPER.md, section 7) is a named argument of :class:`SimulationSpec`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

POPULARITY_LAWS = ("zipf", "pareto", "power")
ACTIVITY_LAWS = ("pareto", "power", "zipf")
PREFERENCE_LAWS = ("dirichlet",)


@dataclass(frozen=True)
class SimulationSpec:
    """Every parameter of the Section 4 simulation.

    Attributes
    ----------
    n_users, n_items, n_clusters : int
        n, p and C of Section 4 (20,000, 1,000 and 5 in the paper).
    cluster_probabilities : tuple of float
        p_c, the probability that an item is assigned to cluster c (unstated in the paper).
    item_beta_range : (float, float)
        beta_c ~ Unif(low, high), one exponent per cluster ((0.25, 1.5) in the paper).
    item_popularity_law : {"zipf", "pareto", "power"}
        Reading of ``p_i = PowerLaw(beta_c)`` (unstated); see :func:`item_popularity`.
    user_beta : float
        Exponent of ``k_u ~ PowerLaw(beta_user)`` (0.5 in the paper).
    user_activity_law : {"pareto", "power", "zipf"}
        Reading of PowerLaw for k_u (unstated); see :func:`items_per_user`.
    min_items_per_user, max_items_per_user : int
        Bounds of k_u (unstated); k_u is also capped by the number of items a user can draw.
    preference_law : {"dirichlet"}
        Distribution of the user-cluster preferences p_uc (unstated).
    preference_concentration : float
        Symmetric Dirichlet concentration of p_uc.
    chunk_size : int or None
        Most users whose dense Gumbel keys are held at once (memory only; the data do not
        depend on it). ``None`` picks it from the number of items (:func:`dense_rows_per_chunk`).
    """

    n_users: int = 20_000
    n_items: int = 1_000
    n_clusters: int = 5
    cluster_probabilities: tuple = (0.335, 0.293, 0.272, 0.049, 0.051)
    item_beta_range: tuple = (0.25, 1.5)
    item_popularity_law: str = "zipf"
    user_beta: float = 0.5
    user_activity_law: str = "pareto"
    min_items_per_user: int = 1
    max_items_per_user: int = 1_000
    preference_law: str = "dirichlet"
    preference_concentration: float = 1.0
    chunk_size: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SimulatedData:
    """Output of :func:`simulate`.

    Attributes
    ----------
    interactions : scipy.sparse.csr_matrix, shape (n_users, n_items)
        Binary X with sorted column indices.
    item_cluster : ndarray of int, shape (n_items,)
        c_i, the cluster of each item.
    item_popularity : ndarray of float, shape (n_items,)
        p_i, the baseline popularity of each item.
    """

    interactions: sp.csr_matrix
    item_cluster: np.ndarray
    item_popularity: np.ndarray


def assign_clusters(rng: np.random.Generator, n_items: int, probabilities) -> np.ndarray:
    """Assign each item to a cluster with probabilities p_c (Section 4).

    Returns
    -------
    ndarray of int64, shape (n_items,)
    """
    probabilities = np.asarray(probabilities, dtype=float)
    return rng.choice(probabilities.size, size=n_items, p=probabilities)


def cluster_exponents(rng: np.random.Generator, n_clusters: int, beta_range) -> np.ndarray:
    """Draw one exponent per cluster, ``beta_c ~ Unif(low, high)`` (Section 4)."""
    low, high = beta_range
    return rng.uniform(low, high, size=n_clusters)


def item_popularity(
    rng: np.random.Generator, item_cluster: np.ndarray, betas: np.ndarray, law: str
) -> np.ndarray:
    """Baseline popularity ``p_i = PowerLaw(beta_{c_i})`` (Section 4), under a named reading.

    Parameters
    ----------
    law : {"zipf", "pareto", "power"}
        ``"zipf"``: within each cluster the items get the ranks 1..m_c in random order and
        ``p_i = rank^(-beta_c)``. ``"pareto"``: ``p_i = U^(-1/beta_c)``, a Pareto tail with
        index beta_c and scale 1. ``"power"``: numpy's power distribution on [0, 1], density
        ``beta_c x^(beta_c - 1)``.

    Returns
    -------
    ndarray of float, shape (n_items,), strictly positive.
    """
    beta_per_item = betas[item_cluster]
    if law == "zipf":
        ranks = np.empty(item_cluster.size, dtype=float)
        for c in range(betas.size):
            members = np.flatnonzero(item_cluster == c)
            ranks[members] = rng.permutation(members.size) + 1.0
        return ranks ** (-beta_per_item)
    if law == "pareto":
        return (1.0 - rng.random(item_cluster.size)) ** (-1.0 / beta_per_item)
    if law == "power":
        # 1 - U lies in (0, 1], so the power draw is strictly positive.
        return (1.0 - rng.random(item_cluster.size)) ** (1.0 / beta_per_item)
    raise ValueError(f"unknown item_popularity_law {law!r}; expected one of {POPULARITY_LAWS}")


def user_preferences(
    rng: np.random.Generator, n_users: int, n_clusters: int, law: str, concentration: float
) -> np.ndarray:
    """User-cluster preferences p_uc, "randomly sampled" (Section 4).

    Returns
    -------
    ndarray of float, shape (n_users, n_clusters); each row sums to 1.
    """
    if law == "dirichlet":
        return rng.dirichlet(np.full(n_clusters, float(concentration)), size=n_users)
    raise ValueError(f"unknown preference_law {law!r}; expected one of {PREFERENCE_LAWS}")


def items_per_user(
    rng: np.random.Generator, n_users: int, beta: float, law: str, low: int, high: int
) -> np.ndarray:
    """Number of items per user, ``k_u ~ PowerLaw(beta_user)`` (Section 4), in [low, high].

    Parameters
    ----------
    law : {"pareto", "power", "zipf"}
        ``"pareto"``: ``k_u = floor(low * U^(-1/beta))``, a Pareto tail of index beta,
        capped at ``high``. ``"power"``: ``k_u = ceil(high * W)`` with W from numpy's power
        distribution of exponent beta on [0, 1]. ``"zipf"``: discrete
        ``P(k) proportional to k^(-(1 + beta))`` on [low, high].

    Returns
    -------
    ndarray of int64, shape (n_users,)
    """
    if law == "pareto":
        k = np.floor(low * (1.0 - rng.random(n_users)) ** (-1.0 / beta))
    elif law == "power":
        k = np.ceil(high * (1.0 - rng.random(n_users)) ** (1.0 / beta))
    elif law == "zipf":
        support = np.arange(low, high + 1, dtype=float)
        weights = support ** (-(1.0 + beta))
        k = rng.choice(support, size=n_users, p=weights / weights.sum())
    else:
        raise ValueError(f"unknown user_activity_law {law!r}; expected one of {ACTIVITY_LAWS}")
    return np.clip(k, low, high).astype(np.int64)


def sample_without_replacement(
    rng: np.random.Generator, log_weights: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``counts[r]`` distinct columns of each row r, with probabilities proportional to
    ``exp(log_weights[r])``, successively and without replacement.

    Vectorised Gumbel-top-k: the ``counts[r]`` largest ``log w + Gumbel`` keys of a row are
    distributed exactly as successive weighted draws without replacement, which is what
    ``rng.choice(p=w / w.sum(), replace=False)`` does. Columns of zero weight are never drawn;
    callers must keep ``counts[r]`` at most the number of positive weights of row r.

    Returns
    -------
    rows, cols : ndarray of int64
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

    Returns
    -------
    ndarray of float, shape (n_users_in_block, n_items); ``-inf`` where p_uc = 0.
    """
    with np.errstate(divide="ignore"):
        return np.log(preferences)[:, item_cluster] + np.log(popularity)[None, :]


def drawable_items(preferences: np.ndarray, item_cluster: np.ndarray, n_clusters: int) -> np.ndarray:
    """Number of items of positive probability p_ui for each user."""
    cluster_sizes = np.bincount(item_cluster, minlength=n_clusters)
    return (preferences > 0) @ cluster_sizes


def simulate(spec: SimulationSpec, rng: np.random.Generator) -> SimulatedData:
    """Simulate the Section 4 data set.

    Steps, in the order the random numbers are drawn: item clusters, one exponent per cluster,
    item popularities, user-cluster preferences, k_u, then k_u distinct items per user with
    probabilities p_ui, drawn without replacement by :func:`sample_interactions` (the result
    does not depend on ``spec.chunk_size``, which only bounds memory).

    Returns
    -------
    SimulatedData
    """
    item_cluster = assign_clusters(rng, spec.n_items, spec.cluster_probabilities)
    betas = cluster_exponents(rng, spec.n_clusters, spec.item_beta_range)
    popularity = item_popularity(rng, item_cluster, betas, spec.item_popularity_law)
    preferences = user_preferences(
        rng, spec.n_users, spec.n_clusters, spec.preference_law, spec.preference_concentration
    )
    k_u = items_per_user(
        rng,
        spec.n_users,
        spec.user_beta,
        spec.user_activity_law,
        spec.min_items_per_user,
        min(spec.max_items_per_user, spec.n_items),
    )
    k_u = np.minimum(k_u, drawable_items(preferences, item_cluster, spec.n_clusters))
    interactions = sample_interactions(
        rng, preferences, item_cluster, popularity, k_u, spec.chunk_size
    )
    return SimulatedData(interactions, item_cluster.astype(np.int64), popularity)


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
    """Rows of dense Gumbel keys generated at once: ``chunk_size`` if given, else about
    :data:`DENSE_KEYS_PER_CHUNK` keys' worth of rows."""
    if chunk_size is not None:
        return max(1, int(chunk_size))
    return max(1, DENSE_KEYS_PER_CHUNK // max(1, n_items))


@dataclass(frozen=True)
class ClusteredItemLaw:
    """The item law ``p_ui = p_{u,c_i} p_i / sum_j p_{u,c_j} p_j`` of Section 4, arranged for
    fast inverse-CDF draws: items sorted by cluster, running popularity sums.

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
        """Arrange ``c_i`` and ``p_i`` for :meth:`draw`."""
        order = np.argsort(item_cluster, kind="stable")
        sizes = np.bincount(item_cluster, minlength=n_clusters)
        stop = np.cumsum(sizes)
        sorted_popularity = popularity[order]
        mass = np.bincount(item_cluster, weights=popularity, minlength=n_clusters)
        return cls(order.astype(np.int64), np.cumsum(sorted_popularity), (stop - sizes).astype(np.int64),
                   stop.astype(np.int64), mass)

    def cluster_cdf(self, preferences: np.ndarray) -> np.ndarray:
        """Each user's cumulative cluster probabilities ``sum_{c' <= c} p_uc' W_c' / Z_u``,
        shape (m, C), last column exactly 1."""
        cumulative = np.cumsum(preferences * self.cluster_mass, axis=1)
        cumulative /= cumulative[:, -1:]
        cumulative[:, -1] = 1.0
        return cumulative

    def draw(self, rng: np.random.Generator, cdf: np.ndarray, users: np.ndarray) -> np.ndarray:
        """One independent item for each entry of ``users``, with probability p_ui.

        One uniform v per draw: the cluster is where v falls in the user's cluster CDF
        (:meth:`cluster_cdf`, probability proportional to ``p_uc W_c``), and v's relative
        position within that cluster's interval picks the item with probability ``p_i / W_c``.

        Returns
        -------
        ndarray of int64, same shape as ``users``.
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
    """Codes ``user * n_items + item`` of the first ``needed[user]`` items of each user's
    stream that are neither repeats nor in ``drawn``.

    Parameters
    ----------
    users, items : ndarray of int64, shape (m,)
        The draws in stream order, grouped by user (ascending).
    needed : ndarray of int64
        Items still missing, indexed by user.
    drawn : ndarray of int64
        Sorted codes of the items each user already has.
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

    Returns
    -------
    ndarray of int64
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
    """Binary X of Section 4: ``counts[u]`` distinct items per user u, drawn successively
    without replacement with probabilities ``p_ui`` proportional to ``p_{u,c_i} p_i``.

    Exact in law (the same law as ``rng.choice(p, counts[u], replace=False, p=p_u)`` per
    user), memory O(nnz + chunk x p), time about linear in the number of interactions.
    Users are processed in fixed blocks of :data:`SAMPLING_BLOCK_USERS`; ``chunk_size`` only
    bounds the rows of dense keys held at once and does not change the result.
    Callers must keep ``counts[u]`` at most the number of items of positive probability.

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
