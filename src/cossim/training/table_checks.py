"""Every number of Table 2 tied to the data and the stored runs by rule ``check_training``.

Independently of :mod:`cossim.training.runs` (which made the table), the check recomputes from the
interactions the training items (the ``n_items`` most interacted-with), their Gram matrix
``G = X^T X``, its top-k spectrum (``numpy.linalg.eigh``) and the two closed forms (Eq. 5 with
``A = B = V_k dMat(g)^(1/2)``; Eq. 6 with ``B = V_k dMat((sigma - lambda)_+)^(1/2)``,
``A = B dMat(1/sigma)``), and compares them with the stored closed forms. From each stored trained
B it then recomputes ``d_spread``, ``d_off_diagonal``, ``outside_span`` and both cosine columns
(equalities), and bounds ``objective_gap`` and ``product_distance`` from both sides: the A that is
best for the stored B gives a lower bound of each, and the Eq. 1 or Eq. 2 objective, quadratic in A,
turns each into an upper bound of the other (the objective's excess over the best A equals a
weighted squared distance of the products ``A B^T``). ``iterations`` must be an integer in
``[1, max_iterations]`` and ``converged`` a boolean; the label columns are the expected runs.
"""

from __future__ import annotations

import numpy as np

from ..checking import CheckResult, at_most
from .setup import gram_singular_values, training_lambdas

# Relative agreement of quantities recomputed from the same stored arrays (rounding only).
RECOMPUTE_TOLERANCE = 1e-8


def _cosine(B: np.ndarray) -> np.ndarray:
    """Cosine of the rows of B (Eq. 4), NaN in the row and column of a zero row (no direction)."""
    norms = np.linalg.norm(B, axis=1)
    unit = np.divide(B, norms[:, None], out=np.zeros_like(B), where=norms[:, None] > 0)
    cosine = np.clip(unit @ unit.T, -1.0, 1.0)
    cosine[norms == 0] = np.nan
    cosine[:, norms == 0] = np.nan
    return cosine


def objective(name: str, G: np.ndarray, A: np.ndarray, B: np.ndarray, lam: float) -> float:
    """Eq. 1 or Eq. 2 from the Gram matrix: ``tr((I - M)^T G (I - M))`` plus its penalty, ``M = A B^T``.

    Returns
    -------
    float
    """
    M = A @ B.T
    R = np.eye(G.shape[0]) - M
    value = float(np.sum(R * (G @ R)))
    if name == "eq1":
        return value + lam * float(np.sum(M * M))
    return value + lam * (float(np.sum(A * (G @ A))) + float(np.sum(B * B)))


def closed_forms(G: np.ndarray, rank: int, lam1: float, lam2: float) -> dict:
    """The closed forms ``(A, B)`` of Eq. 1 (Eq. 5, D = I) and Eq. 2 (Eq. 6) from ``G``.

    Returns
    -------
    dict
        ``eq1``, ``eq2``: tuples of ndarrays, shapes (p, rank) each.
    """
    values, vectors = np.linalg.eigh(G)
    top = np.argsort(values)[::-1][:rank]
    V, sigma = vectors[:, top], np.sqrt(np.clip(values[top], 0.0, None))
    V[np.diag(G) == 0] = 0.0  # an item without interactions: exactly 0 in every kept eigenvector
    root_g = np.sqrt(sigma**2 / (sigma**2 + lam1))
    b2 = np.sqrt(np.maximum(sigma - lam2, 0.0))
    return {"eq1": (V * root_g, V * root_g), "eq2": (V * (b2 / np.where(sigma > 0, sigma, 1.0)), V * b2)}


