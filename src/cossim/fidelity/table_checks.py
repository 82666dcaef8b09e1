"""Every number of the fidelity tables, recomputed from the sweep's cells by rule ``check_fidelity``.

Independently of :mod:`cossim.fidelity.ranking` and :mod:`cossim.fidelity.tables` (which made the
tables): each cell's scores are recomputed from its block levels and the published levels (mean and
largest absolute difference) and ``sigma1_over_sigma2`` from its singular values; then every row of
``fidelity.csv``, the ranking, the best and the default reading's summaries, the per-panel optima
and the Welch gap of ``fidelity_best.json``, and every row of ``fidelity_averaged.csv``,
``fidelity_panels.csv`` and ``fidelity_scans.csv`` are rebuilt here from the cells and compared
cell by cell (numbers to a relative 1e-9, labels exactly). The block levels themselves are
guarded by the scans' recomputation (``fidelity.scores_recomputed``), and the first cell is
recomputed in full from its data (:func:`check_sampled_cell`).
"""

from __future__ import annotations

import csv
import itertools
import math

import numpy as np

from ..checking import CheckResult, at_most
from ..io import load_json
from .cell import EQ5_FAMILY, PANEL4_EXPONENTS
from .cell_checks import check_sampled_cell
from .grid import FACTOR_LABELS, format_value, reading_name

PANELS = ("eq1_B_Vk_g_half", "eq1_B_Vk", "eq1_B_Vk_sigma2", "eq2_unique")  # Figure 1's panels 2-5
TOLERANCE = 1e-9
PROFILE_SHARE = 0.5  # the ranking score: (blocks + profiles) / 2
SIGN_PANELS = ("eq1_B_Vk_g_half", "eq1_B_Vk")  # gradient signs counted for panels 2 and 3


def gradient(profile) -> list[float]:
    """Quartile (1, 1) minus quartile (4, 4) of each large cluster."""
    return [float(row[0][0] - row[3][3]) for row in np.asarray(profile, dtype=float)]


def signs_right(profiles: dict, published_profiles: dict) -> int:
    """(Panel, cluster) pairs of panels 2 and 3 whose gradient has the published sign."""
    return sum(int(np.sign(a) == np.sign(b)) for key in SIGN_PANELS
               for a, b in zip(gradient(profiles[key]), gradient(published_profiles[key])))


