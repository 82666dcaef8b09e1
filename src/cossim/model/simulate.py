"""Section 4 of the paper: clustered user-item interaction data.

The paper states n, p, C, the ranges of the power-law exponents and the sampling scheme
``p_ui = p_{u,c_i} p_i / sum_j p_{u,c_j} p_j``; everything it leaves unstated
(docs/paper.md) is a named argument of :class:`SimulationSpec`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .sampler import sample_interactions

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

    Parameters
    ----------
    rng : numpy.random.Generator
    n_items : int
        p.
    probabilities : sequence of float, shape (C,)
        p_c, summing to 1.

    Returns
    -------
    ndarray of int64, shape (n_items,)
    """
    probabilities = np.asarray(probabilities, dtype=float)
    return rng.choice(probabilities.size, size=n_items, p=probabilities)


def cluster_exponents(rng: np.random.Generator, n_clusters: int, beta_range) -> np.ndarray:
    """Draw one exponent per cluster, ``beta_c ~ Unif(low, high)`` (Section 4).

    Parameters
    ----------
    rng : numpy.random.Generator
    n_clusters : int
        C.
    beta_range : (float, float)
        (low, high).

    Returns
    -------
    ndarray of float, shape (n_clusters,)
    """
    low, high = beta_range
    return rng.uniform(low, high, size=n_clusters)


def item_popularity(
    rng: np.random.Generator, item_cluster: np.ndarray, betas: np.ndarray, law: str
) -> np.ndarray:
    """Baseline popularity ``p_i = PowerLaw(beta_{c_i})`` (Section 4), under a named reading.

    Parameters
    ----------
    rng : numpy.random.Generator
    item_cluster : ndarray of int, shape (n_items,)
        c_i of each item.
    betas : ndarray of float, shape (C,)
        beta_c of each cluster.
    law : {"zipf", "pareto", "power"}
        ``"zipf"``: within each cluster the items get the ranks 1..m_c in random order and
        ``p_i = rank^(-beta_c)``. ``"pareto"``: ``p_i = U^(-1/beta_c)``, a Pareto tail with
        index beta_c and scale 1. ``"power"``: numpy's power distribution on [0, 1], density
        ``beta_c x^(beta_c - 1)``.

    Returns
    -------
    ndarray of float, shape (n_items,)
        Strictly positive.
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

    Parameters
    ----------
    rng : numpy.random.Generator
    n_users, n_clusters : int
    law : {"dirichlet"}
    concentration : float
        Symmetric Dirichlet concentration.

    Returns
    -------
    ndarray of float, shape (n_users, n_clusters)
        Each row sums to 1.
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
    rng : numpy.random.Generator
    n_users : int
    beta : float
        beta_user (0.5 in the paper).
    law : {"pareto", "power", "zipf"}
        ``"pareto"``: ``k_u = floor(low * U^(-1/beta))``, a Pareto tail of index beta,
        capped at ``high``. ``"power"``: ``k_u = ceil(high * W)`` with W from numpy's power
        distribution of exponent beta on [0, 1]. ``"zipf"``: discrete
        ``P(k) proportional to k^(-(1 + beta))`` on [low, high].
    low, high : int
        Bounds of k_u.

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


def drawable_items(preferences: np.ndarray, item_cluster: np.ndarray, n_clusters: int) -> np.ndarray:
    """Number of items of positive probability p_ui for each user.

    Parameters
    ----------
    preferences : ndarray of float, shape (n_users, C)
        p_uc.
    item_cluster : ndarray of int, shape (n_items,)
    n_clusters : int
        C.

    Returns
    -------
    ndarray of int, shape (n_users,)
    """
    cluster_sizes = np.bincount(item_cluster, minlength=n_clusters)
    return (preferences > 0) @ cluster_sizes


def simulate(spec: SimulationSpec, rng: np.random.Generator) -> SimulatedData:
    """Simulate the Section 4 data set.

    Steps, in the order the random numbers are drawn: item clusters, one exponent per cluster,
    item popularities, user-cluster preferences, k_u, then k_u distinct items per user with
    probabilities p_ui, drawn without replacement by :func:`sample_interactions` (the result
    does not depend on ``spec.chunk_size``, which only bounds memory).

    Parameters
    ----------
    spec : SimulationSpec
    rng : numpy.random.Generator

    Returns
    -------
    SimulatedData
        X of shape (n_users, n_items), c_i and p_i of shape (n_items,).
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
