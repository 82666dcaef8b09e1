"""Cluster recovery of one seed: Figure 1's panels, the D sweep and the remedies (Table 3, Table 4).

:func:`seed_study` does all the work for one simulated data set and returns plain arrays;
:mod:`cossim.recovery.tables` stacks them over seeds and turns them into table rows.
Every similarity is scored with :func:`cossim.recovery.scores.score_vector`, which leaves out the
undefined (NaN) ones: every cosine of an item without interactions, and, so that every approach of
Table 4 is scored on the same items, its dot products and unit-norm similarities too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model.objectives import eq1_objective
from ..model.panels import PANELS
from ..model.rescale import inverse_sqrt_sigma, rescale
from ..model.similarity import undefined_where
from ..model.solve import Spectrum, eq1_shrinkage, gram_matrix, gram_top_spectrum
from ..vocabulary import PANEL_NAMES, REMEDY_NAMES
from .dsweep import embedding_cosine_scores, exponent_grid, family_scores, lognormal_d, random_d_scores
from .remedies import (
    eq1_operators,
    fit_unit_norm_items,
    frequency_power_weights,
    inverse_propensity_weights,
    item_counts,
    original_space_item_cosine,
    reweighted_gram,
    smoothed_data_item_cosine,
    standardised_gram,
    trace_matched_lambda,
)
from .scores import ClusterPairs, score_vector

# Table 3: Figure 1's panels (display order) and Section 2.3's suggestion for Eq. 1.
TABLE3_PANELS = tuple(panel.key for panel in PANELS) + ("eq1_inverse_sqrt_sigma",)
TABLE3_LABELS = {key: PANEL_NAMES[key] for key in TABLE3_PANELS}

# Table 4: the approaches compared, each scored at D = I and under random D.
REMEDIES = tuple(REMEDY_NAMES.items())
REMEDY_KEYS = tuple(key for key, _ in REMEDIES)


@dataclass(frozen=True)
class StudySettings:
    """Settings of the per-seed study (config section ``recovery``).

    Attributes
    ----------
    precision_k : int
        k of precision@k.
    exponent_low, exponent_high : float
        Range of the exponents t of the D sweep.
    exponent_steps : int
        Number of exponents.
    random_d_samples : int
        Random diagonals D per seed for the sweep's spread.
    remedy_d_samples : int
        How many of them every remedy is also scored under.
    log_sd : float
        Standard deviation of ``log d_i``.
    unit_norm_iterations : int
        Largest number of projected-gradient steps of the unit-norm fits.
    """

    precision_k: int
    exponent_low: float
    exponent_high: float
    exponent_steps: int
    random_d_samples: int
    remedy_d_samples: int
    log_sd: float
    unit_norm_iterations: int

    @classmethod
    def from_config(cls, section: dict) -> StudySettings:
        """Read the settings from the config section ``recovery`` (seed count and heatmap size ignored).

        Parameters
        ----------
        section : dict
            The validated section ``recovery``.

        Returns
        -------
        StudySettings
        """
        return cls(
            precision_k=int(section["precision_k"]),
            exponent_low=float(section["exponent_range"][0]),
            exponent_high=float(section["exponent_range"][1]),
            exponent_steps=int(section["exponent_steps"]),
            random_d_samples=int(section["random_d_samples"]),
            remedy_d_samples=int(section["remedy_d_samples"]),
            log_sd=float(section["log_sd"]),
            unit_norm_iterations=int(section["unit_norm_iterations"]),
        )


def items_without_data_zeroed(spectrum: Spectrum, G: np.ndarray) -> Spectrum:
    """The spectrum with exact zeros in the rows of isolated items outside it.

    An item is isolated when its column of X shares no user with any other column (its row of G
    is zero off the diagonal; an item nobody chose is one). Then ``e_i`` is an eigenvector of G
    with eigenvalue ``G_ii``, every other eigenvector is 0 at i, and so is the item's row of
    ``V_k`` unless ``G_ii`` is among the top k eigenvalues (it is not when ``G_ii < sigma_k^2``).
    ``eigh`` leaves rounding residue there (1e-16 to 1e-41 on the re-weighted data of the default
    config), whose cosine is noise that differs between solvers.

    Parameters
    ----------
    spectrum : Spectrum
        ``sigma`` (k,), ``V`` (p, k), from G.
    G : ndarray, shape (p, p)

    Returns
    -------
    Spectrum
        The same spectrum where no item is isolated (no copy).
    """
    off_diagonal = np.abs(G).sum(axis=1) - np.abs(np.diag(G))
    isolated = (off_diagonal == 0) & (np.diag(G) < spectrum.sigma[-1] ** 2)
    if not isolated.any():
        return spectrum
    V = spectrum.V.copy()
    V[isolated] = 0.0
    return Spectrum(spectrum.sigma, V)


def panel_item_scales(spectrum: Spectrum, lam_eq1: float, lam_eq2: float) -> dict:
    """b with ``B = V_k dMat(b)`` for every model panel of :data:`TABLE3_PANELS`.

    Parameters
    ----------
    spectrum : Spectrum
        Top-k singular values ``sigma`` (k,) (and vectors) of X.
    lam_eq1, lam_eq2 : float
        lambda of Eq. 1 and of Eq. 2.

    Returns
    -------
    dict of str to ndarray of shape (k,)
        Keyed by panel, in the order of ``TABLE3_PANELS[1:]``.
    """
    scales = {panel.key: panel.item_scales(spectrum.sigma, lam_eq1, lam_eq2) for panel in PANELS[1:]}
    scales["eq1_inverse_sqrt_sigma"] = inverse_sqrt_sigma(spectrum.sigma, lam_eq1)[1]
    return scales


def panel_scores(spectrum: Spectrum, pairs: ClusterPairs, lam_eq1: float, lam_eq2: float, k: int,
                 memo: dict | None = None) -> np.ndarray:
    """Scores of every :data:`TABLE3_PANELS` entry, the true block matrix first.

    Parameters
    ----------
    spectrum : Spectrum
        Top-k right singular vectors ``V`` (p, k) and singular values ``sigma`` (k,) of X.
    pairs : ClusterPairs
        The true item clusters.
    lam_eq1, lam_eq2 : float
        lambda of Eq. 1 and of Eq. 2.
    k : int
        k of precision@k.
    memo : dict, optional
        Scores of embeddings already scored (see :func:`cossim.recovery.dsweep.embedding_cosine_scores`).

    Returns
    -------
    ndarray, shape (len(TABLE3_PANELS), 3)
    """
    truth = pairs.same_matrix | np.eye(pairs.item_cluster.size, dtype=bool)
    rows = [score_vector(truth.astype(float), pairs, k)]
    for b in panel_item_scales(spectrum, lam_eq1, lam_eq2).values():
        rows.append(embedding_cosine_scores(spectrum.V * b, pairs, k, memo))
    return np.array(rows)


def remedy_scores(
    G: np.ndarray,
    counts: np.ndarray,
    n_users: int,
    spectrum: Spectrum,
    lam: float,
    pairs: ClusterPairs,
    d_rows: np.ndarray,
    settings: StudySettings,
    memo: dict | None = None,
) -> tuple[np.ndarray, dict]:
    """Scores of every :data:`REMEDIES` entry at D = I (column 0) and under each row of d_rows.

    Parameters
    ----------
    G : ndarray, shape (p, p)
        ``X^T X``.
    counts : ndarray, shape (p,)
        Interactions per item.
    n_users : int
        n, the number of rows of X.
    spectrum : Spectrum
        Top-k right singular vectors ``V`` (p, k) and singular values ``sigma`` (k,) of X.
    lam : float
        lambda of Eq. 1.
    pairs : ClusterPairs
        The true item clusters.
    d_rows : ndarray, shape (n_d, k)
        Random diagonals of D.
    settings : StudySettings
    memo : dict, optional
        Scores of embeddings already scored (see :func:`cossim.recovery.dsweep.embedding_cosine_scores`).

    Returns
    -------
    scores : ndarray, shape (len(REMEDIES), 1 + n_d, 3)
    diagnostics : dict
        Facts the checks verify: Eq. 1 objective values of the unit-norm fits relative to the
        unconstrained optimum (start and end, shape (1 + n_d,) each), the gap of the
        closed-form elimination of A, their largest row-norm error, and the lambdas of the
        re-weighted fits.
    """
    k_prec = settings.precision_k
    k = spectrum.sigma.size
    all_d = np.vstack([np.ones((1, k)), d_rows])
    root_g = np.sqrt(eq1_shrinkage(spectrum.sigma, lam))
    A1, B1 = spectrum.V * root_g, spectrum.V * root_g
    scores = np.empty((len(REMEDIES), all_d.shape[0], 3))
    diagnostics = {}
    no_data = counts == 0  # items without interactions: no embedding direction, left out of every score

    for j, d in enumerate(all_d):
        A, B = rescale(A1, B1, d)
        scores[REMEDY_KEYS.index("embedding_cosine"), j] = embedding_cosine_scores(B, pairs, k_prec, memo)
        scores[REMEDY_KEYS.index("dot_product"), j] = score_vector(undefined_where(B @ B.T, no_data), pairs, k_prec)
        scores[REMEDY_KEYS.index("original_space_AB"), j] = score_vector(original_space_item_cosine(A, B), pairs, k_prec)
        scores[REMEDY_KEYS.index("original_space_XAB"), j] = score_vector(smoothed_data_item_cosine(G, A, B), pairs, k_prec)

    reweighted = {
        "standardised_X": standardised_gram(G, counts, n_users),
        "inverse_propensity": reweighted_gram(G, inverse_propensity_weights(counts)),
        "frequency_3_4": reweighted_gram(G, frequency_power_weights(counts, 0.75)),
    }
    for key, G_new in reweighted.items():
        lam_new = trace_matched_lambda(lam, G, G_new)
        diagnostics[f"{key}_lambda"] = lam_new
        spectrum_new = items_without_data_zeroed(gram_top_spectrum(G_new, k), G_new)
        scores[REMEDY_KEYS.index(key)] = random_d_scores(spectrum_new, lam_new, pairs, all_d, k_prec)

    operators = eq1_operators(G, lam)
    optimum = eq1_objective(G, A1, B1, lam)
    trace = float(np.trace(G))
    excess, start_excess, identity_gap, norm_error = [], [], [], []
    for j, d in enumerate(all_d):
        fit = fit_unit_norm_items(G, lam, B1 / d, settings.unit_norm_iterations, operators)
        scores[REMEDY_KEYS.index("unit_norm_training"), j] = score_vector(
            undefined_where(fit.B @ fit.B.T, no_data), pairs, k_prec)
        final = eq1_objective(G, fit.A, fit.B, lam)
        excess.append(final / optimum - 1.0)
        start_excess.append((trace - fit.captured[0]) / optimum - 1.0)
        identity_gap.append(abs(final - (trace - fit.captured[-1])) / optimum)
        # an item without interactions keeps its zero row (no direction to normalise)
        norm_error.append(float(np.max(np.abs(np.linalg.norm(fit.B[~no_data], axis=1) - 1.0), initial=0.0)))
    diagnostics["unit_norm_relative_excess"] = np.array(excess)
    diagnostics["unit_norm_start_relative_excess"] = np.array(start_excess)
    diagnostics["unit_norm_identity_gap"] = np.array(identity_gap)
    diagnostics["unit_norm_row_norm_error"] = np.array(norm_error)
    return scores, diagnostics


def seed_study(X, item_cluster: np.ndarray, spectrum: Spectrum, lam_eq1: float, lam_eq2: float,
               settings: StudySettings, rng: np.random.Generator) -> dict:
    """Everything Table 3, Table 4 and the D sweep need from one simulated data set.

    Parameters
    ----------
    X : sparse matrix, shape (n, p)
        The interactions.
    item_cluster : ndarray of int, shape (p,)
    spectrum : Spectrum
        Top-k right singular vectors ``V`` (p, k) and singular values ``sigma`` (k,) of X.
    lam_eq1, lam_eq2 : float
        lambda of Eq. 1 and of Eq. 2.
    settings : StudySettings
    rng : numpy.random.Generator
        Draws the random diagonals D.

    Returns
    -------
    dict of ndarrays
        ``panels`` (len(TABLE3_PANELS), 3); ``exponents`` (steps,); ``families``
        (len(FAMILIES), steps, 3); ``random_d`` (random_d_samples, 3); ``remedies``
        (len(REMEDIES), 1 + remedy_d_samples, 3); plus the unit-norm diagnostics.
    """
    k_prec = settings.precision_k
    pairs = ClusterPairs.from_clusters(item_cluster)
    k = spectrum.sigma.size
    exponents = exponent_grid(settings.exponent_low, settings.exponent_high, settings.exponent_steps)
    d_rows = lognormal_d(rng, settings.random_d_samples, k, settings.log_sd)
    G = gram_matrix(X)
    memo = {}  # the embeddings shared by the panels, the families and the remedies are scored once
    remedies, diagnostics = remedy_scores(
        G, item_counts(X), X.shape[0], spectrum, lam_eq1, pairs, d_rows[: settings.remedy_d_samples], settings, memo
    )
    return {
        "panels": panel_scores(spectrum, pairs, lam_eq1, lam_eq2, k_prec, memo),
        "exponents": exponents,
        "families": family_scores(spectrum, lam_eq1, pairs, exponents, k_prec, memo),
        "random_d": random_d_scores(spectrum, lam_eq1, pairs, d_rows, k_prec, memo),
        "remedies": remedies,
        **diagnostics,
    }