def best_a(name: str, G: np.ndarray, B: np.ndarray, lam: float) -> tuple[np.ndarray, float, float]:
    """The A minimising the objective for this B, and the bounds of the objective's curvature in ``A B^T``.

    The excess ``f(A, B) - f(A*, B)`` lies between ``low`` and ``high`` times ``||(A - A*) B^T||_F^2``.

    Returns
    -------
    A : ndarray, shape (p, k)
    low, high : float
    """
    Q = B.T @ B
    if name == "eq1":  # excess = ||(G + lam I)^(1/2) (A - A*) B^T||^2
        H = G + lam * np.eye(G.shape[0])
        eig = np.linalg.eigvalsh(H)
        return np.linalg.solve(H, G @ B) @ np.linalg.inv(Q), float(eig[0]), float(eig[-1])
    # eq2: excess = tr(G (A - A*) (Q + lam I) (A - A*)^T), between lmin(G) and lmax(G) (1 + lam/lmin(Q)) times it
    eig, q = np.linalg.eigvalsh(G), np.linalg.eigvalsh(Q)
    return B @ np.linalg.inv(Q + lam * np.eye(Q.shape[0])), max(float(eig[0]), 0.0), float(eig[-1] * (1 + lam / q[0]))


def _relative(a: float, b: float) -> float:
    gap = abs(float(a) - float(b)) / (1.0 + abs(float(b)))
    return gap if gap == gap else float("inf")


