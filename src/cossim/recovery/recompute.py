"""Independent recomputation of the per-seed cluster-recovery scores, for rule ``check_recovery_seed``.

Nothing here calls the code that produced the scores (:mod:`cossim.recovery.scores`,
:mod:`cossim.recovery.study`, :mod:`cossim.recovery.dsweep`, :mod:`cossim.recovery.remedies`, or the
panel definitions of :mod:`cossim.model`): every formula is written out again from the paper, and
every score is taken by another route. The pair similarities are ranked once
(:func:`numpy.argsort`, average ranks for ties); the AUC is the Mann-Whitney U of that rank vector
over ``n_1 n_0`` and the Spearman correlation the Pearson correlation of the rank vector with the
0/1 truth, taken numerically (the producer sorts the two groups apart and counts, with a
closed-form tie correction). precision@k is counted for each item from its row with the tie
formula on every row (the producer shortcuts rows without a tie). An undefined similarity (NaN:
the cosine of a zero-length embedding, or any similarity of an item without interactions) is left
out of every score: its pairs are dropped before the ranking, and its rows out of the precision. Only the data (interactions, item
clusters), the Eq. 1 fit's spectrum and the model's exact Gram matrix ``X^T X`` (checked against a sparse
product on the fully checked seed) are shared with the producer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg

# Similarities closer than this count as tied at the k-th place (rounding of equal cosines).
PRECISION_TIES = 1e-9


def cosine_rows(B: np.ndarray) -> np.ndarray:
    """Cosine of the rows of B (Eq. 4), NaN in the row and column of a zero row (no direction).

    Parameters
    ----------
    B : ndarray, shape (p, k)

    Returns
    -------
    ndarray, shape (p, p)
    """
    norms = np.sqrt(np.einsum("ij,ij->i", B, B))
    unit = np.divide(B, norms[:, None], out=np.zeros_like(B), where=norms[:, None] > 0)
    cosine = np.clip(unit @ unit.T, -1.0, 1.0)
    return without_items(cosine, norms == 0)


def without_items(similarity: np.ndarray, undefined: np.ndarray) -> np.ndarray:
    """The similarity with NaN in the rows and columns of the ``undefined`` items (in place).

    Parameters
    ----------
    similarity : ndarray, shape (p, p)
    undefined : ndarray of bool, shape (p,)

    Returns
    -------
    ndarray, shape (p, p)
    """
    similarity[undefined] = np.nan
    similarity[:, undefined] = np.nan
    return similarity


def cosine_of_gram(K: np.ndarray) -> np.ndarray:
    """Cosine from a Gram matrix ``K = M^T M`` of the columns of some M, NaN for a zero column.

    Parameters
    ----------
    K : ndarray, shape (p, p)

    Returns
    -------
    ndarray, shape (p, p)
    """
    norms = np.sqrt(np.clip(np.diag(K), 0.0, None))
    outer = np.outer(norms, norms)
    return without_items(np.clip(np.divide(K, outer, out=np.zeros_like(K), where=outer > 0), -1.0, 1.0), norms == 0)


@dataclass(frozen=True)
class PairLayout:
    """Where the pairs of p items sit in a p x p matrix, and which share a cluster.

    Attributes
    ----------
    cells : ndarray of int, shape (p (p - 1) / 2,)
        Flat (row-major) indices of the pairs i < j.
    same : ndarray of bool, shape (p (p - 1) / 2,)
        Whether pair i < j shares a cluster.
    others : ndarray of bool, shape (p, p)
        False on the diagonal.
    member : ndarray of bool, shape (p, p - 1)
        Row i: whether each other item (in column order) shares item i's cluster.
    """

    cells: np.ndarray
    same: np.ndarray
    others: np.ndarray
    member: np.ndarray

    @classmethod
    def of(cls, clusters: np.ndarray) -> PairLayout:
        """The layout of a clustering.

        Parameters
        ----------
        clusters : ndarray of int, shape (p,)

        Returns
        -------
        PairLayout
        """
        p = clusters.size
        i, j = np.triu_indices(p, k=1)
        others = ~np.eye(p, dtype=bool)
        member = (clusters[:, None] == clusters[None, :])[others].reshape(p, p - 1)
        return cls(i * p + j, clusters[i] == clusters[j], others, member)


def average_ranks_in_order(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The values' average ranks (1 to N, ties sharing their mean rank), listed in sorted order.

    Parameters
    ----------
    values : ndarray, shape (N,)

    Returns
    -------
    order : ndarray of int, shape (N,)
        ``values[order]`` is sorted ascending.
    ranks : ndarray of float, shape (N,)
        ``ranks[m]`` is the average rank of ``values[order[m]]``.
    """
    order = np.argsort(values)
    ordered = values[order]
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    sizes = np.diff(np.append(starts, values.size))
    return order, np.repeat(starts + (sizes + 1) / 2.0, sizes)


