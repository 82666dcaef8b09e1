"""The two training objectives of the paper and their gradients.

Both are evaluated through the Gram matrix ``G = X^T X``, so that a p x p (or p x k)
computation replaces every n x p one:
``||X - X A B^T||_F^2 = tr(G) - 2 tr(B^T G A) + tr(A^T G A B^T B)``.
"""

from __future__ import annotations

import numpy as np


def reconstruction_error(G: np.ndarray, A: np.ndarray, B: np.ndarray) -> float:
    """``||X - X A B^T||_F^2`` from ``G = X^T X`` (the data term of Eq. 1 and Eq. 2)."""
    GA = G @ A
    return float(np.trace(G) - 2.0 * np.sum(GA * B) + np.sum((A.T @ GA) * (B.T @ B)))


def eq1_objective(G: np.ndarray, A: np.ndarray, B: np.ndarray, lam: float) -> float:
    """Eq. 1: ``||X - X A B^T||_F^2 + lambda ||A B^T||_F^2``."""
    return reconstruction_error(G, A, B) + lam * float(np.sum((A.T @ A) * (B.T @ B)))


def eq2_objective(G: np.ndarray, A: np.ndarray, B: np.ndarray, lam: float) -> float:
    """Eq. 2: ``||X - X A B^T||_F^2 + lambda (||X A||_F^2 + ||B||_F^2)``."""
    return reconstruction_error(G, A, B) + lam * (float(np.sum(A * (G @ A))) + float(np.sum(B * B)))


def eq1_gradient(G: np.ndarray, A: np.ndarray, B: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of Eq. 1 with respect to (A, B)."""
    GA, BtB, AtA = G @ A, B.T @ B, A.T @ A
    grad_A = 2.0 * (-(G @ B) + GA @ BtB + lam * A @ BtB)
    grad_B = 2.0 * (-GA + B @ (A.T @ GA) + lam * B @ AtA)
    return grad_A, grad_B


def eq2_gradient(G: np.ndarray, A: np.ndarray, B: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of Eq. 2 with respect to (A, B)."""
    GA, BtB = G @ A, B.T @ B
    grad_A = 2.0 * (-(G @ B) + GA @ BtB + lam * GA)
    grad_B = 2.0 * (-GA + B @ (A.T @ GA) + lam * B)
    return grad_A, grad_B


OBJECTIVES = {"eq1": (eq1_objective, eq1_gradient), "eq2": (eq2_objective, eq2_gradient)}
