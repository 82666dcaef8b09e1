"""The two training objectives of the paper and their gradients.

Both are evaluated through the Gram matrix ``G = X^T X``, so that a p x p (or p x k)
computation replaces every n x p one:
``||X - X A B^T||_F^2 = tr(G) - 2 tr(B^T G A) + tr(A^T G A B^T B)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def reconstruction_error(G: np.ndarray, A: np.ndarray, B: np.ndarray) -> float:
    """``||X - X A B^T||_F^2`` from ``G = X^T X`` (the data term of Eq. 1 and Eq. 2).

    Parameters
    ----------
    G : ndarray, shape (p, p)
        Gram matrix ``X^T X``.
    A, B : ndarray, shape (p, k)

    Returns
    -------
    float
    """
    GA = G @ A
    return float(np.trace(G) - 2.0 * np.sum(GA * B) + np.sum((A.T @ GA) * (B.T @ B)))


def eq1_objective(G: np.ndarray, A: np.ndarray, B: np.ndarray, lam: float) -> float:
    """Eq. 1: ``||X - X A B^T||_F^2 + lambda ||A B^T||_F^2``.

    Parameters
    ----------
    G : ndarray, shape (p, p)
        Gram matrix ``X^T X``.
    A, B : ndarray, shape (p, k)
    lam : float
        lambda of Eq. 1.

    Returns
    -------
    float
    """
    return reconstruction_error(G, A, B) + lam * float(np.sum((A.T @ A) * (B.T @ B)))


def eq2_objective(G: np.ndarray, A: np.ndarray, B: np.ndarray, lam: float) -> float:
    """Eq. 2: ``||X - X A B^T||_F^2 + lambda (||X A||_F^2 + ||B||_F^2)``.

    Parameters
    ----------
    G : ndarray, shape (p, p)
        Gram matrix ``X^T X``.
    A, B : ndarray, shape (p, k)
    lam : float
        lambda of Eq. 2.

    Returns
    -------
    float
    """
    return reconstruction_error(G, A, B) + lam * (float(np.sum(A * (G @ A))) + float(np.sum(B * B)))


def eq1_gradient(G: np.ndarray, A: np.ndarray, B: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of Eq. 1 with respect to (A, B).

    Parameters
    ----------
    G : ndarray, shape (p, p)
        Gram matrix ``X^T X``.
    A, B : ndarray, shape (p, k)
    lam : float
        lambda of Eq. 1.

    Returns
    -------
    grad_A, grad_B : ndarray, shape (p, k)
    """
    GA, BtB, AtA = G @ A, B.T @ B, A.T @ A
    grad_A = 2.0 * (-(G @ B) + GA @ BtB + lam * A @ BtB)
    grad_B = 2.0 * (-GA + B @ (A.T @ GA) + lam * B @ AtA)
    return grad_A, grad_B