def rank_auc_and_spearman(values: np.ndarray, same: np.ndarray) -> tuple[float, float]:
    """Mann-Whitney AUC and Spearman's rho of values against a 0/1 truth, from one ranking.

    The AUC is ``U / (n_1 n_0)`` with ``U = R_1 - n_1 (n_1 + 1)/2`` (R_1 the positives' rank sum);
    rho is the Pearson correlation of the rank vector with the truth, taken numerically. NaN
    values are dropped first (left out).

    Parameters
    ----------
    values : ndarray, shape (N,)
    same : ndarray of bool, shape (N,)

    Returns
    -------
    auc, rho : float
        NaN when no positive or no negative is left.
    """
    kept = ~np.isnan(values)
    values, same = values[kept], same[kept]
    order, ranks = average_ranks_in_order(values)
    truth = same[order].astype(float)
    n_same = float(truth.sum())
    if n_same in (0.0, float(values.size)):  # no positive or no negative pair left
        return float("nan"), float("nan")
    auc = (float(ranks @ truth) - n_same * (n_same + 1) / 2) / (n_same * (values.size - n_same))
    return auc, float(np.corrcoef(ranks, truth)[0, 1])


def row_precision(similarity: np.ndarray, layout: PairLayout, k: int) -> float:
    """precision@k counted for each item from its row: its k-th largest other similarity, the items
    clearly above it, and the items within ``PRECISION_TIES`` of it taken in proportion. Only
    defined (not NaN) similarities compete, and only items with at least k of them are averaged.

    Parameters
    ----------
    similarity : ndarray, shape (p, p)
    layout : PairLayout
    k : int

    Returns
    -------
    float
    """
    p = similarity.shape[0]
    others = similarity[layout.others].reshape(p, p - 1)  # row i: item i's similarity with every other item
    counted = np.sum(~np.isnan(others), axis=1) >= k
    if not counted.any():
        return float("nan")
    others = np.where(np.isnan(others[counted]), -np.inf, others[counted])
    kth = np.partition(others, p - 1 - k, axis=1)[:, p - 1 - k][:, None]  # the k-th largest of each row
    above = others > kth + PRECISION_TIES
    tied = np.abs(others - kth) <= PRECISION_TIES
    member = layout.member[counted]
    hits = np.sum(member & above, axis=1) + (k - np.sum(above, axis=1)) * np.sum(member & tied, axis=1) / np.sum(
        tied, axis=1)
    return float(np.mean(hits)) / k


