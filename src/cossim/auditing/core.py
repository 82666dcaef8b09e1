"""``audit``: how much of the cosine similarity of given embeddings is fixed by their predictions.

A dot-product model predicts ``P B^T`` from user embeddings P (n x k, rows) and item embeddings
B (p x k, rows). For every invertible diagonal D, ``P D`` and ``B D^{-1}`` give exactly the same
predictions (Eq. 3), but other cosine similarities (Eq. 4). The audit draws random D, keeps the
predictions fixed, and measures how far the cosine neighbourhoods move. It measures what the
predictions leave free; whether a training objective pins D (as Eq. 2's does, and Eq. 1's does
not) is a property of the regulariser that no look at the embeddings can see.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..model.similarity import row_norms
from .kernel import block_count, compare, views
from .result import AuditResult, PredictionCheck
from .stats import Shift, summarise

PREDICTION_TOLERANCE = 1e-9
"""Largest allowed ``max |P D (B D^{-1})^T - P B^T| / max |P B^T|`` on the checked block."""

PREDICTION_USERS, PREDICTION_ITEMS = 256, 2048
"""Rows of P and of B on which the invariance of the predictions is checked in every draw."""


def as_embeddings(array, name: str) -> np.ndarray:
    """A read-only float64 view (or copy) of a 2-D array of finite embeddings, one row each.

    Parameters
    ----------
    array : array_like, shape (m, k)
    name : str
        Used in the error message.

    Returns
    -------
    ndarray, shape (m, k)

    Raises
    ------
    ValueError
        If the array is not 2-D with at least 2 rows and 1 column, or holds a non-finite value.
    """
    E = np.asarray(array, dtype=np.float64)
    if E.ndim != 2 or E.shape[0] < 2 or E.shape[1] < 1:
        raise ValueError(f"{name} must be a 2-D array with one row per embedding (at least 2 rows), "
                         f"got shape {E.shape}")
    if not np.all(np.isfinite(E)):
        raise ValueError(f"{name} holds {int(np.sum(~np.isfinite(E)))} non-finite values (NaN or inf)")
    E = E.view()
    E.flags.writeable = False
    return E


def random_diagonals(rng: np.random.Generator, draws: int, rank: int, log_sd: float) -> np.ndarray:
    """Random invertible diagonals ``d = exp(log_sd * z)``, ``z ~ N(0, I_k)``, one per row.

    Parameters
    ----------
    rng : numpy.random.Generator
    draws : int
    rank : int
        k, the length of each diagonal.
    log_sd : float
        Standard deviation of ``log d_i``.

    Returns
    -------
    ndarray, shape (draws, rank)
    """
    return np.exp(log_sd * rng.standard_normal((draws, rank)))


def sample_rows(rng: np.random.Generator, population: int, size: int) -> np.ndarray:
    """Sorted distinct row indices, all rows if ``size >= population``; shape (min(size, N),)."""
    if size >= population:
        return np.arange(population)
    return np.sort(rng.choice(population, size=size, replace=False))


def sample_pairs(rng: np.random.Generator, m_left: int, m_right: int, size: int,
                 distinct: bool) -> tuple[np.ndarray, np.ndarray, bool]:
    """Pairs (left row, right row): all of them if there are at most ``size``, else uniform draws.

    Parameters
    ----------
    rng : numpy.random.Generator
    m_left, m_right : int
    size : int
    distinct : bool
        Left and right are the same rows: only pairs i < j (exhaustive) or i != j (sampled).

    Returns
    -------
    i, j : ndarray of int, shape (m,)
    exhaustive : bool
    """
    total = m_left * (m_left - 1) // 2 if distinct else m_left * m_right
    if total <= size:
        if distinct:
            i, j = np.triu_indices(m_left, k=1)
        else:
            i, j = np.divmod(np.arange(total), m_right)
        return i, j, True
    i = rng.integers(0, m_left, size=size)
    offset = rng.integers(1, m_left, size=size) if distinct else None
    j = (i + offset) % m_left if distinct else rng.integers(0, m_right, size=size)
    return i, j, False


def prediction_check(P: np.ndarray | None, B: np.ndarray, d: np.ndarray, rng: np.random.Generator) -> PredictionCheck:
    """Check ``P D (B D^{-1})^T == P B^T`` in every draw on a block of users x items.

    Parameters
    ----------
    P : ndarray, shape (n, k), or None
        Without user embeddings a random Gaussian probe of users stands in (the identity holds
        for every P).
    B : ndarray, shape (p, k)
    d : ndarray, shape (draws, k)
    rng : numpy.random.Generator

    Returns
    -------
    PredictionCheck
    """
    items = sample_rows(rng, B.shape[0], PREDICTION_ITEMS)
    if P is None:
        users, source = rng.standard_normal((64, B.shape[1])), "random Gaussian probe users"
    else:
        users, source = P[sample_rows(rng, P.shape[0], PREDICTION_USERS)], "given user embeddings"
    base = users @ B[items].T
    scale = float(np.max(np.abs(base)))
    worst = max(float(np.max(np.abs((users * row) @ (B[items] / row).T - base))) for row in d)
    relative = worst / scale if scale > 0 else worst
    return PredictionCheck(source, int(users.shape[0]), int(items.size), relative, PREDICTION_TOLERANCE,
                           bool(relative <= PREDICTION_TOLERANCE))


def original_space_items(P: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Rows whose cosines are those of the columns of ``P B^T`` (Section 3, "leave the space").

    Column j of ``P B^T`` is ``P b_j``; inner products ``b_i (P^T P) b_j``. With
    ``P^T P = Q Lambda Q^T`` the rows of ``B Q Lambda^{1/2}`` have these inner products, and no D
    of Eq. 3 changes them (``D^{-1} D P^T P D D^{-1}``).

    Parameters
    ----------
    P : ndarray, shape (n, k)
    B : ndarray, shape (p, k)

    Returns
    -------
    ndarray, shape (p, k)
    """
    gram = np.zeros((P.shape[1], P.shape[1]))
    for start in range(0, P.shape[0], 65536):
        chunk = P[start:start + 65536]
        gram += chunk.T @ chunk
    values, vectors = np.linalg.eigh((gram + gram.T) / 2.0)
    return B @ (vectors * np.sqrt(np.clip(values, 0.0, None)))


