"""Table 2: Eq. 1 and Eq. 2 trained by gradient-based optimisation, compared with the closed forms.

The paper's point (Section 2.1) is that Eq. 1 leaves the scaling D of the latent dimensions
undetermined, so which D a trained model ends up with is decided by the optimiser and its
initialisation, not by the objective. This module trains ``X ~ X A B^T`` with L-BFGS
(:func:`cossim.model.objectives.minimise_from`, on the analytic gradients) from random starts,
and measures how far each trained model is from the closed form (Eq. 5 or Eq. 6): in
objective, in the product ``A B^T``, in the implied D, and in the item-item cosine similarities.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ..model.objectives import OBJECTIVES, TrainedModel, minimise_from, random_start
from ..model.similarity import item_item_cosine
from ..model.solve import Fit, safe_divide

__all__ = [
    "OPTIMUM_GAP",
    "implied_scaling",
    "RunComparison",
    "compare_with_closed_form",
    "training_runs",
    "most_different_pair",
    "objective_runs",
    "optimal_pairs",
    "summarise_runs",
]

OPTIMUM_GAP = 1e-6
"""A run "reached the optimum" when its relative objective gap is at most this."""


def implied_scaling(fit: Fit, B: np.ndarray) -> dict:
    """The D of Eq. 3 that a trained B implies relative to the closed-form B, rotations aligned.

    Eq. 1 is invariant under ``A M``, ``B M^{-T}`` for every invertible k x k matrix M, a larger
    family than the paper's ``D`` and ``R`` (Eq. 3): by the SVD, ``M = R_1 D R_2`` with rotations
    ``R_1``, ``R_2``, so every optimum is ``B = V_k dMat(b) R_1 D^{-1} R_2``. ``B B^T`` does not
    see ``R_2``; with ``S = dMat(b)`` on the dimensions the closed form keeps (``b > 0``),
    ``W = S^{-1} V_k^T B B^T V_k S^{-1} = R_1 D^{-2} R_1^T``. The eigenvalues of W give D after
    aligning both rotations; W is diagonal exactly when ``R_1 = I``, the paper's form
    ``B(D) R = B D^{-1} R``.

    Parameters
    ----------
    fit : Fit
        The closed form, with ``b`` of shape (k,) and ``spectrum.V`` of shape (p, k).
    B : ndarray, shape (p, k)
        A trained decoder of the same objective and rank.

    Returns
    -------
    dict
        ``d`` (ndarray over the m kept dimensions, shape (m,), descending, scaled to geometric
        mean 1: a multiple of I changes no cosine); ``d_spread`` = max d / min d (1 when D changes
        no cosine); ``off_diagonal`` = ``||W - diag(W)||_F / ||W||_F`` (0 for the paper's form
        ``R_1 = I``); ``outside_span`` = ``||B - V_k V_k^T B||_F / ||B||_F`` (0 at any optimum).
    """
    kept = fit.b > 0
    V = fit.spectrum.V[:, kept]
    coordinates = safe_divide(V.T @ B, fit.b[kept][:, None])
    W = coordinates @ coordinates.T
    eigenvalues = np.clip(np.linalg.eigvalsh(W), np.finfo(float).tiny, None)
    d = np.sort(1.0 / np.sqrt(eigenvalues))[::-1]
    d = d / np.exp(np.mean(np.log(d)))
    off_diagonal = np.linalg.norm(W - np.diag(np.diag(W))) / np.linalg.norm(W)
    outside = np.linalg.norm(B - V @ (V.T @ B)) / np.linalg.norm(B)
    return {
        "d": d,
        "d_spread": float(d[0] / d[-1]),
        "off_diagonal": float(off_diagonal),
        "outside_span": float(outside),
    }


@dataclass(frozen=True)
class RunComparison:
    """One row of Table 2: a trained model against the closed form of the same objective.

    Attributes
    ----------
    objective : {"eq1", "eq2"}
    init_scale : float
        Column norm of the random start (:func:`cossim.model.objectives.random_start`).
    run : int
        Number of the run at this scale.
    iterations : int
        L-BFGS iterations used.
    converged : bool
        Whether L-BFGS reported convergence.
    objective_gap : float
        ``(f(trained) - f(closed)) / f(closed)``; never below rounding, as the closed form is optimal.
    product_distance : float
        ``||A B^T - A* B*^T||_F / ||A* B*^T||_F``.
    d_spread, d_off_diagonal, outside_span : float
        From :func:`implied_scaling`.
    cosine_max_abs_diff, cosine_mean_abs_diff : float
        Largest and mean entry of ``|cos(trained) - cos(closed)|`` over the item-item cosine matrix.
    """

    objective: str
    init_scale: float
    run: int
    iterations: int
    converged: bool
    objective_gap: float
    product_distance: float
    d_spread: float
    d_off_diagonal: float
    outside_span: float
    cosine_max_abs_diff: float
    cosine_mean_abs_diff: float

    def as_dict(self) -> dict:
        """CSV-ready form."""
        return asdict(self)


def compare_with_closed_form(
    G: np.ndarray, fit: Fit, model: TrainedModel, init_scale: float, run: int
) -> RunComparison:
    """Measure a trained model against the closed form ``fit`` (Eq. 5 or Eq. 6).

    Parameters
    ----------
    G : ndarray, shape (p, p)
        The Gram matrix ``X^T X``.
    fit : Fit
        The closed form, ``A``, ``B`` of shape (p, k).
    model : TrainedModel
        The trained model of the same objective, ``A``, ``B`` of shape (p, k).
    init_scale : float
        Column norm of the run's random start (recorded in the row).
    run : int
        Number of the run at this scale (recorded in the row).

    Returns
    -------
    RunComparison
    """
    value, _ = OBJECTIVES[fit.objective]
    best = value(G, fit.A, fit.B, fit.lam)
    product = fit.A @ fit.B.T
    scaling = implied_scaling(fit, model.B)
    difference = np.abs(item_item_cosine(model.B) - item_item_cosine(fit.B))
    difference = difference[~np.isnan(difference)]  # an item without interactions has no cosine: left out
    return RunComparison(
        objective=fit.objective,
        init_scale=float(init_scale),
        run=int(run),
        iterations=model.iterations,
        converged=model.converged,
        objective_gap=float((model.value - best) / best),
        product_distance=float(np.linalg.norm(model.A @ model.B.T - product) / np.linalg.norm(product)),
        d_spread=scaling["d_spread"],
        d_off_diagonal=scaling["off_diagonal"],
        outside_span=scaling["outside_span"],
        cosine_max_abs_diff=float(difference.max(initial=0.0)),
        cosine_mean_abs_diff=float(difference.mean()) if difference.size else float("nan"),
    )


def training_runs(
    G: np.ndarray,
    fits: dict,
    init_scales: list[float],
    runs_per_scale: int,
    max_iterations: int,
    rng: np.random.Generator,
) -> tuple[list[RunComparison], dict]:
    """Train every objective of ``fits`` from ``runs_per_scale`` random starts per scale.

    Parameters
    ----------
    G : ndarray, shape (p, p)
        The Gram matrix ``X^T X``.
    fits : dict
        ``{"eq1": Fit, "eq2": Fit}``, the closed forms at the training rank k.
    init_scales : list of float
        Column norms of the random starts (:func:`cossim.model.objectives.random_start`).
    runs_per_scale : int
        Random starts per scale.
    max_iterations : int
        L-BFGS iteration limit per run.
    rng : numpy.random.Generator
        Draws the starts.

    Returns
    -------
    rows : list of RunComparison
        One per run, objective by objective, then scale by scale: Table 2.
    factors : dict
        ``"<objective>_B"``: trained B of every run, shape (runs, p, k), in row order.
    """
    rows, factors = [], {}
    for objective, fit in fits.items():
        p, k = fit.A.shape
        trained = []
        for scale in init_scales:
            for run in range(runs_per_scale):
                model = minimise_from(G, objective, fit.lam, *random_start(rng, p, k, scale), max_iterations)
                rows.append(compare_with_closed_form(G, fit, model, scale, run))
                trained.append(model.B)
        factors[f"{objective}_B"] = np.stack(trained)
    return rows, factors


def most_different_pair(cosines: np.ndarray, eligible: np.ndarray) -> tuple[int, int, float]:
    """The two eligible runs whose item-item cosine matrices differ most (mean absolute difference).

    Parameters
    ----------
    cosines : ndarray, shape (runs, p, p)
    eligible : ndarray of bool, shape (runs,)
        E.g. the runs that reached the optimum.

    Returns
    -------
    tuple of (int, int, float)
        ``(i, j, mean |cos_i - cos_j|)`` with ``i < j``; ``(-1, -1, nan)`` if fewer than two runs
        are eligible.
    """
    best = (-1, -1, float("nan"))
    indices = np.flatnonzero(eligible)
    for position, i in enumerate(indices):
        for j in indices[position + 1:]:
            gap = np.abs(cosines[i] - cosines[j])
            difference = float(np.mean(gap[~np.isnan(gap)]))  # over the defined cosines
            if not difference <= best[2]:
                best = (int(i), int(j), difference)
    return best


def objective_runs(rows: list[dict], runs: dict, objective: str, optimum_gap: float = OPTIMUM_GAP):
    """One objective's rows of Table 2, its runs' item-item cosines and which runs are at the optimum.

    Parameters
    ----------
    rows : list of dict
        Table 2 rows (values as numbers or as the strings of the CSV), in the order of ``runs``.
    runs : dict
        The arrays of ``runs.npz``: ``"<objective>_B"`` of shape (runs, p, k) and the display
        ``"order"`` of the p items, shape (p,).
    objective : {"eq1", "eq2"}
    optimum_gap : float
        See :data:`OPTIMUM_GAP`.

    Returns
    -------
    mine : list of dict
        The objective's rows, in run order.
    cosines : ndarray, shape (runs, p, p)
        Item-item cosine matrix of each run, items in display order.
    at_optimum : ndarray of bool, shape (runs,)
    """
    mine = [row for row in rows if row["objective"] == objective]
    order = runs["order"]
    cosines = np.stack([item_item_cosine(B[order]) for B in runs[f"{objective}_B"]])
    at_optimum = np.array([float(row["objective_gap"]) <= optimum_gap for row in mine])
    return mine, cosines, at_optimum


def optimal_pairs(rows: list[dict], runs: dict, optimum_gap: float = OPTIMUM_GAP) -> dict:
    """Per objective, the two runs at the optimum whose item-item cosines differ most.

    Parameters
    ----------
    rows, runs, optimum_gap
        As in :func:`objective_runs`.

    Returns
    -------
    dict
        ``{objective: {"first": i, "second": j, "mean_abs_cosine_difference": float}}``, i and j
        numbering the objective's runs in row order (-1 and NaN when fewer than two runs reached
        the optimum).
    """
    pairs = {}
    for objective in sorted({row["objective"] for row in rows}):
        _, cosines, at_optimum = objective_runs(rows, runs, objective, optimum_gap)
        i, j, difference = most_different_pair(cosines, at_optimum)
        pairs[objective] = {"first": i, "second": j, "mean_abs_cosine_difference": difference}
    return pairs


def summarise_runs(rows: list[dict], optimum_gap: float = OPTIMUM_GAP) -> dict:
    """Per objective: how many runs reached the optimum and, among those, the range of the
    product distance, the implied D and the cosine difference to the closed form.

    Parameters
    ----------
    rows : list of dict
        Table 2 rows (values as numbers or as the strings of the CSV).
    optimum_gap : float
        See :data:`OPTIMUM_GAP`.

    Returns
    -------
    dict
        ``{objective: {"runs": int, "at_optimum": int, <column>: (min, max)}}`` for the columns
        ``product_distance``, ``d_spread``, ``cosine_max_abs_diff``, ``cosine_mean_abs_diff``
        (NaN when no run reached the optimum).
    """
    summary = {}
    for objective in sorted({row["objective"] for row in rows}):
        mine = [row for row in rows if row["objective"] == objective]
        done = [row for row in mine if float(row["objective_gap"]) <= optimum_gap]

        def spread(key):
            values = [float(row[key]) for row in done]
            return (min(values), max(values)) if values else (float("nan"), float("nan"))

        summary[objective] = {
            "runs": len(mine),
            "at_optimum": len(done),
            "product_distance": spread("product_distance"),
            "d_spread": spread("d_spread"),
            "cosine_max_abs_diff": spread("cosine_max_abs_diff"),
            "cosine_mean_abs_diff": spread("cosine_mean_abs_diff"),
        }
    return summary