def independent_scores(similarity: np.ndarray, clusters: np.ndarray, k: int, auc_only: bool = False,
                       layout: PairLayout | None = None) -> np.ndarray:
    """AUC, precision@k and Spearman of a similarity matrix against the true clusters.

    Parameters
    ----------
    similarity : ndarray, shape (p, p)
    clusters : ndarray of int, shape (p,)
    k : int
        k of precision@k.
    auc_only : bool
        Return the AUC and NaN for the other two (cheaper).
    layout : PairLayout, optional
        ``PairLayout.of(clusters)``, when many matrices of one clustering are scored.

    Returns
    -------
    ndarray, shape (3,)
        ``[auc, precision_at_k, spearman]``.
    """
    layout = PairLayout.of(clusters) if layout is None else layout
    auc, rho = rank_auc_and_spearman(np.ravel(similarity)[layout.cells], layout.same)
    if auc_only:
        return np.array([auc, np.nan, np.nan])
    return np.array([auc, row_precision(similarity, layout, k), rho])


def shrinkage(sigma: np.ndarray, lam: float) -> np.ndarray:
    """g of Eq. 5: ``sigma^2 / (sigma^2 + lambda)``.

    Parameters
    ----------
    sigma : ndarray, shape (k,)
    lam : float

    Returns
    -------
    ndarray, shape (k,)
    """
    return sigma**2 / (sigma**2 + lam)


def panel_scales(sigma: np.ndarray, lam1: float, lam2: float) -> dict:
    """b with ``B = V_k dMat(b)`` of every model panel of Table 3, written out from the paper.

    Parameters
    ----------
    sigma : ndarray, shape (k,)
    lam1, lam2 : float
        lambda of Eq. 1 and of Eq. 2.

    Returns
    -------
    dict of str to ndarray of shape (k,)
    """
    g = shrinkage(sigma, lam1)
    return {
        "eq1_B_Vk_g_half": np.sqrt(g),  # Eq. 5 with D = I
        "eq1_B_Vk": np.ones_like(sigma),  # Case A
        "eq1_B_Vk_sigma2": sigma**2,
        "eq2_unique": np.sqrt(np.maximum(sigma - lam2, 0.0)),  # Eq. 6: sigma (1 - lambda/sigma)_+
        "eq1_inverse_sqrt_sigma": np.sqrt(g * sigma),  # Section 2.3: D = dMat(sqrt(1/sigma))
    }


def recompute_panels(V, sigma, lam1, lam2, clusters, k, panel_keys) -> np.ndarray:
    """Table 3's scores of one seed, from its Eq. 1 spectrum and item clusters.

    Parameters
    ----------
    V : ndarray, shape (p, k_rank)
    sigma : ndarray, shape (k_rank,)
    lam1, lam2 : float
    clusters : ndarray of int, shape (p,)
    k : int
        k of precision@k.
    panel_keys : sequence of str
        Table 3's panels in stored order (``true_clusters`` and the keys of :func:`panel_scales`).

    Returns
    -------
    ndarray, shape (len(panel_keys), 3)
    """
    scales = panel_scales(sigma, lam1, lam2)
    truth = (clusters[:, None] == clusters[None, :]).astype(float)
    layout = PairLayout.of(clusters)
    rows = [independent_scores(truth if key == "true_clusters" else cosine_rows(V * scales[key]), clusters, k,
                               layout=layout) for key in panel_keys]
    return np.array(rows)


def random_diagonals(seed: int, d_seed: int, n_draws: int, rank: int, log_sd: float) -> np.ndarray:
    """The random diagonals of D of one seed: ``exp(log_sd z)``, z standard normal, from
    ``numpy.random.default_rng([seed, d_seed])`` (the study's documented generator).

    Returns
    -------
    ndarray, shape (n_draws, rank)
    """
    z = np.random.default_rng([seed, d_seed]).standard_normal((n_draws, rank))
    return np.exp(log_sd * z)


