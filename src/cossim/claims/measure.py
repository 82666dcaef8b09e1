"""Table 1: every analytic claim of the paper, measured on data.

Each ``claim_*`` function measures one statement of Sections 2-3 on a data set and returns
:class:`~cossim.claims.rows.ClaimRow` objects: what was measured, the tolerance it must meet,
and the verdict. Claims 1-2 are in :mod:`cossim.claims.optimality`, claims 3-6 (Eq. 1's D,
Case A, Case B) in :mod:`cossim.claims.rescaling`, claims 7-8 (Eq. 2) in
:mod:`cossim.claims.eq2`; :func:`measure_claims` runs them all. The fits are taken from the
solver passed in (by default :data:`cossim.model.solve.SOLVERS`), so a broken formula in Eq. 5
or Eq. 6 shows up as failed rows (see tests/test_claims.py).

Claims at full rank (k = p: Case A, Case B) need X to have full column rank; the caller says
which data that is and :func:`full_column_rank` verifies it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model.solve import SOLVERS, Spectrum, gram_matrix, right_singular_spectrum
from .eq2 import claim_eq2_rotation_and_uniqueness, claim_eq2_zeroes_small_sigma
from .optimality import claim_optimality
from .rescaling import (
    claim_case_a_identity,
    claim_case_a_ranking,
    claim_case_b_user_cosine,
    claim_eq1_d_invariance,
)
from .rows import ClaimRow

__all__ = [
    "full_column_rank",
    "ClaimData",
    "measure_claims",
]


def full_column_rank(spectrum: Spectrum) -> tuple[bool, float]:
    """Whether X has full column rank, from all p singular values of X.

    Rank is full when ``sigma_p / sigma_1`` exceeds ``sqrt(p eps)``, the relative accuracy with
    which the Gram route (``eigh(X^T X)``) resolves a singular value.

    Parameters
    ----------
    spectrum : Spectrum
        All p singular values of X (``sigma`` of shape (p,), descending).

    Returns
    -------
    full : bool
        The verdict.
    ratio : float
        ``sigma_p / sigma_1``.
    """
    sigma = spectrum.sigma
    ratio = float(sigma[-1] / sigma[0]) if sigma[0] > 0 else 0.0
    return ratio > np.sqrt(sigma.size * np.finfo(float).eps), ratio


@dataclass(frozen=True)
class ClaimData:
    """The data sets a claim is measured on.

    Attributes
    ----------
    X : sparse matrix, shape (n, p)
        Data for the claims at the configured rank k.
    X_full_rank : sparse matrix, shape (n, p')
        Data with full column rank, for the claims at k = p'.
    label, label_full_rank : str
        How the rows name these data sets.
    """

    X: object
    X_full_rank: object
    label: str
    label_full_rank: str


def measure_claims(
    data: ClaimData,
    rank: int,
    eq1_lambda: float,
    eq2_lambda: float,
    rng: np.random.Generator,
    trials: int,
    user_sample: int,
    optimiser_iterations: int,
    solvers: dict = SOLVERS,
) -> list[ClaimRow]:
    """Measure every claim of Table 1 (see the module docstring).

    Parameters
    ----------
    data : ClaimData
        ``X`` of shape (n, p) and ``X_full_rank`` of shape (n, p'), with their labels.
    rank : int
        k for claims 1-3, 7, 8 (claims 4-6 use k = p').
    eq1_lambda, eq2_lambda : float
        lambda of Eq. 1 and of Eq. 2.
    rng : numpy.random.Generator
        Drives D, R, perturbations, starts and the user samples.
    trials : int
        Random D, R and perturbations per claim.
    user_sample : int
        Users in the user-user and user-item comparisons.
    optimiser_iterations : int
        L-BFGS iterations per run of claims 1b and 2b.
    solvers : dict
        ``{"eq1": ..., "eq2": ...}`` as :data:`cossim.model.solve.SOLVERS`; tests pass a broken one.

    Returns
    -------
    list of ClaimRow
        The rows of Table 1, in claim order.

    Raises
    ------
    ValueError
        If ``data.X_full_rank`` does not have full column rank.
    """
    G = gram_matrix(data.X)
    all_directions = right_singular_spectrum(data.X)
    spectrum = all_directions.truncate(rank)
    eq1, eq2 = solvers["eq1"](spectrum, eq1_lambda), solvers["eq2"](spectrum, eq2_lambda)
    label = f"{data.label}, k = {rank}"
    rows = claim_optimality("1", G, eq1, label, rng, trials, optimiser_iterations)
    rows += claim_optimality("2", G, eq2, label, rng, trials, optimiser_iterations)
    rows += claim_eq1_d_invariance(G, eq1, label, rng, trials)

    X_full = data.X_full_rank
    full_spectrum = all_directions if X_full is data.X else right_singular_spectrum(X_full)
    is_full, ratio = full_column_rank(full_spectrum)
    if not is_full:
        raise ValueError(
            f"{data.label_full_rank}: X has no full column rank (sigma_p / sigma_1 = {ratio:.3g}), which the "
            "claims at k = p need; set claims.full_rank_items to a number of most popular items that has it"
        )
    p = X_full.shape[1]
    full_label = f"{data.label_full_rank}, k = p = {p} (full column rank: sigma_p / sigma_1 = {ratio:.2g})"
    eq1_full = solvers["eq1"](full_spectrum, eq1_lambda)
    active = np.flatnonzero(np.asarray(X_full.sum(axis=1)).ravel() > 0)
    users = np.sort(rng.choice(active, size=min(user_sample, active.size), replace=False))
    rows += claim_case_a_identity(eq1_full, full_label)
    rows += claim_case_a_ranking(X_full, eq1_full, users, full_label)
    rows += claim_case_b_user_cosine(X_full, eq1_full, users, full_label)

    users_k = np.sort(rng.choice(data.X.shape[0], size=min(user_sample, data.X.shape[0]), replace=False))
    rows += claim_eq2_rotation_and_uniqueness(data.X, G, eq2, users_k, label, rng, trials)
    rows += claim_eq2_zeroes_small_sigma(G, eq2, label)
    return rows
