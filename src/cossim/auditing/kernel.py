"""Exact cosine neighbourhoods of sampled query rows under re-scalings of the latent dimensions.

A *view* is one way of computing cosines between "left" rows (the queries are drawn from them)
and "right" rows: ``cos_ij = (l_i w) . r_j / (|l_i s_l| |r_j s_r|)`` with per-dimension weights
``w = s_l s_r``. Item-item cosine under ``B D^{-1}`` is the view ``(B, B, w = d^{-2})``, user-user
under ``P D`` is ``(P, P, w = d^2)``, and user-item is ``(P, B, w = 1)``: there D acts only
through the two normalisers (Eq. 4).

Every cosine is computed exactly in float64 for the query rows against *all* right rows, one
block of query rows at a time, so no matrix larger than ``block x m_right`` is ever formed (never
``p x p``). :func:`compare` measures how far each candidate view's neighbourhoods are from a
reference view's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BLOCK_ENTRIES = 1 << 23
"""Entries of one block of cosines (query rows x right rows), 64 MB in float64."""

NORM_CHUNK_ROWS = 8192
"""Rows of an embedding matrix squared at once by :func:`scaled_inverse_norms`."""

SUBSET_STRIDE = 8
"""Every SUBSET_STRIDE-th column bounds a row's k-th largest cosine in :func:`top_neighbours`."""

TIE_TOLERANCE = 1e-12
"""Cosines within this of the k-th largest reference cosine count as inside the reference
neighbourhood: values equal in exact arithmetic (duplicate rows) differ by rounding."""


