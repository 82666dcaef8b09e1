"""The remedies of Section 3, made concrete for the linear autoencoder ``X ~ X A B^T``.

Everything works from the Gram matrix ``G = X^T X`` (p x p), so no n x p matrix is formed:

- *Leave the embedding space* (remedy 2): cosine of the columns of ``A B^T`` (each item as a
  p-vector of the smoothed item-item model) or of ``X A B^T`` (each item as the n-vector of its
  predicted interactions). Both depend on A and B only through ``A B^T``, so no D of Eq. 3 can
  change them.
- *Normalise or reduce popularity bias before learning* (remedy 3): learn Eq. 1 on a re-weighted
  X: standardised columns, inverse propensity weights, or word2vec's frequency^(3/4).
- *Train with unit-norm embeddings* (remedy 1, and the 2026 follow-up's claim, see docs/paper.md):
  Eq. 1 with every item embedding (row of B) constrained to unit length, fitted by projected
  gradient; A is eliminated in closed form.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg

from ..model.similarity import cosine_similarity, normalise_rows, undefined_where


def cosine_from_gram(K: np.ndarray) -> np.ndarray:
    """``K_ij / sqrt(K_ii K_jj)``: the cosine of vectors whose inner products are K.

    Parameters
    ----------
    K : ndarray, shape (q, q)
        A Gram matrix (symmetric positive semi-definite).

    Returns
    -------
    ndarray, shape (q, q)
        Entries clipped to [-1, 1]; NaN in the rows and columns of a zero vector (no direction).
    """
    diagonal = np.clip(np.diag(K), 0.0, None)
    inverse = np.zeros_like(diagonal)
    np.divide(1.0, np.sqrt(diagonal), out=inverse, where=diagonal > 0)
    return undefined_where(np.clip(K * inverse[:, None] * inverse[None, :], -1.0, 1.0), diagonal == 0)


def original_space_item_cosine(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Cosine of the columns of ``A B^T`` (Section 3, remedy 2).

    Inner products ``B (A^T A) B^T``: unchanged by ``A D``, ``B D^{-1}`` (Eq. 3).

    Parameters
    ----------
    A, B : ndarray, shape (p, k)

    Returns
    -------
    ndarray, shape (p, p)
    """
    return cosine_from_gram(B @ (A.T @ A) @ B.T)


