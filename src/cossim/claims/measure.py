"""Table 1: every analytic claim of the paper, measured on data and checked.

Each ``claim_*`` function measures one statement of Sections 2-3 on a data set and returns
:class:`ClaimRow` objects: what was measured, the tolerance it must meet, and the verdict.
The fits are taken from the solver passed in (by default :data:`cossim.solve.SOLVERS`), so a
broken formula in Eq. 5 or Eq. 6 shows up as failed rows (see tests/test_claims.py); the cases
of Section 2.2 are built by applying Eq. 3's re-scaling to the solver's Eq. 1 fit, never by
writing their result down.

Claims at full rank (k = p: Case A, Case B) need X to have full column rank; the caller says
which data that is and :func:`full_column_rank` verifies it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ..checking import CheckResult
from ..model.objectives import OBJECTIVES, minimise_from
from ..model.rescale import rescale
from ..model.similarity import (
    cosine_similarity,
    item_item_cosine,
    user_embeddings,
    user_item_cosine,
    user_user_cosine,
)
from ..model.solve import SOLVERS, Fit, Spectrum, eq1_shrinkage

# Tolerances (relative unless stated). Rounding in float64 is ~1e-16; the bounds leave room for
# the accumulated rounding of p x p products, and a wrong formula misses them by many orders.
ROUNDING = 1e-10
"""Largest difference allowed between two quantities the paper says are equal."""
GRADIENT = 1e-8
"""Largest gradient norm at a claimed optimum, relative to ``||G||_F (1 + ||A||_F ||B||_F)``."""
OBJECTIVE_SLACK = 1e-12
"""Largest relative improvement over a claimed optimum that is still counted as rounding."""
MATERIAL_CHANGE = 1e-3
"""Smallest change that counts as "changes" (far above rounding, far below the changes seen)."""


@dataclass(frozen=True)
class ClaimRow:
    """One row of Table 1.

    Attributes
    ----------
    id : str
        Short name, e.g. ``"3b_eq1_cosine_changes_under_D"``.
    where : str
        Where the paper states it (section / equation).
    claim : str
        The claim in one line.
    data : str
        The data and rank it was measured on.
    measured : float
        The measured quantity (defined in ``quantity``).
    comparison : {"<=", ">="}
    tolerance : float
        The bound ``measured`` must meet.
    passed : bool
    quantity : str
        What ``measured`` is.
    """

    id: str
    where: str
    claim: str
    data: str
    quantity: str
    measured: float
    comparison: str
    tolerance: float
    passed: bool

    def as_dict(self) -> dict:
        """CSV-ready form (``pass`` as the column name of the verdict)."""
        row = asdict(self)
        row["pass"] = row.pop("passed")
        return row

    def as_check(self) -> CheckResult:
        """The row as a :class:`cossim.checks.CheckResult` (for ``raise_on_failure``)."""
        return CheckResult(self.id, self.claim, self.measured, self.tolerance, self.passed)


def row(id, where, claim, data, quantity, measured, comparison, tolerance) -> ClaimRow:
    """Build a row; ``comparison`` is ``"<="`` or ``">="`` and NaN always fails."""
    measured, tolerance = float(measured), float(tolerance)
    passed = measured <= tolerance if comparison == "<=" else measured >= tolerance
    return ClaimRow(id, where, claim, data, quantity, measured, comparison, tolerance, bool(passed))


def full_column_rank(spectrum: Spectrum) -> tuple[bool, float]:
    """Whether X has full column rank, from all p singular values of X.

    Rank is full when ``sigma_p / sigma_1`` exceeds ``sqrt(p eps)``, the relative accuracy with
    which the Gram route (``eigh(X^T X)``) resolves a singular value. Returns the verdict and
    ``sigma_p / sigma_1``.
    """
    sigma = spectrum.sigma
    ratio = float(sigma[-1] / sigma[0]) if sigma[0] > 0 else 0.0
    return ratio > np.sqrt(sigma.size * np.finfo(float).eps), ratio


def relative_gradient(G: np.ndarray, objective: str, A: np.ndarray, B: np.ndarray, lam: float) -> float:
    """``||grad|| / (||G||_F (1 + ||A||_F ||B||_F))``, as in :func:`cossim.checks.check_stationarity`."""
    _, gradient = OBJECTIVES[objective]
    grad_A, grad_B = gradient(G, A, B, lam)
    scale = np.linalg.norm(G) * (1.0 + np.linalg.norm(A) * np.linalg.norm(B))
    return float(np.hypot(np.linalg.norm(grad_A), np.linalg.norm(grad_B)) / scale)


def claim_optimality(
    number: str, G: np.ndarray, fit: Fit, data: str, rng: np.random.Generator, trials: int, iterations: int
) -> list[ClaimRow]:
    """Claims 1 and 2: the closed form (Eq. 5 / Eq. 6) attains the optimum of Eq. 1 / Eq. 2.

    Three measurements: (a) no pair of symmetric random perturbations ``(A, B) +- eps (E_A, E_B)``
    (relative size 1e-4 and 1e-2) lowers the objective; (b) L-BFGS started from the closed form,
    slightly perturbed, does not get below it (a wrong closed form is not a minimum, so the
    optimiser descends below it; runs from random starts are Table 2's); (c) the gradient vanishes.
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


def random_diagonal(rng: np.random.Generator, k: int, spread: float = 10.0) -> np.ndarray:
    """A random invertible diagonal D: ``d_i = spread^u_i``, ``u_i ~ Unif(-1, 1)``."""
    return spread ** rng.uniform(-1.0, 1.0, size=k)


def claim_eq1_d_invariance(G: np.ndarray, fit: Fit, data: str, rng: np.random.Generator, trials: int) -> list[ClaimRow]:
    """Claim 3 (Eq. 3, Eq. 4): ``A(D) B(D)^T`` and Eq. 1 are unchanged by a random diagonal D,
    while the item-item cosine matrix changes."""
    value, _ = OBJECTIVES["eq1"]
    product = fit.A @ fit.B.T
    best = value(G, fit.A, fit.B, fit.lam)
    reference = item_item_cosine(fit.B)
    product_errors, objective_errors, max_changes, mean_changes = [], [], [], []
    for _ in range(trials):
        A_D, B_D = rescale(fit.A, fit.B, random_diagonal(rng, fit.a.size))
        product_errors.append(np.max(np.abs(A_D @ B_D.T - product)) / np.max(np.abs(product)))
        objective_errors.append(abs(value(G, A_D, B_D, fit.lam) - best) / abs(best))
        change = np.abs(item_item_cosine(B_D) - reference)
        max_changes.append(change.max())
        mean_changes.append(change.mean())
    where = "Sec. 2.1-2.3, Eq. 3 and Eq. 4"
    return [
        row("3a_eq1_product_invariant_under_D", where, "Eq. 1: A(D) B(D)^T is unchanged by a random diagonal D", data,
            f"max over {trials} D (d_i in [0.1, 10]) of max|A(D)B(D)^T - AB^T| / max|AB^T|",
            max(product_errors), "<=", ROUNDING),
        row("3b_eq1_objective_invariant_under_D", where, "Eq. 1's objective is unchanged by a random diagonal D", data,
            f"max over {trials} D of |f(A D, B D^-1) - f(A, B)| / f(A, B)", max(objective_errors), "<=", ROUNDING),
        row("3c_eq1_item_cosine_changes_under_D", where,
            "Eq. 1: the same D changes the item-item cosine matrix (mean over D of mean |change| "
            f"= {np.mean(mean_changes):.3f}, of max |change| = {np.mean(max_changes):.3f})", data,
            f"min over {trials} D of max |cos_D - cos_I| over item pairs", min(max_changes), ">=", MATERIAL_CHANGE),
    ]


def case_a_factors(fit: Fit) -> tuple[np.ndarray, np.ndarray]:
    """Case A (Sec. 2.2): Eq. 3 with ``D = dMat(g)^{1/2}`` applied to the Eq. 1 fit."""
    return rescale(fit.A, fit.B, np.sqrt(eq1_shrinkage(fit.spectrum.sigma, fit.lam)))


def case_b_factors(fit: Fit) -> tuple[np.ndarray, np.ndarray]:
    """Case B (Sec. 2.2): Eq. 3 with ``D = dMat(g)^{-1/2}`` applied to the Eq. 1 fit."""
    return rescale(fit.A, fit.B, 1.0 / np.sqrt(eq1_shrinkage(fit.spectrum.sigma, fit.lam)))


def claim_case_a_identity(fit: Fit, data: str) -> list[ClaimRow]:
    """Claim 4: in Case A at full rank (k = p) the item-item cosine is the identity."""
    _, B = case_a_factors(fit)
    cosine = item_item_cosine(B)
    return [row("4_case_a_item_cosine_is_identity", "Sec. 2.2, Case A (k = p)",
                "Case A: item-item cosine equals the identity", data, "max |cos - I| over all item pairs",
                np.max(np.abs(cosine - np.eye(cosine.shape[0]))), "<=", ROUNDING)]


def ranking_violation(scores: np.ndarray, reference: np.ndarray) -> float:
    """Largest rise of ``scores`` along each row's ranking by ``reference`` (descending).

    Zero when every row of ``scores`` ranks the items exactly as ``reference`` does (ties in
    ``reference`` aside); relative to each row's largest ``|scores|``.
    """
    order = np.argsort(-reference, axis=1, kind="stable")
    sorted_scores = np.take_along_axis(scores, order, axis=1)
    rises = np.diff(sorted_scores, axis=1).max(axis=1)
    scale = np.abs(scores).max(axis=1)
    return float(max(0.0, np.max(np.where(scale > 0, rises / np.where(scale > 0, scale, 1.0), 0.0))))


def claim_case_a_ranking(X, fit: Fit, users: np.ndarray, data: str) -> list[ClaimRow]:
    """Claim 5: in Case A the user-item cosine ranks each user's items as the dot product
    ``x_u A B^T`` does."""
    A, B = case_a_factors(fit)
    cosine = user_item_cosine(X, A, B, users)
    dot = user_embeddings(X, fit.A, users) @ fit.B.T
    return [row("5_case_a_user_item_ranking", "Sec. 2.2, Case A (k = p)",
                "Case A: user-item cosine ranks items for each user exactly as the dot product", data,
                f"largest rise of cosine along the dot-product ranking, {users.size} users, relative",
                ranking_violation(cosine, dot), "<=", ROUNDING)]


def claim_case_b_user_cosine(X, fit: Fit, users: np.ndarray, data: str) -> list[ClaimRow]:
    """Claim 6: in Case B the user-user cosine is ``Omega_A X X^T Omega_A`` (the raw data)."""
    A, _ = case_b_factors(fit)
    X_users = X[users]
    raw = cosine_similarity(X_users.toarray() if hasattr(X_users, "toarray") else X_users)
    return [row("6_case_b_user_cosine_is_raw_data", "Sec. 2.2, Case B (k = p)",
                "Case B: user-user cosine equals Omega_A X X^T Omega_A", data,
                f"max |cos - raw cosine| over {users.size} x {users.size} user pairs",
                np.max(np.abs(user_user_cosine(X, A, users) - raw)), "<=", ROUNDING)]


def random_rotation(rng: np.random.Generator, k: int) -> np.ndarray:
    """A random k x k orthogonal matrix (QR of a Gaussian matrix, signs fixed)."""
    Q, R = np.linalg.qr(rng.standard_normal((k, k)))
    return Q * np.sign(np.diag(R))


def claim_eq2_rotation_and_uniqueness(
    X, G: np.ndarray, fit: Fit, users: np.ndarray, data: str, rng: np.random.Generator, trials: int
) -> list[ClaimRow]:
    """Claim 7: Eq. 2's cosines are invariant under a rotation R, and any D other than +-1 on
    the dimensions Eq. 2 keeps strictly increases Eq. 2's objective (so D is unique)."""
    value, _ = OBJECTIVES["eq2"]
    best = value(G, fit.A, fit.B, fit.lam)
    reference = (item_item_cosine(fit.B), user_user_cosine(X, fit.A, users), user_item_cosine(X, fit.A, fit.B, users))
    cosine_changes, objective_changes = [], []
    for _ in range(trials):
        R = random_rotation(rng, fit.b.size)
        A_R, B_R = fit.A @ R, fit.B @ R
        rotated = (item_item_cosine(B_R), user_user_cosine(X, A_R, users), user_item_cosine(X, A_R, B_R, users))
        cosine_changes.append(max(np.max(np.abs(r - c)) for r, c in zip(rotated, reference)))
        objective_changes.append(abs(value(G, A_R, B_R, fit.lam) - best) / abs(best))
    kept = np.flatnonzero(fit.b > 0)
    increases = []
    for trial in range(trials):
        d = np.ones(fit.b.size)
        if trial % 2 == 0:  # all kept dimensions re-scaled at random
            d[kept] = random_diagonal(rng, kept.size, spread=2.0)
        else:  # a single kept dimension off by 1 %
            d[rng.choice(kept)] = rng.choice([1.01, 1 / 1.01])
        d *= rng.choice([-1.0, 1.0], size=d.size)
        A_D, B_D = rescale(fit.A, fit.B, d)
        increases.append((value(G, A_D, B_D, fit.lam) - best) / abs(best))
    where = "Sec. 2.1 (Eq. 2, Eq. 6) and Sec. 2.3"
    return [
        row("7a_eq2_cosines_rotation_invariant", where,
            "Eq. 2: item-item, user-user and user-item cosines are invariant under a random rotation R", data,
            f"max over {trials} R of max |cos_R - cos| (all three matrices, {users.size} users)",
            max(cosine_changes), "<=", ROUNDING),
        row("7b_eq2_objective_rotation_invariant", where, "Eq. 2's objective is invariant under a rotation R", data,
            f"max over {trials} R of |f(AR, BR) - f(A, B)| / f(A, B)", max(objective_changes), "<=", ROUNDING),
        row("7c_eq2_unique_D", where,
            f"any D other than +-1 on the {kept.size} kept dimensions strictly increases Eq. 2", data,
            f"min over {trials} D (random signs; all kept d_i in [0.5, 2], or one off by 1%) of "
            "(f(AD, BD^-1) - f) / f", min(increases), ">=", OBJECTIVE_SLACK),
    ]


def claim_eq2_zeroes_small_sigma(G: np.ndarray, fit: Fit, data: str) -> list[ClaimRow]:
    """Claim 8: Eq. 2 zeroes every latent dimension with ``sigma_i <= lambda``, and switching any
    of them back on (``b_i = t``, ``a_i = t / sigma_i``, the direction that helps the data term
    most) increases Eq. 2."""
    value, _ = OBJECTIVES["eq2"]
    sigma = fit.spectrum.sigma
    small = np.flatnonzero(sigma <= fit.lam)
    where = "Sec. 2.1, Eq. 6"
    if small.size == 0:
        note = f"no sigma_i <= lambda = {fit.lam:g} at this rank: claim not testable here"
        return [row("8a_eq2_zeroes_small_sigma", where, note, data, "dimensions with sigma_i <= lambda", 0, ">=", 1)]
    largest = max(np.max(np.abs(fit.A[:, small])), np.max(np.abs(fit.B[:, small])))
    best = value(G, fit.A, fit.B, fit.lam)
    # the dimension with sigma_i closest to lambda (the hardest case), the median and the smallest
    probed = np.unique(small[[np.argmax(sigma[small]), small.size // 2, np.argmin(sigma[small])]])
    increases = []
    for i in probed:
        for t in (0.1, 1.0, 10.0):
            a, b = fit.a.copy(), fit.b.copy()
            a[i], b[i] = t / sigma[i], t
            V = fit.spectrum.V
            increases.append((value(G, V * a, V * b, fit.lam) - best) / abs(best))
    return [
        row("8a_eq2_zeroes_small_sigma", where,
            f"Eq. 2 zeroes every dimension with sigma_i <= lambda ({small.size} of {sigma.size})", data,
            "max |entry| of A and B on the dimensions with sigma_i <= lambda", largest, "<=", 0.0),
        row("8b_eq2_small_sigma_stay_off", where,
            "switching any such dimension back on increases Eq. 2 (the zeros are optimal)", data,
            f"min over {probed.size} such dimensions (sigma_i nearest lambda, median, smallest) x 3 sizes"
            " of (f(switched on) - f) / f", min(increases), ">=", OBJECTIVE_SLACK),
    ]


@dataclass(frozen=True)
class ClaimData:
    """The data sets a claim is measured on.

    Attributes
    ----------
    X : sparse matrix, shape (n, p)
        Data for the claims at the configured rank k.
    X_full_rank : sparse matrix, shape (n, p')
        Data with full column rank, for the claims at k = p'.
    label, label_full_rank : str
        How the rows name these data sets.
    """

    X: object
    X_full_rank: object
    label: str
    label_full_rank: str


def measure_claims(
    data: ClaimData,
    rank: int,
    eq1_lambda: float,
    eq2_lambda: float,
    rng: np.random.Generator,
    trials: int,
    user_sample: int,
    optimiser_iterations: int,
    solvers: dict = SOLVERS,
) -> list[ClaimRow]:
    """Measure every claim of Table 1 (see the module docstring).

    Parameters
    ----------
    data : ClaimData
    rank : int
        k for claims 1-3, 7, 8.
    eq1_lambda, eq2_lambda : float
    rng : numpy.random.Generator
        Drives D, R, perturbations, starts and the user sample.
    trials : int
        Random D, R and perturbations per claim.
    user_sample : int
        Users in the user-user and user-item comparisons.
    optimiser_iterations : int
        L-BFGS iterations per run of claims 1b and 2b.
    solvers : dict
        ``{"eq1": ..., "eq2": ...}`` as :data:`cossim.solve.SOLVERS`; tests pass a broken one.

    Raises
    ------
    ValueError
        If ``data.X_full_rank`` does not have full column rank.
    """
    from ..model.solve import gram_matrix, right_singular_spectrum

    G = gram_matrix(data.X)
    all_directions = right_singular_spectrum(data.X)
    spectrum = all_directions.truncate(rank)
    eq1, eq2 = solvers["eq1"](spectrum, eq1_lambda), solvers["eq2"](spectrum, eq2_lambda)
    label = f"{data.label}, k = {rank}"
    rows = claim_optimality("1", G, eq1, label, rng, trials, optimiser_iterations)
    rows += claim_optimality("2", G, eq2, label, rng, trials, optimiser_iterations)
    rows += claim_eq1_d_invariance(G, eq1, label, rng, trials)

    X_full = data.X_full_rank
    full_spectrum = all_directions if X_full is data.X else right_singular_spectrum(X_full)
    is_full, ratio = full_column_rank(full_spectrum)
    if not is_full:
        raise ValueError(
            f"{data.label_full_rank}: X has no full column rank (sigma_p / sigma_1 = {ratio:.3g}), which the "
            "claims at k = p need; set claims.full_rank_items to a number of most popular items that has it"
        )
    p = X_full.shape[1]
    full_label = f"{data.label_full_rank}, k = p = {p} (full column rank: sigma_p / sigma_1 = {ratio:.2g})"
    eq1_full = solvers["eq1"](full_spectrum, eq1_lambda)
    active = np.flatnonzero(np.asarray(X_full.sum(axis=1)).ravel() > 0)
    users = np.sort(rng.choice(active, size=min(user_sample, active.size), replace=False))
    rows += claim_case_a_identity(eq1_full, full_label)
    rows += claim_case_a_ranking(X_full, eq1_full, users, full_label)
    rows += claim_case_b_user_cosine(X_full, eq1_full, users, full_label)

    users_k = np.sort(rng.choice(data.X.shape[0], size=min(user_sample, data.X.shape[0]), replace=False))
    rows += claim_eq2_rotation_and_uniqueness(data.X, G, eq2, users_k, label, rng, trials)
    rows += claim_eq2_zeroes_small_sigma(G, eq2, label)
    return rows


PAPER_CLAIMS = ("1", "2", "3", "4", "5", "6", "7", "8")
"""The claims Table 1 must cover (the issue's list); row ids start with the claim's number."""


def table_checks(table: list[dict]) -> list[CheckResult]:
    """Re-judge every row of a saved Table 1 and verify that every claim has a row.

    The verdict is recomputed from ``measured``, ``comparison`` and ``tolerance`` (a row whose
    saved ``pass`` disagrees fails too), so the check does not trust the writer.
    """
    results = []
    for saved in table:
        measured, tolerance = float(saved["measured"]), float(saved["tolerance"])
        holds = measured <= tolerance if saved["comparison"] == "<=" else measured >= tolerance
        consistent = str(saved["pass"]).lower() == str(bool(holds)).lower()
        results.append(CheckResult(saved["id"], saved["claim"], measured, tolerance, bool(holds and consistent)))
    covered = {saved["id"].split("_")[0].rstrip("abcdefgh") for saved in table}
    missing = [number for number in PAPER_CLAIMS if number not in covered]
    results.append(CheckResult("all_claims_present", f"Table 1 has a row for claims {', '.join(PAPER_CLAIMS)}"
                               f" (missing: {', '.join(missing) or 'none'})", float(len(missing)), 0.0, not missing))
    return results
