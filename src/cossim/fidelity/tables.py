"""Summary tables of the sweep, for the figure, the notebook and the docs.

Each is a re-arrangement of ``fidelity.csv`` and ``fidelity_best.json``
(:mod:`cossim.fidelity.ranking`), written by rule ``fidelity_table`` beside them:

- ``fidelity_averaged.csv`` (:func:`averaged_rows`): one row per (reading, colour range) in
  ranking order, with each panel's mean absolute error averaged over the seeds;
- ``fidelity_panels.csv`` (:func:`panel_rows`): per model panel, the best reading's and the
  default reading's errors, the seed spread, and the lowest error anywhere in the grid;
- ``fidelity_scans.csv`` (:func:`scan_rows`): the panel-2 and panel-4 scans of the best and the
  default reading.
"""

from __future__ import annotations

import csv

import numpy as np

from ..model.panels import MODEL_PANELS
from ..published_profiles import LARGE_CLUSTERS, popularity_gradient
from .cell import EQ5_FAMILY, PANEL4_EXPONENTS, family_key
from .grid import format_value

__all__ = [
    "AVERAGED_COLUMNS",
    "PANEL_COLUMNS",
    "SCAN_COLUMNS",
    "averaged_rows",
    "load_averaged",
    "load_table",
    "panel_rows",
    "scan_rows",
]

AVERAGED_COLUMNS = (
    ["rank", "reading", "colour_range", "default", "seeds", "overall", "overall_seed_sd", "block_overall",
     "profile_overall", "gradient_signs_right"]
    + [f"{key}_mean_abs" for key in MODEL_PANELS]
    + [f"{key}_profile_mean_abs" for key in MODEL_PANELS]
    + ["sigma1_over_sigma2"]
)
"""Columns of ``fidelity_averaged.csv``."""

PANEL_COLUMNS = [
    "panel",
    "key",
    "best_mean_abs",
    "best_worst_abs",
    "best_seed_spread",
    "default_mean_abs",
    "default_worst_abs",
    "lowest_mean_abs",
    "lowest_reading",
    "lowest_colour_range",
    "best_profile_mean_abs",
    "default_profile_mean_abs",
    "lowest_profile_mean_abs",
    "lowest_profile_reading",
    "lowest_profile_colour_range",
] + [f"{who}_gradient_c{c}" for who in ("published", "best", "default") for c in range(1, LARGE_CLUSTERS + 1)]
"""Columns of ``fidelity_panels.csv``."""

SCAN_COLUMNS = ["panel", "weighting", "best", "default"]
"""Columns of ``fidelity_scans.csv``."""

TABLE_NUMERIC = {"overall", "block_overall", "profile_overall", "all_panels_mean", "worst_panel_mean", "sigma1",
                 "sigma1_over_sigma2", "panel4_first_share", "gradient_signs_right"}
TABLE_NUMERIC |= {f"{key}_{stat}" for key in MODEL_PANELS
                  for stat in ("mean_abs", "worst_abs", "profile_mean_abs", "profile_worst_abs")}
TABLE_NUMERIC |= {f"{key}_gradient_c{c}" for key in MODEL_PANELS for c in range(1, LARGE_CLUSTERS + 1)}


def load_table(path) -> list[dict]:
    """Read ``fidelity.csv`` back.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    list of dict
        One per row; the error and diagnostic columns as floats, the others as strings.
    """
    with open(path, newline="", encoding="utf-8") as handle:
        return [{k: float(v) if k in TABLE_NUMERIC else v for k, v in row.items()} for row in csv.DictReader(handle)]


def averaged_rows(rows: list[dict], summary: dict) -> list[dict]:
    """Per (reading, colour range), each panel's error averaged over the seeds, in ranking order.

    Parameters
    ----------
    rows : list of dict
        Rows of ``fidelity.csv`` (:func:`cossim.fidelity.ranking.table_rows` or :func:`load_table`).
    summary : dict
        :func:`cossim.fidelity.ranking.best_reading_summary` of the same rows: its ``ranking``
        gives the order, ``rank`` and ``overall``, its ``default`` the ``default`` flag.

    Returns
    -------
    list of dict
        Keyed by :data:`AVERAGED_COLUMNS`: ``rank`` (1 = best), ``reading``, ``colour_range``,
        ``default`` (the default config's reading and colour range), ``seeds`` (how many),
        ``overall`` (the ranking score), ``overall_seed_sd`` (the sample standard deviation of the
        per-seed ranking scores; empty with one seed), ``block_overall``, ``profile_overall``,
        ``gradient_signs_right``, ``<panel>_mean_abs`` and ``<panel>_profile_mean_abs`` per model
        panel and ``sigma1_over_sigma2`` (seed means).
    """
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["reading"], row["colour_range"]), []).append(row)
    default = (summary["default"]["reading"], summary["default"]["colour_range"])
    averaged = []
    for place, entry in enumerate(summary["ranking"], start=1):
        pair = (entry["reading"], entry["colour_range"])
        members = groups[pair]
        out = {"rank": place, "reading": pair[0], "colour_range": pair[1], "default": pair == default}
        out.update(seeds=len(members), overall=float(entry["overall"]))
        scores = [float(m["overall"]) for m in members]
        out["overall_seed_sd"] = float(np.std(scores, ddof=1)) if len(scores) > 1 else ""
        for column in ("block_overall", "profile_overall", "gradient_signs_right"):
            out[column] = float(np.mean([float(m[column]) for m in members]))
        for key in MODEL_PANELS:
            out[f"{key}_mean_abs"] = float(np.mean([float(m[f"{key}_mean_abs"]) for m in members]))
        for key in MODEL_PANELS:
            out[f"{key}_profile_mean_abs"] = float(np.mean([float(m[f"{key}_profile_mean_abs"]) for m in members]))
        out["sigma1_over_sigma2"] = float(np.mean([float(m["sigma1_over_sigma2"]) for m in members]))
        averaged.append(out)
    return averaged


