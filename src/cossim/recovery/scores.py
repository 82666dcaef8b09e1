"""How well does a similarity matrix recover the true item clusters? (beyond the paper)

The paper judges Figure 1 by eye. These scores turn "shows the clusters" into numbers, for any
symmetric p x p similarity matrix S and the true cluster of each item:

- :func:`pair_auc`: ROC-AUC of the similarities of same-cluster pairs against those of
  different-cluster pairs (1 = every same-cluster pair above every other pair, 0.5 = chance).
- :func:`precision_at_k`: for each item, the share of its k most similar other items that are
  in its cluster, averaged over items.
- :func:`block_rank_correlation`: Spearman's rank correlation between S and the true block
  matrix ``1[c_i == c_j]`` (Figure 1, panel 1), over the pairs i < j.

All three ignore the diagonal (an item's similarity with itself) and leave out every undefined
(NaN) similarity: the cosine of an item without interactions is NaN, and a score of a matrix with
NaN rows and columns equals the score of the matrix without them. All three are invariant to any
strictly increasing transformation of S (a colour range does not change them; clipping can,
since it creates ties).
Ties are handled exactly: tied similarities get average ranks (AUC, Spearman) and a random
order among tied neighbours in expectation (precision).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

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

    @cached_property
    def positive_cells(self) -> np.ndarray:
        """Flat (row-major) indices into a p x p matrix of the same-cluster pairs i < j, shape (n_1,)."""
        return np.flatnonzero(self.upper & self.same_matrix)

    @cached_property
    def negative_cells(self) -> np.ndarray:
        """Flat (row-major) indices into a p x p matrix of the other pairs i < j, shape (n_0,)."""
        return np.flatnonzero(self.upper & ~self.same_matrix)

    def sorted_groups(self, similarity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The defined similarities of the same-cluster and of the other pairs i < j, each sorted
        ascending (NaN, undefined, left out).

        Parameters
        ----------
        similarity : ndarray, shape (p, p)

        Returns
        -------
        positives : ndarray, shape (at most n_1,)
        negatives : ndarray, shape (at most n_0,)
        """
        p = self.item_cluster.size
        if np.shape(similarity) != (p, p):
            raise ValueError(f"similarity must have shape ({p}, {p}), got {np.shape(similarity)}")
        flat = np.ascontiguousarray(similarity, dtype=float).reshape(-1)
        return sort_values(defined(flat[self.positive_cells])), sort_values(defined(flat[self.negative_cells]))


def defined(values: np.ndarray) -> np.ndarray:
    """The values that are not NaN (undefined similarities are left out of every score), in order.

    Parameters
    ----------
    values : ndarray, shape (N,)

    Returns
    -------
    ndarray, shape (at most N,)
    """
    undefined = np.isnan(values)
    return values[~undefined] if undefined.any() else values


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


# Bucket ids of :func:`sort_values`: 2^16 buckets, so that the radix pass is one 16-bit pass.
BUCKET_TOP = (1 << 16) - 1


def sort_values(values: np.ndarray) -> np.ndarray:
    """The values sorted ascending: a counting pass, then a sort of nearly sorted data.

    A stable radix sort of 16-bit bucket ids ``floor((v - min) / (max - min) (2^16 - 1))``
    (non-decreasing in v) puts the values in order up to their bucket; a stable sort (timsort,
    which merges ordered runs in linear time) then orders each bucket. The same sorted values as
    :func:`numpy.sort`, in about half its time on 10^5 to 10^6 cosines, whose buckets hold few
    values. NaN, infinite or constant values, or buckets holding more than 1/64 of the values,
    go to :func:`numpy.sort` directly.

    Parameters
    ----------
    values : ndarray of float, shape (N,)

    Returns
    -------
    ndarray, shape (N,)
    """
    if values.size < 2:
        return np.sort(values)
    low, high = values.min(), values.max()
    if not (np.isfinite(low) and np.isfinite(high) and high > low):
        return np.sort(values)
    buckets = np.minimum((values - low) * (BUCKET_TOP / (high - low)), BUCKET_TOP).astype(np.uint16)
    if np.bincount(buckets).max() > values.size // 64:
        return np.sort(values)
    return np.sort(values[np.argsort(buckets, kind="stable")], kind="stable")


