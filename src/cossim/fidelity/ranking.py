"""The sweep's table and ranking: which reading scores best, and how far the default trails it.

Each cell of the sweep (:func:`cossim.fidelity.cell.evaluate_reading`) becomes one row of
``fidelity.csv`` per colour range (:func:`table_rows`). A reading under a colour range is ranked
by its ranking score ``overall`` averaged over its seeds (:func:`rank_readings`): the combination
(:func:`ranking_score`) of ``block_overall``, the mean absolute block-level error of the ranked
panels, and ``profile_overall``, their mean absolute popularity-profile error, with weight
:data:`PROFILE_WEIGHT` on the profiles. With few seeds the top of the ranking is ordered partly by chance,
so the default's gap to the best is also measured in standard errors of the difference of the two
seed means, with a one-sided Welch t-test (:func:`welch_test`, :func:`gap_to_best`).
"""

from __future__ import annotations

import itertools

import numpy as np

from ..model.panels import MODEL_PANELS
from ..published_profiles import LARGE_CLUSTERS, popularity_gradient
from .gap import gap_to_best, seed_scores, welch_test
from .grid import FACTOR_LABELS, format_value, reading_name
from .scoring import PROFILE_WEIGHT, gradient_signs_right, ranking_score

__all__ = [
    "PROFILE_WEIGHT",
    "best_per_panel",
    "best_reading_summary",
    "gap_to_best",
    "rank_readings",
    "reading_summary",
    "seed_averaged_scan",
    "seed_scores",
    "seed_spread",
    "table_columns",
    "table_rows",
    "welch_test",
]


def table_columns(factors: list[str]) -> list[str]:
    """Columns of ``fidelity.csv``.

    Parameters
    ----------
    factors : list of str
        The grid's simulation keys (config key ``fidelity.grid``), in grid order.

    Returns
    -------
    list of str
        The reading and its choices (short labels), seed, colour range, ``overall`` (the ranking
        score), ``block_overall``, ``profile_overall``, ``gradient_signs_right``,
        ``all_panels_mean``, ``worst_panel_mean``, each model panel's mean and worst absolute
        block error, mean and worst absolute profile error and popularity gradient in each large
        cluster (``<panel>_gradient_c1`` ...), and the panel-4 diagnostics.
    """
    return (
        ["reading"]
        + [FACTOR_LABELS[key] for key in factors]
        + ["seed", "colour_range", "overall", "block_overall", "profile_overall", "gradient_signs_right",
           "all_panels_mean", "worst_panel_mean"]
        + [f"{key}_{stat}" for key in MODEL_PANELS for stat in ("mean_abs", "worst_abs")]
        + [f"{key}_profile_{stat}" for key in MODEL_PANELS for stat in ("mean_abs", "worst_abs")]
        + [f"{key}_gradient_c{c}" for key in MODEL_PANELS for c in range(1, LARGE_CLUSTERS + 1)]
        + ["sigma1", "sigma1_over_sigma2", "panel4_first_share", "qualitative_pattern_holds", "n_interactions"]
    )


def table_rows(
    reading: str, choices: dict, cell: dict, published_profiles: dict, ranked_panels=MODEL_PANELS
) -> list[dict]:
    """The rows of ``fidelity.csv`` for one sweep cell: one per colour range.

    Parameters
    ----------
    reading : str
        The reading's name.
    choices : dict
        The reading's ``{simulation key: value}``.
    cell : dict
        :func:`cossim.fidelity.cell.evaluate_reading` of the reading and one seed.
    published_profiles : dict of str to array, each of shape (L, 4, 4)
        The published popularity profiles (for ``gradient_signs_right``).
    ranked_panels : sequence of str
        The panels whose mean absolute errors, averaged, are ``block_overall`` and
        ``profile_overall`` (combined by :func:`ranking_score` into ``overall``);
        ``all_panels_mean`` averages all four model panels' block errors.

    Returns
    -------
    list of dict
        Keyed by :func:`table_columns`.
    """
    rows = []
    for range_name, result in cell["colour_ranges"].items():
        means = [result["scores"][key]["mean_abs"] for key in MODEL_PANELS]
        block = float(np.mean([result["scores"][key]["mean_abs"] for key in ranked_panels]))
        profile = float(np.mean([result["profile_scores"][key]["mean_abs"] for key in ranked_panels]))
        profiles = {key: np.asarray(value, dtype=float) for key, value in result["profiles"].items()}
        row = {"reading": reading, **{FACTOR_LABELS[k]: format_value(v) for k, v in choices.items()}}
        row.update(
            seed=cell["seed"],
            colour_range=range_name,
            overall=ranking_score(block, profile),
            block_overall=block,
            profile_overall=profile,
            gradient_signs_right=gradient_signs_right(profiles, published_profiles),
            all_panels_mean=float(np.mean(means)),
            worst_panel_mean=max(means),
        )
        for key in MODEL_PANELS:
            row[f"{key}_mean_abs"] = result["scores"][key]["mean_abs"]
            row[f"{key}_worst_abs"] = result["scores"][key]["worst_abs"]
        for key in MODEL_PANELS:
            row[f"{key}_profile_mean_abs"] = result["profile_scores"][key]["mean_abs"]
            row[f"{key}_profile_worst_abs"] = result["profile_scores"][key]["worst_abs"]
        for key in MODEL_PANELS:
            for c, value in enumerate(popularity_gradient(profiles[key]), start=1):
                row[f"{key}_gradient_c{c}"] = float(value)
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
    """Rank every (reading, colour range) of the table by its seed-averaged ``overall``.

    Parameters
    ----------
    rows : list of dict
        Rows of ``fidelity.csv`` (:func:`table_rows`); only ``reading``, ``colour_range`` and
        ``overall`` are used.

    Returns
    -------
    list of (reading, colour range, score)
        Best (lowest) first, NaN scores last; ties broken by name.
    """
    totals: dict[tuple[str, str], list[float]] = {}
    for row in rows:
        totals.setdefault((row["reading"], row["colour_range"]), []).append(float(row["overall"]))
    averaged = [(reading, colour, float(np.mean(scores))) for (reading, colour), scores in totals.items()]
    return sorted(averaged, key=lambda item: (np.isnan(item[2]), item[2], item[0], item[1]))