def with_direction(E: np.ndarray) -> np.ndarray:
    """Which rows have a direction: Euclidean norm not 0 (a zero row's cosines are undefined, Eq. 4).

    Parameters
    ----------
    E : ndarray, shape (m, k)

    Returns
    -------
    ndarray of bool, shape (m,)
    """
    return row_norms(E) != 0


def defined_rows(E: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows of E with a direction and their row numbers in E (E itself if every row has one).

    Parameters
    ----------
    E : ndarray, shape (m, k)

    Returns
    -------
    rows : ndarray, shape (m', k)
    numbers : ndarray of int, shape (m',)
        Row of E of each kept row.
    """
    kept = with_direction(E)
    return (E, np.arange(E.shape[0])) if kept.all() else (E[kept], np.flatnonzero(kept))


def in_input_rows(shift: Shift | None, query_rows: np.ndarray, neighbour_rows: np.ndarray) -> Shift | None:
    """``shift`` with its queries and neighbour lists as row numbers of the input embeddings.

    Parameters
    ----------
    shift : Shift or None
        Measured on the rows with a direction (their positions 0..m'-1).
    query_rows, neighbour_rows : ndarray of int, shapes (m_left',), (m_right',), or None with no shift
        Input row of each kept left (query) row and right (neighbour) row.

    Returns
    -------
    Shift or None
    """
    if shift is None:
        return None
    return replace(shift, queries=query_rows[shift.queries], neighbour_lists=neighbour_rows[shift.neighbour_lists])


def audit(item_embeddings, user_embeddings=None, *, draws: int = 20, log_sd: float = 1.0, seed: int = 0,
          neighbours: int = 10, queries: int = 100, pairs: int = 20_000, progress: bool = False) -> AuditResult:
    """How arbitrary are the cosine similarities of these embeddings? Random D, predictions fixed.

    Draws ``draws`` random invertible diagonals ``D = dMat(exp(log_sd z))``, ``z ~ N(0, I_k)``,
    replaces B by ``B D^{-1}`` and P by ``P D`` (Eq. 3: ``P B^T`` unchanged, checked in every draw)
    and reports how the cosines move against D = I: the overlap of each query's top-k neighbours,
    the rank correlation of all pairwise cosines (sampled pairs), the largest change of a cosine.
    Item-item always; user-user and user-item (D acts there only through the normalisers) when
    users are given, with the D-free cosine of the columns of ``P B^T`` and the distance of the
    embedding cosine from it. Exact cosines of sampled query rows against all rows: memory and
    time grow as ``queries x p``, never ``p x p``. The inputs are not changed.

    A row of zero length (Euclidean norm 0: an item or user without interactions) has no
    direction, so its cosines are undefined (Eq. 4): it is left out of the queries, of every
    neighbour list, of the pairs and of every statistic, and counted (``zero_length_items``,
    ``zero_length_users``). The statistics are those of the audit of the other rows alone (same
    seed); queries and neighbour lists keep the input's row numbers.

    Parameters
    ----------
    item_embeddings : array_like, shape (p, k)
        One row per item (B, or Q of ``X ~ P Q^T``).
    user_embeddings : array_like, shape (n, k), optional
        One row per user (P, or ``X A`` of the paper's autoencoder).
    draws : int
        Number of random D.
    log_sd : float
        Standard deviation of ``log d_i``; the default 1 spreads the scales of the dimensions over
        about a factor e^2 ~ 7.4 (+-1 sd), as the replication's recovery study does.
    seed : int
        Seed of numpy's ``default_rng``: D first, then the queries and pairs.
    neighbours : int
        k of the top-k neighbourhoods.
    queries : int
        Query rows sampled for the neighbourhoods (all rows if there are fewer).
    pairs : int
        Pairs sampled for the rank correlation and the mean change (all pairs if there are fewer).
    progress : bool
        Show a progress bar on stderr (after one second).

    Returns
    -------
    AuditResult
    """
    from tqdm import tqdm

    B = as_embeddings(item_embeddings, "item_embeddings")
    P = None if user_embeddings is None else as_embeddings(user_embeddings, "user_embeddings")
    n_items, k = B.shape
    n_users = None if P is None else int(P.shape[0])
    if P is not None and P.shape[1] != k:
        raise ValueError(f"user_embeddings have {P.shape[1]} dimensions, item_embeddings {k}: they must match")
    if draws < 1 or queries < 1 or pairs < 4:
        raise ValueError(f"need draws >= 1, queries >= 1 and pairs >= 4, got {draws}, {queries}, {pairs}")
    if not (np.isfinite(log_sd) and log_sd > 0):
        raise ValueError(f"log_sd must be finite and positive, got {log_sd}")
    B, item_rows = defined_rows(B)
    p = B.shape[0]
    left_out = "" if p == n_items else f" of non-zero length ({n_items - p} of zero length left out)"
    if not 1 <= neighbours <= p - 1:
        raise ValueError(f"neighbours must lie in [1, {max(p - 1, 0)}] (p - 1 for {p} items{left_out}), "
                         f"got {neighbours}")
    user_rows = None
    if P is not None:
        P, user_rows = defined_rows(P)
        left_out = "" if P.shape[0] == n_users else f" of non-zero length ({n_users - P.shape[0]} of zero length left out)"
        if not 1 <= neighbours <= P.shape[0] - 1:
            raise ValueError(f"neighbours must lie in [1, {max(P.shape[0] - 1, 0)}] for {P.shape[0]} users{left_out}, "
                             f"got {neighbours}")
    rng = np.random.default_rng(seed)
    d = random_diagonals(rng, draws, k, log_sd)
    ones = np.ones((1, k))
    item_queries = sample_rows(rng, p, queries)
    item_i, item_j, item_all = sample_pairs(rng, p, p, pairs, distinct=True)
    if P is not None:
        user_queries = sample_rows(rng, P.shape[0], queries)
        user_i, user_j, user_all = sample_pairs(rng, P.shape[0], P.shape[0], pairs, distinct=True)
        ui_i, ui_j, ui_all = sample_pairs(rng, P.shape[0], p, pairs, distinct=False)
    check = prediction_check(P, B, d, rng)
    total = block_count(item_queries.size, p, draws + 1 + (P is not None))
    if P is not None:
        total += block_count(user_queries.size, P.shape[0], draws + 1) + block_count(user_queries.size, p, draws + 1)
    with tqdm(total=total, disable=not progress, delay=1.0, desc="cossim audit", unit="block",
              leave=False) as bar:
        item_views = views(B, B, np.vstack([ones, 1.0 / d]), np.vstack([ones, 1.0 / d]))
        references = [item_views[0]]
        if P is not None:
            E = original_space_items(P, B)
            references.append(views(E, E, ones, ones)[0])
        found = compare(references, item_views[1:] if P is None else item_views, item_queries, neighbours,
                        True, item_i, item_j, bar.update)
        columns = slice(None) if P is None else slice(1, None)
        items = summarise("item-item", "D = I", "random D", found[0], item_queries, p, item_all, rng, columns)
        users = user_item = original = original_given = None
        if P is not None:
            original_given = summarise("item-item vs original space", "cosine of the columns of P B^T",
                                       "the embeddings as given (D = I)", found[1], item_queries, p, item_all,
                                       rng, slice(0, 1))
            original = summarise("item-item vs original space", "cosine of the columns of P B^T", "random D",
                                 found[1], item_queries, p, item_all, rng, slice(1, None))
            user_views = views(P, P, np.vstack([ones, d]), np.vstack([ones, d]))
            found = compare(user_views[:1], user_views[1:], user_queries, neighbours, True, user_i, user_j,
                            bar.update)
            users = summarise("user-user", "D = I", "random D", found[0], user_queries, P.shape[0], user_all, rng)
            pair_views = views(P, B, np.vstack([ones, d]), np.vstack([ones, 1.0 / d]), np.ones((draws + 1, k)))
            found = compare(pair_views[:1], pair_views[1:], user_queries, neighbours, False, ui_i, ui_j,
                            bar.update)
            user_item = summarise("user-item", "D = I", "random D", found[0], user_queries, P.shape[0], ui_all,
                                  rng)
    active = np.any(B != 0, axis=0) if P is None else np.any(B != 0, axis=0) & np.any(P != 0, axis=0)
    return AuditResult(
        n_items=n_items, n_users=n_users, rank=k, active_rank=int(active.sum()),
        draws=draws, log_sd=float(log_sd),
        seed=seed, neighbours=neighbours, d=d, predictions=check,
        items=in_input_rows(items, item_rows, item_rows),
        users=in_input_rows(users, user_rows, user_rows),
        user_item=in_input_rows(user_item, user_rows, item_rows),
        original_space=in_input_rows(original, item_rows, item_rows),
        original_space_given=in_input_rows(original_given, item_rows, item_rows),
        zero_length_items=n_items - p, zero_length_users=None if P is None else n_users - int(P.shape[0]),
    )
