"""One cell of the calibration grid: a reading simulated with one seed, drawn and scored.

The published Figure 1 is digitised as colour levels (positions in the rocket colour map,
dark = 0, cream = 1), averaged per cluster x cluster block, the diagonal line excluded
(:mod:`cossim.published`; the restated paper is ``docs/paper.md``). :func:`evaluate_reading`
simulates one reading (Section 4 with the unstated choices filled in), solves Eq. 1 and Eq. 2
in closed form (Eq. 5, Eq. 6), draws the four model panels of Figure 1, encodes them the same way
and scores them by their absolute differences from the published levels. Two scans redraw a
panel under a family of weightings of the same singular directions, as evidence of what the
published panels 2 and 4 resemble; :func:`spectrum_dominance` says why panel 4 can look uniform.
"""

from __future__ import annotations

import numpy as np

from ..model.panels import block_means, colour_levels, figure1_panels
from ..model.similarity import item_item_cosine
from ..model.simulate import SimulationSpec, simulate
from ..model.solve import right_singular_spectrum
from ..published import (
    check_qualitative_pattern,
    model_block_levels,
    overall_score,
    score_levels,
    score_panel,
)
from ..published_profiles import model_profile_levels
from .grid import format_value
from .ordering import ordering_diagnostics

__all__ = [
    "EQ5_FAMILY",
    "PANEL4_EXPONENTS",
    "eq5_family_levels",
    "evaluate_reading",
    "family_key",
    "sigma_power_levels",
    "spec_from_settings",
    "spectrum_dominance",
]

PANEL4_EXPONENTS = (2.0, 1.0, 0.5, 0.0, -0.5, -1.0, -2.0)
"""Exponents q of the weightings ``B = V_k dMat(sigma_i^q)`` that :func:`sigma_power_levels`
scans for panel 4; q = 2 is panel 4 as printed, q = 0 is panel 3's ``B = V_k``."""

EQ5_FAMILY = tuple((power, scale) for power in (0.5, 0.75, 1.0) for scale in (0.5, 1.0, 2.0, 4.0))
"""(power a, lambda scale c) of the weightings ``dMat(1/(1 + c lambda/sigma_i^2))^a`` that
:func:`eq5_family_levels` scans; (0.5, 1) is Eq. 5, panel 2 as drawn."""


def spec_from_settings(settings: dict) -> SimulationSpec:
    """A :class:`~cossim.model.simulate.SimulationSpec` from config-style settings.

    Parameters
    ----------
    settings : dict
        Config key ``simulation`` (or :func:`cossim.fidelity.grid.reading_settings` of a reading);
        its lists ``cluster_probabilities`` and ``item_beta_range`` become tuples.

    Returns
    -------
    SimulationSpec
    """
    settings = dict(settings)
    for key in ("cluster_probabilities", "item_beta_range"):
        settings[key] = tuple(settings[key])
    return SimulationSpec(**settings)


def spectrum_dominance(sigma: np.ndarray, V: np.ndarray) -> dict[str, float]:
    """Why panel 4 (``B = V_k dMat(sigma_i^2)``) can look uniform.

    Panel 4's Gram matrix is ``V_k dMat(sigma^4) V_k^T``; direction i carries the share
    ``sigma_i^4 / sum_j sigma_j^4`` of its trace. When the first direction carries most of it
    and every item loads on it with the same sign (overall popularity), every cosine is near 1.

    Parameters
    ----------
    sigma : ndarray, shape (k,)
        Singular values, descending.
    V : ndarray, shape (n_items, k)
        Right singular vectors (columns), in the order of ``sigma``.

    Returns
    -------
    dict
        ``sigma1_over_sigma2`` (inf with one direction or ``sigma_2 = 0``),
        ``panel4_first_share`` (the sigma_1^4 share; NaN if every sigma is 0) and
        ``first_direction_same_sign`` (fraction of the items with an embedding, a non-zero row of
        V, whose loading on direction 1 has the majority sign; an item without interactions has
        none), all floats.
    """
    sigma = np.asarray(sigma, dtype=float)
    fourth = sigma**4
    first = V[np.any(V != 0, axis=1), 0]
    positive = float(np.mean(first > 0)) if first.size else 0.0
    return {
        "sigma1_over_sigma2": float(sigma[0] / sigma[1]) if sigma.size > 1 and sigma[1] > 0 else float("inf"),
        "panel4_first_share": float(fourth[0] / fourth.sum()) if fourth.sum() > 0 else float("nan"),
        "first_direction_same_sign": max(positive, 1.0 - positive),
    }


