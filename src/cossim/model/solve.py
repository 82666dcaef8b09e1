"""Closed-form solutions of the two training objectives (Section 2 of the paper).

Both solutions are functions of the singular values and right singular vectors of X only,
so they are computed from the p x p Gram matrix ``X^T X = V Sigma^2 V^T`` with ``eigh``:
for a sparse tall X this is exact and far cheaper than an SVD of X itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class Spectrum:
    """Singular values and right singular vectors of X, ``X = U Sigma V^T``.

    Attributes
    ----------
    sigma : ndarray, shape (r,)
        Singular values, descending, non-negative.
    V : ndarray, shape (p, r)
        Orthonormal right singular vectors, one column per singular value.
    """

    sigma: np.ndarray
    V: np.ndarray

    def truncate(self, k: int) -> Spectrum:
        """The rank-k truncation ``(Sigma_k, V_k)`` of Section 2: ``sigma`` (k,), ``V`` (p, k).

        Parameters
        ----------
        k : int
        """
        if not 1 <= k <= self.sigma.size:
            raise ValueError(f"rank k={k} must lie in [1, {self.sigma.size}]")
        return Spectrum(self.sigma[:k], self.V[:, :k])


def right_singular_spectrum(X) -> Spectrum:
    """All p singular values and right singular vectors of X via ``eigh(X^T X)``.

    Eigenvalues that rounding leaves slightly negative are set to zero. An item without
    interactions (a zero column of X, so a zero row and column of ``X^T X``) has the exact
    eigenvector ``e_i`` with eigenvalue 0, and every other eigenvector is exactly 0 at i: the
    eigenproblem is solved on the items with interactions, and each empty item is given its
    ``e_i`` after them (:func:`gram_empty_items`). Each column of V is given a
    deterministic sign (its largest-magnitude entry positive), which changes no solution.

    Parameters
    ----------
    X : scipy.sparse matrix or ndarray, shape (n, p)

    Returns
    -------
    Spectrum
        ``sigma`` of shape (p,), ``V`` of shape (p, p).
    """
    G = gram_matrix(X)
    empty = gram_empty_items(G)
    kept = np.flatnonzero(~empty)
    eigenvalues, eigenvectors = np.linalg.eigh(G[np.ix_(kept, kept)])
    order = np.argsort(eigenvalues, kind="stable")[::-1]
    sigma = np.sqrt(np.clip(eigenvalues[order], 0.0, None))
    V = np.zeros((G.shape[0], G.shape[0]))
    V[kept, : kept.size] = eigenvectors[:, order]
    V[np.flatnonzero(empty), np.arange(kept.size, G.shape[0])] = 1.0
    return Spectrum(np.concatenate([sigma, np.zeros(int(empty.sum()))]), with_deterministic_signs(V))


def gram_empty_items(G: np.ndarray) -> np.ndarray:
    """Which items have no interaction: a zero diagonal entry of ``G = X^T X`` (a zero column of X).

    ``G_ii`` is the sum of the squares of column i, exactly 0 only when the column has no non-zero
    entry. Such an item has no embedding direction: every eigenvector of G with a non-zero
    eigenvalue is exactly 0 at i (``G e_i = 0``), so its row of ``V_k`` and of every B is 0.

    Parameters
    ----------
    G : ndarray, shape (p, p)

    Returns
    -------
    ndarray of bool, shape (p,)
    """
    return np.diag(G) == 0


def column_has_no_entries(X) -> np.ndarray:
    """Which columns of X are zero (items without interactions), from X without a Gram matrix.

    Parameters
    ----------
    X : scipy.sparse matrix or ndarray, shape (n, p)

    Returns
    -------
    ndarray of bool, shape (p,)
    """
    if sp.issparse(X):
        X = sp.csc_matrix(X)
        return np.asarray(abs(X).sum(axis=0)).ravel() == 0
    return ~np.any(np.asarray(X) != 0, axis=0)


def safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Element-wise ``numerator / denominator`` with 0 where the denominator is 0.

    Parameters
    ----------
    numerator, denominator : array_like, broadcastable (e.g. both shape (k,), as is the result)
    """
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.zeros(np.broadcast(numerator, denominator).shape)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def eq1_shrinkage(sigma: np.ndarray, lam: float) -> np.ndarray:
    """``g_i = 1 / (1 + lambda / sigma_i^2)``, the shrinkage of Eq. 1's solution (Eq. 5).

    Written as ``sigma^2 / (sigma^2 + lambda)``; a zero singular value gives g = 0.

    Parameters
    ----------
    sigma : ndarray, shape (k,)
    lam : float

    Returns
    -------
    g : ndarray, shape (k,)
    """
    sigma2 = np.asarray(sigma, dtype=float) ** 2
    return safe_divide(sigma2, sigma2 + lam)


