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
import json

import numpy as np

from ..checking import CheckResult, at_most
from .cell import EQ5_FAMILY, PANEL4_EXPONENTS
from .grid import FACTOR_LABELS, format_value, reading_name

PANELS = ("eq1_B_Vk_g_half", "eq1_B_Vk", "eq1_B_Vk_sigma2", "eq2_unique")  # Figure 1's panels 2-5
TOLERANCE = 1e-9


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
    try:
        ok = abs(float(stored) - float(expected)) <= TOLERANCE * max(1.0, abs(float(expected)))
    except (TypeError, ValueError):
        ok = False
    return None if ok and not isinstance(stored, bool) else path


def cell_score_gap(cells: list[dict], published: dict) -> float:
    """Largest difference between a cell's stored panel score and |levels - published| (mean, max)."""
    gap = 0.0
    for cell in cells:
        for result in cell["colour_ranges"].values():
            for key in PANELS:
                error = np.abs(np.asarray(result["levels"][key]) - np.asarray(published[key]))
                stored = result["scores"][key]
                gap = max(gap, abs(stored["mean_abs"] - error.mean()), abs(stored["worst_abs"] - error.max()),
                          abs(result["all_panels"] - np.mean([result["scores"][k]["mean_abs"] for k in PANELS])))
    return gap if gap == gap else float("inf")