def eq2_gradient(G: np.ndarray, A: np.ndarray, B: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of Eq. 2 with respect to (A, B).

    Parameters
    ----------
    G : ndarray, shape (p, p)
        Gram matrix ``X^T X``.
    A, B : ndarray, shape (p, k)
    lam : float
        lambda of Eq. 2.

    Returns
    -------
    grad_A, grad_B : ndarray, shape (p, k)
    """
    GA, BtB = G @ A, B.T @ B
    grad_A = 2.0 * (-(G @ B) + GA @ BtB + lam * GA)
    grad_B = 2.0 * (-GA + B @ (A.T @ GA) + lam * B)
    return grad_A, grad_B


OBJECTIVES = {"eq1": (eq1_objective, eq1_gradient), "eq2": (eq2_objective, eq2_gradient)}


@dataclass(frozen=True)
class TrainedModel:
    """The result of one optimisation run.

    Attributes
    ----------
    A, B : ndarray, shape (p, k)
        The trained factors.
    value : float
        The objective (Eq. 1 or Eq. 2) at (A, B).
    iterations : int
        L-BFGS iterations used.
    converged : bool
        Whether L-BFGS reported convergence (rather than hitting the iteration limit).
    """

    A: np.ndarray
    B: np.ndarray
    value: float
    iterations: int
    converged: bool


def value_and_gradient(G: np.ndarray, objective: str, A: np.ndarray, B: np.ndarray, lam: float):
    """Eq. 1 or Eq. 2 and its gradient in one pass: two p x p by p x k products instead of five.

    Equal to :data:`OBJECTIVES`' value and gradient (tests/test_training.py
    checks this); used inside the optimiser, where each evaluation counts.

    Parameters
    ----------
    G : ndarray, shape (p, p)
        Gram matrix ``X^T X``.
    objective : {"eq1", "eq2"}
    A, B : ndarray, shape (p, k)
    lam : float
        lambda of the objective.

    Returns
    -------
    value : float
    grad_A, grad_B : ndarray, shape (p, k)

    Raises
    ------
    ValueError
        If ``objective`` is neither ``"eq1"`` nor ``"eq2"``.
    """
    GA, GB = G @ A, G @ B
    AtGA, BtB = A.T @ GA, B.T @ B
    value = float(np.trace(G) - 2.0 * np.sum(GA * B) + np.sum(AtGA * BtB))
    grad_A = -GB + GA @ BtB
    grad_B = -GA + B @ AtGA
    if objective == "eq1":
        AtA = A.T @ A
        value += lam * float(np.sum(AtA * BtB))
        grad_A += lam * A @ BtB
        grad_B += lam * B @ AtA
    elif objective == "eq2":
        value += lam * (float(np.sum(A * GA)) + float(np.sum(B * B)))
        grad_A += lam * GA
        grad_B += lam * B
    else:
        raise ValueError(f"unknown objective {objective!r}: expected 'eq1' or 'eq2'")
    return value, 2.0 * grad_A, 2.0 * grad_B


def minimise_from(
    G: np.ndarray, objective: str, lam: float, A0: np.ndarray, B0: np.ndarray, max_iterations: int
) -> TrainedModel:
    """Minimise Eq. 1 or Eq. 2 over (A, B) with L-BFGS, starting from (A0, B0).

    The objective and gradient are divided by ``tr(G) = ||X||_F^2`` inside the optimiser (the
    minimiser is unchanged), so that the stopping tolerances mean the same on any data set.

    Parameters
    ----------
    G : ndarray, shape (p, p)
        Gram matrix ``X^T X``.
    objective : {"eq1", "eq2"}
    lam : float
        lambda of the objective.
    A0, B0 : ndarray, shape (p, k)
        Starting point.
    max_iterations : int
        Iteration limit of L-BFGS.

    Returns
    -------
    TrainedModel
        A and B of shape (p, k) and the unscaled objective value there.
    """
    value, _ = OBJECTIVES[objective]
    p, k = A0.shape
    scale = float(np.trace(G))

    def split(theta):
        return theta[: p * k].reshape(p, k), theta[p * k:].reshape(p, k)

    def fun(theta):
        f, grad_A, grad_B = value_and_gradient(G, objective, *split(theta), lam)
        return f / scale, np.concatenate((grad_A.ravel(), grad_B.ravel())) / scale

    from scipy.optimize import minimize  # here, not at import: scipy.optimize costs 0.5 s per job

    result = minimize(
        fun,
        np.concatenate((A0.ravel(), B0.ravel())),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": int(max_iterations), "maxcor": 20, "ftol": 1e-15, "gtol": 1e-12},
    )
    A, B = split(result.x)
    return TrainedModel(A, B, value(G, A, B, lam), int(result.nit), bool(result.success))


def random_start(rng: np.random.Generator, p: int, k: int, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """A random initialisation: entries of A and B i.i.d. ``N(0, scale^2 / p)``.

    Each column then has a norm of about ``scale``; the closed forms' columns have norm at
    most 1 for Eq. 5 (``sqrt(g_i)``), so ``scale = 1`` starts at the size of the solution.

    Parameters
    ----------
    rng : numpy.random.Generator
    p, k : int
        Number of items and rank.
    scale : float

    Returns
    -------
    A0, B0 : ndarray, shape (p, k)
    """
    std = scale / np.sqrt(p)
    return std * rng.standard_normal((p, k)), std * rng.standard_normal((p, k))