def top_spectrum(G: np.ndarray, rank: int) -> tuple[np.ndarray, np.ndarray]:
    """Top right singular vectors and values of X from ``G = X^T X``, by LAPACK's ``syevx``
    (bisection and inverse iteration, restricted to the top ``rank`` eigenpairs; the producer uses
    ``syevr``).

    Returns
    -------
    V : ndarray, shape (p, rank)
    sigma : ndarray, shape (rank,)
    """
    p = G.shape[0]
    values, vectors = scipy.linalg.eigh(G, subset_by_index=[p - rank, p - 1], driver="evx")
    top = np.argsort(values)[::-1]
    V = vectors[:, top]
    # An item sharing no user with any other (G zero off the diagonal) is an eigenvector e_i of its
    # own; unless its eigenvalue is kept, every kept eigenvector is exactly 0 there.
    alone = ~np.any((G != 0) & ~np.eye(p, dtype=bool), axis=1) & (np.diag(G) < values[top].min())
    V[alone, :] = 0.0
    return V, np.sqrt(np.clip(values[top], 0.0, None))


def reweighted_grams(G: np.ndarray, counts: np.ndarray, n_users: int) -> dict:
    """Gram matrices of remedy 3: standardised X, inverse propensity, frequency^(3/4).

    Parameters
    ----------
    G : ndarray, shape (p, p)
    counts : ndarray, shape (p,)
        Interactions per item.
    n_users : int

    Returns
    -------
    dict of str to ndarray, shape (p, p)
    """
    mu = counts / n_users
    covariance = G / n_users - np.outer(mu, mu)
    sd = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    inv_sd = np.where(sd > 0, 1.0 / np.where(sd > 0, sd, 1.0), 0.0)
    out = {"standardised_X": n_users * covariance * np.outer(inv_sd, inv_sd)}
    for key, power in (("inverse_propensity", 0.0), ("frequency_3_4", 0.75)):
        w = np.where(counts > 0, np.where(counts > 0, counts, 1.0) ** ((power - 1.0) / 2.0), 0.0)
        w = w / w.max()
        out[key] = G * np.outer(w, w)
    return out


def unit_rows(B: np.ndarray) -> np.ndarray:
    """B with each row scaled to length 1 (zero rows stay zero)."""
    norms = np.sqrt(np.einsum("ij,ij->i", B, B))
    return np.divide(B, norms[:, None], out=np.zeros_like(B), where=norms[:, None] > 0)


def captured_operator(G: np.ndarray, lam: float) -> np.ndarray:
    """``C = G (G + lambda I)^{-1} G`` (symmetrised): Eq. 1's value with A eliminated is
    ``tr(G) - tr(C P_B)``.

    Parameters
    ----------
    G : ndarray, shape (p, p)
    lam : float

    Returns
    -------
    ndarray, shape (p, p)
    """
    C = G @ np.linalg.solve(G + lam * np.eye(G.shape[0]), G)
    return (C + C.T) / 2.0


def unit_norm_fit(C: np.ndarray, B_start: np.ndarray, iterations: int) -> np.ndarray:
    """Eq. 1 with unit-norm item embeddings, as the study documents it: A eliminated, maximise
    ``h(B) = tr(C B (B^T B)^{-1} B^T)`` with ``C = G (G + lambda I)^{-1} G``, by steps along the
    gradient ``2 (I - P_B) C B (B^T B)^{-1}`` made tangent to each row's sphere, rows re-normalised;
    the first step ``1 / tr(C)``, doubled after an accepted step (h not lower) and halved (at most 30
    times) until one is accepted; at most ``iterations`` steps.

    Parameters
    ----------
    C : ndarray, shape (p, p)
        :func:`captured_operator` of G and lambda.
    B_start : ndarray, shape (p, k)
    iterations : int

    Returns
    -------
    ndarray, shape (p, k)
        The fitted B (unit rows).
    """

    def captured(B):
        CB = C @ B
        return float(np.trace(np.linalg.solve(B.T @ B, B.T @ CB))), CB

    B = unit_rows(B_start)
    value, CB = captured(B)
    step = 1.0 / np.trace(C)
    for _ in range(iterations):
        inverse = np.linalg.inv(B.T @ B)
        W = CB @ inverse
        direction = 2.0 * (W - B @ (inverse @ (B.T @ W)))
        direction -= np.sum(direction * B, axis=1)[:, None] * B
        for _ in range(30):
            trial = unit_rows(B + step * direction)
            trial_value, trial_CB = captured(trial)
            if trial_value >= value:
                break
            step /= 2.0
        else:
            break
        B, value, CB = trial, trial_value, trial_CB
        step *= 2.0
    return B


