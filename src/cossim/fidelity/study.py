"""Figure 1 fidelity: score a replication's block levels against the published figure.

The published Figure 1 is digitised as colour levels (positions in the rocket colour map,
dark = 0, cream = 1), averaged per cluster x cluster block, the diagonal line excluded
(PAPER.md, section 7). A *reading* is one choice for each thing Section 4 leaves unstated
(cluster probabilities, the PowerLaw readings, the k_u cap, the Dirichlet concentration);
a *colour range* is how cosine values become colour levels. For each reading, seed and colour
range this module computes the four model panels' block levels the same way and scores them
by their absolute differences from the published levels.
"""

from __future__ import annotations

import csv
import itertools

import numpy as np
from scipy.stats import t as student_t

from ..checking import CheckResult, at_least, at_most
from ..model.panels import MODEL_PANELS, block_means, colour_levels, figure1_panels
from ..model.similarity import item_item_cosine
from ..model.simulate import SimulationSpec, simulate
from ..model.solve import right_singular_spectrum
from ..plotting import rocket_colormap
from ..published import (
    check_qualitative_pattern,
    model_block_levels,
    overall_score,
    score_levels,
    score_panel,
)

# Short labels of the simulation keys a reading may set, for readable reading names.
FACTOR_LABELS = {
    "cluster_probabilities": "clusters",
    "item_popularity_law": "pop",
    "user_activity_law": "act",
    "min_items_per_user": "min",
    "max_items_per_user": "cap",
    "preference_concentration": "conc",
}


def expand_grid(grid: dict[str, list]) -> list[dict]:
    """Every combination of the grid's values, in a fixed order (first key varies slowest)."""
    keys = list(grid)
    return [dict(zip(keys, values)) for values in itertools.product(*(grid[key] for key in keys))]


