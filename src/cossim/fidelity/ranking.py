"""The sweep's table and ranking: which reading scores best, and how far the default trails it.

Each cell of the sweep (:func:`cossim.fidelity.cell.evaluate_reading`) becomes one row of
``fidelity.csv`` per colour range (:func:`table_rows`). A reading under a colour range is ranked
by its ranking score ``overall`` (the mean absolute error of the ranked panels) averaged over its
seeds (:func:`rank_readings`). With few seeds the top of the ranking is ordered partly by chance,
so the default's gap to the best is also measured in standard errors of the difference of the two
seed means, with a one-sided Welch t-test (:func:`welch_test`, :func:`gap_to_best`).
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.stats import ttest_ind

from ..model.panels import MODEL_PANELS
from .grid import FACTOR_LABELS, format_value, reading_name

__all__ = [
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
        The reading and its choices (short labels), seed, colour range, ``overall``,
        ``all_panels_mean``, ``worst_panel_mean``, each model panel's mean and worst absolute
        error, and the panel-4 diagnostics.
    """
    return (
        ["reading"]
        + [FACTOR_LABELS[key] for key in factors]
        + ["seed", "colour_range", "overall", "all_panels_mean", "worst_panel_mean"]
        + [f"{key}_{stat}" for key in MODEL_PANELS for stat in ("mean_abs", "worst_abs")]
        + ["sigma1", "sigma1_over_sigma2", "panel4_first_share", "qualitative_pattern_holds", "n_interactions"]
    )


def table_rows(reading: str, choices: dict, cell: dict, ranked_panels=MODEL_PANELS) -> list[dict]:
    """The rows of ``fidelity.csv`` for one sweep cell: one per colour range.

    Parameters
    ----------
    reading : str
        The reading's name.
    choices : dict
        The reading's ``{simulation key: value}``.
    cell : dict
        :func:`cossim.fidelity.cell.evaluate_reading` of the reading and one seed.
    ranked_panels : sequence of str
        The panels whose mean absolute errors, averaged, are the ranking score ``overall``;
        ``all_panels_mean`` averages all four model panels.

    Returns
    -------
    list of dict
        Keyed by :func:`table_columns`.
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
        seeds); ``overall`` (mean over ``ranked_panels``); ``all_panels_mean``;
        ``panel4_exponent_scan``, ``panel4_without_first_scan`` and ``panel2_family_scan``
        (:func:`seed_averaged_scan`); ``seed_spread`` (:func:`seed_spread`); ``sigma``
        (seed-averaged top singular values) and ``qualitative_pattern_holds`` (in every seed).
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
    """The ranking score ``overall`` of one reading under one colour range, one per seed.

    Returns
    -------
    ndarray, shape (n_seeds,)
        In table order.
    """
    return np.array([float(r["overall"]) for r in rows if (r["reading"], r["colour_range"]) == (reading, colour_range)])


def welch_test(mine: np.ndarray, theirs: np.ndarray):
    """Welch's t-test that ``mine`` has the larger mean (one-sided, unequal variances).

    Parameters
    ----------
    mine, theirs : ndarray, shape (n,) and (m,)
        Per-seed ranking scores of two readings (lower is better), n, m >= 2.

    Returns
    -------
    scipy.stats._result_classes.TtestResult
        ``scipy.stats.ttest_ind(mine, theirs, equal_var=False, alternative="greater")``:
        ``statistic`` (the difference of the means in standard errors), ``df`` (Welch-Satterthwaite
        degrees of freedom) and ``pvalue``; ``mine`` trails ``theirs`` significantly at confidence
        c when ``pvalue < 1 - c``, i.e. when ``statistic`` exceeds the Student t quantile
        ``t.ppf(c, df)``.
    """
    return ttest_ind(mine, theirs, equal_var=False, alternative="greater")


def gap_to_best(ranking: list[dict], place: int, rows: list[dict]) -> dict:
    """How far the reading at ``place`` of ``ranking`` trails the best.

    With few seeds the top of the ranking is ordered partly by chance (each seed draws the
    cluster exponents beta_c anew); a gap within the Student t quantile of Welch's test (about two
    standard errors with many seeds, far more with two) is no evidence that the better-ranked
    reading is better.

    Parameters
    ----------
    ranking : list of dict
        ``reading``, ``colour_range`` and ``overall`` (seed mean), best first.
    place : int
        1-based place in ``ranking``.
    rows : list of dict
        Rows of ``fidelity.csv``: the per-seed scores (:func:`seed_scores`).

    Returns
    -------
    dict
        ``gap`` (score difference of the seed means); ``standard_error`` (Welch's: the square root
        of the sum of the two readings' own seed variances over their seed counts; None unless
        both have at least two seeds); ``degrees_of_freedom`` (Welch-Satterthwaite, from
        :func:`welch_test`; None unless the standard error is positive) and
        ``gap_in_standard_errors`` (``gap / standard_error``, Welch's t statistic; None without a
        positive standard error).
    """
    entry, best = ranking[place - 1], ranking[0]
    mine = seed_scores(rows, entry["reading"], entry["colour_range"])
    theirs = seed_scores(rows, best["reading"], best["colour_range"])
    gap = float(entry["overall"] - best["overall"])
    standard_error = degrees_of_freedom = None
    if mine.size > 1 and theirs.size > 1:
        standard_error = float(np.sqrt(mine.var(ddof=1) / mine.size + theirs.var(ddof=1) / theirs.size))
        if standard_error > 0:
            degrees_of_freedom = float(welch_test(mine, theirs).df)
    return {
        "gap": gap,
        "standard_error": standard_error,
        "degrees_of_freedom": degrees_of_freedom,
        "gap_in_standard_errors": gap / standard_error if standard_error else None,
    }


def best_per_panel(rows: list[dict]) -> dict[str, dict]:
    """Per model panel, the (reading, colour range) with the smallest seed-averaged mean error.

    Returns
    -------
    dict
        ``{panel key: {"reading", "colour_range", "mean_abs"}}``.
    """
    best = {}
    for key in MODEL_PANELS:
        candidates: dict[tuple[str, str], list[float]] = {}
        for row in rows:
            candidates.setdefault((row["reading"], row["colour_range"]), []).append(row[f"{key}_mean_abs"])
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
        ``best_per_panel`` (:func:`best_per_panel`); ``ranking`` (every reading and colour range
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
        "ranking": ranked,
        "n_readings": len({row["reading"] for row in rows}),
        "n_cells": len(cells),
        "qualitative_pattern_holds_everywhere": all(all(cell["qualitative"].values()) for cell in cells),
        "cells_with_qualitative_failures": sorted(
            f"{cell['reading']}/seed{cell['seed']}" for cell in cells if not all(cell["qualitative"].values())
        ),
    }