def first_difference(stored, expected, path: str = "") -> str | None:
    """The first path at which two JSON-like values differ (numbers to a relative 1e-9), or None."""
    if isinstance(expected, dict):
        if not isinstance(stored, dict) or set(stored) != set(expected):
            return path or "<keys>"
        for key in expected:
            found = first_difference(stored[key], expected[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, (list, tuple)):
        if not isinstance(stored, (list, tuple)) or len(stored) != len(expected):
            return path or "<length>"
        for i, (a, b) in enumerate(zip(stored, expected)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return None if stored == expected and type(stored) is type(expected) else path
    return None if same_number(stored, expected) and not isinstance(stored, bool) else path


def same_number(stored, expected) -> bool:
    """Whether a stored number equals its recomputation to a relative :data:`TOLERANCE`; an
    undefined (NaN) value agrees only with an undefined recomputation."""
    try:
        stored, expected = float(stored), float(expected)
    except (TypeError, ValueError):
        return False
    if math.isnan(stored) or math.isnan(expected):
        return math.isnan(stored) and math.isnan(expected)
    return abs(stored - expected) <= TOLERANCE * max(1.0, abs(expected))


def cell_score_gap(cells: list[dict], published: dict, published_profiles: dict) -> float:
    """Largest difference between a cell's stored panel score and |levels - published| (mean, max),
    for the block levels and the popularity profiles alike."""
    gap = 0.0
    for cell in cells:
        for result in cell["colour_ranges"].values():
            for levels, scores, total, theirs in (("levels", "scores", "all_panels", published),
                                                   ("profiles", "profile_scores", "all_panels_profile",
                                                    published_profiles)):
                for key in PANELS:
                    error = np.abs(np.asarray(result[levels][key], dtype=float) - np.asarray(theirs[key]))
                    stored = result[scores][key]
                    gap = max(gap, abs(stored["mean_abs"] - error.mean()), abs(stored["worst_abs"] - error.max()),
                              abs(result[total] - np.mean([result[scores][k]["mean_abs"] for k in PANELS])))
    return gap if gap == gap else float("inf")


def expected_rows(cells: list[dict], ranked: list[str], factors: list[str] | None = None,
                  published_profiles: dict | None = None) -> list[dict]:
    """``fidelity.csv`` rebuilt from the cells (cells as the CSV writes them: numbers, bools).

    ``factors`` orders the choice columns as the grid lists them (config key fidelity.grid); the
    cells' JSON holds the choices with sorted keys.
    """
    rows = []
    for cell in cells:
        order = factors if factors is not None else list(cell["choices"])
        sigma = np.asarray(cell["sigma"], dtype=float)
        for range_name, result in cell["colour_ranges"].items():
            means = {key: result["scores"][key]["mean_abs"] for key in PANELS}
            profile_means = {key: result["profile_scores"][key]["mean_abs"] for key in PANELS}
            block = sum(means[k] for k in ranked) / len(ranked)
            profile = sum(profile_means[k] for k in ranked) / len(ranked)
            row = {"reading": cell["reading"],
                   **{FACTOR_LABELS[k]: format_value(cell["choices"][k]) for k in order},
                   "seed": cell["seed"], "colour_range": range_name,
                   "overall": (1 - PROFILE_SHARE) * block + PROFILE_SHARE * profile,
                   "block_overall": block, "profile_overall": profile,
                   "gradient_signs_right": signs_right(result["profiles"], published_profiles),
                   "all_panels_mean": sum(means.values()) / len(means), "worst_panel_mean": max(means.values())}
            for key in PANELS:
                row[f"{key}_mean_abs"] = means[key]
                row[f"{key}_worst_abs"] = result["scores"][key]["worst_abs"]
            for key in PANELS:
                row[f"{key}_profile_mean_abs"] = profile_means[key]
                row[f"{key}_profile_worst_abs"] = result["profile_scores"][key]["worst_abs"]
            for key in PANELS:
                for c, value in enumerate(gradient(result["profiles"][key]), start=1):
                    row[f"{key}_gradient_c{c}"] = value
            row.update(sigma1=sigma[0], sigma1_over_sigma2=sigma[0] / sigma[1],
                       panel4_first_share=cell["dominance"]["panel4_first_share"],
                       qualitative_pattern_holds=all(cell["qualitative"].values()),
                       n_interactions=cell["n_interactions"])
            rows.append(row)
    return rows


def _summary(cells, reading, colour, ranked):
    mine = [c for c in cells if c["reading"] == reading]
    res = [c["colour_ranges"][colour] for c in mine]
    mean_abs = {k: sum(r["scores"][k]["mean_abs"] for r in res) / len(res) for k in PANELS}
    profile_mean_abs = {k: sum(r["profile_scores"][k]["mean_abs"] for r in res) / len(res) for k in PANELS}
    profiles = {k: sum(np.asarray(r["profiles"][k], dtype=float) for r in res) / len(res) for k in PANELS}
    block = sum(mean_abs[k] for k in ranked) / len(ranked)
    profile = sum(profile_mean_abs[k] for k in ranked) / len(ranked)
    per_seed = np.array([(1 - PROFILE_SHARE) * sum(r["scores"][k]["mean_abs"] for k in ranked) / len(ranked)
                         + PROFILE_SHARE * sum(r["profile_scores"][k]["mean_abs"] for k in ranked) / len(ranked)
                         for r in res])
    spread = None
    if len(res) > 1:
        pairs = list(itertools.combinations(res, 2))
        spread = {k: sum(float(np.abs(np.asarray(a["levels"][k]) - np.asarray(b["levels"][k])).mean())
                         for a, b in pairs) / len(pairs) for k in PANELS}
    return {
        "reading": reading, "colour_range": colour, "choices": mine[0]["choices"], "seeds": [c["seed"] for c in mine],
        "levels": {k: (sum(np.asarray(r["levels"][k]) for r in res) / len(res)).tolist() for k in PANELS},
        "mean_abs": mean_abs, "worst_abs": {k: max(r["scores"][k]["worst_abs"] for r in res) for k in PANELS},
        "overall": (1 - PROFILE_SHARE) * block + PROFILE_SHARE * profile,
        "overall_seed_sd": float(np.sqrt(((per_seed - per_seed.mean()) ** 2).sum() / (per_seed.size - 1)))
        if per_seed.size > 1 else None,
        "block_overall": block, "profile_overall": profile,
        "profiles": {k: v.tolist() for k, v in profiles.items()}, "profile_mean_abs": profile_mean_abs,
        "gradients": {k: gradient(v) for k, v in profiles.items()},
        "all_panels_mean": sum(mean_abs.values()) / 4,
        **{scan: {name: sum(r[scan][name] for r in res) / len(res) for name in res[0][scan]}
           for scan in ("panel4_exponent_scan", "panel4_without_first_scan", "panel2_family_scan")},
        "seed_spread": spread,
        "sigma": (sum(np.asarray(c["sigma"], dtype=float) for c in mine) / len(mine)).tolist(),
        "qualitative_pattern_holds": all(all(c["qualitative"].values()) for c in mine),
    }


def _welch(mine: np.ndarray, theirs: np.ndarray, gap: float) -> dict:
    se = dof = None
    if mine.size > 1 and theirs.size > 1:
        a, b = np.var(mine, ddof=1) / mine.size, np.var(theirs, ddof=1) / theirs.size
        se = float(np.sqrt(a + b))
        if se > 0:
            dof = float((a + b) ** 2 / (a**2 / (mine.size - 1) + b**2 / (theirs.size - 1)))
    return {"gap": gap, "standard_error": se, "degrees_of_freedom": dof,
            "gap_in_standard_errors": gap / se if se else None}


def expected_summary(cells, rows, default_choices, default_colour_range, colour_ranges, ranked) -> dict:
    """``fidelity_best.json`` rebuilt from the cells and the rebuilt rows."""
    groups: dict = {}
    for row in rows:
        groups.setdefault((row["reading"], row["colour_range"]), []).append(row)
    scores = {pair: sum(r["overall"] for r in members) / len(members) for pair, members in groups.items()}
    order = sorted(scores, key=lambda pair: (scores[pair] != scores[pair], scores[pair], pair[0], pair[1]))
    ranking = [{"reading": r, "colour_range": c, "overall": scores[(r, c)]} for r, c in order]
    default_name = reading_name(default_choices) if None not in default_choices.values() else None
    default_range = next((n for n, v in colour_ranges.items() if v == default_colour_range), None)
    pair = (default_name, default_range)
    place = order.index(pair) + 1 if pair in order else None
    per_seed = {p: np.array([r["overall"] for r in members]) for p, members in groups.items()}
    best_per = {}
    for stat in ("mean_abs", "profile_mean_abs"):
        best_per[stat] = {}
        for key in PANELS:
            means = {p: sum(r[f"{key}_{stat}"] for r in members) / len(members) for p, members in groups.items()}
            best = min(means, key=lambda p: (means[p], p))
            best_per[stat][key] = {"reading": best[0], "colour_range": best[1], "mean_abs": means[best]}
    return {
        "ranked_panels": list(ranked),
        "best": _summary(cells, order[0][0], order[0][1], ranked),
        "default": {"reading": default_name, "colour_range": default_range, "rank": place,
                    "is_best": pair == order[0],
                    "summary": _summary(cells, *pair, ranked) if place else None,
                    "gap_to_best": _welch(per_seed[pair], per_seed[order[0]], scores[pair] - scores[order[0]])
                    if place else None},
        "best_per_panel": best_per["mean_abs"],
        "best_profile_per_panel": best_per["profile_mean_abs"],
        "ranking": ranking,
        "n_readings": len({r["reading"] for r in rows}),
        "n_cells": len(cells),
        "qualitative_pattern_holds_everywhere": all(all(c["qualitative"].values()) for c in cells),
        "cells_with_qualitative_failures": sorted(
            f"{c['reading']}/seed{c['seed']}" for c in cells if not all(c["qualitative"].values())),
    }


def expected_side_tables(rows, summary, published_profiles) -> dict:
    """``fidelity_averaged.csv``, ``fidelity_panels.csv`` and ``fidelity_scans.csv`` rebuilt."""
    groups: dict = {}
    for row in rows:
        groups.setdefault((row["reading"], row["colour_range"]), []).append(row)
    default = (summary["default"]["reading"], summary["default"]["colour_range"])
    averaged = []
    for place, entry in enumerate(summary["ranking"], start=1):
        members = groups[(entry["reading"], entry["colour_range"])]
        out = {"rank": place, "reading": entry["reading"], "colour_range": entry["colour_range"],
               "default": (entry["reading"], entry["colour_range"]) == default, "seeds": len(members),
               "overall": entry["overall"]}
        scores = np.array([m["overall"] for m in members])
        out["overall_seed_sd"] = float(np.sqrt(((scores - scores.mean()) ** 2).sum() / (scores.size - 1))) \
            if scores.size > 1 else ""
        for column in ("block_overall", "profile_overall", "gradient_signs_right"):
            out[column] = sum(m[column] for m in members) / len(members)
        for key in PANELS:
            out[f"{key}_mean_abs"] = sum(m[f"{key}_mean_abs"] for m in members) / len(members)
        for key in PANELS:
            out[f"{key}_profile_mean_abs"] = sum(m[f"{key}_profile_mean_abs"] for m in members) / len(members)
        out["sigma1_over_sigma2"] = sum(m["sigma1_over_sigma2"] for m in members) / len(members)
        averaged.append(out)
    best, dflt = summary["best"], summary["default"]["summary"]
    panels = [{"panel": n, "key": key, "best_mean_abs": best["mean_abs"][key], "best_worst_abs": best["worst_abs"][key],
               "best_seed_spread": "" if best["seed_spread"] is None else best["seed_spread"][key],
               "default_mean_abs": "" if dflt is None else dflt["mean_abs"][key],
               "default_worst_abs": "" if dflt is None else dflt["worst_abs"][key],
               "lowest_mean_abs": summary["best_per_panel"][key]["mean_abs"],
               "lowest_reading": summary["best_per_panel"][key]["reading"],
               "lowest_colour_range": summary["best_per_panel"][key]["colour_range"],
               "best_profile_mean_abs": best["profile_mean_abs"][key],
               "default_profile_mean_abs": "" if dflt is None else dflt["profile_mean_abs"][key],
               "lowest_profile_mean_abs": summary["best_profile_per_panel"][key]["mean_abs"],
               "lowest_profile_reading": summary["best_profile_per_panel"][key]["reading"],
               "lowest_profile_colour_range": summary["best_profile_per_panel"][key]["colour_range"],
               **{f"published_gradient_c{c}": g for c, g in enumerate(gradient(published_profiles[key]), start=1)},
               **{f"best_gradient_c{c}": g for c, g in enumerate(gradient(best["profiles"][key]), start=1)},
               **{f"default_gradient_c{c}": "" if dflt is None else g
                  for c, g in enumerate(gradient(dflt["profiles"][key] if dflt else best["profiles"][key]), start=1)}}
              for n, key in enumerate(PANELS, start=2)]
    scans = []
    members = [(4, f"V_k dMat(sigma^{format_value(q)})", "panel4_exponent_scan", format_value(q))
               for q in PANEL4_EXPONENTS]
    members += [(4, f"V_k dMat(sigma^{format_value(q)}) without direction 1", "panel4_without_first_scan",
                 format_value(q)) for q in PANEL4_EXPONENTS]
    members += [(2, f"V_k dMat(1/(1 + {format_value(c)} lambda/sigma^2))^{format_value(a)}", "panel2_family_scan",
                 f"a={format_value(a)} c={format_value(c)}") for a, c in EQ5_FAMILY]
    for panel, weighting, scan, member in members:
        scans.append({"panel": panel, "weighting": weighting, "best": best[scan][member],
                      "default": "" if dflt is None else dflt[scan][member]})
    return {"averaged": averaged, "panels": panels, "scans": scans}


def _read_csv(path) -> tuple[list, list]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def compare_csv(name: str, path, expected: list[dict]) -> list[CheckResult]:
    """One check per column of a CSV against its rebuilt rows (same columns, same row order)."""
    columns, rows = _read_csv(path)
    wanted = list(expected[0]) if expected else []
    results = [at_most(f"{name}_columns_and_rows", f"{name}: the expected columns and number of rows",
                       0 if columns == wanted and len(rows) == len(expected) else 1, 0)]
    for column in wanted:
        bad = 0
        for row, want in zip(rows, expected):
            cell, value = row.get(column), want[column]
            if isinstance(value, (bool, str)) or value is None:
                bad += cell != ("" if value is None else str(value))
            elif isinstance(value, (int, np.integer)) and not isinstance(value, bool):
                bad += cell != str(int(value))
            else:
                bad += not same_number(cell, value)
        if len(rows) != len(expected):
            bad += 1
        results.append(at_most(f"{name}_{column}_recomputed", f"{name}: every {column} cell equals its recomputation "
                               "from the sweep's cells (rows that differ)", bad, 0))
    return results


def fidelity_table_checks(cells: list[dict], paths: dict, published: dict, params: dict,
                          published_profiles: dict) -> list[CheckResult]:
    """Every fidelity table against its rebuild from the cells.

    Parameters
    ----------
    cells : list of dict
        The sweep's cells, in the rule's order.
    paths : dict
        ``table``, ``best``, ``averaged``, ``panels``, ``scans``.
    published : dict of str to ndarray (C, C)
        The published block levels (:func:`cossim.published.load_published_levels`).
    params : dict
        ``ranked_panels``, ``default_choices``, ``default_colour_range``, ``colour_ranges``.
    published_profiles : dict of str to ndarray (L, 4, 4)
        The published popularity profiles (:func:`cossim.published_profiles.load_published_profiles`).

    Returns
    -------
    list of CheckResult
    """
    ranked = list(params["ranked_panels"])
    results = [at_most("fidelity_cell_scores_recomputed", "every cell's panel scores equal the mean and largest "
                       "|block level - published level| (and of the profiles), and all_panels (all_panels_profile) their "
                       "mean", cell_score_gap(cells, published, published_profiles), TOLERANCE)]
    rows = expected_rows(cells, ranked, list(params["default_choices"]), published_profiles)
    results += compare_csv("fidelity", paths["table"], rows)
    summary = expected_summary(cells, rows, dict(params["default_choices"]), params["default_colour_range"],
                               dict(params["colour_ranges"]), ranked)
    stored = load_json(paths["best"])
    for key, value in summary.items():
        where = first_difference(stored.get(key), value, key) if key in stored else key
        results.append(at_most(f"fidelity_best_{key}_recomputed", f"fidelity_best.json: {key} equals its recomputation "
                               f"from the cells (first difference: {where or 'none'})", 0 if where is None else 1, 0))
    results.append(at_most("fidelity_best_keys", "fidelity_best.json holds exactly the expected keys",
                           len(set(stored) ^ set(summary)), 0))
    for name, expected in expected_side_tables(rows, summary, published_profiles).items():
        results += compare_csv(f"fidelity_{name}", paths[name], expected)
    return results


def fidelity_check_results(cells: list[dict], paths: dict, published: dict, params: dict, published_profiles: dict):
    """Every check of rule ``check_fidelity``: :func:`cossim.fidelity.checks.check_fidelity` and
    :func:`fidelity_table_checks`.

    A ``fidelity_best.json`` too broken for the former (a key or entry missing) is named by the
    latter; the study's checks and the message summary are then empty and None.

    Parameters
    ----------
    cells, paths, published, published_profiles
        As for :func:`fidelity_table_checks`.
    params : dict
        As for :func:`fidelity_table_checks`, plus ``eq2_lambda``, ``require_default_best`` and, to
        recompute the first cell from its data (:func:`check_sampled_cell`), ``sampled_simulation``
        (its reading's simulation settings), ``rank`` and ``eq1_lambda``.

    Returns
    -------
    study : list of CheckResult
        :func:`cossim.fidelity.checks.check_fidelity`.
    tables : list of CheckResult
        :func:`fidelity_table_checks`.
    message : dict or None
        :func:`cossim.fidelity.checks.message_summary`.
    """
    from .checks import check_fidelity, message_summary

    tables = fidelity_table_checks(cells, paths, published, params, published_profiles)
    if params.get("sampled_simulation") is not None:
        tables += check_sampled_cell(cells[0], dict(params["sampled_simulation"]), int(params["rank"]),
                                     float(params["eq1_lambda"]), float(params["eq2_lambda"]),
                                     dict(params["colour_ranges"]))
    summary = load_json(paths["best"])
    message = message_summary(cells, params["eq2_lambda"])
    try:
        return check_fidelity(cells, summary, message, params["require_default_best"]), tables, message
    except (KeyError, TypeError, IndexError, ValueError):
        if all(result.passed for result in tables):
            raise
        return [], tables, None
