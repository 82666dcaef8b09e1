"""Cluster recovery on MovieLens: Figure 1's panels, the D sweep and the remedies scored against genres.

The scores are those of the simulated study (:mod:`cossim.recovery.scores`: pair AUC,
precision@k, Spearman), with the ground truth "a pair shares a genre" (:func:`genre_pairs`)
instead of "a pair shares a cluster". The lambdas are the documented rule's
(:func:`cossim.model.regularisation.suggested_lambdas`) on the data scored, also in each bootstrap
replicate. Intervals come from resampling the users with replacement (:func:`bootstrap_panels`).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..model.regularisation import suggested_lambdas
from ..model.rescale import rescale
from ..model.similarity import item_item_cosine
from ..model.solve import Spectrum, eq1_shrinkage, gram_matrix, gram_top_spectrum
from ..recovery.dsweep import exponent_grid, family_scores, lognormal_d, random_d_scores
from ..recovery.remedies import item_counts
from ..recovery.scores import ClusterPairs
from ..recovery.study import StudySettings, panel_scores, remedy_scores
from .data import genre_overlap, most_popular_items


def genre_pairs(membership: np.ndarray, primary: np.ndarray) -> ClusterPairs:
    """The pairs i < j of p items and whether each shares a genre (the ground truth of the scores).

    Parameters
    ----------
    membership : ndarray of bool, shape (p, g)
    primary : ndarray of int, shape (p,)
        Each item's primary genre (kept as the pairs' ``item_cluster``).

    Returns
    -------
    ClusterPairs
        ``same_matrix[i, j]``: i != j share a genre.
    """
    same = genre_overlap(membership)
    np.fill_diagonal(same, False)
    p = same.shape[0]
    upper = np.triu(np.ones((p, p), dtype=bool), k=1)
    return ClusterPairs(np.asarray(primary), upper, same[upper], same)


def spectrum_and_lambdas(X, rank: int) -> tuple[Spectrum, tuple[float, float]]:
    """The rank-k spectrum of X and the lambdas the rule suggests on X (from all p singular values).

    Parameters
    ----------
    X : sparse matrix, shape (n, p)
    rank : int

    Returns
    -------
    spectrum : Spectrum
        ``sigma`` (k,), ``V`` (p, k).
    lambdas : (float, float)
        ``(eq1_lambda, eq2_lambda)`` of :func:`suggested_lambdas`.
    """
    G = gram_matrix(X)
    eigenvalues = np.clip(np.linalg.eigvalsh(G), 0.0, None)
    lambdas = suggested_lambdas(np.sqrt(eigenvalues), rank, n_items=X.shape[1])
    return gram_top_spectrum(G, rank, overwrite=True), (float(lambdas.eq1_lambda), float(lambdas.eq2_lambda))


def singular_values(X) -> np.ndarray:
    """Every non-zero-or-not singular value of X: the square roots of the eigenvalues of the
    smaller of ``X X^T`` and ``X^T X``.

    Parameters
    ----------
    X : sparse matrix, shape (n, p)

    Returns
    -------
    ndarray, shape (min(n, p),)
        Descending, negative rounding clipped to 0.
    """
    X = sp.csr_matrix(X, dtype=float)
    K = (X @ X.T if X.shape[0] < X.shape[1] else X.T @ X).toarray()
    return np.sqrt(np.clip(np.linalg.eigvalsh(K), 0.0, None))[::-1]


def cosine_shift(spectrum: Spectrum, lam: float, d_rows: np.ndarray) -> np.ndarray:
    """How far a diagonal D (Eq. 3) moves Eq. 5's item-item cosines, per draw of D.

    Parameters
    ----------
    spectrum : Spectrum
        ``sigma`` (k,), ``V`` (p, k).
    lam : float
        lambda of Eq. 1.
    d_rows : ndarray, shape (n_d, k)
        Diagonals of D.

    Returns
    -------
    ndarray, shape (n_d, 2)
        Mean and largest ``|cos(B(1) D^{-1})_ij - cos(B(1))_ij|`` over the pairs i < j whose cosine
        is defined (NaN, an item without interactions, left out).
    """
    root_g = np.sqrt(eq1_shrinkage(spectrum.sigma, lam))
    A1 = B1 = spectrum.V * root_g
    base = item_item_cosine(B1)
    upper = np.triu(np.ones(base.shape, dtype=bool), k=1) & ~np.isnan(base)
    out = np.empty((d_rows.shape[0], 2))
    for j, d in enumerate(d_rows):
        change = np.abs(item_item_cosine(rescale(A1, B1, d)[1]) - base)[upper]
        out[j] = change.mean(), change.max()
    return out


def recovery_items(X: sp.csr_matrix, membership: np.ndarray, items: int) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """The data of the recovery study: the ``items`` most popular items and the users who rated one.

    Parameters
    ----------
    X : scipy.sparse.csr_matrix, shape (n, p)
    membership : ndarray of bool, shape (p, g)
    items : int

    Returns
    -------
    X : csr_matrix, shape (n', p')
    membership : ndarray of bool, shape (p', g)
    columns : ndarray of int, shape (p',)
        The columns of the input kept.
    """
    users, columns = most_popular_items(X, items)
    return X[users][:, columns], membership[columns], columns


def recovery_study(X, membership: np.ndarray, primary: np.ndarray, settings: StudySettings, rank: int,
                   rng: np.random.Generator) -> dict:
    """Table 3's panels, the D sweep, random D and Table 4's remedies of MovieLens, against genres.

    Parameters
    ----------
    X : sparse matrix, shape (n, p)
    membership : ndarray of bool, shape (p, g)
    primary : ndarray of int, shape (p,)
    settings : StudySettings
    rank : int
        k.
    rng : numpy.random.Generator
        Draws the random diagonals D.

    Returns
    -------
    dict of ndarrays
        As :func:`cossim.recovery.study.seed_study` (``panels``, ``exponents``, ``families``,
        ``random_d``, ``remedies`` and the unit-norm diagnostics), plus ``lambdas`` (2,),
        ``cosine_shift`` (random_d_samples, 2), ``d_rows`` and ``share_same`` (the share of
        pairs sharing a genre).
    """
    pairs = genre_pairs(membership, primary)
    spectrum, (lam1, lam2) = spectrum_and_lambdas(X, rank)
    k_prec = settings.precision_k
    exponents = exponent_grid(settings.exponent_low, settings.exponent_high, settings.exponent_steps)
    d_rows = lognormal_d(rng, settings.random_d_samples, rank, settings.log_sd)
    remedies, diagnostics = remedy_scores(gram_matrix(X), item_counts(X), X.shape[0], spectrum, lam1, pairs,
                                          d_rows[: settings.remedy_d_samples], settings)
    return {
        "panels": panel_scores(spectrum, pairs, lam1, lam2, k_prec),
        "exponents": exponents,
        "families": family_scores(spectrum, lam1, pairs, exponents, k_prec),
        "random_d": random_d_scores(spectrum, lam1, pairs, d_rows, k_prec),
        "remedies": remedies,
        "lambdas": np.array([lam1, lam2]),
        "d_rows": d_rows,
        "cosine_shift": cosine_shift(spectrum, lam1, d_rows),
        "share_same": np.array(pairs.same.mean()),
        **diagnostics,
    }


def resample_users(n_users: int, replicates: int, seed: int) -> np.ndarray:
    """Rows of X drawn with replacement for each bootstrap replicate.

    Parameters
    ----------
    n_users : int
    replicates : int
    seed : int

    Returns
    -------
    ndarray of int, shape (replicates, n_users)
        Replicate b is ``numpy.random.default_rng([seed, b]).integers(0, n_users, n_users)``, so one
        replicate can be drawn again alone.
    """
    return np.stack([np.random.default_rng([seed, b]).integers(0, n_users, n_users) for b in range(replicates)])


def replicate_panels(X, rows: np.ndarray, pairs: ClusterPairs, rank: int, k_prec: int) -> np.ndarray:
    """Table 3's panel scores on the users ``rows`` (a bootstrap replicate), lambdas by the rule on them.

    Parameters
    ----------
    X : sparse matrix, shape (n, p)
    rows : ndarray of int, shape (n,)
    pairs : ClusterPairs
    rank : int
    k_prec : int

    Returns
    -------
    ndarray, shape (len(TABLE3_PANELS), 3)
    """
    spectrum, (lam1, lam2) = spectrum_and_lambdas(X[rows], rank)
    return panel_scores(spectrum, pairs, lam1, lam2, k_prec)


def bootstrap_panels(X, membership: np.ndarray, primary: np.ndarray, rank: int, k_prec: int, replicates: int,
                     seed: int) -> np.ndarray:
    """Table 3's panel scores on every bootstrap replicate of the users.

    Parameters
    ----------
    X : sparse matrix, shape (n, p)
    membership : ndarray of bool, shape (p, g)
    primary : ndarray of int, shape (p,)
    rank, k_prec, replicates, seed : int

    Returns
    -------
    ndarray, shape (replicates, len(TABLE3_PANELS), 3)
    """
    pairs = genre_pairs(membership, primary)
    X = sp.csr_matrix(X)
    return np.stack([replicate_panels(X, rows, pairs, rank, k_prec) for rows in resample_users(X.shape[0], replicates, seed)])


def bootstrap_interval(estimate: np.ndarray, replicates: np.ndarray, z: float = 1.959963984540054) -> tuple[np.ndarray, np.ndarray]:
    """Normal bootstrap interval: ``estimate -/+ z * sd`` of the replicates (sd with ddof = 1).

    Parameters
    ----------
    estimate : ndarray, shape S
        The scores on the data.
    replicates : ndarray, shape (B, *S)
        The scores on the bootstrap replicates, B >= 2.
    z : float
        The normal quantile (95 %).

    Returns
    -------
    low, high : ndarrays of shape S
    """
    half = z * np.std(replicates, axis=0, ddof=1)
    return estimate - half, estimate + half