def check_table2(rows: list[dict], runs: dict, X, settings: dict) -> list[CheckResult]:
    """Every cell of Table 2 against the data and the stored runs.

    Parameters
    ----------
    rows : list of dict
        The rows of ``table2_training.csv`` (cells as strings).
    runs : dict of ndarrays
        ``runs.npz``: ``items`` (p,), ``<objective>_B`` (n_runs, p, k), ``<objective>_closed_B`` (p, k).
    X : sparse matrix, shape (n, n_all_items)
        The interactions.
    settings : dict
        Config section ``training``.

    Returns
    -------
    list of CheckResult
    """
    counts = np.asarray(X.sum(axis=0)).ravel()
    n_items, rank = int(settings["n_items"]), int(settings["rank"])
    expected_items = np.sort(np.argsort(-counts, kind="stable")[:n_items])
    items = np.asarray(runs["items"])
    tied_ok = np.array_equal(np.sort(items), expected_items) or (
        items.size == n_items and np.min(counts[items]) >= np.sort(counts)[::-1][n_items - 1])
    results = [at_most("table2_items", f"the training items are the {n_items} most interacted-with", 0 if tied_ok else 1, 0)]
    Xs = X[:, items]
    G = np.asarray((Xs.T @ Xs).todense() if hasattr(Xs, "todense") else Xs.T @ Xs, dtype=float)
    lams = training_lambdas(gram_singular_values(G), settings)  # configured, or the rule's recomputed here
    forms = closed_forms(G, rank, lams["eq1"], lams["eq2"])
    expected_labels = [(obj, float(scale), run) for obj in ("eq1", "eq2") for scale in settings["init_scales"]
                       for run in range(int(settings["runs_per_scale"]))]
    try:
        labels = [(row["objective"], float(row["init_scale"]), int(row["run"])) for row in rows]
    except (KeyError, ValueError):
        labels = None
    results.append(at_most("table2_labels", "objective, init_scale and run are exactly the configured runs",
                           0 if labels == expected_labels else 1, 0))
    gaps = {name: [] for name in ("d_spread", "d_off_diagonal", "outside_span", "cosine_max_abs_diff",
                                  "cosine_mean_abs_diff", "objective_gap", "product_distance", "iterations",
                                  "converged")}
    closed_gap = 0.0
    for obj in ("eq1", "eq2"):
        A_c, B_c = forms[obj]
        stored_c = runs[f"{obj}_closed_B"]
        closed_gap = max(closed_gap, float(np.max(np.abs(stored_c @ stored_c.T - B_c @ B_c.T)))
                         / max(float(np.max(np.abs(B_c @ B_c.T))), 1e-300))
        best, P = objective(obj, G, A_c, B_c, lams[obj]), A_c @ B_c.T
        b = np.linalg.norm(B_c, axis=0)
        kept = b > 0
        V = B_c[:, kept] / b[kept]
        mine = [row for row in rows if row.get("objective") == obj]
        trained = runs[f"{obj}_B"]
        if len(mine) != trained.shape[0]:
            gaps["objective_gap"].append(float("inf"))
            continue
        for row, B in zip(mine, trained):
            coords = (V.T @ B) / b[kept][:, None]
            W = coords @ coords.T
            eig = np.clip(np.linalg.eigvalsh(W), np.finfo(float).tiny, None)
            difference = np.abs(_cosine(B) - _cosine(B_c))
            difference = difference[~np.isnan(difference)]  # defined cosines only
            recomputed = {"d_spread": np.sqrt(eig[-1] / eig[0]),
                          "d_off_diagonal": np.linalg.norm(W - np.diag(np.diag(W))) / np.linalg.norm(W),
                          "outside_span": np.linalg.norm(B - V @ (V.T @ B)) / np.linalg.norm(B),
                          "cosine_max_abs_diff": difference.max(initial=0.0),
                          "cosine_mean_abs_diff": difference.mean() if difference.size else np.nan}
            for name, value in recomputed.items():
                try:
                    gaps[name].append(_relative(row[name], value))
                except (KeyError, ValueError):
                    gaps[name].append(float("inf"))
            A_star, low, high = best_a(obj, G, B, lams[obj])
            norm_P = np.linalg.norm(P)
            star_distance = np.linalg.norm(A_star @ B.T - P) / norm_P
            gap_low = (objective(obj, G, A_star, B, lams[obj]) - best) / best
            try:
                gap, distance = float(row["objective_gap"]), float(row["product_distance"])
            except (KeyError, ValueError):
                gap, distance = float("nan"), float("nan")
            Pi = B @ np.linalg.solve(B.T @ B, B.T)
            distance_low = np.linalg.norm(P - P @ Pi) / norm_P
            slack = 1e-9 * max(1.0, abs(gap_low))
            gap_high = gap_low + high * ((distance + star_distance) * norm_P) ** 2 / best
            distance_high = star_distance + (np.sqrt(max(gap - gap_low, 0.0) * best / low) / norm_P if low > 0
                                             else float("inf"))
            gaps["objective_gap"].append(max(gap_low - slack - gap, gap - gap_high - slack, 0.0) if gap == gap
                                         else float("inf"))
            gaps["product_distance"].append(max(distance_low * (1 - 1e-9) - distance,
                                                distance - distance_high * (1 + 1e-9) - 1e-12, 0.0)
                                            if distance == distance else float("inf"))
            try:
                iterations = float(row["iterations"])
                bad = not (iterations == int(iterations) and 1 <= iterations <= int(settings["max_iterations"]))
            except (KeyError, ValueError):
                bad = True
            gaps["iterations"].append(float(bad))
            gaps["converged"].append(0.0 if str(row.get("converged")).lower() in ("true", "false") else 1.0)
    results.append(at_most("table2_closed_forms_recomputed", "the stored closed forms' B B^T equal those of Eq. 5 "
                           "and Eq. 6 recomputed from the training items' Gram matrix (relative)", closed_gap,
                           RECOMPUTE_TOLERANCE))
    statements = {
        "objective_gap": "lies between the gap of the best A for the run's B and that plus the curvature bound "
                         "times the run's product distance (excess over the bounds)",
        "product_distance": "lies between the distance left outside the span of the run's B and the bound "
                            "implied by the run's objective gap (excess over the bounds)",
        "iterations": "is an integer in [1, training.max_iterations] (rows outside)",
        "converged": "is true or false (rows otherwise)",
    }
    for name, values in gaps.items():
        measured = max(values, default=float("inf"))
        bound = 0.0 if name in statements else RECOMPUTE_TOLERANCE
        statement = statements.get(name, "equals its recomputation from the stored trained B and the closed form "
                                         "(relative)")
        results.append(at_most(f"table2_{name}", f"Table 2: every {name} {statement}", measured, bound))
    return results


def training_check_results(rows: list[dict], runs: dict, X, settings: dict):
    """Every check of rule ``check_training``: the identities of Table 2 and :func:`check_table2`.

    When the label columns are not the configured runs, only :func:`check_table2` is run (the
    identities pair rows with runs by their labels).

    Returns
    -------
    results, enforced : lists of CheckResult
    pairs : dict
        :func:`cossim.training.runs.optimal_pairs` (empty when the labels are wrong).
    """
    from .checks import training_checks
    from .runs import optimal_pairs

    recomputed = check_table2(rows, runs, X, settings)
    if not next(r for r in recomputed if r.name == "table2_labels").passed:
        return recomputed, recomputed, {}
    pairs = optimal_pairs(rows, runs)
    results, enforced = training_checks(rows, pairs)
    return results + recomputed, enforced + recomputed, pairs