def seed_spread(levels_per_seed: list[dict]) -> dict[str, float] | None:
    """How far two random draws of the same reading lie apart.

    The published figure is one draw (one seed of the authors'), so even the true reading scores
    about this much against it on average.

    Parameters
    ----------
    levels_per_seed : list of dict
        Per seed, ``{model panel key: (C, C) block levels}``.

    Returns
    -------
    dict or None
        Per model panel, the mean absolute difference between the block levels of two seeds,
        averaged over all seed pairs; None with fewer than two seeds.
    """
    if len(levels_per_seed) < 2:
        return None
    pairs = list(itertools.combinations(levels_per_seed, 2))
    return {
        key: float(np.mean([np.mean(np.abs(np.subtract(a[key], b[key]))) for a, b in pairs]))
        for key in MODEL_PANELS
    }


def seed_averaged_scan(results: list[dict], scan: str) -> dict[str, float]:
    """A scan averaged over the seeds.

    Parameters
    ----------
    results : list of dict
        Per seed, one colour range's entry of a cell (``cell["colour_ranges"][name]``).
    scan : str
        ``panel4_exponent_scan``, ``panel4_without_first_scan`` or ``panel2_family_scan``.

    Returns
    -------
    dict
        ``{scan member: mean absolute error averaged over the seeds}``.
    """
    return {name: float(np.mean([r[scan][name] for r in results])) for name in results[0][scan]}


def reading_summary(cells: list[dict], reading: str, colour_range: str, ranked_panels=MODEL_PANELS) -> dict:
    """Seed-averaged results of one reading under one colour range.

    Parameters
    ----------
    cells : list of dict
        The sweep's cells (with ``reading`` and ``choices``).
    reading, colour_range : str
        Which reading, under which colour range.
    ranked_panels : sequence of str
        The panels of the ranking score.

    Returns
    -------
    dict
        ``reading``, ``colour_range``, ``choices``, ``seeds``; ``levels`` (block levels averaged
        over the seeds, per model panel, C x C lists); ``mean_abs`` (per panel, the seeds' mean of
        the mean absolute error); ``worst_abs`` (per panel, the largest absolute error over all
        seeds); ``overall`` (:func:`ranking_score` of the seed means ``block_overall`` and
        ``profile_overall`` over ``ranked_panels``); ``overall_seed_sd`` (the sample standard
        deviation of the per-seed ranking scores, the seed noise of ``overall``; None with one
        seed); ``profiles`` (seed-averaged popularity profiles, L x 4 x 4 lists per panel);
        ``profile_mean_abs`` (per panel, the seeds' mean of the mean absolute profile error);
        ``gradients`` (per panel, :func:`cossim.published_profiles.popularity_gradient` of the
        averaged profiles); ``all_panels_mean``;
        ``panel4_exponent_scan``, ``panel4_without_first_scan`` and ``panel2_family_scan``
        (:func:`seed_averaged_scan`); ``seed_spread`` (:func:`seed_spread`); ``sigma``
        (seed-averaged top singular values) and ``qualitative_pattern_holds`` (in every seed).
    """
    mine = [cell for cell in cells if cell["reading"] == reading]
    results = [cell["colour_ranges"][colour_range] for cell in mine]
    levels = {key: np.mean([r["levels"][key] for r in results], axis=0).tolist() for key in MODEL_PANELS}
    mean_abs = {key: float(np.mean([r["scores"][key]["mean_abs"] for r in results])) for key in MODEL_PANELS}
    worst_abs = {key: float(np.max([r["scores"][key]["worst_abs"] for r in results])) for key in MODEL_PANELS}
    profiles = {key: np.mean([r["profiles"][key] for r in results], axis=0) for key in MODEL_PANELS}
    profile_mean_abs = {
        key: float(np.mean([r["profile_scores"][key]["mean_abs"] for r in results])) for key in MODEL_PANELS
    }
    block = float(np.mean([mean_abs[key] for key in ranked_panels]))
    profile = float(np.mean([profile_mean_abs[key] for key in ranked_panels]))
    per_seed = [
        ranking_score(
            np.mean([r["scores"][key]["mean_abs"] for key in ranked_panels]),
            np.mean([r["profile_scores"][key]["mean_abs"] for key in ranked_panels]),
        )
        for r in results
    ]
    return {
        "reading": reading,
        "colour_range": colour_range,
        "choices": mine[0]["choices"],
        "seeds": [cell["seed"] for cell in mine],
        "levels": levels,
        "mean_abs": mean_abs,
        "worst_abs": worst_abs,
        "overall": ranking_score(block, profile),
        "overall_seed_sd": float(np.std(per_seed, ddof=1)) if len(per_seed) > 1 else None,
        "block_overall": block,
        "profile_overall": profile,
        "profiles": {key: value.tolist() for key, value in profiles.items()},
        "profile_mean_abs": profile_mean_abs,
        "gradients": {key: popularity_gradient(value).tolist() for key, value in profiles.items()},
        "all_panels_mean": float(np.mean(list(mean_abs.values()))),
        "panel4_exponent_scan": seed_averaged_scan(results, "panel4_exponent_scan"),
        "panel4_without_first_scan": seed_averaged_scan(results, "panel4_without_first_scan"),
        "panel2_family_scan": seed_averaged_scan(results, "panel2_family_scan"),
        "seed_spread": seed_spread([r["levels"] for r in results]),
        "sigma": np.mean([cell["sigma"] for cell in mine], axis=0).tolist(),
        "qualitative_pattern_holds": all(all(cell["qualitative"].values()) for cell in mine),
    }