def format_value(value) -> str:
    """A value as it appears in a reading name: integers without a decimal point."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def reading_name(choices: dict) -> str:
    """A file-name-safe name of a reading, e.g. ``clusters-published__pop-zipf__cap-100``."""
    return "__".join(f"{FACTOR_LABELS[key]}-{format_value(value)}" for key, value in choices.items())


def reading_settings(base: dict, choices: dict, named_cluster_probabilities: dict) -> dict:
    """The simulation settings of a reading: ``base`` with the reading's choices applied.

    ``cluster_probabilities`` is chosen by name from ``named_cluster_probabilities``.
    """
    settings = {**base, **choices}
    if "cluster_probabilities" in choices:
        settings["cluster_probabilities"] = list(named_cluster_probabilities[choices["cluster_probabilities"]])
    return settings


def spec_from_settings(settings: dict) -> SimulationSpec:
    """A :class:`SimulationSpec` from config-style settings (lists become tuples)."""
    settings = dict(settings)
    for key in ("cluster_probabilities", "item_beta_range"):
        settings[key] = tuple(settings[key])
    return SimulationSpec(**settings)


def spectrum_dominance(sigma: np.ndarray, V: np.ndarray) -> dict[str, float]:
    """Why panel 4 (``B = V_k dMat(sigma_i^2)``) can look uniform.

    Panel 4's Gram matrix is ``V_k dMat(sigma^4) V_k^T``; direction i carries the share
    ``sigma_i^4 / sum_j sigma_j^4`` of its trace. When the first direction carries most of it
    and every item loads on it with the same sign (overall popularity), every cosine is near 1.

    Returns
    -------
    dict with ``sigma1_over_sigma2``, ``panel4_first_share`` (sigma_1^4 share) and
    ``first_direction_same_sign`` (fraction of items whose loading on direction 1 has the
    majority sign).
    """
    sigma = np.asarray(sigma, dtype=float)
    fourth = sigma**4
    first = V[:, 0]
    positive = float(np.mean(first > 0))
    return {
        "sigma1_over_sigma2": float(sigma[0] / sigma[1]) if sigma.size > 1 and sigma[1] > 0 else float("inf"),
        "panel4_first_share": float(fourth[0] / fourth.sum()) if fourth.sum() > 0 else float("nan"),
        "first_direction_same_sign": max(positive, 1.0 - positive),
    }


PANEL4_EXPONENTS = (2.0, 1.0, 0.5, 0.0, -0.5, -1.0, -2.0)


def sigma_power_levels(
    spectrum, order, sorted_clusters, exponent: float, colour_range, without_first: bool = False
) -> np.ndarray:
    """Block levels of ``B = V_k dMat(sigma_i^exponent)``: exponent 2 is panel 4 as printed.

    Used to ask which weighting of the singular directions the published panel 4 resembles
    (exponent 0 is panel 3's ``B = V_k``). ``without_first`` drops the first direction (overall
    popularity), to show whether it is what dominates. Zero singular values give zero scales.
    """
    sigma = np.asarray(spectrum.sigma, dtype=float)
    scales = np.zeros_like(sigma)
    positive = sigma > 0
    scales[positive] = sigma[positive] ** exponent
    if without_first:
        scales[0] = 0.0
    cosine = item_item_cosine(spectrum.V[order] * scales)
    return block_means(colour_levels(cosine, colour_range), sorted_clusters)


EQ5_FAMILY = tuple((power, scale) for power in (0.5, 0.75, 1.0) for scale in (0.5, 1.0, 2.0, 4.0))
"""(power a, lambda scale c) of the weightings ``dMat(1/(1 + c lambda/sigma_i^2))^a`` that
:func:`eq5_family_levels` scans; (0.5, 1) is Eq. 5, panel 2 as drawn."""


def family_key(power: float, scale: float) -> str:
    """Name of one member of :data:`EQ5_FAMILY` in the scans, e.g. ``a=0.5 c=1``."""
    return f"a={format_value(power)} c={format_value(scale)}"


def eq5_family_levels(spectrum, order, sorted_clusters, lam: float, power: float, scale: float, colour_range):
    """Block levels of ``B = V_k dMat(1/(1 + scale lambda/sigma_i^2))^power``, a family around Eq. 5.

    ``power = 0.5, scale = 1`` is Eq. 5's ``B(1)`` (panel 2). ``scale`` stands for more or less
    data at the same lambda (``sigma^2`` grows with the number of interactions) and ``power`` for
    a sharper or flatter weighting, so the family's best score bounds what any amount of data
    could do for panel 2 with these singular vectors. Zero singular values give zero scales.
    """
    sigma = np.asarray(spectrum.sigma, dtype=float)
    squared = sigma**2
    shrinkage = squared / (squared + scale * lam)
    cosine = item_item_cosine(spectrum.V[order] * shrinkage**power)
    return block_means(colour_levels(cosine, colour_range), sorted_clusters)


def evaluate_reading(
    spec: SimulationSpec,
    seed: int,
    rank: int,
    lam_eq1: float,
    lam_eq2: float,
    colour_ranges: dict,
    published: dict,
) -> dict:
    """One cell of the calibration sweep: simulate, solve, draw the panels, score them.

    Parameters
    ----------
    spec : SimulationSpec
        The reading (Section 4 with the unstated choices filled in).
    seed : int
        Seed of ``numpy.random.default_rng`` for the simulation.
    rank, lam_eq1, lam_eq2 : the model of Section 4 (k = 50, lambda = 10,000 and 100).
    colour_ranges : dict
        Named colour ranges, each ``[vmin, vmax]`` or ``None`` (per-panel autoscale).
    published : dict
        :func:`load_published_levels` of the published figure.

    Returns
    -------
    dict (JSON-ready): ``sigma`` (top singular values), ``dominance``
    (:func:`spectrum_dominance`), ``qualitative`` (the Figure 1 pattern checks passed, as in
    :func:`cossim.published.check_qualitative_pattern`) and per colour range the block ``levels``
    and ``scores`` of each model panel, and ``panel4_exponent_scan``: the mean absolute error
    against the published panel 4 of ``B = V_k dMat(sigma^q)`` for each q in
    :data:`PANEL4_EXPONENTS` (evidence only; panel 4 itself is always drawn as printed),
    ``panel4_without_first_scan``: the same without the first singular direction, and
    ``panel2_family_scan``: the same for panel 2 and the weightings of :data:`EQ5_FAMILY`.
    """
    data = simulate(spec, np.random.default_rng(seed))
    spectrum = right_singular_spectrum(data.interactions).truncate(rank)
    panels = figure1_panels(spectrum, data.item_cluster, data.item_popularity, lam_eq1, lam_eq2)
    sorted_clusters = data.item_cluster[panels["order"]]
    qualitative = check_qualitative_pattern(panels, data.item_cluster)
    by_range = {}
    for name, colour_range in colour_ranges.items():
        colour_range = None if colour_range is None else tuple(colour_range)
        levels = model_block_levels(panels, sorted_clusters, colour_range)
        scores = score_levels(levels, published)
        exponent_scan = {
            format_value(q): score_panel(
                sigma_power_levels(spectrum, panels["order"], sorted_clusters, q, colour_range),
                published["eq1_B_Vk_sigma2"],
            ).mean_abs
            for q in PANEL4_EXPONENTS
        }
        without_first_scan = {
            format_value(q): score_panel(
                sigma_power_levels(spectrum, panels["order"], sorted_clusters, q, colour_range, without_first=True),
                published["eq1_B_Vk_sigma2"],
            ).mean_abs
            for q in PANEL4_EXPONENTS
        }
        family_scan = {
            family_key(power, scale): score_panel(
                eq5_family_levels(spectrum, panels["order"], sorted_clusters, lam_eq1, power, scale, colour_range),
                published["eq1_B_Vk_g_half"],
            ).mean_abs
            for power, scale in EQ5_FAMILY
        }
        by_range[name] = {
            "levels": {key: value.tolist() for key, value in levels.items()},
            "scores": {key: {"mean_abs": s.mean_abs, "worst_abs": s.worst_abs} for key, s in scores.items()},
            "all_panels": overall_score(scores),
            "panel4_exponent_scan": exponent_scan,
            "panel4_without_first_scan": without_first_scan,
            "panel2_family_scan": family_scan,
        }
    return {
        "seed": int(seed),
        "cluster_sizes": np.bincount(data.item_cluster, minlength=spec.n_clusters).tolist(),
        "n_interactions": int(data.interactions.nnz),
        "sigma": spectrum.sigma[:10].tolist(),
        "dominance": spectrum_dominance(spectrum.sigma, spectrum.V),
        "qualitative": {result.name: result.passed for result in qualitative},
        "colour_ranges": by_range,
    }


def table_columns(factors: list[str]) -> list[str]:
    """Columns of ``fidelity.csv``: the reading and its choices, seed, colour range, the
    per-panel mean and worst absolute errors, and the panel-4 diagnostics."""
    return (
        ["reading"]
        + [FACTOR_LABELS[key] for key in factors]
        + ["seed", "colour_range", "overall", "all_panels_mean", "worst_panel_mean"]
        + [f"{key}_{stat}" for key in MODEL_PANELS for stat in ("mean_abs", "worst_abs")]
        + ["sigma1", "sigma1_over_sigma2", "panel4_first_share", "qualitative_pattern_holds", "n_interactions"]
    )


def table_rows(reading: str, choices: dict, cell: dict, ranked_panels=MODEL_PANELS) -> list[dict]:
    """The rows of ``fidelity.csv`` for one sweep cell: one per colour range.

    ``overall`` is the mean of the mean absolute errors of ``ranked_panels`` (the ranking
    score), ``all_panels_mean`` that of all four model panels.
    """
    rows = []
    for range_name, result in cell["colour_ranges"].items():
        means = [result["scores"][key]["mean_abs"] for key in MODEL_PANELS]
        row = {"reading": reading, **{FACTOR_LABELS[k]: format_value(v) for k, v in choices.items()}}
        row.update(
            seed=cell["seed"],
            colour_range=range_name,
            overall=float(np.mean([result["scores"][key]["mean_abs"] for key in ranked_panels])),
            all_panels_mean=float(np.mean(means)),
            worst_panel_mean=max(means),
        )
        for key in MODEL_PANELS:
            row[f"{key}_mean_abs"] = result["scores"][key]["mean_abs"]
            row[f"{key}_worst_abs"] = result["scores"][key]["worst_abs"]
        row.update(
            sigma1=float(cell["sigma"][0]),
            sigma1_over_sigma2=cell["dominance"]["sigma1_over_sigma2"],
            panel4_first_share=cell["dominance"]["panel4_first_share"],
            qualitative_pattern_holds=all(cell["qualitative"].values()),
            n_interactions=cell["n_interactions"],
        )
        rows.append(row)
    return rows


def rank_readings(rows: list[dict]) -> list[tuple[str, str, float]]:
    """(reading, colour range, seed-averaged overall score), best first; NaN scores last."""
    totals: dict[tuple[str, str], list[float]] = {}
    for row in rows:
        totals.setdefault((row["reading"], row["colour_range"]), []).append(float(row["overall"]))
    averaged = [(reading, colour, float(np.mean(scores))) for (reading, colour), scores in totals.items()]
    return sorted(averaged, key=lambda item: (np.isnan(item[2]), item[2], item[0], item[1]))


def seed_spread(levels_per_seed: list[dict]) -> dict[str, float] | None:
    """How far two random draws of the same reading lie apart: per model panel, the mean
    absolute difference between the block levels of two seeds, averaged over all seed pairs.

    The published figure is one draw (one seed of the authors'), so even the true reading scores
    about this much against it on average; ``None`` with fewer than two seeds.
    """
    if len(levels_per_seed) < 2:
        return None
    pairs = list(itertools.combinations(levels_per_seed, 2))
    return {
        key: float(np.mean([np.mean(np.abs(np.subtract(a[key], b[key]))) for a, b in pairs]))
        for key in MODEL_PANELS
    }


def seed_averaged_scan(results: list[dict], scan: str) -> dict[str, float]:
    """A scan (``panel4_exponent_scan`` or ``panel2_family_scan``) averaged over the seeds."""
    return {name: float(np.mean([r[scan][name] for r in results])) for name in results[0][scan]}


def reading_summary(cells: list[dict], reading: str, colour_range: str, ranked_panels=MODEL_PANELS) -> dict:
    """Seed-averaged results of one reading under one colour range.

    Returns
    -------
    dict with ``levels`` (block levels averaged over the seeds, per model panel),
    ``mean_abs`` (per panel, the seeds' mean of the mean absolute error), ``worst_abs``
    (per panel, the largest absolute error over all seeds), ``overall`` (mean over
    ``ranked_panels``), ``all_panels_mean``,
    ``panel4_exponent_scan``, ``panel4_without_first_scan`` and ``panel2_family_scan``
    (seed-averaged), ``seed_spread``
    (:func:`seed_spread`), ``sigma`` (seed-averaged top singular values) and ``seeds``.
    """
    mine = [cell for cell in cells if cell["reading"] == reading]
    results = [cell["colour_ranges"][colour_range] for cell in mine]
    levels = {key: np.mean([r["levels"][key] for r in results], axis=0).tolist() for key in MODEL_PANELS}
    mean_abs = {key: float(np.mean([r["scores"][key]["mean_abs"] for r in results])) for key in MODEL_PANELS}
    worst_abs = {key: float(np.max([r["scores"][key]["worst_abs"] for r in results])) for key in MODEL_PANELS}
    return {
        "reading": reading,
        "colour_range": colour_range,
        "choices": mine[0]["choices"],
        "seeds": [cell["seed"] for cell in mine],
        "levels": levels,
        "mean_abs": mean_abs,
        "worst_abs": worst_abs,
        "overall": float(np.mean([mean_abs[key] for key in ranked_panels])),
        "all_panels_mean": float(np.mean(list(mean_abs.values()))),
        "panel4_exponent_scan": seed_averaged_scan(results, "panel4_exponent_scan"),
        "panel4_without_first_scan": seed_averaged_scan(results, "panel4_without_first_scan"),
        "panel2_family_scan": seed_averaged_scan(results, "panel2_family_scan"),
        "seed_spread": seed_spread([r["levels"] for r in results]),
        "sigma": np.mean([cell["sigma"] for cell in mine], axis=0).tolist(),
        "qualitative_pattern_holds": all(all(cell["qualitative"].values()) for cell in mine),
    }


def seed_scores(rows: list[dict], reading: str, colour_range: str) -> np.ndarray:
    """The ranking score ``overall`` of one reading under one colour range, one per seed."""
    return np.array([float(r["overall"]) for r in rows if (r["reading"], r["colour_range"]) == (reading, colour_range)])


def gap_to_best(ranking: list[dict], place: int, rows: list[dict]) -> dict:
    """How far the reading at ``place`` (1-based) of ``ranking`` trails the best: in score, and
    in standard errors of the difference of the two seed means (Welch: each reading's own
    seed-to-seed variance, with Welch-Satterthwaite degrees of freedom; ``None`` unless both
    have at least two seeds).

    With few seeds the top of the ranking is ordered partly by chance (each seed draws the
    cluster exponents beta_c anew); a gap within the t quantile (about two standard errors with
    many seeds, far more with two) is no evidence
    that the better-ranked reading is better.
    """
    entry, best = ranking[place - 1], ranking[0]
    mine = seed_scores(rows, entry["reading"], entry["colour_range"])
    theirs = seed_scores(rows, best["reading"], best["colour_range"])
    gap = float(entry["overall"] - best["overall"])
    standard_error = degrees_of_freedom = None
    if mine.size > 1 and theirs.size > 1:
        parts = np.array([mine.var(ddof=1) / mine.size, theirs.var(ddof=1) / theirs.size])
        standard_error = float(np.sqrt(parts.sum()))
        if standard_error > 0:  # Welch-Satterthwaite
            degrees_of_freedom = float(parts.sum() ** 2 / np.sum(parts**2 / np.array([mine.size - 1, theirs.size - 1])))
    return {
        "gap": gap,
        "standard_error": standard_error,
        "degrees_of_freedom": degrees_of_freedom,
        "gap_in_standard_errors": gap / standard_error if standard_error else None,
    }


def best_reading_summary(
    cells: list[dict],
    rows: list[dict],
    default_choices: dict,
    default_colour_range,
    colour_ranges: dict,
    ranked_panels=MODEL_PANELS,
) -> dict:
    """What the sweep found: the best reading, the default config's place, per-panel optima.

    Parameters
    ----------
    cells : the sweep's cells (:func:`evaluate_reading` plus ``reading`` and ``choices``).
    rows : :func:`table_rows` of every cell.
    default_choices : the default config's reading in the grid's terms.
    default_colour_range : config key figure1.colour_range.
    colour_ranges : the named colour ranges of the sweep.
    ranked_panels : the panels whose errors rank the readings (``rows`` were made with them).
    """
    ranking = rank_readings(rows)
    best_reading, best_range, _ = ranking[0]
    default_name = reading_name(default_choices) if None not in default_choices.values() else None
    default_range = next(
        (name for name, value in colour_ranges.items() if value == default_colour_range), None
    )
    places = {(reading, colour): place for place, (reading, colour, _) in enumerate(ranking, start=1)}
    ranked = [{"reading": r, "colour_range": c, "overall": o} for r, c, o in ranking]
    default_place = places.get((default_name, default_range))
    best_per_panel = {}
    for key in MODEL_PANELS:
        candidates = {}
        for row in rows:
            candidates.setdefault((row["reading"], row["colour_range"]), []).append(row[f"{key}_mean_abs"])
        (reading, colour), errors = min(candidates.items(), key=lambda item: (np.mean(item[1]), item[0]))
        best_per_panel[key] = {"reading": reading, "colour_range": colour, "mean_abs": float(np.mean(errors))}
    return {
        "ranked_panels": list(ranked_panels),
        "best": reading_summary(cells, best_reading, best_range, ranked_panels),
        "default": {
            "reading": default_name,
            "colour_range": default_range,
            "rank": default_place,
            "is_best": (default_name, default_range) == (best_reading, best_range),
            "summary": reading_summary(cells, default_name, default_range, ranked_panels) if default_place else None,
            "gap_to_best": gap_to_best(ranked, default_place, rows) if default_place else None,
        },
        "best_per_panel": best_per_panel,
        "ranking": ranked,
        "n_readings": len({row["reading"] for row in rows}),
        "n_cells": len(cells),
        "qualitative_pattern_holds_everywhere": all(all(cell["qualitative"].values()) for cell in cells),
        "cells_with_qualitative_failures": sorted(
            f"{cell['reading']}/seed{cell['seed']}" for cell in cells if not all(cell["qualitative"].values())
        ),
    }


DEFAULT_BEST_CONFIDENCE = 0.975
"""The default reading counts as the best unless the top of the ranking beats it at this
one-sided confidence: by more than the Student t quantile (Welch degrees of freedom) in standard
errors of the difference of seed means (:func:`gap_to_best`); about 2 with many seeds, 4.3 and
more with two seeds per reading, which can tell little apart."""


def scan_consistency(cell: dict) -> float:
    """Largest disagreement, over the colour ranges of one cell, between a panel's score and the
    score of the same panel recomputed by a scan: panel 2 as the Eq. 5 member of
    ``panel2_family_scan``, panel 4 as q = 2 of ``panel4_exponent_scan``.

    The scans rebuild each panel from ``V_k`` and ``sigma`` with their own formula, so a wrong
    formula in either route (e.g. Eq. 5's exponent) shows up here.
    """
    gaps = []
    for result in cell["colour_ranges"].values():
        scores = result["scores"]
        pairs = (
            (result["panel2_family_scan"][family_key(0.5, 1.0)], scores["eq1_B_Vk_g_half"]["mean_abs"]),
            (result["panel4_exponent_scan"]["2"], scores["eq1_B_Vk_sigma2"]["mean_abs"]),
        )
        gaps.extend(abs(scan - score) for scan, score in pairs)
    return float(max(gaps))


EQ1_PANELS = ("eq1_B_Vk_g_half", "eq1_B_Vk", "eq1_B_Vk_sigma2")
"""Panels 2-4: one Eq. 1 model under three re-scalings D."""

MESSAGE_MIN_DIFFERENCE = 0.05
"""Mean absolute block-level difference above which two panels count as showing different
similarities (a visible difference on the colour scale [0, 1])."""


def panel_differences(levels: dict) -> dict[str, float]:
    """The paper's message in numbers, for one cell under one colour range.

    ``eq1_spread``: the largest mean absolute difference between the block levels of two of the
    three Eq. 1 panels (one and the same model ``A B^T``, three choices of D). ``eq2_vs_eq5``: the
    mean absolute difference between Eq. 2's panel and Eq. 5's split (Eq. 1 with D = I).
    """
    levels = {key: np.asarray(value, dtype=float) for key, value in levels.items()}
    spread = max(np.mean(np.abs(levels[a] - levels[b])) for a, b in itertools.combinations(EQ1_PANELS, 2))
    return {
        "eq1_spread": float(spread),
        "eq2_vs_eq5": float(np.mean(np.abs(levels["eq2_unique"] - levels["eq1_B_Vk_g_half"]))),
    }


def message_summary(cells: list[dict], eq2_lambda: float) -> dict:
    """How the paper's message and the published pattern fare over the sweep.

    Per colour range, the smallest ``eq1_spread`` over all cells and the smallest ``eq2_vs_eq5``
    over the cells whose ``sigma_1`` exceeds Eq. 2's lambda (below it Eq. 6 zeroes every
    dimension and Eq. 2 learns the zero model); and the number of cells in which the published
    pattern (:func:`cossim.published.check_qualitative_pattern`, a stricter reading of the figure
    than the message) holds, among all cells and among those with ``sigma_1 > lambda``.
    """
    learned = [cell for cell in cells if cell["sigma"][0] > eq2_lambda]
    holds = [cell for cell in cells if all(cell["qualitative"].values())]
    failed_checks: dict[str, int] = {}
    for cell in learned:
        for name, passed in cell["qualitative"].items():
            failed_checks[name] = failed_checks.get(name, 0) + (not passed)
    by_range = {}
    for name in cells[0]["colour_ranges"]:
        differences = [panel_differences(cell["colour_ranges"][name]["levels"]) for cell in cells]
        learned_differences = [d for d, cell in zip(differences, cells) if cell["sigma"][0] > eq2_lambda]
        by_range[name] = {
            "min_eq1_spread": min(d["eq1_spread"] for d in differences),
            "min_eq2_vs_eq5": min((d["eq2_vs_eq5"] for d in learned_differences), default=float("nan")),
        }
    return {
        "eq2_lambda": eq2_lambda,
        "cells": len(cells),
        "cells_learning_eq2": len(learned),
        "published_pattern_holds": len(holds),
        "published_pattern_holds_where_eq2_learns": sum(1 for cell in learned if all(cell["qualitative"].values())),
        "published_pattern_failures_where_eq2_learns": failed_checks,
        "colour_ranges": by_range,
    }


def check_fidelity(
    cells: list[dict], summary: dict, message: dict, require_default_best: bool = True, tolerance: float = 1e-9
) -> list[CheckResult]:
    """What the fidelity study's artifacts must satisfy (``message``: :func:`message_summary` of
    the cells, computed once by the caller, which also reports it).

    - every panel's score agrees with its independent recomputation by the scans
      (:func:`scan_consistency`) to ``tolerance``;
    - the paper's message holds under every reading and seed, in the colour range the figure is
      drawn with (figure1.colour_range, if it is one of the sweep's; else in every one): the three Eq. 1
      re-scalings of one model differ (:func:`panel_differences`: ``eq1_spread`` at least
      :data:`MESSAGE_MIN_DIFFERENCE`), and Eq. 2 differs again from Eq. 5's split wherever Eq. 2
      learns a model (``sigma_1`` above its lambda; below it Eq. 6 zeroes every dimension, and
      without such cells this check is left out);
    - if ``require_default_best`` (config key fidelity.require_default_best) and the default
      config's reading is in the grid, no reading ranks better at the confidence
      :data:`DEFAULT_BEST_CONFIDENCE` (:func:`gap_to_best`; with one seed, none ranks better at
      all): the README and the default ``figure1.png`` rest on that. Otherwise
      nothing is claimed about the default.
    """
    eq2_lambda = message["eq2_lambda"]
    by_range = message["colour_ranges"]
    drawn = summary["default"].get("colour_range")
    if drawn is not None:  # the message is what the figure shows, as figure1.colour_range draws it
        by_range = {drawn: by_range[drawn]}
    results = [
        at_most(
            "fidelity.scores_recomputed",
            "each panel's score equals its recomputation from V_k and sigma by the scans",
            max(scan_consistency(cell) for cell in cells),
            tolerance,
        ),
        at_least(
            "fidelity.eq1_rescalings_differ",
            f"smallest, over cells, of the largest mean |block-level difference| between two of the "
            f"three Eq. 1 panels (one model, three D); colour range {', '.join(by_range)}",
            min(entry["min_eq1_spread"] for entry in by_range.values()),
            MESSAGE_MIN_DIFFERENCE,
        ),
    ]
    if message["cells_learning_eq2"]:
        results.append(
            at_least(
                "fidelity.eq2_differs_again",
                f"smallest mean |block-level difference| between Eq. 2's panel and Eq. 5's split, over "
                f"the cells with sigma_1 > Eq. 2's lambda = {eq2_lambda:g}; colour range {', '.join(by_range)}",
                min(entry["min_eq2_vs_eq5"] for entry in by_range.values()),
                MESSAGE_MIN_DIFFERENCE,
            )
        )
    default = summary["default"]
    if require_default_best and default["rank"] is not None:
        best = summary["ranking"][0]
        gap = default["gap_to_best"]
        if gap["standard_error"]:
            measured = gap["gap"] / gap["standard_error"]
            bound = float(student_t.ppf(DEFAULT_BEST_CONFIDENCE, gap["degrees_of_freedom"]))
            unit = f"standard errors (bound: t quantile, {gap['degrees_of_freedom']:.1f} degrees of freedom)"
        else:
            measured, bound, unit = gap["gap"], 0.0, "score (one seed: no standard error)"
        results.append(
            at_most(
                "fidelity.default_is_best",
                f"ranking score of the default reading minus the best ({best['reading']} / "
                f"{best['colour_range']}), in {unit}",
                measured,
                bound,
            )
        )
    return results


def load_table(path) -> list[dict]:
    """Read ``fidelity.csv`` back; error and diagnostic columns as floats."""
    numeric = {"overall", "all_panels_mean", "worst_panel_mean", "sigma1", "sigma1_over_sigma2", "panel4_first_share"}
    numeric |= {f"{key}_{stat}" for key in MODEL_PANELS for stat in ("mean_abs", "worst_abs")}
    with open(path, newline="", encoding="utf-8") as handle:
        return [{k: float(v) if k in numeric else v for k, v in row.items()} for row in csv.DictReader(handle)]


def seed_averaged(rows: list[dict], ranked_panels=MODEL_PANELS) -> list[dict]:
    """Per (reading, colour range): each panel's mean absolute error averaged over the seeds,
    and ``overall`` (mean over ``ranked_panels``); sorted best first."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["reading"], row["colour_range"]), []).append(row)
    averaged = []
    for (reading, colour), members in groups.items():
        entry = {"reading": reading, "colour_range": colour}
        for key in MODEL_PANELS:
            entry[key] = float(np.mean([float(m[f"{key}_mean_abs"]) for m in members]))
        entry["overall"] = float(np.mean([entry[key] for key in ranked_panels]))
        entry["sigma1_over_sigma2"] = float(np.mean([float(m["sigma1_over_sigma2"]) for m in members]))
        averaged.append(entry)
    return sorted(averaged, key=lambda e: (np.isnan(e["overall"]), e["overall"], e["reading"], e["colour_range"]))


def draw_fidelity(published: dict, best: dict, averaged: list[dict], goal: float = 0.05, top: int = 15):
    """The fidelity figure: published vs ours for the best reading, and the error landscape.

    Left: the block levels of the four model panels, published (top row) and ours for the best
    reading (bottom row, seed-averaged), in the rocket-like colour map with values printed.
    Right, top: every (reading, colour range) as a point, panel 4's error against the mean
    error of panels 2, 3 and 5, with the goal drawn. Right, bottom: each panel's error for the
    ``top`` best readings.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from ..model.panels import PANELS

    cmap = rocket_colormap()
    titles = {panel.key: panel.title for panel in PANELS}
    fig = plt.figure(figsize=(17, 7.2), layout="constrained")
    grid = fig.add_gridspec(2, 6, width_ratios=[1, 1, 1, 1, 1.5, 1.5])
    for column, key in enumerate(MODEL_PANELS):
        for row, (label, levels) in enumerate((("published", published[key]), ("ours", best["levels"][key]))):
            ax = fig.add_subplot(grid[row, column])
            levels = np.asarray(levels, dtype=float)
            ax.imshow(levels, cmap=cmap, vmin=0.0, vmax=1.0)
            for (r, c), value in np.ndenumerate(levels):
                ax.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=6,
                        color="black" if value > 0.6 else "white")
            ax.set_xticks([])
            ax.set_yticks([])
            if row == 0:
                ax.set_title(titles[key], fontsize=8)
            else:
                ax.set_title(f"mean |error| {best['mean_abs'][key]:.3f}", fontsize=8)
            if column == 0:
                ax.set_ylabel(label)
    scatter = fig.add_subplot(grid[0, 4:])
    others = [k for k in MODEL_PANELS if k != "eq1_B_Vk_sigma2"]
    for colour_range, marker in zip(sorted({e["colour_range"] for e in averaged}), "osD^v"):
        members = [e for e in averaged if e["colour_range"] == colour_range]
        scatter.scatter([e["eq1_B_Vk_sigma2"] for e in members], [np.mean([e[k] for k in others]) for e in members],
                        marker=marker, alpha=0.7, label=f"colour range: {colour_range}")
    winner = averaged[0]
    scatter.scatter([winner["eq1_B_Vk_sigma2"]], [np.mean([winner[k] for k in others])], s=160,
                    facecolors="none", edgecolors="black", label="best reading")
    scatter.axvline(goal, color="grey", linestyle=":")
    scatter.axhline(goal, color="grey", linestyle=":")
    scatter.set_xlabel("panel 4 (B = V_k dMat(sigma^2)): mean |error|")
    scatter.set_ylabel("panels 2, 3, 5: mean of mean |error|")
    scatter.set_xlim(left=0)
    scatter.set_ylim(bottom=0)
    scatter.legend(fontsize=7)
    scatter.set_title(f"error landscape: {len(averaged)} reading x colour range pairs (seed-averaged)", fontsize=9)
    table = fig.add_subplot(grid[1, 4:])
    shown = averaged[:top]
    errors = np.array([[e[k] for k in MODEL_PANELS] for e in shown])
    table.imshow(errors, cmap="viridis_r", vmin=0.0, vmax=max(0.3, float(np.nanmax(errors))), aspect="auto")
    for (r, c), value in np.ndenumerate(errors):
        table.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=6,
                   color="white" if value > 0.15 else "black")
    table.set_xticks(range(len(MODEL_PANELS)), [f"panel {i}" for i in range(2, 2 + len(MODEL_PANELS))], fontsize=7)
    table.set_yticks(range(len(shown)), [f"{e['reading']} / {e['colour_range']}" for e in shown], fontsize=5)
    table.set_title(f"mean |error| per panel, best {len(shown)}", fontsize=9)
    return fig