def eq2_shrinkage(sigma: np.ndarray, lam: float) -> np.ndarray:
    """``(1 - lambda / sigma_i)_+``, the shrinkage of Eq. 2's solution (Eq. 6).

    Zero for every ``sigma_i <= lambda``; a zero singular value gives 0.

    Parameters
    ----------
    sigma : ndarray, shape (k,)
    lam : float

    Returns
    -------
    ndarray, shape (k,)
    """
    sigma = np.asarray(sigma, dtype=float)
    return np.clip(1.0 - safe_divide(np.full_like(sigma, lam), sigma), 0.0, None) * (sigma > 0)


def eq1_factor_scales(sigma: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-dimension scales of ``A(1) = B(1) = V_k dMat(g)^{1/2}`` (Eq. 5).

    Parameters
    ----------
    sigma : ndarray, shape (k,)
    lam : float

    Returns
    -------
    a, b : ndarray, shape (k,)
        ``A = V_k dMat(a)``, ``B = V_k dMat(b)``.
    """
    root_g = np.sqrt(eq1_shrinkage(sigma, lam))
    return root_g, root_g.copy()


def eq2_factor_scales(sigma: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-dimension scales of Eq. 2's unique solution (Eq. 6).

    ``A(2) = V_k dMat(sqrt((1/sigma_i)(1 - lambda/sigma_i)_+))`` and ``B(2) = V_k dMat(sqrt(sigma_i
    (1 - lambda/sigma_i)_+))``, written as ``a = sqrt((sigma - lambda)_+) / sigma`` and
    ``b = sqrt((sigma - lambda)_+)`` so that a zero singular value gives 0 rather than NaN.

    Parameters
    ----------
    sigma : ndarray, shape (k,)
    lam : float

    Returns
    -------
    a, b : ndarray, shape (k,)
    """
    sigma = np.asarray(sigma, dtype=float)
    b = np.sqrt(sigma * eq2_shrinkage(sigma, lam))
    return safe_divide(b, sigma), b


@dataclass(frozen=True)
class Fit:
    """A fitted linear autoencoder ``X ~ X A B^T`` with ``A = V_k dMat(a)``, ``B = V_k dMat(b)``.

    Attributes
    ----------
    objective : {"eq1", "eq2"}
    lam : float
    spectrum : Spectrum
    a, b : ndarray, shape (k,)
    """

    objective: str
    lam: float
    spectrum: Spectrum
    a: np.ndarray
    b: np.ndarray

    @property
    def A(self) -> np.ndarray:
        """Encoder A, shape (p, k)."""
        return self.spectrum.V * self.a

    @property
    def B(self) -> np.ndarray:
        """Decoder B (item embeddings are its rows), shape (p, k)."""
        return self.spectrum.V * self.b


def solve_eq1(spectrum: Spectrum, lam: float) -> Fit:
    """Closed-form minimiser of Eq. 1 at the rank of ``spectrum``, with D = I (Eq. 5).

    Parameters
    ----------
    spectrum : Spectrum, rank k
    lam : float
    """
    a, b = eq1_factor_scales(spectrum.sigma, lam)
    return Fit("eq1", float(lam), spectrum, a, b)


def solve_eq2(spectrum: Spectrum, lam: float) -> Fit:
    """Closed-form minimiser of Eq. 2 at the rank of ``spectrum`` (Eq. 6).

    Parameters
    ----------
    spectrum : Spectrum, rank k
    lam : float
    """
    a, b = eq2_factor_scales(spectrum.sigma, lam)
    return Fit("eq2", float(lam), spectrum, a, b)


SOLVERS = {"eq1": solve_eq1, "eq2": solve_eq2}


def fit_arrays(fit: Fit) -> dict:
    """The arrays of a fit as saved in ``results/fits/<dataset>/<objective>.npz``.

    Parameters
    ----------
    fit : Fit

    Returns
    -------
    dict
        ``objective``, ``lam`` (0-d); ``sigma``, ``a``, ``b`` (k,); ``V_k``, ``A``, ``B`` (p, k).
    """
    return {
        "objective": np.array(fit.objective),
        "lam": np.array(fit.lam),
        "sigma": fit.spectrum.sigma,
        "V_k": fit.spectrum.V,
        "a": fit.a,
        "b": fit.b,
        "A": fit.A,
        "B": fit.B,
    }


def load_fit(path) -> Fit:
    """Read a fit saved from :func:`fit_arrays`.

    Parameters
    ----------
    path : str or Path
    """
    with np.load(path) as data:
        return Fit(
            str(data["objective"]),
            float(data["lam"]),
            Spectrum(data["sigma"], data["V_k"]),
            data["a"],
            data["b"],
        )


# --- Solver choice by size -------------------------------------------------------------------

GRAM_EIGH_MAX_ITEMS = 4096
"""Largest p solved exactly through the dense p x p Gram matrix and ``eigh``; beyond it the
Gram matrix alone costs O(p^2) memory and ``eigh`` O(p^3) time, so :func:`top_right_singular_spectrum`
switches to Lanczos on the implicit operator ``v -> X^T (X v)``."""

GRAM_CHUNK_ENTRIES = 1 << 22
"""Entries of a dense block of rows of X densified at once by :func:`gram_matrix`."""

KRYLOV_SEED = 20240308
"""Seed of the Lanczos starting vector: the solver is deterministic."""


DENSE_ROW_SHARE = 20
"""Rows of X with more than ``p / DENSE_ROW_SHARE`` entries go through dense BLAS in
:func:`binary_gram_matrix`; the (many, short) others through a sparse product, whose cost is
the square of a row's length instead of ``p^2``. The two costs per row, about 5 ns per pair of
a row's entries (sparse) and 1e-11 s per multiply-add of float32 BLAS on 2 cores (dense, ``p^2``
of them), cross at a length of about ``p / 22``; the result is the same integer matrix for any
share."""


def binary_gram_matrix(X: sp.spmatrix) -> np.ndarray:
    """Dense ``X^T X``, shape (p, p), of a 0/1 sparse X: short rows sparse, long rows by BLAS.

    Long rows go through float32 BLAS on blocks of rows. Exact: every entry is an integer count,
    float32 represents a block's counts exactly (a block has fewer than ``2^24`` rows), and float64
    sums integers below ``2^53`` exactly in any order, so the result equals the sparse ``X.T @ X``.

    Parameters
    ----------
    X : scipy.sparse matrix, shape (n, p)
    """
    X = sp.csr_matrix(X)
    n, p = X.shape
    long_rows = np.diff(X.indptr) * DENSE_ROW_SHARE > p
    short = X[~long_rows]
    gram = np.asarray((short.T @ short).toarray(), dtype=np.float64)
    dense = X[long_rows]
    rows = int(min(max(1, GRAM_CHUNK_ENTRIES // max(p, 1)), (1 << 24) - 1))
    for start in range(0, dense.shape[0], rows):
        block = dense[start:start + rows].toarray().astype(np.float32)
        gram += block.T @ block
    return gram


def gram_matrix(X) -> np.ndarray:
    """Dense ``X^T X`` of shape (p, p) in float64, from a sparse or dense X.

    A binary sparse X (the simulated data) goes through :func:`binary_gram_matrix`, which is
    exact and much faster than a sparse-sparse product when users have many items.

    Parameters
    ----------
    X : scipy.sparse matrix or ndarray, shape (n, p)
    """
    if sp.issparse(X):
        if X.nnz and np.all(X.data == 1):
            return binary_gram_matrix(X)
        X = X.astype(np.float64)
        return np.asarray((X.T @ X).toarray())
    X = np.asarray(X, dtype=np.float64)
    return X.T @ X


def with_deterministic_signs(V: np.ndarray) -> np.ndarray:
    """Flip each column so that its largest-magnitude entry is positive (a new array, same shape).

    Parameters
    ----------
    V : ndarray, shape (p, r)
    """
    pivot = np.argmax(np.abs(V), axis=0)
    signs = np.sign(V[pivot, np.arange(V.shape[1])])
    signs[signs == 0] = 1.0
    return V * signs + 0.0  # + 0.0: an exact zero stays +0.0, not -0.0


def lanczos_spectrum(X, k: int, tol: float = 1e-10) -> Spectrum:
    """The top-k singular values and right singular vectors of a large sparse X by Lanczos.

    ARPACK's restarted Lanczos (``eigsh``) on ``G = X^T X`` applied as ``X^T (X v)``, never formed:
    memory O(nnz + p k); ``tol`` is relative in sigma^2; deterministic (start: :data:`KRYLOV_SEED`).

    Parameters
    ----------
    X : scipy.sparse matrix or ndarray, shape (n, p)
    k : int
    tol : float

    Returns
    -------
    Spectrum
        ``sigma`` of shape (k,), ``V`` of shape (p, k).
    """
    from scipy.sparse.linalg import LinearOperator, eigsh

    X = sp.csr_matrix(X, dtype=np.float64)
    p = X.shape[1]
    transposed = X.T
    operator = LinearOperator(
        (p, p), matvec=lambda v: transposed @ (X @ v), matmat=lambda V: transposed @ (X @ V), dtype=np.float64
    )
    empty = column_has_no_entries(X)
    start = np.random.default_rng(KRYLOV_SEED).standard_normal(p)
    start[empty] = 0.0  # X^T (X v) is exactly 0 at an empty item, so every Krylov vector is too
    values, vectors = eigsh(operator, k=k, which="LA", v0=start, tol=tol)
    order = np.argsort(values, kind="stable")[::-1]
    sigma = np.sqrt(np.clip(values[order], 0.0, None))
    V = vectors[:, order]
    V[empty] = 0.0  # exact, as in exact arithmetic: a guarantee against a restart's random vector
    return Spectrum(sigma, with_deterministic_signs(V))


def gram_top_spectrum(G: np.ndarray, k: int, overwrite: bool = False) -> Spectrum:
    """The k largest singular values and right singular vectors of any X with ``X^T X = G``.

    By LAPACK's ``syevr`` restricted to the top k eigenpairs: exact like
    :func:`right_singular_spectrum`, without computing the other p - k. Signs as there, and
    like there an item without interactions (``G_ii = 0``) gets an exact zero row of V: the
    eigenproblem is solved on the other items.

    Parameters
    ----------
    G : ndarray, shape (p, p)
        Finite (a Gram matrix of finite data; not checked again).
    k : int
        The result has ``sigma`` of shape (k,) and ``V`` of shape (p, k).
    overwrite : bool
        Let LAPACK work in G's memory (G is destroyed), saving a copy of a p x p matrix; the
        same LAPACK call, so the same result bytes.
    """
    from scipy.linalg import eigh

    p = G.shape[0]
    empty = gram_empty_items(G)
    kept = np.flatnonzero(~empty)
    if empty.any():  # solved on the items with interactions; an empty item is exactly 0 in every kept vector
        G = G[np.ix_(kept, kept)]
        overwrite = True
    q = min(k, kept.size)
    values, vectors = eigh(
        G, subset_by_index=[kept.size - q, kept.size - 1], driver="evr", overwrite_a=overwrite, check_finite=False
    ) if q else (np.zeros(0), np.zeros((0, 0)))
    order = np.argsort(values, kind="stable")[::-1]
    sigma = np.concatenate([np.sqrt(np.clip(values[order], 0.0, None)), np.zeros(k - q)])
    V = np.zeros((p, k))
    V[kept, :q] = vectors[:, order]
    V[np.flatnonzero(empty)[: k - q], np.arange(q, k)] = 1.0  # beyond the items with data: e_i, eigenvalue 0
    return Spectrum(sigma, with_deterministic_signs(V))


def top_right_singular_spectrum(X, k: int) -> Spectrum:
    """The rank-k truncation ``(Sigma_k, V_k)`` of Section 2, with the solver chosen by size.

    ``p <= GRAM_EIGH_MAX_ITEMS``: exact, :func:`gram_top_spectrum` of :func:`gram_matrix` (``eigh``
    of the top k eigenpairs only). Larger p: :func:`lanczos_spectrum`, never forming a p x p matrix.

    Parameters
    ----------
    X : scipy.sparse matrix or ndarray, shape (n, p)
    k : int

    Returns
    -------
    Spectrum
        ``sigma`` of shape (k,), ``V`` of shape (p, k).
    """
    if not 1 <= k <= X.shape[1]:
        raise ValueError(f"rank k={k} must lie in [1, {X.shape[1]}]")
    if X.shape[1] <= GRAM_EIGH_MAX_ITEMS:
        return gram_top_spectrum(gram_matrix(X), k, overwrite=True)
    return lanczos_spectrum(X, k)