def expected_rows(cells: list[dict], ranked: list[str], factors: list[str] | None = None) -> list[dict]:
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
            row = {"reading": cell["reading"],
                   **{FACTOR_LABELS[k]: format_value(cell["choices"][k]) for k in order},
                   "seed": cell["seed"], "colour_range": range_name,
                   "overall": sum(means[k] for k in ranked) / len(ranked),
                   "all_panels_mean": sum(means.values()) / len(means), "worst_panel_mean": max(means.values())}
            for key in PANELS:
                row[f"{key}_mean_abs"] = means[key]
                row[f"{key}_worst_abs"] = result["scores"][key]["worst_abs"]
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
    spread = None
    if len(res) > 1:
        pairs = list(itertools.combinations(res, 2))
        spread = {k: sum(float(np.abs(np.asarray(a["levels"][k]) - np.asarray(b["levels"][k])).mean())
                         for a, b in pairs) / len(pairs) for k in PANELS}
    return {
        "reading": reading, "colour_range": colour, "choices": mine[0]["choices"], "seeds": [c["seed"] for c in mine],
        "levels": {k: (sum(np.asarray(r["levels"][k]) for r in res) / len(res)).tolist() for k in PANELS},
        "mean_abs": mean_abs, "worst_abs": {k: max(r["scores"][k]["worst_abs"] for r in res) for k in PANELS},
        "overall": sum(mean_abs[k] for k in ranked) / len(ranked), "all_panels_mean": sum(mean_abs.values()) / 4,
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
    best_per_panel = {}
    for key in PANELS:
        means = {p: sum(r[f"{key}_mean_abs"] for r in members) / len(members) for p, members in groups.items()}
        best = min(means, key=lambda p: (means[p], p))
        best_per_panel[key] = {"reading": best[0], "colour_range": best[1], "mean_abs": means[best]}
    return {
        "ranked_panels": list(ranked),
        "best": _summary(cells, order[0][0], order[0][1], ranked),
        "default": {"reading": default_name, "colour_range": default_range, "rank": place,
                    "is_best": pair == order[0],
                    "summary": _summary(cells, *pair, ranked) if place else None,
                    "gap_to_best": _welch(per_seed[pair], per_seed[order[0]], scores[pair] - scores[order[0]])
                    if place else None},
        "best_per_panel": best_per_panel,
        "ranking": ranking,
        "n_readings": len({r["reading"] for r in rows}),
        "n_cells": len(cells),
        "qualitative_pattern_holds_everywhere": all(all(c["qualitative"].values()) for c in cells),
        "cells_with_qualitative_failures": sorted(
            f"{c['reading']}/seed{c['seed']}" for c in cells if not all(c["qualitative"].values())),
    }


def expected_side_tables(rows, summary) -> dict:
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
        for key in PANELS:
            out[f"{key}_mean_abs"] = sum(m[f"{key}_mean_abs"] for m in members) / len(members)
        out["sigma1_over_sigma2"] = sum(m["sigma1_over_sigma2"] for m in members) / len(members)
        averaged.append(out)
    best, dflt = summary["best"], summary["default"]["summary"]
    panels = [{"panel": n, "key": key, "best_mean_abs": best["mean_abs"][key], "best_worst_abs": best["worst_abs"][key],
               "best_seed_spread": "" if best["seed_spread"] is None else best["seed_spread"][key],
               "default_mean_abs": "" if dflt is None else dflt["mean_abs"][key],
               "default_worst_abs": "" if dflt is None else dflt["worst_abs"][key],
               "lowest_mean_abs": summary["best_per_panel"][key]["mean_abs"],
               "lowest_reading": summary["best_per_panel"][key]["reading"],
               "lowest_colour_range": summary["best_per_panel"][key]["colour_range"]}
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
                try:
                    bad += not abs(float(cell) - float(value)) <= TOLERANCE * max(1.0, abs(float(value)))
                except (TypeError, ValueError):
                    bad += 1
        if len(rows) != len(expected):
            bad += 1
        results.append(at_most(f"{name}_{column}_recomputed", f"{name}: every {column} cell equals its recomputation "
                               "from the sweep's cells (rows that differ)", bad, 0))
    return results


def fidelity_table_checks(cells: list[dict], paths: dict, published: dict, params: dict) -> list[CheckResult]:
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

    Returns
    -------
    list of CheckResult
    """
    ranked = list(params["ranked_panels"])
    results = [at_most("fidelity_cell_scores_recomputed", "every cell's panel scores equal the mean and largest "
                       "|block level - published level|, and all_panels their mean", cell_score_gap(cells, published),
                       TOLERANCE)]
    rows = expected_rows(cells, ranked, list(params["default_choices"]))
    results += compare_csv("fidelity", paths["table"], rows)
    summary = expected_summary(cells, rows, dict(params["default_choices"]), params["default_colour_range"],
                               dict(params["colour_ranges"]), ranked)
    with open(paths["best"], encoding="utf-8") as handle:
        stored = json.load(handle)
    for key, value in summary.items():
        where = first_difference(stored.get(key), value, key) if key in stored else key
        results.append(at_most(f"fidelity_best_{key}_recomputed", f"fidelity_best.json: {key} equals its recomputation "
                               f"from the cells (first difference: {where or 'none'})", 0 if where is None else 1, 0))
    results.append(at_most("fidelity_best_keys", "fidelity_best.json holds exactly the expected keys",
                           len(set(stored) ^ set(summary)), 0))
    for name, expected in expected_side_tables(rows, summary).items():
        results += compare_csv(f"fidelity_{name}", paths[name], expected)
    return results


def fidelity_check_results(cells: list[dict], paths: dict, published: dict, params: dict):
    """Every check of rule ``check_fidelity``: :func:`cossim.fidelity.checks.check_fidelity` and
    :func:`fidelity_table_checks`.

    A ``fidelity_best.json`` too broken for the former (a key or entry missing) is named by the
    latter; the study's checks and the message summary are then empty and None.

    Parameters
    ----------
    cells, paths, published
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

    tables = fidelity_table_checks(cells, paths, published, params)
    if params.get("sampled_simulation") is not None:
        tables += check_sampled_cell(cells[0], dict(params["sampled_simulation"]), int(params["rank"]),
                                     float(params["eq1_lambda"]), float(params["eq2_lambda"]),
                                     dict(params["colour_ranges"]))
    with open(paths["best"], encoding="utf-8") as handle:
        summary = json.load(handle)
    message = message_summary(cells, params["eq2_lambda"])
    try:
        return check_fidelity(cells, summary, message, params["require_default_best"]), tables, message
    except (KeyError, TypeError, IndexError, ValueError):
        if all(result.passed for result in tables):
            raise
        return [], tables, None


def check_sampled_cell(cell: dict, simulation: dict, rank: int, lam1: float, lam2: float,
                       colour_ranges: dict) -> list[CheckResult]:
    """One cell (the sweep's first) recomputed from its data: interactions, cluster sizes, top singular
    values, the panel-4 diagnostics and every panel's block levels under every colour range.

    The cells store no data, so the data are simulated again (:func:`cossim.model.simulate.simulate`
    with the cell's seed); everything after that is computed here by another route: the spectrum by
    ``numpy.linalg.eigh`` of ``X^T X``, the panels' cosines from the paper's formulas, the colour
    mapping and the block means over the clusters' members.

    Parameters
    ----------
    cell : dict
        The stored cell.
    simulation : dict
        Its reading's simulation settings (the fields of ``SimulationSpec``).
    rank : int
    lam1, lam2 : float
    colour_ranges : dict
        Named colour ranges, ``[vmin, vmax]`` or None (autoscale).

    Returns
    -------
    list of CheckResult
    """
    from ..model.simulate import SimulationSpec, simulate

    data = simulate(SimulationSpec(**simulation), np.random.default_rng(int(cell["seed"])))
    X, clusters = data.interactions, np.asarray(data.item_cluster)
    G = np.asarray((X.T @ X).todense() if hasattr(X, "todense") else X.T @ X, dtype=float)
    values, vectors = np.linalg.eigh(G)
    top = np.argsort(values)[::-1][:rank]
    V, sigma = vectors[:, top], np.sqrt(np.clip(values[top], 0.0, None))
    g = sigma**2 / (sigma**2 + lam1)
    scales = {"eq1_B_Vk_g_half": np.sqrt(g), "eq1_B_Vk": np.ones_like(sigma), "eq1_B_Vk_sigma2": sigma**2,
              "eq2_unique": np.sqrt(np.maximum(sigma - lam2, 0.0))}
    present = np.unique(clusters)
    members = [np.flatnonzero(clusters == c) for c in present]
    gap = 0.0
    for range_name, value in colour_ranges.items():
        stored = cell["colour_ranges"][range_name]["levels"]
        for key, b in scales.items():
            B = V * b
            norms = np.linalg.norm(B, axis=1)
            unit = np.divide(B, norms[:, None], out=np.zeros_like(B), where=norms[:, None] > 0)
            cosine = np.clip(unit @ unit.T, -1.0, 1.0)
            low, high = (cosine.min(), cosine.max()) if value is None else value
            mapped = np.zeros_like(cosine) if high == low else np.clip((cosine - low) / (high - low), 0.0, 1.0)
            levels = np.empty((len(members), len(members)))
            for r, rows in enumerate(members):
                for c, cols in enumerate(members):
                    block = mapped[np.ix_(rows, cols)]
                    if r == c:
                        levels[r, c] = (block.sum() - np.trace(block)) / (rows.size**2 - rows.size) \
                            if rows.size > 1 else np.nan
                    else:
                        levels[r, c] = block.mean()
            stored_levels = np.asarray(stored[key], dtype=float)
            gap = max(gap, float(np.nanmax(np.abs(stored_levels - levels))) if stored_levels.shape == levels.shape
                      else float("inf"))
    fourth = sigma**4
    positive = float(np.mean(V[:, 0] > 0))
    expected = {"n_interactions": float(X.nnz), "first_direction_same_sign": max(positive, 1.0 - positive),
                "panel4_first_share": float(fourth[0] / fourth.sum())}
    stored_values = {"n_interactions": float(cell["n_interactions"]),
                     "first_direction_same_sign": float(cell["dominance"]["first_direction_same_sign"]),
                     "panel4_first_share": float(cell["dominance"]["panel4_first_share"])}
    sizes = np.bincount(clusters, minlength=len(cell["cluster_sizes"])).tolist()
    name = f"{cell['reading']}/seed{cell['seed']}"
    stored_sigma = np.asarray(cell["sigma"], dtype=float)
    sigma_gap = float(np.max(np.abs(stored_sigma - sigma[: stored_sigma.size]) / sigma[0])) \
        if stored_sigma.size == min(10, sigma.size) else float("inf")
    return [
        at_most("fidelity_cell_levels_recomputed", f"cell {name}: every panel's block levels under every colour "
                "range equal their recomputation from the data", gap, 1e-9),
        at_most("fidelity_cell_sigma_recomputed", f"cell {name}: the top singular values equal eigh's of X^T X "
                "(relative to sigma_1)", sigma_gap, 1e-9),
        at_most("fidelity_cell_counts_recomputed", f"cell {name}: n_interactions and the cluster sizes are the data's",
                abs(stored_values["n_interactions"] - expected["n_interactions"]) + (sizes != cell["cluster_sizes"]),
                0.0),
        at_most("fidelity_cell_dominance_recomputed", f"cell {name}: panel4_first_share and "
                "first_direction_same_sign equal their recomputation", max(
                    abs(stored_values[k] - expected[k]) for k in ("first_direction_same_sign", "panel4_first_share")),
                1e-9),
    ]