def best_per_panel(rows: list[dict], stat: str = "mean_abs") -> dict[str, dict]:
    """Per model panel, the (reading, colour range) with the smallest seed-averaged mean error.

    Parameters
    ----------
    rows : list of dict
        Rows of ``fidelity.csv``.
    stat : {"mean_abs", "profile_mean_abs"}
        The block or the profile error (column ``<panel>_<stat>``).

    Returns
    -------
    dict
        ``{panel key: {"reading", "colour_range", "mean_abs"}}`` (``mean_abs``: of ``stat``).
    """
    best = {}
    for key in MODEL_PANELS:
        candidates: dict[tuple[str, str], list[float]] = {}
        for row in rows:
            candidates.setdefault((row["reading"], row["colour_range"]), []).append(float(row[f"{key}_{stat}"]))
        (reading, colour), errors = min(candidates.items(), key=lambda item: (np.mean(item[1]), item[0]))
        best[key] = {"reading": reading, "colour_range": colour, "mean_abs": float(np.mean(errors))}
    return best


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
    cells : list of dict
        The sweep's cells (:func:`cossim.fidelity.cell.evaluate_reading` plus ``reading`` and
        ``choices``).
    rows : list of dict
        :func:`table_rows` of every cell.
    default_choices : dict
        The default config's reading in the grid's terms
        (:func:`cossim.fidelity.grid.default_choices`; a None value: not a reading of the grid).
    default_colour_range : [vmin, vmax] or None
        Config key figure1.colour_range.
    colour_ranges : dict
        The named colour ranges of the sweep.
    ranked_panels : sequence of str
        The panels whose errors rank the readings (``rows`` were made with them).

    Returns
    -------
    dict (JSON-ready)
        ``ranked_panels``; ``best`` (:func:`reading_summary` of the top of the ranking);
        ``default`` (its ``reading``, ``colour_range``, ``rank``, ``is_best``, ``summary`` and
        ``gap_to_best`` (:func:`gap_to_best`), the last two None when it is not in the grid);
        ``best_per_panel`` and ``best_profile_per_panel`` (:func:`best_per_panel` of the block
        and the profile errors); ``ranking`` (every reading and colour range
        with its seed-averaged score, best first); ``n_readings``; ``n_cells``;
        ``qualitative_pattern_holds_everywhere`` and ``cells_with_qualitative_failures``.
    """
    ranking = rank_readings(rows)
    best_reading, best_range, _ = ranking[0]
    default_name = reading_name(default_choices) if None not in default_choices.values() else None
    default_range = next((name for name, value in colour_ranges.items() if value == default_colour_range), None)
    places = {(reading, colour): place for place, (reading, colour, _) in enumerate(ranking, start=1)}
    ranked = [{"reading": r, "colour_range": c, "overall": o} for r, c, o in ranking]
    default_place = places.get((default_name, default_range))
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
        "best_per_panel": best_per_panel(rows),
        "best_profile_per_panel": best_per_panel(rows, "profile_mean_abs"),
        "ranking": ranked,
        "n_readings": len({row["reading"] for row in rows}),
        "n_cells": len(cells),
        "qualitative_pattern_holds_everywhere": all(all(cell["qualitative"].values()) for cell in cells),
        "cells_with_qualitative_failures": sorted(
            f"{cell['reading']}/seed{cell['seed']}" for cell in cells if not all(cell["qualitative"].values())
        ),
    }