def smoothed_data_item_cosine(G: np.ndarray, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Cosine of the columns of ``X A B^T`` (the smoothed X, Section 3), from ``G = X^T X``.

    Inner products ``B (A^T G A) B^T``: unchanged by any D of Eq. 3.

    Parameters
    ----------
    G : ndarray, shape (p, p)
    A, B : ndarray, shape (p, k)

    Returns
    -------
    ndarray, shape (p, p)
    """
    return cosine_from_gram(B @ (A.T @ G @ A) @ B.T)


def smoothed_user_cosine(X_users, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Cosine of the rows of ``X A B^T`` for a sample of users (Section 3, remedy 2).

    Parameters
    ----------
    X_users : sparse or dense matrix, shape (m, p)
    A, B : ndarray, shape (p, k)

    Returns
    -------
    ndarray, shape (m, m)
    """
    return cosine_similarity(np.asarray(X_users @ A) @ B.T)


def item_counts(X) -> np.ndarray:
    """Number of interactions of each item (column sums of binary X).

    Parameters
    ----------
    X : sparse or dense matrix, shape (n, p)

    Returns
    -------
    ndarray of float, shape (p,)
    """
    return np.asarray(X.sum(axis=0)).ravel().astype(float)


def inverse_propensity_weights(counts: np.ndarray) -> np.ndarray:
    """Column weights ``w_j = count_j^{-1/2}``: inverse propensity weighting for a squared loss.

    Weighting the squared error of item j by ``1 / propensity_j`` (propensity = its share of
    interactions) equals scaling column j of X by ``propensity_j^{-1/2}``; every item then has the
    same squared column norm.

    Parameters
    ----------
    counts : ndarray, shape (p,)

    Returns
    -------
    ndarray, shape (p,)
        Scaled to a largest weight of 1; items without interactions get weight 0.
    """
    counts = np.asarray(counts, dtype=float)
    w = np.zeros_like(counts)
    np.power(counts, -0.5, out=w, where=counts > 0)
    return w / w.max() if w.max() > 0 else w


def frequency_power_weights(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    """Column weights that give item j a squared-loss mass proportional to ``count_j^power``.

    word2vec samples (negative) words with probability proportional to frequency^(3/4); here the
    same flattening of popularity: ``w_j = count_j^{(power - 1)/2}``, so ``count_j w_j^2`` is
    proportional to ``count_j^power``. power = 0 is :func:`inverse_propensity_weights`, 1 no change.

    Parameters
    ----------
    counts : ndarray, shape (p,)
    power : float

    Returns
    -------
    ndarray, shape (p,)
        Scaled to a largest weight of 1; items without interactions get weight 0.
    """
    counts = np.asarray(counts, dtype=float)
    w = np.zeros_like(counts)
    np.power(counts, (power - 1.0) / 2.0, out=w, where=counts > 0)
    return w / w.max() if w.max() > 0 else w


def reweighted_gram(G: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Gram matrix of ``X dMat(w)``: ``w_i G_ij w_j``.

    Parameters
    ----------
    G : ndarray, shape (p, p)
    w : ndarray, shape (p,)

    Returns
    -------
    ndarray, shape (p, p)
    """
    return G * w[:, None] * w[None, :]


def standardised_gram(G: np.ndarray, column_sums: np.ndarray, n_users: int) -> np.ndarray:
    """Gram matrix of X with every column standardised to zero mean and unit variance.

    ``Z = (X - 1 mu^T) dMat(1/s)`` with column means mu and population standard deviations s;
    ``Z^T Z = dMat(1/s) (G - n mu mu^T) dMat(1/s)`` (Section 3, remedy 3).

    Parameters
    ----------
    G : ndarray, shape (p, p)
    column_sums : ndarray, shape (p,)
    n_users : int
        n, the number of rows of X.

    Returns
    -------
    ndarray, shape (p, p)
        Rows and columns of constant columns are 0.
    """
    mean = np.asarray(column_sums, dtype=float) / n_users
    centred = G - n_users * np.outer(mean, mean)
    variance = np.clip(np.diag(centred) / n_users, 0.0, None)
    inverse_sd = np.zeros_like(variance)
    np.divide(1.0, np.sqrt(variance), out=inverse_sd, where=variance > 0)
    return centred * inverse_sd[:, None] * inverse_sd[None, :]


def trace_matched_lambda(lam: float, G: np.ndarray, G_new: np.ndarray) -> float:
    """lambda scaled by ``tr(G_new) / tr(G)``, so that a re-weighted X is regularised as strongly
    relative to its total squared mass ``||X||_F^2`` as the original X.

    Parameters
    ----------
    lam : float
    G, G_new : ndarray, shape (p, p)
        Gram matrices of X and of the re-weighted X.

    Returns
    -------
    float
    """
    return float(lam * np.trace(G_new) / np.trace(G))


@dataclass(frozen=True)
class UnitNormFit:
    """Eq. 1 fitted with unit-length item embeddings.

    Attributes
    ----------
    A, B : ndarray, shape (p, k)
        Encoder and decoder; every row of B has unit norm.
    captured : ndarray
        ``tr(C P_B)`` after each accepted step (non-decreasing), see :func:`fit_unit_norm_items`.
    """

    A: np.ndarray
    B: np.ndarray
    captured: np.ndarray


def eq1_operators(G: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """``S = (G + lambda I)^{-1} G`` and ``C = G S``, via one Cholesky factorisation.

    For fixed B, Eq. 1's best A is ``S B (B^T B)^{-1}``, and then Eq. 1's value is
    ``tr(G) - tr(C P_B)`` with ``P_B`` the orthogonal projector onto the columns of B.

    Parameters
    ----------
    G : ndarray, shape (p, p)
    lam : float

    Returns
    -------
    S, C : ndarrays, shape (p, p)
        C symmetrised.
    """
    factor = scipy.linalg.cho_factor(G + lam * np.eye(G.shape[0]))
    S = scipy.linalg.cho_solve(factor, G)
    C = G @ S
    return S, (C + C.T) / 2.0


def captured_value(C: np.ndarray, B: np.ndarray) -> tuple[float, np.ndarray]:
    """``tr(C P_B) = tr((B^T B)^{-1} B^T C B)``, and ``C B`` for reuse.

    Parameters
    ----------
    C : ndarray, shape (p, p)
    B : ndarray, shape (p, k)

    Returns
    -------
    value : float
    CB : ndarray, shape (p, k)
    """
    CB = C @ B
    return float(np.trace(np.linalg.solve(B.T @ B, B.T @ CB))), CB


def fit_unit_norm_items(
    G: np.ndarray, lam: float, B_start: np.ndarray, iterations: int = 100, S_and_C=None
) -> UnitNormFit:
    """Minimise Eq. 1 subject to unit-norm rows of B, by projected gradient from ``B_start``.

    With A eliminated (``A = S B (B^T B)^{-1}``, :func:`eq1_operators`), Eq. 1 equals
    ``tr(G) - tr(C P_B)``: maximise ``h(B) = tr(C P_B)`` with gradient
    ``2 (I - P_B) C B (B^T B)^{-1}``, each step followed by re-normalising the rows of B
    (the projection onto the constraint); the step length doubles after an accepted step and
    halves until the step is accepted (h does not decrease).

    Parameters
    ----------
    G : ndarray, shape (p, p)
    lam : float
    B_start : ndarray, shape (p, k)
        Starting point; its rows are normalised first.
    iterations : int
        Largest number of accepted steps.
    S_and_C : tuple of ndarrays, optional
        Precomputed :func:`eq1_operators` output.

    Returns
    -------
    UnitNormFit
    """
    S, C = S_and_C if S_and_C is not None else eq1_operators(G, lam)
    B = normalise_rows(B_start)
    value, CB = captured_value(C, B)
    history = [value]
    step = 1.0 / np.trace(C)  # C is positive semi-definite: trace >= largest eigenvalue
    for _ in range(iterations):
        gram_inverse = np.linalg.inv(B.T @ B)
        W = CB @ gram_inverse
        gradient = 2.0 * (W - B @ (gram_inverse @ (B.T @ W)))
        gradient -= np.einsum("ij,ij->i", gradient, B)[:, None] * B  # tangent to each row's sphere
        for _halving in range(30):
            candidate = normalise_rows(B + step * gradient)
            candidate_value, candidate_CB = captured_value(C, candidate)
            if candidate_value >= value:
                break
            step /= 2.0
        else:
            break
        B, value, CB = candidate, candidate_value, candidate_CB
        history.append(value)
        step *= 2.0
    A = S @ B @ np.linalg.inv(B.T @ B)
    return UnitNormFit(A, B, np.array(history))