def scaled_inverse_norms(E: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """``1 / |e_i s_j|`` for every row i of E and every scale row j, 0 for a zero row.

    Parameters
    ----------
    E : ndarray, shape (m, k)
    scales : ndarray, shape (c, k)
        Column scales, one row per view (e.g. ``d`` or ``1/d`` of a D).

    Returns
    -------
    ndarray, shape (m, c)
    """
    squared_scales = np.asarray(scales, dtype=float) ** 2
    out = np.empty((E.shape[0], squared_scales.shape[0]))
    for start in range(0, E.shape[0], NORM_CHUNK_ROWS):
        chunk = E[start:start + NORM_CHUNK_ROWS]
        out[start:start + NORM_CHUNK_ROWS] = (chunk * chunk) @ squared_scales.T
    inverse = np.zeros_like(out)
    np.divide(1.0, np.sqrt(out), out=inverse, where=out > 0)
    return inverse


@dataclass(frozen=True)
class View:
    """Cosines ``(l_i w) . r_j * left_inv[i] * right_inv[j]`` between rows of ``left`` and ``right``.

    Attributes
    ----------
    left : ndarray, shape (m_left, k)
    right : ndarray, shape (m_right, k)
    weight : ndarray, shape (k,)
        ``s_l s_r``, the per-dimension weight between the factors.
    left_inv, right_inv : ndarray, shapes (m_left,), (m_right,)
        Inverse norms of the scaled rows ``l_i s_l`` and ``r_j s_r`` (0 for a zero row).
    """

    left: np.ndarray
    right: np.ndarray
    weight: np.ndarray
    left_inv: np.ndarray
    right_inv: np.ndarray

    def products(self, rows: np.ndarray) -> np.ndarray:
        """Unnormalised ``(l_i w) . r_j`` for the query rows, shape (len(rows), m_right)."""
        return (self.left[rows] * self.weight) @ self.right.T

    def normalise(self, products: np.ndarray, rows: np.ndarray, in_place: bool = False) -> np.ndarray:
        """Cosines from :meth:`products`, shape (len(rows), m_right); a new array unless ``in_place``.

        Not clipped: rounding may leave an entry up to a few ulp outside [-1, 1].
        """
        cosines = products if in_place else products.copy()
        cosines *= self.right_inv[None, :]
        cosines *= self.left_inv[rows, None]
        return cosines

    def pairs(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Cosines of the pairs (left row i[t], right row j[t]), clipped to [-1, 1], shape (len(i),)."""
        return pair_cosines([self], i, j)[0]


def pair_cosines(views: list[View], i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Cosines of the pairs (left row i[t], right row j[t]) under each view (same left and right rows).

    Parameters
    ----------
    views : list of View, length c
    i, j : ndarray of int, shape (m,)

    Returns
    -------
    ndarray, shape (c, m), clipped to [-1, 1]
    """
    left, right = views[0].left, views[0].right
    out = np.empty((len(views), i.size))
    for start in range(0, i.size, NORM_CHUNK_ROWS):
        a, b = i[start:start + NORM_CHUNK_ROWS], j[start:start + NORM_CHUNK_ROWS]
        products = (left[a] * right[b]) @ np.array([view.weight for view in views]).T
        for c, view in enumerate(views):
            out[c, start:start + a.size] = products[:, c] * view.left_inv[a] * view.right_inv[b]
    return np.clip(out, -1.0, 1.0, out=out)


def views(left: np.ndarray, right: np.ndarray, left_scales: np.ndarray, right_scales: np.ndarray,
          weights: np.ndarray | None = None) -> list[View]:
    """One :class:`View` per row of the scales.

    Parameters
    ----------
    left : ndarray, shape (m_left, k)
    right : ndarray, shape (m_right, k); may be ``left`` itself
    left_scales, right_scales : ndarray, shape (c, k)
    weights : ndarray, shape (c, k), optional
        ``left_scales * right_scales`` unless given (pass exact ones where the product is 1 in exact
        arithmetic, e.g. ``d * d^{-1}``, so the products are not perturbed by rounding).

    Returns
    -------
    list of View, length c
    """
    left_inv = scaled_inverse_norms(left, left_scales)
    right_inv = left_inv if right is left and right_scales is left_scales else scaled_inverse_norms(right, right_scales)
    weights = left_scales * right_scales if weights is None else weights
    return [View(left, right, weights[c], left_inv[:, c], right_inv[:, c]) for c in range(weights.shape[0])]


def top_neighbours(cosines: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest entries of each row, in descending order of cosine (exact).

    A strided subset of each row's columns gives a lower bound on its k-th largest entry (the
    k-th largest of a subset is never above the k-th largest of the row); only the entries at
    or above it are ranked, which is several times faster than a full ``argpartition``.

    Parameters
    ----------
    cosines : ndarray, shape (b, m)
    k : int, in [1, m]

    Returns
    -------
    ndarray of int, shape (b, k)
    """
    b, m = cosines.shape
    stride = SUBSET_STRIDE if m >= SUBSET_STRIDE * 4 * k else 1
    if stride == 1:
        top = np.argpartition(cosines, m - k, axis=1)[:, m - k:]
    else:
        subset = cosines[:, ::stride]
        bound = np.partition(subset, subset.shape[1] - k, axis=1)[:, subset.shape[1] - k]
        rows, cols = np.nonzero(cosines >= bound[:, None])
        counts = np.bincount(rows, minlength=b)
        width = int(counts.max())
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        position = np.arange(rows.size) - starts[rows]
        values = np.full((b, width), -np.inf)
        columns = np.zeros((b, width), dtype=np.int64)
        values[rows, position] = cosines[rows, cols]
        columns[rows, position] = cols
        chosen = np.argpartition(values, width - k, axis=1)[:, width - k:]
        top = np.take_along_axis(columns, chosen, axis=1)
    order = np.argsort(-np.take_along_axis(cosines, top, axis=1), axis=1, kind="stable")
    return np.take_along_axis(top, order, axis=1)


@dataclass(frozen=True)
class Comparison:
    """Raw measurements of :func:`compare`: the candidates against one reference.

    Attributes
    ----------
    overlap : ndarray, shape (q, c)
        Share of query q's k nearest rows under candidate c that are among its k nearest under the
        reference (ties at the reference's k-th place count as inside).
    neighbours : ndarray of int, shape (q, c + 1, k)
        The k nearest right rows of each query, reference first, by descending cosine.
    max_abs_change : ndarray, shape (c,)
        Largest ``|cos_candidate - cos_reference|`` over the query rows x all right rows.
    reference_pairs : ndarray, shape (m,)
        Reference cosines of the sampled pairs.
    candidate_pairs : ndarray, shape (c, m)
        Candidate cosines of the same pairs.
    """

    overlap: np.ndarray
    neighbours: np.ndarray
    max_abs_change: np.ndarray
    reference_pairs: np.ndarray
    candidate_pairs: np.ndarray


def compare(references: list[View], candidates: list[View], queries: np.ndarray, k: int, exclude_self: bool,
            pair_i: np.ndarray, pair_j: np.ndarray, progress=None) -> list[Comparison]:
    """Neighbourhoods, largest cosine change and sampled pair cosines of candidates vs references.

    Each block of query rows is computed once per view: a candidate that is one of the references
    (the same object) reuses its cosines, and candidates with the same products (user-item, where
    only the normalisers differ) share one matrix product.

    Parameters
    ----------
    references : list of View, length r
    candidates : list of View, length c
        Same numbers of left and right rows as the references.
    queries : ndarray of int, shape (q,)
        Left rows whose neighbourhoods are measured.
    k : int
        Neighbours per query, in [1, m_right - exclude_self].
    exclude_self : bool
        Left and right are the same rows: a query is not its own neighbour.
    pair_i, pair_j : ndarray of int, shape (m,)
        Sampled pairs (left row, right row) for the rank correlation of all cosines.
    progress : callable, optional
        Called with the number of cosine blocks just computed.

    Returns
    -------
    list of Comparison, one per reference
    """
    q, c, r = queries.size, len(candidates), len(references)
    m_right = references[0].right.shape[0]
    block = max(1, min(q, BLOCK_ENTRIES // max(m_right, 1)))
    overlap = np.empty((r, q, c))
    ref_neighbours = np.empty((r, q, k), dtype=np.int64)
    cand_neighbours = np.empty((q, c, k), dtype=np.int64)
    max_abs = np.zeros((r, c))
    scratch = np.empty((block, m_right))
    for start in range(0, q, block):
        rows = queries[start:start + block]
        here = slice(start, start + rows.size)
        local = np.arange(rows.size)
        refs, kths = [], []
        for index, view in enumerate(references):
            ref = view.normalise(view.products(rows), rows, in_place=True)
            if exclude_self:
                saved = ref[local, rows].copy()
                ref[local, rows] = -np.inf
            ref_neighbours[index, here] = top_neighbours(ref, k)
            kths.append(ref[local, ref_neighbours[index, here, k - 1]])
            if exclude_self:
                ref[local, rows] = saved
            refs.append(ref)
        cached = {}
        for index, view in enumerate(candidates):
            same = [n for n, reference in enumerate(references) if reference is view]
            if same:
                cand = refs[same[0]].copy()
            else:
                key = (id(view.left), id(view.right), view.weight.tobytes())
                shared = sum(1 for other in candidates[index + 1:] if other.weight.tobytes() == key[2]) > 0
                if key not in cached:
                    cached = {key: view.products(rows)}
                # a new array if later candidates share the products (user-item), else in place
                cand = view.normalise(cached[key], rows, in_place=not shared)
                if not shared:
                    cached = {}
            for n, ref in enumerate(refs):
                difference = np.subtract(cand, ref, out=scratch[:rows.size])
                largest = max(float(difference.max()), -float(difference.min()))
                max_abs[n, index] = max(max_abs[n, index], largest)
            if exclude_self:
                cand[local, rows] = -np.inf
            top = top_neighbours(cand, k)
            cand_neighbours[here, index] = top
            for n, ref in enumerate(refs):
                inside = np.take_along_axis(ref, top, axis=1) >= kths[n][:, None] - TIE_TOLERANCE
                overlap[n, here, index] = inside.sum(axis=1) / k
        if progress is not None:
            progress(r + c)
    candidate_pairs = pair_cosines(candidates, pair_i, pair_j)
    return [
        Comparison(overlap[n], np.concatenate([ref_neighbours[n][:, None], cand_neighbours], axis=1),
                   max_abs[n], references[n].pairs(pair_i, pair_j), candidate_pairs)
        for n in range(r)
    ]


def block_count(queries: int, m_right: int, views_per_block: int) -> int:
    """How many cosine blocks :func:`compare` computes (for a progress bar's total).

    Parameters
    ----------
    queries : int
    m_right : int
    views_per_block : int
        References plus candidates.

    Returns
    -------
    int
    """
    block = max(1, min(queries, BLOCK_ENTRIES // max(m_right, 1)))
    return -(-queries // block) * views_per_block
