"""How well does a similarity matrix recover the true item clusters? (beyond the paper)

The paper judges Figure 1 by eye. These scores turn "shows the clusters" into numbers, for any
symmetric p x p similarity matrix S and the true cluster of each item:

- :func:`pair_auc`: ROC-AUC of the similarities of same-cluster pairs against those of
  different-cluster pairs (1 = every same-cluster pair above every other pair, 0.5 = chance).
- :func:`precision_at_k`: for each item, the share of its k most similar other items that are
  in its cluster, averaged over items.
- :func:`block_rank_correlation`: Spearman's rank correlation between S and the true block
  matrix ``1[c_i == c_j]`` (Figure 1, panel 1), over the pairs i < j.

All three ignore the diagonal (an item's similarity with itself) and are invariant to any
strictly increasing transformation of S (a colour range does not change them; clipping can,
since it creates ties).
Ties are handled exactly: tied similarities get average ranks (AUC, Spearman) and a random
order among tied neighbours in expectation (precision).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def score_names(k: int = 10) -> tuple[str, str, str]:
    """Column names of the three scores, in the order of :func:`score_vector`.

    Parameters
    ----------
    k : int
        k of precision@k.

    Returns
    -------
    tuple of str
        ``("auc", "precision_at_<k>", "spearman")``.
    """
    return ("auc", f"precision_at_{k}", "spearman")


@dataclass(frozen=True)
class ClusterPairs:
    """The pairs i < j of p items and whether each pair shares a cluster, built once per clustering.

    Attributes
    ----------
    item_cluster : ndarray of int, shape (p,)
    upper : ndarray of bool, shape (p, p)
        True at the pairs i < j.
    same : ndarray of bool, shape (p (p - 1) / 2,)
        Whether pair i < j (row-major order) shares a cluster.
    same_matrix : ndarray of bool, shape (p, p)
        ``c_i == c_j`` off the diagonal, False on it.
    """

    item_cluster: np.ndarray
    upper: np.ndarray
    same: np.ndarray
    same_matrix: np.ndarray

    @classmethod
    def from_clusters(cls, item_cluster) -> ClusterPairs:
        """Build the pair structure of a clustering (p x p booleans; shared by every score).

        Parameters
        ----------
        item_cluster : array_like of int, shape (p,)

        Returns
        -------
        ClusterPairs
        """
        item_cluster = np.asarray(item_cluster)
        p = item_cluster.size
        same_matrix = item_cluster[:, None] == item_cluster[None, :]
        np.fill_diagonal(same_matrix, False)
        upper = np.triu(np.ones((p, p), dtype=bool), k=1)
        return cls(item_cluster, upper, same_matrix[upper], same_matrix)

    def values(self, similarity: np.ndarray) -> np.ndarray:
        """The similarities of the pairs i < j, in the order of :attr:`same`.

        Parameters
        ----------
        similarity : ndarray, shape (p, p)

        Returns
        -------
        ndarray, shape (p (p - 1) / 2,)
        """
        p = self.item_cluster.size
        if np.shape(similarity) != (p, p):
            raise ValueError(f"similarity must have shape ({p}, {p}), got {np.shape(similarity)}")
        return np.asarray(similarity, dtype=float)[self.upper]


def as_pairs(item_cluster_or_pairs) -> ClusterPairs:
    """Accept either the clusters of the items or a prebuilt :class:`ClusterPairs`.

    Parameters
    ----------
    item_cluster_or_pairs : array_like of int, shape (p,), or ClusterPairs

    Returns
    -------
    ClusterPairs
    """
    if isinstance(item_cluster_or_pairs, ClusterPairs):
        return item_cluster_or_pairs
    return ClusterPairs.from_clusters(item_cluster_or_pairs)


def auc_and_rank_correlation(values: np.ndarray, same: np.ndarray) -> tuple[float, float]:
    """ROC-AUC and Spearman correlation of pair similarities against a binary truth.

    With average ranks r (ties share their mean rank), the AUC is the Mann-Whitney statistic
    ``(sum of r over positives - n_1 (n_1 + 1)/2) / (n_1 n_0)``: the probability that a random
    positive is more similar than a random negative, ties counting one half. Spearman's rho is the
    Pearson correlation of r with the 0/1 truth: ``q (mean r of positives - (N + 1)/2) /
    (sd(r) sqrt(q (1 - q)))`` with ``sd(r)^2 = (N^2 - 1)/12 - sum_ties (t^3 - t) / (12 N)``.
    The rank sum comes from one sort of all values and a binary search of the positives, without
    ranking every value.

    Parameters
    ----------
    values : ndarray, shape (N,)
        The similarity of each pair.
    same : ndarray of bool, shape (N,)
        Whether each pair is a positive (shares a cluster).

    Returns
    -------
    auc, rho : float
        NaN when undefined (no positive or no negative; rho also for constant values).
    """
    values = np.asarray(values, dtype=float)
    same = np.asarray(same, dtype=bool)
    n = values.size
    n_same = int(same.sum())
    n_different = n - n_same
    if n_same == 0 or n_different == 0:
        return float("nan"), float("nan")
    ordered = np.sort(values)
    positives = np.sort(values[same])
    below = np.searchsorted(ordered, positives, side="left")
    starts_group = np.empty(n, dtype=bool)
    starts_group[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts_group[1:])
    group_starts = np.flatnonzero(starts_group)
    sizes = np.diff(np.append(group_starts, n))
    if np.isnan(ordered[-1]):  # NaN is tied with nothing but is one block for searchsorted
        tied = np.searchsorted(ordered, positives, side="right") - below
    else:  # ordered[below] is the positive itself: its tie group's size, without a second search
        tied = sizes[np.cumsum(starts_group)[below] - 1]
    rank_sum = float(np.sum(below + (tied + 1) / 2.0))
    auc = (rank_sum - n_same * (n_same + 1) / 2.0) / (n_same * n_different)
    group_sizes = sizes.astype(float)
    rank_variance = (n * n - 1) / 12.0 - np.sum(group_sizes**3 - group_sizes) / (12.0 * n)
    if rank_variance <= 0:
        return float(auc), float("nan")
    q = n_same / n
    rho = q * (rank_sum / n_same - (n + 1) / 2.0) / (np.sqrt(rank_variance) * np.sqrt(q * (1 - q)))
    return float(auc), float(np.clip(rho, -1.0, 1.0))  # rounding can overshoot by an ulp


def pair_auc(similarity: np.ndarray, item_cluster) -> float:
    """ROC-AUC of same-cluster pairs against different-cluster pairs (pairs i < j).

    The probability that a random same-cluster pair is more similar than a random
    different-cluster pair, ties counting one half.

    Parameters
    ----------
    similarity : ndarray, shape (p, p)
    item_cluster : array_like of int, shape (p,), or ClusterPairs

    Returns
    -------
    float
        In [0, 1]; NaN if either kind of pair is absent.
    """
    pairs = as_pairs(item_cluster)
    return auc_and_rank_correlation(pairs.values(similarity), pairs.same)[0]


# Cosines closer than this are the same similarity up to floating-point rounding.
TIE_TOLERANCE = 1e-9


def precision_at_k(similarity: np.ndarray, item_cluster, k: int = 10) -> float:
    """Mean over items of the share of the k nearest other items that share the item's cluster.

    The item itself is excluded. Where similarities tie at the k-th place, the tied items are
    counted in the proportion a uniformly random tie-break would pick them in expectation, so the
    result does not depend on the order of the items. Similarities within :data:`TIE_TOLERANCE` of
    the k-th largest count as tied: values equal in exact arithmetic (e.g. items with identical
    columns of X) differ by rounding, and which of them wins must not depend on rounding (nor,
    for a D-invariant similarity, on D).

    Parameters
    ----------
    similarity : ndarray, shape (p, p)
    item_cluster : array_like of int, shape (p,), or ClusterPairs
    k : int
        In [1, p - 1].

    Returns
    -------
    float
        In [0, 1].
    """
    pairs = as_pairs(item_cluster)
    p = pairs.item_cluster.size
    if not 1 <= k <= p - 1:
        raise ValueError(f"k={k} must lie in [1, {p - 1}]")
    similarity = np.array(similarity, dtype=float)
    np.fill_diagonal(similarity, -np.inf)
    kth = np.partition(similarity, p - k, axis=1)[:, p - k]  # the k-th largest of each row
    above = similarity > kth[:, None] + TIE_TOLERANCE
    tied = np.abs(similarity - kth[:, None]) <= TIE_TOLERANCE
    n_above = above.sum(axis=1)
    hits = (above & pairs.same_matrix).sum(axis=1) + (k - n_above) * (tied & pairs.same_matrix).sum(axis=1) / tied.sum(axis=1)
    return float(np.mean(hits / k))


def block_rank_correlation(similarity: np.ndarray, item_cluster) -> float:
    """Spearman correlation between the similarities and ``1[c_i == c_j]`` over pairs i < j.

    Because the truth is binary, this is an increasing affine function of :func:`pair_auc`
    (without ties: ``rho = (AUC - 1/2) n_0 sqrt(12 q / ((N^2 - 1)(1 - q)))`` for N pairs,
    n_0 of them different-cluster, a share q same-cluster): it says what the AUC says on the
    scale of a correlation.

    Parameters
    ----------
    similarity : ndarray, shape (p, p)
    item_cluster : array_like of int, shape (p,), or ClusterPairs

    Returns
    -------
    float
        In [-1, 1]; NaN if the similarities or the truth are constant.
    """
    pairs = as_pairs(item_cluster)
    return auc_and_rank_correlation(pairs.values(similarity), pairs.same)[1]


def score_vector(similarity: np.ndarray, item_cluster, k: int = 10) -> np.ndarray:
    """The three scores as an array in the order of :func:`score_names`: AUC, precision@k, Spearman.

    Parameters
    ----------
    similarity : ndarray, shape (p, p)
    item_cluster : array_like of int, shape (p,), or ClusterPairs
        Pass a :class:`ClusterPairs` when scoring many matrices of one clustering.
    k : int
        k of precision@k.

    Returns
    -------
    ndarray, shape (3,)
    """
    pairs = as_pairs(item_cluster)
    auc, rho = auc_and_rank_correlation(pairs.values(similarity), pairs.same)
    return np.array([auc, precision_at_k(similarity, pairs, k), rho])


def cluster_recovery_scores(similarity: np.ndarray, item_cluster, k: int = 10) -> dict:
    """All three scores of a similarity matrix, keyed ``auc``, ``precision_at_<k>``, ``spearman``.

    Parameters
    ----------
    similarity : ndarray, shape (p, p)
    item_cluster : array_like of int, shape (p,), or ClusterPairs
    k : int
        k of precision@k.

    Returns
    -------
    dict of str to float
    """
    return dict(zip(score_names(k), score_vector(similarity, item_cluster, k).tolist()))


def mean_and_interval(values: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean over axis 0 and its two-sided Student-t confidence interval.

    Parameters
    ----------
    values : ndarray, shape (n_seeds, ...)
        One row per independent seed; n_seeds >= 2.

    Returns
    -------
    mean, low, high : ndarrays of shape ``values.shape[1:]``
    """
    from scipy.stats import t as student_t

    values = np.asarray(values, dtype=float)
    n = values.shape[0]
    if n < 2:
        raise ValueError("an interval needs at least two seeds")
    mean = values.mean(axis=0)
    half = student_t.ppf(0.5 + level / 2.0, n - 1) * values.std(axis=0, ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half
