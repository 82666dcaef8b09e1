"""What the fidelity study's artifacts must satisfy, and the paper's message in numbers.

Rule ``check_fidelity`` fails the workflow unless (:func:`check_fidelity`) the ordering
proposition of :mod:`cossim.fidelity.ordering` holds in every cell, every panel's score
agrees with its recomputation by the scans, the paper's message holds in every cell (the three
Eq. 1 re-scalings of one model differ, and Eq. 2 differs again from Eq. 5's split), and, when
required, no reading beats the default configuration's at :data:`DEFAULT_BEST_CONFIDENCE`
(one-sided Welch t-test). :func:`message_summary` also counts where the stricter published
pattern holds.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.stats import t as student_t

from ..checking import CheckResult, at_least, at_most
from .cell import family_key

__all__ = [
    "DEFAULT_BEST_CONFIDENCE",
    "EQ1_PANELS",
    "MESSAGE_MIN_DIFFERENCE",
    "check_fidelity",
    "default_gap_bound",
    "message_summary",
    "panel_differences",
    "scan_consistency",
]

DEFAULT_BEST_CONFIDENCE = 0.975
"""The default reading counts as the best unless the top of the ranking beats it at this
one-sided confidence in Welch's t-test (:func:`cossim.fidelity.ranking.welch_test`): by more than
the Student t quantile at the Welch degrees of freedom, in standard errors of the difference of
the seed means (:func:`cossim.fidelity.ranking.gap_to_best`); about 2 with many seeds, 4.3 and
more with two seeds per reading, which can tell little apart."""

EQ1_PANELS = ("eq1_B_Vk_g_half", "eq1_B_Vk", "eq1_B_Vk_sigma2")
"""Panels 2-4: one Eq. 1 model under three re-scalings D."""

ORDERING_TOLERANCE = 1e-12
"""Rounding allowed below zero in the head-share margin of the ordering proposition
(:mod:`cossim.fidelity.ordering`): shares are sums of at most k terms in [0, 1]."""

MESSAGE_MIN_DIFFERENCE = 0.05
"""Mean absolute block-level difference above which two panels count as showing different
similarities (a visible difference on the colour scale [0, 1])."""


def scan_consistency(cell: dict) -> float:
    """Largest disagreement between a panel's score and its recomputation by a scan.

    The scans rebuild each panel from ``V_k`` and ``sigma`` with their own formula, so a wrong
    formula in either route (e.g. Eq. 5's exponent) shows up here: panel 2 is the Eq. 5 member of
    ``panel2_family_scan``, panel 4 the q = 2 member of ``panel4_exponent_scan``.

    Parameters
    ----------
    cell : dict
        :func:`cossim.fidelity.cell.evaluate_reading`.

    Returns
    -------
    float
        The largest absolute difference over the colour ranges of the cell and the two panels.
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


def panel_differences(levels: dict) -> dict[str, float]:
    """The paper's message in numbers, for one cell under one colour range.

    Parameters
    ----------
    levels : dict
        ``{model panel key: (C, C) block levels}``.

    Returns
    -------
    dict
        ``eq1_spread``: the largest mean absolute difference between the block levels of two of
        the three Eq. 1 panels (one and the same model ``A B^T``, three choices of D, Eq. 3).
        ``eq2_vs_eq5``: the mean absolute difference between Eq. 2's panel and Eq. 5's split
        (Eq. 1 with D = I).
    """
    levels = {key: np.asarray(value, dtype=float) for key, value in levels.items()}
    spread = max(np.mean(np.abs(levels[a] - levels[b])) for a, b in itertools.combinations(EQ1_PANELS, 2))
    return {
        "eq1_spread": float(spread),
        "eq2_vs_eq5": float(np.mean(np.abs(levels["eq2_unique"] - levels["eq1_B_Vk_g_half"]))),
    }


def message_summary(cells: list[dict], eq2_lambda: float) -> dict:
    """How the paper's message and the published pattern fare over the sweep.

    Below Eq. 2's lambda (``sigma_1 <= lambda``) Eq. 6 zeroes every dimension and Eq. 2 learns the
    zero model, so Eq. 2's part of the message is measured only where ``sigma_1 > lambda``.

    Parameters
    ----------
    cells : list of dict
        The sweep's cells (:func:`cossim.fidelity.cell.evaluate_reading`).
    eq2_lambda : float
        Eq. 2's lambda.

    Returns
    -------
    dict (JSON-ready)
        ``eq2_lambda``; ``cells``; ``cells_learning_eq2`` (with ``sigma_1 > lambda``);
        ``published_pattern_holds`` (cells in which every check of
        :func:`cossim.published.check_qualitative_pattern`, a stricter reading of the figure than
        the message, passes), ``published_pattern_holds_where_eq2_learns`` and
        ``published_pattern_failures_where_eq2_learns`` (``{check name: failing cells}``); and per
        colour range ``min_eq1_spread`` (smallest over all cells) and ``min_eq2_vs_eq5`` (smallest
        over the cells where Eq. 2 learns; NaN if none), of :func:`panel_differences`.
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


def default_gap_bound(gap: dict, confidence: float = DEFAULT_BEST_CONFIDENCE) -> tuple[float, float, str]:
    """The default reading's gap to the best as Welch's one-sided test at ``confidence`` sees it.

    The best reading beats the default significantly (``scipy.stats.ttest_ind(default, best,
    equal_var=False, alternative="greater")`` has ``pvalue < 1 - confidence``) exactly when the
    t statistic exceeds the Student t quantile ``t.ppf(confidence, df)``.

    Parameters
    ----------
    gap : dict
        :func:`cossim.fidelity.ranking.gap_to_best` of the default: ``gap``, ``standard_error``
        and ``degrees_of_freedom``.
    confidence : float
        One-sided confidence of the test.

    Returns
    -------
    measured, bound : float
        The t statistic and the t quantile; with one seed (no standard error) the score gap
        itself and 0 (the default must rank first).
    unit : str
        What ``measured`` is in, for the check's statement.
    """
    if gap["standard_error"]:
        degrees_of_freedom = gap["degrees_of_freedom"]
        bound = float(student_t.ppf(confidence, degrees_of_freedom))
        unit = f"standard errors (bound: t quantile, {degrees_of_freedom:.1f} degrees of freedom)"
        return gap["gap"] / gap["standard_error"], bound, unit
    return gap["gap"], 0.0, "score (one seed: no standard error)"


def check_fidelity(
    cells: list[dict], summary: dict, message: dict, require_default_best: bool = True, tolerance: float = 1e-9
) -> list[CheckResult]:
    """What the fidelity study's artifacts must satisfy.

    - the ordering proposition (:mod:`cossim.fidelity.ordering`) holds in every cell: panel 4's
      weights over panel 2's never rise along the spectrum, and every item's share of its squared
      embedding norm in the m leading directions is at least as large in panel 4 as in panel 2;
    - every panel's score agrees with its independent recomputation by the scans
      (:func:`scan_consistency`) to ``tolerance``;
    - the paper's message holds under every reading and seed, in the colour range the figure is
      drawn with (figure1.colour_range, if it is one of the sweep's; else in every one): the three
      Eq. 1 re-scalings of one model differ (:func:`panel_differences`: ``eq1_spread`` at least
      :data:`MESSAGE_MIN_DIFFERENCE`), and Eq. 2 differs again from Eq. 5's split wherever Eq. 2
      learns a model (``sigma_1`` above its lambda; below it Eq. 6 zeroes every dimension, and
      without such cells this check is left out);
    - if ``require_default_best`` (config key fidelity.require_default_best) and the default
      config's reading is in the grid, no reading ranks better at the confidence
      :data:`DEFAULT_BEST_CONFIDENCE` (:func:`default_gap_bound`; with one seed, none ranks better
      at all): the docs and the default ``figure1.png`` rest on that. Otherwise nothing is claimed
      about the default.

    Parameters
    ----------
    cells : list of dict
        The sweep's cells (:func:`cossim.fidelity.cell.evaluate_reading` plus ``reading``).
    summary : dict
        ``fidelity_best.json`` (:func:`cossim.fidelity.ranking.best_reading_summary`).
    message : dict
        :func:`message_summary` of the cells, computed once by the caller (which reports it).
    require_default_best : bool
        Whether to check the default's place.
    tolerance : float
        Largest allowed :func:`scan_consistency`.

    Returns
    -------
    list of CheckResult
        ``fidelity.panel4_weight_ratio_decreasing`` and ``fidelity.panel4_concentrates_more`` (the
        ordering proposition of :mod:`cossim.fidelity.ordering`, in every cell),
        ``fidelity.scores_recomputed``, ``fidelity.eq1_rescalings_differ``, then (where they
        apply) ``fidelity.eq2_differs_again`` and ``fidelity.default_is_best``.
    """
    eq2_lambda = message["eq2_lambda"]
    by_range = message["colour_ranges"]
    drawn = summary["default"].get("colour_range")
    if drawn is not None:  # the message is what the figure shows, as figure1.colour_range draws it
        by_range = {drawn: by_range[drawn]}
    ordering = [cell["ordering"] for cell in cells]
    results = [
        at_most(
            "fidelity.panel4_weight_ratio_decreasing",
            "largest rise, over cells and consecutive directions, of panel 4's weights over panel 2's, "
            "sigma sqrt(sigma^2 + lambda), along the descending spectrum (the proposition's premise)",
            max(entry["ratio_max_increase"] for entry in ordering),
            0.0,
        ),
        at_least(
            "fidelity.panel4_concentrates_more",
            "smallest, over cells, items i and m = 1..k, of h_i(m) under panel 4 minus under panel 2 "
            "(the share of item i's squared embedding norm in the m leading directions; >= 0 by the "
            "ordering proposition)",
            min(entry["min_head_share_margin"] for entry in ordering),
            -ORDERING_TOLERANCE,
        ),
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
        measured, bound, unit = default_gap_bound(default["gap_to_best"])
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
