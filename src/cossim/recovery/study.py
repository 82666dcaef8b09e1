"""Cluster recovery over many seeds: Figure 1's panels, the D sweep and the remedies (Table 3, Table 4).

:func:`seed_study` does all the work for one simulated data set and returns plain arrays;
:func:`table3_rows` and :func:`table4_rows` turn the stacked arrays of all seeds into table rows.
Every similarity is scored with :func:`cossim.recovery.score_vector`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model.objectives import eq1_objective
from ..model.panels import PANELS
from ..model.rescale import inverse_sqrt_sigma, rescale
from ..model.similarity import item_item_cosine
from ..model.solve import Spectrum, eq1_shrinkage, gram_matrix, gram_top_spectrum
from .dsweep import exponent_grid, family_scores, lognormal_d, random_d_scores
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
from .scores import ClusterPairs, mean_and_interval, score_names, score_vector

# Table 3: Figure 1's panels (display order) and Section 2.3's suggestion for Eq. 1.
TABLE3_PANELS = tuple(panel.key for panel in PANELS) + ("eq1_inverse_sqrt_sigma",)
TABLE3_LABELS = {
    "true_clusters": "True clusters (upper bound)",
    "eq1_B_Vk_g_half": "Eq. 5: B = V_k dMat(g)^(1/2), D = I",
    "eq1_B_Vk": "B = V_k (Case A)",
    "eq1_B_Vk_sigma2": "B = V_k dMat(sigma^2)",
    "eq2_unique": "Eq. 2 unique: B = V_k dMat(sigma (1 - lambda/sigma)_+)^(1/2)",
    "eq1_inverse_sqrt_sigma": "Section 2.3: D = dMat(sqrt(1/sigma))",
}

# Table 4: the approaches compared, each scored at D = I and under random D.
REMEDIES = (
    ("embedding_cosine", "cosine of item embeddings B(D), normalised after training (Figure 1)"),
    ("dot_product", "unnormalised dot product B(D) B(D)^T (baseline)"),
    ("original_space_AB", "cosine of the columns of A B^T (remedy 2)"),
    ("original_space_XAB", "cosine of the columns of X A B^T (remedy 2)"),
    ("standardised_X", "Eq. 1 on X with standardised columns, then embedding cosine (remedy 3)"),
    ("inverse_propensity", "Eq. 1 on X dMat(count^(-1/2)), then embedding cosine (remedy 3)"),
    ("frequency_3_4", "Eq. 1 on X reweighted to frequency^(3/4), then embedding cosine (remedy 3)"),
    ("unit_norm_training", "Eq. 1 trained with unit-norm item embeddings, started from B(D) (remedy 1)"),
)
REMEDY_KEYS = tuple(key for key, _ in REMEDIES)


@dataclass(frozen=True)
class StudySettings:
    """Settings of the per-seed study (config section ``recovery``)."""

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
        """Read the settings from the config section ``recovery`` (seed count and heatmap size ignored)."""
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


def panel_item_scales(spectrum: Spectrum, lam_eq1: float, lam_eq2: float) -> dict:
    """b with ``B = V_k dMat(b)`` for every model panel of :data:`TABLE3_PANELS`."""
    scales = {panel.key: panel.item_scales(spectrum.sigma, lam_eq1, lam_eq2) for panel in PANELS[1:]}
    scales["eq1_inverse_sqrt_sigma"] = inverse_sqrt_sigma(spectrum.sigma, lam_eq1)[1]
    return scales


def panel_scores(spectrum: Spectrum, pairs: ClusterPairs, lam_eq1: float, lam_eq2: float, k: int) -> np.ndarray:
    """Scores of every :data:`TABLE3_PANELS` entry, shape (len(TABLE3_PANELS), 3)."""
    truth = pairs.same_matrix | np.eye(pairs.item_cluster.size, dtype=bool)
    rows = [score_vector(truth.astype(float), pairs, k)]
    for b in panel_item_scales(spectrum, lam_eq1, lam_eq2).values():
        rows.append(score_vector(item_item_cosine(spectrum.V * b), pairs, k))
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
) -> tuple[np.ndarray, dict]:
    """Scores of every :data:`REMEDIES` entry at D = I (column 0) and under each row of d_rows.

    Returns
    -------
    scores : ndarray, shape (len(REMEDIES), 1 + len(d_rows), 3)
    diagnostics : dict
        Facts the checks verify: Eq. 1 objective values of the unit-norm fits relative to the
        unconstrained optimum, their largest row-norm error, and the lambdas of the re-weighted fits.
    """
    k_prec = settings.precision_k
    k = spectrum.sigma.size
    all_d = np.vstack([np.ones((1, k)), d_rows])
    root_g = np.sqrt(eq1_shrinkage(spectrum.sigma, lam))
    A1, B1 = spectrum.V * root_g, spectrum.V * root_g
    scores = np.empty((len(REMEDIES), all_d.shape[0], 3))
    diagnostics = {}

    for j, d in enumerate(all_d):
        A, B = rescale(A1, B1, d)
        scores[REMEDY_KEYS.index("embedding_cosine"), j] = score_vector(item_item_cosine(B), pairs, k_prec)
        scores[REMEDY_KEYS.index("dot_product"), j] = score_vector(B @ B.T, pairs, k_prec)
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
        spectrum_new = gram_top_spectrum(G_new, k)
        scores[REMEDY_KEYS.index(key)] = random_d_scores(spectrum_new, lam_new, pairs, all_d, k_prec)

    operators = eq1_operators(G, lam)
    optimum = eq1_objective(G, A1, B1, lam)
    trace = float(np.trace(G))
    excess, start_excess, identity_gap, norm_error = [], [], [], []
    for j, d in enumerate(all_d):
        fit = fit_unit_norm_items(G, lam, B1 / d, settings.unit_norm_iterations, operators)
        scores[REMEDY_KEYS.index("unit_norm_training"), j] = score_vector(fit.B @ fit.B.T, pairs, k_prec)
        final = eq1_objective(G, fit.A, fit.B, lam)
        excess.append(final / optimum - 1.0)
        start_excess.append((trace - fit.captured[0]) / optimum - 1.0)
        identity_gap.append(abs(final - (trace - fit.captured[-1])) / optimum)
        norm_error.append(float(np.max(np.abs(np.linalg.norm(fit.B, axis=1) - 1.0))))
    diagnostics["unit_norm_relative_excess"] = np.array(excess)
    diagnostics["unit_norm_start_relative_excess"] = np.array(start_excess)
    diagnostics["unit_norm_identity_gap"] = np.array(identity_gap)
    diagnostics["unit_norm_row_norm_error"] = np.array(norm_error)
    return scores, diagnostics


def seed_study(X, item_cluster: np.ndarray, spectrum: Spectrum, lam_eq1: float, lam_eq2: float,
               settings: StudySettings, rng: np.random.Generator) -> dict:
    """Everything Table 3, Table 4 and the D sweep need from one simulated data set.

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
    remedies, diagnostics = remedy_scores(
        G, item_counts(X), X.shape[0], spectrum, lam_eq1, pairs, d_rows[: settings.remedy_d_samples], settings
    )
    return {
        "panels": panel_scores(spectrum, pairs, lam_eq1, lam_eq2, k_prec),
        "exponents": exponents,
        "families": family_scores(spectrum, lam_eq1, pairs, exponents, k_prec),
        "random_d": random_d_scores(spectrum, lam_eq1, pairs, d_rows, k_prec),
        "remedies": remedies,
        **diagnostics,
    }