def sigma_power_levels(
    spectrum, order, sorted_clusters, exponent: float, colour_range, without_first: bool = False
) -> np.ndarray:
    """Block levels of ``B = V_k dMat(sigma_i^exponent)``: exponent 2 is panel 4 as printed.

    Used to ask which weighting of the singular directions the published panel 4 resembles
    (exponent 0 is panel 3's ``B = V_k``). Zero singular values give zero scales.

    Parameters
    ----------
    spectrum : cossim.model.solve.Spectrum
        ``V`` of shape (n_items, k) and ``sigma`` of shape (k,).
    order : ndarray of int, shape (n_items,)
        Display order of the items (Figure 1's ``order``).
    sorted_clusters : ndarray of int, shape (n_items,)
        Cluster of each item in display order.
    exponent : float
        q of ``dMat(sigma_i^q)``.
    colour_range : (vmin, vmax) or None
        Fixed colour range with clipping, or None for autoscale.
    without_first : bool
        Drop the first direction (overall popularity), to show whether it is what dominates.

    Returns
    -------
    ndarray, shape (C, C)
        Mean colour level of each cluster block, diagonal line excluded.
    """
    sigma = np.asarray(spectrum.sigma, dtype=float)
    scales = np.zeros_like(sigma)
    positive = sigma > 0
    scales[positive] = sigma[positive] ** exponent
    if without_first:
        scales[0] = 0.0
    cosine = item_item_cosine(spectrum.V[order] * scales)
    return block_means(colour_levels(cosine, colour_range), sorted_clusters)


def family_key(power: float, scale: float) -> str:
    """Name of one member of :data:`EQ5_FAMILY` in the scans, e.g. ``a=0.5 c=1``."""
    return f"a={format_value(power)} c={format_value(scale)}"


def eq5_family_levels(
    spectrum, order, sorted_clusters, lam: float, power: float, scale: float, colour_range
) -> np.ndarray:
    """Block levels of ``B = V_k dMat(1/(1 + scale lambda/sigma_i^2))^power``, a family around Eq. 5.

    ``power = 0.5, scale = 1`` is Eq. 5's ``B`` (panel 2). ``scale`` stands for more or less
    data at the same lambda (``sigma^2`` grows with the number of interactions) and ``power`` for
    a sharper or flatter weighting, so the family's best score bounds what any amount of data
    could do for panel 2 with these singular vectors. Zero singular values give zero scales.

    Parameters
    ----------
    spectrum, order, sorted_clusters, colour_range
        As in :func:`sigma_power_levels`.
    lam : float
        Eq. 1's lambda.
    power, scale : float
        a and c of the family.

    Returns
    -------
    ndarray, shape (C, C)
    """
    sigma = np.asarray(spectrum.sigma, dtype=float)
    squared = sigma**2
    shrinkage = squared / (squared + scale * lam)
    cosine = item_item_cosine(spectrum.V[order] * shrinkage**power)
    return block_means(colour_levels(cosine, colour_range), sorted_clusters)


def range_result(
    spectrum, panels: dict, sorted_clusters, lam_eq1: float, colour_range, published: dict, published_profiles: dict
) -> dict:
    """The block levels, profiles, scores and scans of one cell under one colour range (JSON-ready).

    See :func:`evaluate_reading` for the entries.
    """
    order = panels["order"]
    levels = model_block_levels(panels, sorted_clusters, colour_range)
    scores = score_levels(levels, published)
    profiles = model_profile_levels(panels, sorted_clusters, colour_range)
    profile_scores = score_levels(profiles, published_profiles)
    panel4, panel2 = published["eq1_B_Vk_sigma2"], published["eq1_B_Vk_g_half"]
    exponent_scan = {
        format_value(q): score_panel(sigma_power_levels(spectrum, order, sorted_clusters, q, colour_range), panel4).mean_abs
        for q in PANEL4_EXPONENTS
    }
    without_first_scan = {
        format_value(q): score_panel(
            sigma_power_levels(spectrum, order, sorted_clusters, q, colour_range, without_first=True), panel4
        ).mean_abs
        for q in PANEL4_EXPONENTS
    }
    family_scan = {
        family_key(power, scale): score_panel(
            eq5_family_levels(spectrum, order, sorted_clusters, lam_eq1, power, scale, colour_range), panel2
        ).mean_abs
        for power, scale in EQ5_FAMILY
    }
    return {
        "levels": {key: value.tolist() for key, value in levels.items()},
        "scores": {key: {"mean_abs": s.mean_abs, "worst_abs": s.worst_abs} for key, s in scores.items()},
        "all_panels": overall_score(scores),
        "profiles": {key: value.tolist() for key, value in profiles.items()},
        "profile_scores": {key: {"mean_abs": s.mean_abs, "worst_abs": s.worst_abs} for key, s in profile_scores.items()},
        "all_panels_profile": overall_score(profile_scores),
        "panel4_exponent_scan": exponent_scan,
        "panel4_without_first_scan": without_first_scan,
        "panel2_family_scan": family_scan,
    }


