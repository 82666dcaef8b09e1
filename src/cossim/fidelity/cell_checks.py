"""The sweep's first cell recomputed in full from its data, by routes of its own (rule
``check_fidelity``): the simulation run again with the cell's seed, the spectrum by ``eigh``, the
panels from the paper's formulas, block levels over the clusters' members, popularity profiles over
explicit index ranges, and the panel-4 ordering diagnostics by loops over items."""

from __future__ import annotations

import numpy as np

from ..checking import CheckResult, at_most

__all__ = ["check_sampled_cell", "ordering_by_loops", "ordering_gap", "profiles_by_members"]


def profiles_by_members(mapped: np.ndarray, clusters: np.ndarray, popularity: np.ndarray, cells: int = 40,
                        large: int = 3) -> np.ndarray:
    """Popularity profiles of one colour-mapped panel (indexed by item), written out again.

    Display positions: clusters ascending, inside a cluster descending popularity (ties by item
    index). Cell j covers positions ``j s .. j s + s - 1`` with ``s = p // cells``; inside cluster
    ``[lo, hi)`` the cells with ``lo <= j s`` and ``j s + s <= hi`` count, each in the quartile of its
    centre ``j s + s / 2``; each entry is the mean of the cell means (diagonal included), each
    over its defined (not NaN) levels.

    Parameters
    ----------
    mapped : ndarray, shape (p, p)
        Colour levels, rows and columns in item order.
    clusters, popularity : ndarray, shape (p,)
    cells, large : int

    Returns
    -------
    ndarray, shape (large, 4, 4)
    """
    p = clusters.size
    s = max(1, p // cells)
    positions, lo = [], 0
    bounds = []
    for c in np.unique(clusters):
        members = [i for i in range(p) if clusters[i] == c]
        members.sort(key=lambda i: (-popularity[i], i))
        positions += members
        bounds.append((lo, lo + len(members)))
        lo += len(members)
    shown = mapped[np.ix_(positions, positions)]
    out = np.full((large, 4, 4), np.nan)
    for c, (lo, hi) in enumerate(bounds[:large]):
        chosen = [j for j in range(p // s) if lo <= j * s and j * s + s <= hi]
        quarter = {j: min(3, int((j * s + s / 2 - lo) * 4 // (hi - lo))) for j in chosen}
        for a in range(4):
            for b in range(4):
                cells_here = [shown[i * s:(i + 1) * s, j * s:(j + 1) * s]
                              for i in chosen if quarter[i] == a for j in chosen if quarter[j] == b]
                means = [cell[~np.isnan(cell)].mean() for cell in cells_here if np.any(~np.isnan(cell))]
                if means:
                    out[c, a, b] = sum(means) / len(means)
    return out


def norms_of_rows(V: np.ndarray) -> np.ndarray:
    """Length of each row of V, shape (p,), by a loop-free sum of squares."""
    return np.sqrt(np.sum(V * V, axis=1))


def ordering_by_loops(sigma: np.ndarray, V: np.ndarray, lam: float) -> dict:
    """The ordering diagnostics of :func:`cossim.fidelity.ordering.ordering_diagnostics`, by loops.

    Returns
    -------
    dict
        ``ratio_max_increase``, ``min_head_share_margin``, ``panel2_first_share``,
        ``panel4_first_share``.
    """
    k = sigma.size
    ratio = [float(sigma[d] * np.sqrt(sigma[d] ** 2 + lam)) for d in range(k)]
    margin, first2, first4 = np.inf, [], []
    for i in range(V.shape[0]):
        e2 = [sigma[d] ** 2 / (sigma[d] ** 2 + lam) * V[i, d] ** 2 for d in range(k)]
        e4 = [sigma[d] ** 4 * V[i, d] ** 2 for d in range(k)]
        t2, t4 = sum(e2), sum(e4)
        if t2 <= 0 or t4 <= 0:
            continue
        c2 = c4 = 0.0
        for d in range(k):
            c2, c4 = c2 + e2[d], c4 + e4[d]
            margin = min(margin, c4 / t4 - c2 / t2)
        first2.append(e2[0] / t2)
        first4.append(e4[0] / t4)
    return {"ratio_max_increase": max(b - a for a, b in zip(ratio, ratio[1:])) if k > 1 else 0.0,
            "min_head_share_margin": float(margin), "panel2_first_share": float(np.mean(first2)),
            "panel4_first_share": float(np.mean(first4))}


def ordering_gap(stored: dict, expected: dict) -> float:
    """Largest difference between stored and recomputed ordering diagnostics (inf if a key is missing)."""
    try:
        return max(abs(float(stored[key]) - float(expected[key])) / max(1.0, abs(float(expected[key])))
                   for key in expected)
    except (KeyError, TypeError, ValueError):
        return float("inf")


def check_sampled_cell(cell: dict, simulation: dict, rank: int, lam1: float, lam2: float,
                       colour_ranges: dict) -> list[CheckResult]:
    """One cell (the sweep's first) recomputed from its data: interactions, cluster sizes, top singular
    values, the panel-4 diagnostics and every panel's block levels under every colour range.

    The cells store no data, so the data are simulated again (:func:`cossim.model.simulate.simulate`
    with the cell's seed); everything after that is computed here by another route: the spectrum by
    ``numpy.linalg.eigh`` of ``X^T X``, the panels' cosines from the paper's formulas, the colour
    mapping and the block means over the clusters' members.

    Parameters
    ----------
    cell : dict
        The stored cell.
    simulation : dict
        Its reading's simulation settings (the fields of ``SimulationSpec``).
    rank : int
    lam1, lam2 : float
    colour_ranges : dict
        Named colour ranges, ``[vmin, vmax]`` or None (autoscale).

    The popularity profiles are recomputed too (:func:`profiles_by_members`: display positions
    from the items' popularity, cells and quartiles by explicit index ranges), and the panel-4 versus
    panel-2 ordering diagnostics (:func:`ordering_by_loops`).

    Returns
    -------
    list of CheckResult
    """
    from ..model.simulate import SimulationSpec, simulate

    data = simulate(SimulationSpec(**simulation), np.random.default_rng(int(cell["seed"])))
    X, clusters = data.interactions, np.asarray(data.item_cluster)
    G = np.asarray((X.T @ X).todense() if hasattr(X, "todense") else X.T @ X, dtype=float)
    values, vectors = np.linalg.eigh(G)
    top = np.argsort(values)[::-1][:rank]
    V, sigma = vectors[:, top], np.sqrt(np.clip(values[top], 0.0, None))
    # an item no user chose: X^T X e_i = 0, so every kept eigenvector is exactly 0 there (eigh leaves noise)
    V[np.asarray((X != 0).sum(axis=0)).ravel() == 0] = 0.0
    g = sigma**2 / (sigma**2 + lam1)
    scales = {"eq1_B_Vk_g_half": np.sqrt(g), "eq1_B_Vk": np.ones_like(sigma), "eq1_B_Vk_sigma2": sigma**2,
              "eq2_unique": np.sqrt(np.maximum(sigma - lam2, 0.0))}
    present = np.unique(clusters)
    members = [np.flatnonzero(clusters == c) for c in present]
    gap = profile_gap = 0.0
    for range_name, value in colour_ranges.items():
        stored = cell["colour_ranges"][range_name]["levels"]
        for key, b in scales.items():
            B = V * b
            norms = np.linalg.norm(B, axis=1)
            unit = np.divide(B, norms[:, None], out=np.zeros_like(B), where=norms[:, None] > 0)
            cosine = np.clip(unit @ unit.T, -1.0, 1.0)
            cosine[norms == 0] = np.nan  # no direction: undefined, left out of every level
            cosine[:, norms == 0] = np.nan
            low, high = (np.nanmin(cosine), np.nanmax(cosine)) if value is None else value
            mapped = np.where(np.isnan(cosine), np.nan, 0.0) if high == low else np.clip(
                (cosine - low) / (high - low), 0.0, 1.0)
            levels = np.empty((len(members), len(members)))
            for r, rows in enumerate(members):
                for c, cols in enumerate(members):
                    block = mapped[np.ix_(rows, cols)].copy()
                    if r == c:
                        np.fill_diagonal(block, np.nan)
                    levels[r, c] = np.mean(block[~np.isnan(block)]) if np.any(~np.isnan(block)) else np.nan
            ours = profiles_by_members(mapped, clusters, np.asarray(data.item_popularity))
            stored_profiles = np.asarray(cell["colour_ranges"][range_name]["profiles"][key], dtype=float)
            profile_gap = max(profile_gap, float(np.nanmax(np.abs(stored_profiles - ours)))
                              if stored_profiles.shape == ours.shape
                              and np.array_equal(np.isnan(stored_profiles), np.isnan(ours)) else float("inf"))
            stored_levels = np.asarray(stored[key], dtype=float)
            gap = max(gap, float(np.nanmax(np.abs(stored_levels - levels))) if stored_levels.shape == levels.shape
                      else float("inf"))
    fourth = sigma**4
    positive = float(np.mean(V[norms_of_rows(V) > 0, 0] > 0))
    expected = {"n_interactions": float(X.nnz), "first_direction_same_sign": max(positive, 1.0 - positive),
                "panel4_first_share": float(fourth[0] / fourth.sum())}
    stored_values = {"n_interactions": float(cell["n_interactions"]),
                     "first_direction_same_sign": float(cell["dominance"]["first_direction_same_sign"]),
                     "panel4_first_share": float(cell["dominance"]["panel4_first_share"])}
    sizes = np.bincount(clusters, minlength=len(cell["cluster_sizes"])).tolist()
    name = f"{cell['reading']}/seed{cell['seed']}"
    stored_sigma = np.asarray(cell["sigma"], dtype=float)
    sigma_gap = float(np.max(np.abs(stored_sigma - sigma[: stored_sigma.size]) / sigma[0])) \
        if stored_sigma.size == min(10, sigma.size) else float("inf")
    return [
        at_most("fidelity_cell_levels_recomputed", f"cell {name}: every panel's block levels under every colour "
                "range equal their recomputation from the data", gap, 1e-9),
        at_most("fidelity_cell_profiles_recomputed", f"cell {name}: every panel's popularity profiles under every "
                "colour range equal their recomputation from the data", profile_gap, 1e-9),
        at_most("fidelity_cell_ordering_recomputed", f"cell {name}: the panel-4 vs panel-2 ordering diagnostics "
                "equal their recomputation from the data", ordering_gap(cell.get("ordering", {}),
                                                                        ordering_by_loops(sigma, V, lam1)), 1e-9),
        at_most("fidelity_cell_sigma_recomputed", f"cell {name}: the top singular values equal eigh's of X^T X "
                "(relative to sigma_1)", sigma_gap, 1e-9),
        at_most("fidelity_cell_counts_recomputed", f"cell {name}: n_interactions and the cluster sizes are the data's",
                abs(stored_values["n_interactions"] - expected["n_interactions"]) + (sizes != cell["cluster_sizes"]),
                0.0),
        at_most("fidelity_cell_dominance_recomputed", f"cell {name}: panel4_first_share and "
                "first_direction_same_sign equal their recomputation", max(
                    abs(stored_values[k] - expected[k]) for k in ("first_direction_same_sign", "panel4_first_share")),
                1e-9),
    ]