def summary_rows(key_column: str, key: str, label: str, values: np.ndarray, columns: tuple, seeds) -> list[dict]:
    """One row per seed (``statistic = value``) and the rows ``mean``, ``ci95_low``, ``ci95_high``.

    Parameters
    ----------
    values : ndarray, shape (n_seeds, len(columns))
    """
    rows = [
        {key_column: key, "label": label, "seed": int(seed), "statistic": "value", **dict(zip(columns, row))}
        for seed, row in zip(seeds, values)
    ]
    mean, low, high = mean_and_interval(values)
    for statistic, row in (("mean", mean), ("ci95_low", low), ("ci95_high", high)):
        rows.append({key_column: key, "label": label, "seed": "all", "statistic": statistic, **dict(zip(columns, row))})
    return rows


def table3_rows(panels: np.ndarray, seeds, k: int = 10) -> tuple[list[str], list[dict]]:
    """Table 3: cluster recovery of each Figure 1 panel, per seed and summarised.

    Parameters
    ----------
    panels : ndarray, shape (n_seeds, len(TABLE3_PANELS), 3)

    Returns
    -------
    columns, rows
    """
    names = score_names(k)
    rows = []
    for p, key in enumerate(TABLE3_PANELS):
        rows += summary_rows("panel", key, TABLE3_LABELS[key], panels[:, p, :], names, seeds)
    return ["panel", "label", "seed", "statistic", *names], rows


def spread_over_d(scores: np.ndarray) -> np.ndarray:
    """Largest minus smallest score over the D axis (axis -2), the D-dependence of a method."""
    return scores.max(axis=-2) - scores.min(axis=-2)


def table4_rows(remedies: np.ndarray, seeds, k: int = 10) -> tuple[list[str], list[dict]]:
    """Table 4: each approach's scores at D = I and their range over random D, per seed and summarised.

    Parameters
    ----------
    remedies : ndarray, shape (n_seeds, len(REMEDIES), 1 + n_d, 3)
        Column 0 of axis 2 is D = I.
    """
    names = score_names(k)
    range_names = tuple(f"{name}_range_over_d" for name in names)
    extreme_names = ("auc_min_over_d", "auc_max_over_d")
    columns = names + range_names + extreme_names
    rows = []
    for m, (key, label) in enumerate(REMEDIES):
        scores = remedies[:, m]
        values = np.hstack([scores[:, 0, :], spread_over_d(scores), scores[:, :, 0].min(axis=1, keepdims=True),
                            scores[:, :, 0].max(axis=1, keepdims=True)])
        rows += summary_rows("method", key, label, values, columns, seeds)
    return ["method", "label", "seed", "statistic", *columns], rows


def stack_seed_studies(paths) -> dict:
    """Stack the arrays of several :func:`seed_study` files along a new first axis (one per seed).

    ``exponents`` is the same for every seed and is kept once.
    """
    studies = []
    for path in paths:
        with np.load(path) as stored:
            studies.append(dict(stored))
    stacked = {key: np.stack([study[key] for study in studies]) for key in studies[0] if key != "exponents"}
    stacked["exponents"] = studies[0]["exponents"]
    return stacked