def sorted_pair_groups(values: np.ndarray, same: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positives' and the negatives' defined values, each sorted ascending (NaN left out).

    Parameters
    ----------
    values : ndarray, shape (N,)
    same : ndarray of bool, shape (N,)

    Returns
    -------
    positives : ndarray, shape (at most n_1,)
    negatives : ndarray, shape (at most n_0,)
    """
    values = np.asarray(values, dtype=float)
    same = np.asarray(same, dtype=bool)
    return sort_values(defined(values[same])), sort_values(defined(values[~same]))


def has_ties(positives: np.ndarray, negatives: np.ndarray, below: np.ndarray) -> bool:
    """Whether two sorted, non-empty groups hold two equal values (within or across groups).

    Parameters
    ----------
    positives, negatives : ndarray, shapes (n_1,), (n_0,)
        Sorted ascending, no NaN.
    below : ndarray of int, shape (n_1,)
        ``searchsorted(negatives, positives, side="left")``.

    Returns
    -------
    bool
    """
    if np.any(positives[1:] == positives[:-1]) or np.any(negatives[1:] == negatives[:-1]):
        return True
    # a negative equal to a positive is the first negative not below it
    return bool(np.any(negatives[np.minimum(below, negatives.size - 1)] == positives))


def tied_rank_sum_and_tie_term(positives: np.ndarray, negatives: np.ndarray) -> tuple[float, float]:
    """Average-rank sum of the positives and ``sum_ties (t^3 - t)`` over all values, with ties.

    The two sorted groups are merged (one linear merge of two sorted runs), each positive's rank is
    the number of values below it plus half its tie group, ``(t + 1)/2``.

    Parameters
    ----------
    positives, negatives : ndarray, shapes (n_1,), (n_0,)
        Sorted ascending, no NaN.

    Returns
    -------
    rank_sum : float
    tie_term : float
        ``sum (t^3 - t)`` over the tie groups of all values, summed in ascending order of the values.
    """
    ordered = np.sort(np.concatenate([negatives, positives]), kind="stable")
    below = np.searchsorted(ordered, positives, side="left")
    tied = np.searchsorted(ordered, positives, side="right") - below
    rank_sum = float(np.sum(below + (tied + 1) / 2.0))
    starts_group = np.empty(ordered.size, dtype=bool)
    starts_group[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts_group[1:])
    group_sizes = np.diff(np.append(np.flatnonzero(starts_group), ordered.size)).astype(float)
    return rank_sum, float(np.sum(group_sizes**3 - group_sizes))


def rank_sum_and_tie_term(positives: np.ndarray, negatives: np.ndarray) -> tuple[float, float]:
    """Average-rank sum of the positives among all values, and ``sum_ties (t^3 - t)``.

    Without ties the rank of the i-th smallest positive (from 1) is i plus the number of negatives
    below it, so one binary search of the sorted positives in the sorted negatives gives the rank
    sum; with ties :func:`tied_rank_sum_and_tie_term` counts them. Both are exact: the rank
    sum is an integer or half-integer far below 2^53.

    Parameters
    ----------
    positives, negatives : ndarray, shapes (n_1,), (n_0,)
        Sorted ascending, no NaN, both non-empty.

    Returns
    -------
    rank_sum, tie_term : float
    """
    below = np.searchsorted(negatives, positives, side="left")
    if has_ties(positives, negatives, below):
        return tied_rank_sum_and_tie_term(positives, negatives)
    n_same = positives.size
    return float(int(below.sum()) + n_same * (n_same + 1) // 2), 0.0


def auc_and_rank_correlation_sorted(positives: np.ndarray, negatives: np.ndarray) -> tuple[float, float]:
    """ROC-AUC and Spearman correlation against a binary truth, from the two sorted groups.

    With average ranks r of all N values (ties share their mean rank) and R_1 the sum of the
    positives' ranks, the AUC is the Mann-Whitney statistic ``(R_1 - n_1 (n_1 + 1)/2) / (n_1 n_0)``:
    the probability that a random positive is more similar than a random negative, ties counting
    one half. Spearman's rho is the Pearson correlation of r with the 0/1 truth:
    ``q (R_1 / n_1 - (N + 1)/2) / (sd(r) sqrt(q (1 - q)))``, ``q = n_1 / N``, with
    ``sd(r)^2 = (N^2 - 1)/12 - sum_ties (t^3 - t) / (12 N)``.

    Parameters
    ----------
    positives, negatives : ndarray, shapes (n_1,), (n_0,)
        The defined values of the positives and of the negatives, each sorted ascending (no NaN).

    Returns
    -------
    auc, rho : float
        NaN when undefined (no positive or no negative; rho also for constant values).
    """
    n_same, n_different = positives.size, negatives.size
    if n_same == 0 or n_different == 0:
        return float("nan"), float("nan")
    n = n_same + n_different
    rank_sum, tie_term = rank_sum_and_tie_term(positives, negatives)
    auc = (rank_sum - n_same * (n_same + 1) / 2.0) / (n_same * n_different)
    rank_variance = (n * n - 1) / 12.0 - tie_term / (12.0 * n)
    if rank_variance <= 0:
        return float(auc), float("nan")
    q = n_same / n
    rho = q * (rank_sum / n_same - (n + 1) / 2.0) / (np.sqrt(rank_variance) * np.sqrt(q * (1 - q)))
    return float(auc), float(np.clip(rho, -1.0, 1.0))  # rounding can overshoot by an ulp


def auc_and_rank_correlation(values: np.ndarray, same: np.ndarray) -> tuple[float, float]:
    """ROC-AUC and Spearman correlation of pair similarities against a binary truth.

    See :func:`auc_and_rank_correlation_sorted` (the formulas); this sorts the two groups first.

    Parameters
    ----------
    values : ndarray, shape (N,)
        The similarity of each pair; NaN (undefined) pairs are left out.
    same : ndarray of bool, shape (N,)
        Whether each pair is a positive (shares a cluster).

    Returns
    -------
    auc, rho : float
        NaN when undefined (no positive or no negative; rho also for constant values).
    """
    return auc_and_rank_correlation_sorted(*sorted_pair_groups(values, same))


def pair_auc(similarity: np.ndarray, item_cluster) -> float:
    """ROC-AUC of same-cluster pairs against different-cluster pairs (pairs i < j).

    The probability that a random same-cluster pair is more similar than a random
    different-cluster pair, ties counting one half; pairs with an undefined (NaN) similarity are
    left out.

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
    return auc_and_rank_correlation_sorted(*pairs.sorted_groups(similarity))[0]


# Cosines closer than this are the same similarity up to floating-point rounding.
TIE_TOLERANCE = 1e-9


def expected_hits(similarity: np.ndarray, kth: np.ndarray, same_matrix: np.ndarray, k: int) -> np.ndarray:
    """Expected number of same-cluster items among each row's k nearest, ties at the k-th place
    counted in proportion (see :func:`precision_at_k`).

    Parameters
    ----------
    similarity : ndarray, shape (m, p)
        Rows of the similarity matrix, the item itself and undefined similarities at -inf.
    kth : ndarray, shape (m,)
        The k-th largest value of each row.
    same_matrix : ndarray of bool, shape (m, p)
        Which items share the row's cluster.
    k : int

    Returns
    -------
    ndarray of float, shape (m,)
    """
    above = similarity > kth[:, None] + TIE_TOLERANCE
    tied = np.abs(similarity - kth[:, None]) <= TIE_TOLERANCE
    n_above = above.sum(axis=1)
    return (above & same_matrix).sum(axis=1) + (k - n_above) * (tied & same_matrix).sum(axis=1) / tied.sum(axis=1)


def precision_at_k(similarity: np.ndarray, item_cluster, k: int = 10) -> float:
    """Mean over items of the share of the k nearest other items that share the item's cluster.

    The item itself is excluded. Where similarities tie at the k-th place, the tied items are
    counted in the proportion a uniformly random tie-break would pick them in expectation, so the
    result does not depend on the order of the items. Similarities within :data:`TIE_TOLERANCE` of
    the k-th largest count as tied: values equal in exact arithmetic (e.g. items with identical
    columns of X) differ by rounding, and which of them wins must not depend on rounding (nor,
    for a D-invariant similarity, on D).

    Undefined (NaN) similarities are left out: an item has no neighbour where its similarity is
    NaN, and an item with fewer than k defined similarities (an item without interactions has
    none) is left out of the mean; the result equals the precision of the matrix without its
    NaN rows and columns. NaN if no item has k defined similarities.

    One partition of each row finds its (k+1)-th largest value and the k above it. A row whose
    other values all lie outside the tie band around the k-th has exactly k values at or above it,
    and its hits are counted directly; the other rows go through :func:`expected_hits`.

    Parameters
    ----------
    similarity : ndarray, shape (p, p)
    item_cluster : array_like of int, shape (p,), or ClusterPairs
    k : int
        In [1, p - 1].

    Returns
    -------
    float
        In [0, 1], or NaN.
    """
    pairs = as_pairs(item_cluster)
    p = pairs.item_cluster.size
    if not 1 <= k <= p - 1:
        raise ValueError(f"k={k} must lie in [1, {p - 1}]")
    similarity = np.array(similarity, dtype=float)
    np.fill_diagonal(similarity, np.nan)
    undefined = np.isnan(similarity)
    same_matrix = pairs.same_matrix
    if undefined.sum() > p:  # beyond the diagonal: keep the items with k defined similarities
        scored = (p - undefined.sum(axis=1)) >= k
        if not scored.any():
            return float("nan")
        similarity, undefined, same_matrix = similarity[scored], undefined[scored], same_matrix[scored]
    similarity[undefined] = -np.inf  # never a neighbour
    ordered = np.partition(similarity, p - k - 1, axis=1)  # the k largest of each row after the (k+1)-th
    nearest = np.sort(ordered[:, p - k :], axis=1)
    kth, top = nearest[:, 0], nearest[:, 1:]  # the k-th largest of each row, and the k - 1 larger ones
    kth_clear = np.isfinite(kth) & (np.abs(ordered[:, p - k - 1] - kth) > TIE_TOLERANCE)
    top_clear = np.all(top > kth[:, None] + TIE_TOLERANCE, axis=1)  # top >= kth: the band's upper side alone
    hits = ((similarity >= kth[:, None]) & same_matrix).sum(axis=1).astype(float)
    tied_rows = np.flatnonzero(~(kth_clear & top_clear))
    if tied_rows.size:
        hits[tied_rows] = expected_hits(similarity[tied_rows], kth[tied_rows], same_matrix[tied_rows], k)
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
    return auc_and_rank_correlation_sorted(*pairs.sorted_groups(similarity))[1]


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
    auc, rho = auc_and_rank_correlation_sorted(*pairs.sorted_groups(similarity))
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