def evaluate_reading(
    spec: SimulationSpec,
    seed: int,
    rank: int,
    lam_eq1: float,
    lam_eq2: float,
    colour_ranges: dict,
    published: dict,
    published_profiles: dict,
) -> dict:
    """One cell of the calibration sweep: simulate, solve, draw the panels, score them.

    Parameters
    ----------
    spec : SimulationSpec
        The reading (Section 4 with the unstated choices filled in).
    seed : int
        Seed of ``numpy.random.default_rng`` for the simulation.
    rank : int
        k of the model (50 in Section 4).
    lam_eq1, lam_eq2 : float
        lambda of Eq. 1 and Eq. 2 (10,000 and 100 in Section 4).
    colour_ranges : dict
        Named colour ranges, each ``[vmin, vmax]`` or ``None`` (per-panel autoscale).
    published : dict
        :func:`cossim.published.load_published_levels` of the published figure: ``{panel key:
        (C, C) array}``.
    published_profiles : dict
        :func:`cossim.published_profiles.load_published_profiles`: ``{panel key: (L, 4, 4)
        array}``, the popularity-quartile profiles inside the large clusters.

    Returns
    -------
    dict (JSON-ready)
        ``seed``; ``cluster_sizes`` (items per cluster, C counts); ``n_interactions``; ``sigma`` (the top 10
        singular values); ``dominance`` (:func:`spectrum_dominance`); ``qualitative`` (``{check
        name: passed}`` of :func:`cossim.published.check_qualitative_pattern`); and
        ``colour_ranges``: per colour range name, the block ``levels`` (C x C lists) and
        ``scores`` (``mean_abs``, ``worst_abs``) of each model panel, ``all_panels`` (mean of the
        four mean errors), ``profiles`` (each model panel's popularity profiles, L x 4 x 4 lists,
        :func:`cossim.published_profiles.model_profile_levels`), ``profile_scores`` and
        ``all_panels_profile`` (the same scores on the profiles), ``panel4_exponent_scan`` (the mean absolute error against the published
        panel 4 of ``B = V_k dMat(sigma^q)`` for each q of :data:`PANEL4_EXPONENTS`; evidence
        only, panel 4 itself is always drawn as printed), ``panel4_without_first_scan`` (the same
        without the first singular direction) and ``panel2_family_scan`` (the same for panel 2
        and the weightings of :data:`EQ5_FAMILY`).
    """
    data = simulate(spec, np.random.default_rng(seed))
    spectrum = right_singular_spectrum(data.interactions).truncate(rank)
    panels = figure1_panels(spectrum, data.item_cluster, data.item_popularity, lam_eq1, lam_eq2)
    sorted_clusters = data.item_cluster[panels["order"]]
    qualitative = check_qualitative_pattern(panels, data.item_cluster)
    by_range = {
        name: range_result(
            spectrum, panels, sorted_clusters, lam_eq1, None if value is None else tuple(value), published,
            published_profiles,
        )
        for name, value in colour_ranges.items()
    }
    return {
        "seed": int(seed),
        "cluster_sizes": np.bincount(data.item_cluster, minlength=spec.n_clusters).tolist(),
        "n_interactions": int(data.interactions.nnz),
        "sigma": spectrum.sigma[:10].tolist(),
        "dominance": spectrum_dominance(spectrum.sigma, spectrum.V),
        "qualitative": {result.name: result.passed for result in qualitative},
        "ordering": ordering_diagnostics(spectrum.sigma, spectrum.V, lam_eq1),
        "colour_ranges": by_range,
    }