def load_averaged(path) -> list[dict]:
    """Read ``fidelity_averaged.csv`` back: ``rank`` and ``seeds`` as int, ``default`` as bool,
    the errors as floats (the CSV holds them at full precision, so they round-trip exactly)."""
    converters = {"rank": int, "seeds": int, "default": lambda text: text == "True"}
    converters.update({key: float for key in AVERAGED_COLUMNS[5:]})
    converters["overall_seed_sd"] = lambda text: float(text) if text else None
    with open(path, newline="", encoding="utf-8") as handle:
        return [{k: converters.get(k, str)(v) for k, v in row.items()} for row in csv.DictReader(handle)]


def panel_rows(summary: dict, published_profiles: dict) -> list[dict]:
    """Per model panel: how close the best and the default reading come to the published figure.

    Parameters
    ----------
    summary : dict
        :func:`cossim.fidelity.ranking.best_reading_summary`.
    published_profiles : dict of str to array, each of shape (L, 4, 4)
        The published popularity profiles (their gradients).

    Returns
    -------
    list of dict
        Keyed by :data:`PANEL_COLUMNS`, one per model panel (``panel`` 2-5 as in Figure 1):
        the best reading's seed-averaged mean and largest absolute block-level error and its seed
        spread, the default reading's mean and largest error, and the lowest seed-averaged mean
        error of any reading under any colour range, with that reading; the same for the profile
        errors; and the popularity gradient in each large cluster of the published panel, the best
        and the default reading (of the seed-averaged profiles). Values that do not exist (the
        default is not in the grid, one seed) are empty.
    """
    best, default = summary["best"], summary["default"]["summary"]
    spread = best["seed_spread"]
    rows = []
    for number, key in enumerate(MODEL_PANELS, start=2):
        lowest = summary["best_per_panel"][key]
        rows.append(
            {
                "panel": number,
                "key": key,
                "best_mean_abs": best["mean_abs"][key],
                "best_worst_abs": best["worst_abs"][key],
                "best_seed_spread": "" if spread is None else spread[key],
                "default_mean_abs": "" if default is None else default["mean_abs"][key],
                "default_worst_abs": "" if default is None else default["worst_abs"][key],
                "lowest_mean_abs": lowest["mean_abs"],
                "lowest_reading": lowest["reading"],
                "lowest_colour_range": lowest["colour_range"],
                "best_profile_mean_abs": best["profile_mean_abs"][key],
                "default_profile_mean_abs": "" if default is None else default["profile_mean_abs"][key],
                "lowest_profile_mean_abs": summary["best_profile_per_panel"][key]["mean_abs"],
                "lowest_profile_reading": summary["best_profile_per_panel"][key]["reading"],
                "lowest_profile_colour_range": summary["best_profile_per_panel"][key]["colour_range"],
            }
        )
        gradients = {
            "published": popularity_gradient(published_profiles[key]).tolist(),
            "best": best["gradients"][key],
            "default": None if default is None else default["gradients"][key],
        }
        for who, values in gradients.items():
            for c in range(LARGE_CLUSTERS):
                rows[-1][f"{who}_gradient_c{c + 1}"] = "" if values is None else float(values[c])
    return rows


def scan_rows(summary: dict) -> list[dict]:
    """The scans of the best and the default reading: which weightings the published panels resemble.

    Parameters
    ----------
    summary : dict
        :func:`cossim.fidelity.ranking.best_reading_summary`.

    Returns
    -------
    list of dict
        Keyed by :data:`SCAN_COLUMNS`: ``panel`` (2 or 4), ``weighting`` (the ``B`` redrawn on
        the reading's own singular directions), and the seed-averaged mean absolute error against
        that published panel for the ``best`` and the ``default`` reading (empty if the default is
        not in the grid). Panel 4: ``B = V_k dMat(sigma^q)`` for each q of
        :data:`~cossim.fidelity.cell.PANEL4_EXPONENTS`, with and without the first singular
        direction; panel 2: the members of :data:`~cossim.fidelity.cell.EQ5_FAMILY`.
    """
    readings = {"best": summary["best"], "default": summary["default"]["summary"]}

    def entry(panel, weighting, scan, member):
        row = {"panel": panel, "weighting": weighting}
        for name, reading in readings.items():
            row[name] = "" if reading is None else reading[scan][member]
        return row

    rows = []
    for q in PANEL4_EXPONENTS:
        rows.append(entry(4, f"V_k dMat(sigma^{format_value(q)})", "panel4_exponent_scan", format_value(q)))
    for q in PANEL4_EXPONENTS:
        weighting = f"V_k dMat(sigma^{format_value(q)}) without direction 1"
        rows.append(entry(4, weighting, "panel4_without_first_scan", format_value(q)))
    for power, scale in EQ5_FAMILY:
        weighting = f"V_k dMat(1/(1 + {format_value(scale)} lambda/sigma^2))^{format_value(power)}"
        rows.append(entry(2, weighting, "panel2_family_scan", family_key(power, scale)))
    return rows
