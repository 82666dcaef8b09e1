"""Independent recomputation of the per-seed cluster-recovery scores, for rule ``check_recovery``.

Nothing here calls the code that produced the scores (:mod:`cossim.recovery.scores`,
:mod:`cossim.recovery.study`, :mod:`cossim.recovery.dsweep`, :mod:`cossim.recovery.remedies`, or the
panel definitions of :mod:`cossim.model`): every formula is written out again from the paper, and
every score is taken by another route. The AUC is scipy's Mann-Whitney U over ``n_1 n_0``, the
Spearman correlation is :func:`scipy.stats.spearmanr` of the pair similarities against the 0/1
truth, and precision@k is counted for each item from a full sort of its row. Only the data (interactions, item
clusters), the Eq. 1 fit's spectrum and the model's exact Gram matrix ``X^T X`` (checked against a sparse
product on the fully checked seed) are shared with the producer.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import mannwhitneyu, spearmanr

# Similarities closer than this count as tied at the k-th place (rounding of equal cosines).
PRECISION_TIES = 1e-9


def cosine_rows(B: np.ndarray) -> np.ndarray:
    """Cosine of the rows of B, 0 for a zero row.

    Parameters
    ----------
    B : ndarray, shape (p, k)

    Returns
    -------
    ndarray, shape (p, p)
    """
    norms = np.sqrt(np.einsum("ij,ij->i", B, B))
    unit = np.divide(B, norms[:, None], out=np.zeros_like(B), where=norms[:, None] > 0)
    return np.clip(unit @ unit.T, -1.0, 1.0)


def cosine_of_gram(K: np.ndarray) -> np.ndarray:
    """Cosine from a Gram matrix ``K = M^T M`` of the columns of some M, 0 for a zero column.

    Parameters
    ----------
    K : ndarray, shape (p, p)

    Returns
    -------
    ndarray, shape (p, p)
    """
    norms = np.sqrt(np.clip(np.diag(K), 0.0, None))
    outer = np.outer(norms, norms)
    return np.clip(np.divide(K, outer, out=np.zeros_like(K), where=outer > 0), -1.0, 1.0)


def independent_scores(similarity: np.ndarray, clusters: np.ndarray, k: int, auc_only: bool = False) -> np.ndarray:
    """AUC, precision@k and Spearman of a similarity matrix against the true clusters.

    Parameters
    ----------
    similarity : ndarray, shape (p, p)
    clusters : ndarray of int, shape (p,)
    k : int
        k of precision@k.
    auc_only : bool
        Return the AUC and NaN for the other two (cheaper).

    Returns
    -------
    ndarray, shape (3,)
        ``[auc, precision_at_k, spearman]``.
    """
    p = clusters.size
    i, j = np.triu_indices(p, k=1)
    values = similarity[i, j]
    same = clusters[i] == clusters[j]
    auc = mannwhitneyu(values[same], values[~same]).statistic / (same.sum() * (~same).sum())
    if auc_only:
        return np.array([auc, np.nan, np.nan])
    rho = spearmanr(values, same.astype(float)).statistic
    off = ~np.eye(p, dtype=bool)
    others = similarity[off].reshape(p, p - 1)  # row i: item i's similarity with every other item
    member = (clusters[:, None] == clusters[None, :])[off].reshape(p, p - 1)
    kth = np.sort(others, axis=1)[:, p - 1 - k][:, None]  # the k-th largest of each row
    above = others > kth + PRECISION_TIES
    tied = np.abs(others - kth) <= PRECISION_TIES
    hits = np.sum(member & above, axis=1) + (k - np.sum(above, axis=1)) * np.sum(member & tied, axis=1) / np.sum(
        tied, axis=1)
    return np.array([auc, float(np.mean(hits)) / k, rho])


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
    rows = [independent_scores(truth if key == "true_clusters" else cosine_rows(V * scales[key]), clusters, k)
            for key in panel_keys]
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
    """Top right singular vectors and values of X from ``G = X^T X`` by ``numpy.linalg.eigh``.

    Returns
    -------
    V : ndarray, shape (p, rank)
    sigma : ndarray, shape (rank,)
    """
    values, vectors = np.linalg.eigh(G)
    top = np.argsort(values)[::-1][:rank]
    V = vectors[:, top]
    # An item sharing no user with any other (G zero off the diagonal) is an eigenvector e_i of its
    # own; unless its eigenvalue is kept, every kept eigenvector is exactly 0 there.
    alone = ~np.any((G != 0) & ~np.eye(G.shape[0], dtype=bool), axis=1) & (np.diag(G) < values[top].min())
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


def unit_norm_fit(G: np.ndarray, lam: float, B_start: np.ndarray, iterations: int) -> np.ndarray:
    """Eq. 1 with unit-norm item embeddings, as the study documents it: A eliminated, maximise
    ``h(B) = tr(C B (B^T B)^{-1} B^T)`` with ``C = G (G + lambda I)^{-1} G``, by steps along the
    gradient ``2 (I - P_B) C B (B^T B)^{-1}`` made tangent to each row's sphere, rows re-normalised;
    the first step ``1 / tr(C)``, doubled after an accepted step (h not lower) and halved (at most 30
    times) until one is accepted; at most ``iterations`` steps.

    Returns
    -------
    ndarray, shape (p, k)
        The fitted B (unit rows).
    """
    C = G @ np.linalg.solve(G + lam * np.eye(G.shape[0]), G)
    C = (C + C.T) / 2.0

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
    spectra = {}
    for key, G_new in grams.items():
        V_new, sigma_new = top_spectrum(G_new, rank)
        spectra[key] = (V_new, sigma_new, lam * np.trace(G_new) / np.trace(G))
    for j, d in enumerate(all_d):
        A, B = V * (root_g * d), V * (root_g / d)
        sims = {
            "embedding_cosine": cosine_rows(B),
            "dot_product": B @ B.T,
            "original_space_AB": cosine_of_gram(B @ A.T @ A @ B.T),
            "original_space_XAB": cosine_of_gram(B @ (A.T @ G @ A) @ B.T),
        }
        for key, (V_new, sigma_new, lam_new) in spectra.items():
            sims[key] = cosine_rows(V_new * (np.sqrt(shrinkage(sigma_new, lam_new)) / d))
        if unit_norm_iterations is not None:
            fitted = unit_norm_fit(G, lam, B, unit_norm_iterations)
            sims["unit_norm_training"] = fitted @ fitted.T
        for key, similarity in sims.items():
            out[keys.index(key), j] = independent_scores(similarity, clusters, k)
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
    families = np.array([[independent_scores(cosine_rows(V * base[f] ** t), clusters, k, auc_only=True)[0]
                          for t in exponents] for f in family_keys])
    random_d = np.array([independent_scores(cosine_rows(V * (np.sqrt(g) / d)), clusters, k, auc_only=True)[0]
                         for d in d_rows])
    return families, random_d