def recompute_remedies(G, counts, n_users, V, sigma, lam, clusters, d_rows, k, keys,
                       unit_norm_iterations: int | None = None) -> np.ndarray:
    """Table 4's scores of one seed at D = I and under each d of ``d_rows`` (possibly none).

    Unit-norm training is refitted by :func:`unit_norm_fit` when ``unit_norm_iterations`` is given
    (else NaN).

    Parameters
    ----------
    G : ndarray, shape (p, p)
        ``X^T X``.
    counts : ndarray, shape (p,)
    n_users : int
    V, sigma : ndarrays, shapes (p, rank), (rank,)
        The Eq. 1 spectrum.
    lam : float
    clusters : ndarray of int, shape (p,)
    d_rows : ndarray, shape (n_d, rank)
    k : int
    keys : sequence of str
        The remedies in stored order.

    Returns
    -------
    ndarray, shape (len(keys), 1 + n_d, 3)
    """
    rank = sigma.size
    all_d = np.vstack([np.ones((1, rank)), d_rows])
    out = np.full((len(keys), all_d.shape[0], 3), np.nan)
    root_g = np.sqrt(shrinkage(sigma, lam))
    grams = reweighted_grams(G, counts, n_users)
    layout = PairLayout.of(clusters)
    C = captured_operator(G, lam) if unit_norm_iterations is not None else None
    spectra = {}
    for key, G_new in grams.items():
        V_new, sigma_new = top_spectrum(G_new, rank)
        spectra[key] = (V_new, sigma_new, lam * np.trace(G_new) / np.trace(G))
    no_data = np.diag(G) == 0  # items without interactions: left out of every approach's score
    for j, d in enumerate(all_d):
        A, B = V * (root_g * d), V * (root_g / d)
        sims = {
            "embedding_cosine": cosine_rows(B),
            "dot_product": without_items(B @ B.T, no_data),
            "original_space_AB": cosine_of_gram(B @ A.T @ A @ B.T),
            "original_space_XAB": cosine_of_gram(B @ (A.T @ G @ A) @ B.T),
        }
        for key, (V_new, sigma_new, lam_new) in spectra.items():
            sims[key] = cosine_rows(V_new * (np.sqrt(shrinkage(sigma_new, lam_new)) / d))
        if unit_norm_iterations is not None:
            fitted = unit_norm_fit(C, B, unit_norm_iterations)
            sims["unit_norm_training"] = without_items(fitted @ fitted.T, no_data)
        for key, similarity in sims.items():
            out[keys.index(key), j] = independent_scores(similarity, clusters, k, layout=layout)
    return out


def recompute_sweep(V, sigma, lam, clusters, exponents, d_rows, family_keys, k) -> tuple[np.ndarray, np.ndarray]:
    """AUCs of the D sweep's families and of the random-D draws of one seed.

    Returns
    -------
    families : ndarray, shape (len(family_keys), n_exponents)
    random_d : ndarray, shape (n_draws,)
    """
    g = shrinkage(sigma, lam)
    base = {"sigma_power": sigma, "shrinkage_power": g}
    layout = PairLayout.of(clusters)

    def auc(B):
        return independent_scores(cosine_rows(B), clusters, k, auc_only=True, layout=layout)[0]

    families = np.array([[auc(V * base[f] ** t) for t in exponents] for f in family_keys])
    random_d = np.array([auc(V * (np.sqrt(g) / d)) for d in d_rows])
    return families, random_d
