"""Claims 1 and 2 of Table 1: the closed forms Eq. 5 and Eq. 6 attain the optima of Eq. 1 and Eq. 2."""

from __future__ import annotations

import numpy as np

from ..model.objectives import OBJECTIVES, minimise_from
from ..model.solve import Fit
from .rows import GRADIENT, OBJECTIVE_SLACK, ClaimRow, row

__all__ = [
    "relative_gradient",
    "claim_optimality",
]


def relative_gradient(G: np.ndarray, objective: str, A: np.ndarray, B: np.ndarray, lam: float) -> float:
    """Norm of the gradient of Eq. 1 or Eq. 2 at ``(A, B)``, relative to the size of the problem.

    Parameters
    ----------
    G : ndarray, shape (p, p)
        The Gram matrix ``X^T X``.
    objective : {"eq1", "eq2"}
    A, B : ndarray, shape (p, k)
        Encoder and decoder.
    lam : float
        lambda of the objective.

    Returns
    -------
    float
        ``||(grad_A, grad_B)||_F / (||G||_F (1 + ||A||_F ||B||_F))``: zero at a stationary point.
    """
    _, gradient = OBJECTIVES[objective]
    grad_A, grad_B = gradient(G, A, B, lam)
    scale = np.linalg.norm(G) * (1.0 + np.linalg.norm(A) * np.linalg.norm(B))
    return float(np.hypot(np.linalg.norm(grad_A), np.linalg.norm(grad_B)) / scale)


def claim_optimality(
    number: str, G: np.ndarray, fit: Fit, data: str, rng: np.random.Generator, trials: int, iterations: int
) -> list[ClaimRow]:
    """Claims 1 and 2: the closed form (Eq. 5 / Eq. 6) attains the optimum of Eq. 1 / Eq. 2.

    Three measurements: (a) no pair of symmetric random perturbations ``(A, B) +- eps (E_A, E_B)``
    (relative size 1e-4 and 1e-2) lowers the objective (a point that is not stationary loses to
    one of ``+E``, ``-E``); (b) L-BFGS started from the closed form, slightly perturbed, does not
    get below it (a wrong closed form is not a minimum, so the optimiser descends below it; runs
    from random starts are Table 2's); (c) the gradient vanishes.

    Parameters
    ----------
    number : str
        The claim's number, ``"1"`` (Eq. 1) or ``"2"`` (Eq. 2): the rows' id prefix.
    G : ndarray, shape (p, p)
        The Gram matrix ``X^T X``.
    fit : Fit
        The closed form under test, with ``A``, ``B`` of shape (p, k).
    data : str
        The rows' ``data`` column.
    rng : numpy.random.Generator
        Draws the perturbations and the optimiser's start.
    trials : int
        Random perturbation directions (each at two sizes and both signs).
    iterations : int
        L-BFGS iterations of (b).

    Returns
    -------
    list of ClaimRow
        Rows ``<number>a``, ``<number>b``, ``<number>c``.
    """
    value, _ = OBJECTIVES[fit.objective]
    A, B, lam = fit.A, fit.B, fit.lam
    best = value(G, A, B, lam)
    where = {"eq1": "Sec. 2.1, Eq. 1 and Eq. 5", "eq2": "Sec. 2.1, Eq. 2 and Eq. 6"}[fit.objective]
    size = np.hypot(np.linalg.norm(A), np.linalg.norm(B))
    gains = []
    for trial in range(trials):
        E_A, E_B = rng.standard_normal(A.shape), rng.standard_normal(B.shape)
        norm = np.hypot(np.linalg.norm(E_A), np.linalg.norm(E_B))
        for relative in (1e-4, 1e-2):
            step = relative * size / norm
            for sign in (1.0, -1.0):
                gains.append((value(G, A + sign * step * E_A, B + sign * step * E_B, lam) - best) / abs(best))
    start = A + 1e-3 * size / np.sqrt(A.size) * rng.standard_normal(A.shape)
    improvement = (best - minimise_from(G, fit.objective, lam, start, B, iterations).value) / abs(best)
    name = fit.objective.replace("eq", "Eq. ")
    return [
        row(f"{number}a_{fit.objective}_not_beaten_by_perturbations", where,
            f"{name}'s closed form is not beaten by perturbed solutions", data,
            f"min over {len(gains)} perturbations of (f(perturbed) - f(closed)) / f(closed)",
            min(gains), ">=", -OBJECTIVE_SLACK),
        row(f"{number}b_{fit.objective}_not_beaten_by_optimiser", where,
            f"{name}'s closed form is not beaten by an iterative optimiser (L-BFGS)", data,
            f"(f(closed) - f(L-BFGS)) / f(closed), {iterations} L-BFGS iterations from the closed form "
            "perturbed by 1e-3 (random starts: Table 2)", improvement, "<=", OBJECTIVE_SLACK),
        row(f"{number}c_{fit.objective}_gradient_vanishes", where,
            f"the gradient of {name} vanishes at its closed form", data,
            "||grad|| / (||G||_F (1 + ||A||_F ||B||_F))", relative_gradient(G, fit.objective, A, B, lam),
            "<=", GRADIENT),
    ]
