"""Summaries of a :class:`cossim.auditing.kernel.Comparison`, with their sampling errors.

The neighbour statistics are estimated from a sample of q query rows out of N (the same queries
in every draw of D): their standard errors come from the spread over queries, with the finite
population correction ``sqrt(1 - q/N)``, so they are 0 when every row is a query. The rank
correlation and the mean change of a cosine are estimated from m sampled pairs (all pairs when
there are few): the standard error of Spearman's rho is Fieller, Hartley and Pearson's
``(1 - rho^2) sqrt(1.06 / (m - 3))``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.stats import rankdata

from .kernel import TIE_TOLERANCE, Comparison

BOOTSTRAP_RESAMPLES = 200
"""Resamples of the query rows for the standard error of the 5th percentile of the overlap."""


def tied_ranks(values: np.ndarray) -> np.ndarray:
    """Average ranks of values rounded to multiples of TIE_TOLERANCE; shape as ``values``."""
    return rankdata(np.round(np.asarray(values) / TIE_TOLERANCE))


def rank_correlation(reference: np.ndarray, candidate: np.ndarray, reference_ranks=None) -> float:
    """Spearman's rho between two samples of cosines (average ranks for ties).

    Cosines are rounded to multiples of :data:`cossim.auditing.kernel.TIE_TOLERANCE` before ranking, so
    values equal in exact arithmetic (e.g. ties that rounding split differently under two D) tie.

    Parameters
    ----------
    reference, candidate : ndarray, shape (m,)
    reference_ranks : ndarray, shape (m,), optional
        ``rankdata(reference)``, if already computed.

    Returns
    -------
    float
        1 where the two samples are identical (even if constant); NaN if only one is constant.
    """
    if np.array_equal(reference, candidate):
        return 1.0
    a = tied_ranks(reference) if reference_ranks is None else reference_ranks
    b = tied_ranks(candidate)
    a, b = a - a.mean(), b - b.mean()
    denominator = np.sqrt((a @ a) * (b @ b))
    return float(a @ b / denominator) if denominator > 0 else float("nan")


@dataclass(frozen=True)
class Shift:
    """How far one kind of cosine similarity moves from a reference.

    Attributes
    ----------
    label : str
        e.g. ``"item-item"``.
    reference, candidates : str
        What is compared: e.g. ``"D = I"`` against ``"random D"``.
    neighbours : int
        k of the top-k neighbourhoods.
    queries : ndarray of int, shape (q,)
        The sampled query rows (users or items).
    population : int
        N, the number of rows the queries were drawn from.
    overlap : ndarray, shape (q, c)
        Share of each query's top-k under each candidate that is in its reference top-k.
    neighbour_lists : ndarray of int, shape (q, c + 1, k)
        Top-k of each query, reference first.
    overlap_mean, overlap_mean_se : float
        Mean overlap over queries and candidates, and its sampling error.
    overlap_p05, overlap_p05_se : float
        5th percentile of the overlap over (query, candidate), and its bootstrap sampling error.
    rank_correlation, rank_correlation_min, rank_correlation_se : float
        Spearman's rho of the sampled pair cosines with the reference's: mean and smallest over the
        candidates, and the sampling error of one rho.
    pairs : int
        m, the number of sampled pairs; ``pairs_exhaustive`` if they are all pairs.
    mean_abs_change, mean_abs_change_se : float
        Mean ``|cos - cos_reference|`` over the sampled pairs and the candidates, and its error.
    max_abs_change : float
        Largest ``|cos - cos_reference|`` over the query rows x all rows and every candidate: a
        lower bound on the largest change over all pairs (exact when every row is a query).
    per_candidate_overlap : ndarray, shape (c,)
    per_candidate_rank_correlation : ndarray, shape (c,)
    """

    label: str
    reference: str
    candidates: str
    neighbours: int
    queries: np.ndarray = field(repr=False)
    population: int
    overlap: np.ndarray = field(repr=False)
    neighbour_lists: np.ndarray = field(repr=False)
    overlap_mean: float
    overlap_mean_se: float
    overlap_p05: float
    overlap_p05_se: float
    rank_correlation: float
    rank_correlation_min: float
    rank_correlation_se: float
    pairs: int
    pairs_exhaustive: bool
    mean_abs_change: float
    mean_abs_change_se: float
    max_abs_change: float
    per_candidate_overlap: np.ndarray = field(repr=False)
    per_candidate_rank_correlation: np.ndarray = field(repr=False)

    def to_dict(self) -> dict:
        """The summary numbers (no per-query arrays), JSON-ready."""
        keys = ("label", "reference", "candidates", "neighbours", "population", "overlap_mean",
                "overlap_mean_se", "overlap_p05", "overlap_p05_se", "rank_correlation",
                "rank_correlation_min", "rank_correlation_se", "pairs", "pairs_exhaustive",
                "mean_abs_change", "mean_abs_change_se", "max_abs_change")
        out = {key: getattr(self, key) for key in keys}
        out["queries"] = int(self.queries.size)
        out["per_candidate_overlap"] = self.per_candidate_overlap.tolist()
        out["per_candidate_rank_correlation"] = self.per_candidate_rank_correlation.tolist()
        return out


def summarise(label: str, reference: str, candidates: str, comparison: Comparison, queries: np.ndarray,
              population: int, pairs_exhaustive: bool, rng: np.random.Generator,
              columns: slice = slice(None)) -> Shift:
    """A :class:`Shift` from raw measurements, optionally for a subset of the candidates.

    Parameters
    ----------
    label, reference, candidates : str
    comparison : Comparison
    queries : ndarray of int, shape (q,)
    population : int
        N >= q.
    pairs_exhaustive : bool
    rng : numpy.random.Generator
        For the bootstrap of the 5th percentile.
    columns : slice
        Candidates to summarise (e.g. ``slice(1, None)`` to drop a D = I candidate).

    Returns
    -------
    Shift
    """
    overlap = comparison.overlap[:, columns]
    keep = np.arange(comparison.overlap.shape[1])[columns]
    neighbour_lists = comparison.neighbours[:, np.concatenate([[0], keep + 1])]
    q = queries.size
    correction = np.sqrt(max(0.0, 1.0 - q / population))
    per_query = overlap.mean(axis=1)
    mean_se = float(per_query.std(ddof=1) / np.sqrt(q) * correction) if q > 1 else float("nan")
    p05 = float(np.percentile(overlap, 5))
    if q > 1 and correction > 0:
        resamples = rng.integers(0, q, size=(BOOTSTRAP_RESAMPLES, q))
        boot = [np.percentile(overlap[index], 5) for index in resamples]
        p05_se = float(np.std(boot, ddof=1) * correction)
    else:
        p05_se = 0.0 if correction == 0 else float("nan")
    candidate_pairs = comparison.candidate_pairs[columns]
    ranks = tied_ranks(comparison.reference_pairs)
    rhos = np.array([rank_correlation(comparison.reference_pairs, c, ranks) for c in candidate_pairs])
    m = comparison.reference_pairs.size
    rho = float(np.mean(rhos))
    if pairs_exhaustive:
        rho_se = 0.0
    else:
        rho_se = float((1.0 - rho**2) * np.sqrt(1.06 / (m - 3))) if m > 3 else float("nan")
    changes = np.abs(candidate_pairs - comparison.reference_pairs).mean(axis=0)
    change_se = 0.0 if pairs_exhaustive or m < 2 else float(changes.std(ddof=1) / np.sqrt(m))
    return Shift(
        label=label, reference=reference, candidates=candidates, neighbours=comparison.neighbours.shape[2],
        queries=queries, population=int(population), overlap=overlap, neighbour_lists=neighbour_lists,
        overlap_mean=float(overlap.mean()), overlap_mean_se=mean_se, overlap_p05=p05, overlap_p05_se=p05_se,
        rank_correlation=rho, rank_correlation_min=float(np.min(rhos)), rank_correlation_se=rho_se,
        pairs=int(m), pairs_exhaustive=bool(pairs_exhaustive), mean_abs_change=float(changes.mean()),
        mean_abs_change_se=change_se, max_abs_change=float(np.max(comparison.max_abs_change[columns])),
        per_candidate_overlap=overlap.mean(axis=0), per_candidate_rank_correlation=rhos,
    )
