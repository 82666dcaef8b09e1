"""``python -m cossim spectrum DATA``: the singular values of X and the lambdas the rule suggests.

DATA is an interaction file in any format the workflow reads (CSV, tab- or whitespace-separated,
Matrix Market; :func:`cossim.data.own_data.load_own_data`) or an interactions ``.npz``
(``results/data/<dataset>/interactions.npz``). The rule is :mod:`cossim.model.regularisation`.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

from ..model.regularisation import (
    REFERENCE_FACTOR,
    kept_dimensions,
    reference_singular_value,
    suggested_lambdas,
)
from ..model.solve import gram_matrix
from .parsing import MAX_ITEMS, OwnDataError

EXTRA_VALUES = 10
"""Singular values printed beyond the rank k."""


def load_matrix(path, file_format: str = "auto"):
    """X from an own-data file or an interactions ``.npz``.

    Parameters
    ----------
    path : str or Path
    file_format : str
        ``own_data.format`` (ignored for ``.npz``).

    Returns
    -------
    scipy.sparse.csr_matrix, shape (n, p)
    """
    path = Path(path)
    if path.suffix.lower() == ".npz":
        from ..io import load_interactions

        try:
            return load_interactions(path)
        except (OSError, ValueError, KeyError) as error:
            raise OwnDataError(f"{path}: not an interactions .npz (scipy.sparse.save_npz format): {error}") from None
    from .own_data import load_own_data

    return load_own_data(path, None, file_format).interactions


def all_singular_values(X) -> np.ndarray:
    """All p singular values of X, descending, from ``eigvalsh(X^T X)``.

    Parameters
    ----------
    X : scipy.sparse matrix, shape (n, p)

    Returns
    -------
    ndarray, shape (p,)
    """
    return np.sqrt(np.clip(np.linalg.eigvalsh(gram_matrix(X)), 0.0, None))[::-1]


def lambda_grid(sigma: np.ndarray, rank: int) -> list[float]:
    """Eq. 2 lambdas worth showing: 1-3-10 steps from below ``sigma_k`` to above ``sigma_1``.

    Parameters
    ----------
    sigma : ndarray, shape (p,)
        Descending.
    rank : int

    Returns
    -------
    list of float
    """
    low, high = max(sigma[rank - 1], sigma[0] * 1e-3), sigma[0]
    values = []
    for exponent in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1):
        for mantissa in (1.0, 3.0):
            value = mantissa * 10.0**exponent
            if low / 3 <= value <= high * 3:
                values.append(value)
    return values


def report(X, rank: int, name: str) -> str:
    """The text that ``cossim spectrum`` prints.

    Parameters
    ----------
    X : scipy.sparse matrix, shape (n, p)
    rank : int
        The model's rank k (capped at p).
    name : str
        The data's name for the header.

    Returns
    -------
    str
    """
    n, p = X.shape
    sigma = all_singular_values(X)
    k = min(rank, p)
    star = reference_singular_value(sigma)
    lambdas = suggested_lambdas(sigma, k)
    training = suggested_lambdas(sigma, k, keep_all=True)
    lines = [
        f"{name}: n = {n:,} users, p = {p:,} items, {X.nnz:,} stored interactions; rank k = {k}",
        f"mean sigma_i^2 = ||X||_F^2 / p = {np.mean(sigma**2):.6g}; "
        f"sigma_* = sqrt({REFERENCE_FACTOR:g} mean sigma_i^2) = {star:.6g}",
        "",
        "suggested lambdas (docs/own_data.md, 'Choosing lambda'):",
        f"  model.eq1_lambda: {lambdas.eq1_lambda:g}   (sigma_*^2: Eq. 1 halves the dimension with sigma_i = sigma_*)",
        f"  model.eq2_lambda: {lambdas.eq2_lambda:g}   (Eq. 2 keeps the {kept_dimensions(sigma[:k], lambdas.eq2_lambda)}"
        f" of k = {k} dimensions with sigma_i > lambda)",
        f"  keeping all k dimensions (Table 2's training): eq2_lambda {training.eq2_lambda:g}"
        f" (keeps {kept_dimensions(sigma[:k], training.eq2_lambda)} of {k})",
        "",
        f"full column rank (Table 1's claims at k = p): sigma_p / sigma_1 = {sigma[-1] / sigma[0]:.3g}"
        + ("" if n >= p else f" (n = {n} < p = {p}: not full rank; set claims.full_rank_items)"),
        "",
        f"singular values 1 to {min(k + EXTRA_VALUES, p)}:",
        "      i       sigma_i     sigma_i^2",
    ]
    for i in range(min(k + EXTRA_VALUES, p)):
        lines.append(f"  {i + 1:5d}  {sigma[i]:12.6g}  {sigma[i] ** 2:12.6g}" + ("   <- k" if i + 1 == k else ""))
    lines += ["", f"dimensions of k = {k} that Eq. 2 keeps (sigma_i > lambda, Eq. 6):", "      lambda   kept"]
    for value in sorted({*lambda_grid(sigma, k), lambdas.eq2_lambda, training.eq2_lambda}):
        marks = [label for label, lam in (("suggested", lambdas.eq2_lambda), ("keeps all", training.eq2_lambda))
                 if lam == value]
        lines.append(f"  {value:10g}  {kept_dimensions(sigma[:k], value):5d}" + (f"   <- {', '.join(marks)}" if marks else ""))
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``cossim spectrum``."""
    parser.add_argument("data", type=Path, help="interaction file (CSV, TSV, whitespace-separated or Matrix Market, "
                        "as own_data.interactions) or an interactions .npz")
    parser.add_argument("--rank", type=int, default=50, help="the model's rank k (default 50, the paper's)")
    parser.add_argument("--format", default="auto", dest="file_format",
                        help="own_data.format of the file (default auto)")


def run(args: argparse.Namespace) -> int:
    """Print the report; a file that cannot be read exits with status 2 and a message."""
    import sys

    if args.rank < 1:
        print(f"cossim spectrum: --rank {args.rank}: allowed: a positive integer", file=sys.stderr)
        return 2
    try:
        X = load_matrix(args.data, args.file_format)
    except OwnDataError as error:
        print(f"cossim spectrum: {error}", file=sys.stderr)
        return 2
    if X.shape[1] > MAX_ITEMS:
        print(f"cossim spectrum: {args.data}: {X.shape[1]:,} items; allowed: at most {MAX_ITEMS:,}", file=sys.stderr)
        return 2
    print(report(X, args.rank, str(args.data)))
    return 0
