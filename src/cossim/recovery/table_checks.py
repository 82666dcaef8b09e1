"""Every number of Tables 3 and 4 and of the findings, tied to the seeds' data by rule ``check_recovery``.

Three links, each by another route than the code that made the number:

1. seed data -> ``scores.npz``: Table 3's panels are recomputed for every seed from its Eq. 1
   spectrum and item clusters (:func:`cossim.recovery.recompute.recompute_panels`), and Table 4's
   approaches at D = I (unit-norm training refitted); for a sampled seed (the first) also the
   approaches under each random D, the D sweep's families and the random-D draws (AUC).
2. ``scores.npz`` -> ``summary.npz``: the stacked arrays equal the per-seed files exactly.
3. ``scores.npz`` -> tables: every cell of Tables 3 and 4 is recomputed from the per-seed files
   (values, means, Student-t intervals by their textbook formula, ranges over D), and every quoted
   finding from the same files; the label columns must equal the expected set exactly.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import t as student_t

from ..checking import CheckResult, at_most
from ..io import load_interactions, load_json
from ..model.solve import gram_matrix
from .dsweep import FAMILIES
from .recompute import random_diagonals, recompute_panels, recompute_remedies, recompute_sweep
from .study import REMEDIES, REMEDY_KEYS, TABLE3_LABELS, TABLE3_PANELS

# A stored table cell has 6 decimals (within 5e-7 of its value); a recomputed score agrees to rounding.
CELL_TOLERANCE = 1e-6
RECOMPUTE_TOLERANCE = 1e-6


def _gap(a, b) -> float:
    """Largest absolute difference, inf on a shape mismatch or NaN."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return float("inf")
    gap = np.abs(a - b)
    return float("inf") if np.any(np.isnan(gap)) else float(np.max(gap, initial=0.0))


def expected_rows(values: np.ndarray, seeds) -> tuple[list, list, np.ndarray]:
    """The rows a summary table must hold for one key: one per seed, then mean and the 95% interval.

    Parameters
    ----------
    values : ndarray, shape (n_seeds, n_columns)
    seeds : sequence of int

    Returns
    -------
    seed_cells, statistics : list of str
    cells : ndarray, shape (n_seeds + 3, n_columns)
    """
    n = values.shape[0]
    mean = np.sum(values, axis=0) / n
    sd = np.sqrt(np.sum((values - mean) ** 2, axis=0) / (n - 1))
    half = student_t.isf(0.025, n - 1) * sd / np.sqrt(n)
    cells = np.vstack([values, mean, mean - half, mean + half])
    return [str(s) for s in seeds] + ["all"] * 3, ["value"] * n + ["mean", "ci95_low", "ci95_high"], cells


def check_summary_table(name: str, rows: list[dict], key_column: str, labels: dict, values: dict,
                        columns: list[str], seeds) -> list[CheckResult]:
    """Compare a Table 3/4 CSV with the rows recomputed from the per-seed arrays.

    Parameters
    ----------
    name : str
        ``table3`` or ``table4`` (prefix of the check names).
    rows : list of dict
        The CSV's rows (cells as strings).
    key_column : str
    labels : dict of str to str
        Expected label of each key, in table order.
    values : dict of str to ndarray, shape (n_seeds, len(columns))
    columns : list of str
        The numeric columns.
    seeds : sequence of int

    Returns
    -------
    list of CheckResult
        One check of the label columns, one per numeric column.
    """
    expected_labels, recomputed = [], []
    for key, label in labels.items():
        seed_cells, statistics, cells = expected_rows(values[key], seeds)
        expected_labels += [(key, label, s, st) for s, st in zip(seed_cells, statistics)]
        recomputed.append(cells)
    recomputed = np.vstack(recomputed)
    got_labels = [(r.get(key_column), r.get("label"), r.get("seed"), r.get("statistic")) for r in rows]
    results = [at_most(f"{name}_labels", f"{name}: {key_column}, label, seed and statistic are exactly the expected rows",
                       0 if got_labels == expected_labels else 1, 0)]
    for c, column in enumerate(columns):
        try:
            cells = np.array([float(r[column]) for r in rows])
        except (KeyError, ValueError, TypeError):
            cells = np.array([np.nan])
        results.append(at_most(f"{name}_{column}_from_seed_scores",
                               f"{name}: every {column} cell (values, mean, t-interval) equals its recomputation "
                               "from the per-seed scores", _gap(cells, recomputed[:, c]) if cells.size == recomputed.shape[0]
                               else float("inf"), CELL_TOLERANCE))
    return results


def table4_values(remedies: np.ndarray) -> np.ndarray:
    """Table 4's numeric columns per seed: scores at D = I, ranges over D, AUC min and max over D.

    Parameters
    ----------
    remedies : ndarray, shape (n_seeds, 1 + n_d, 3) for one method

    Returns
    -------
    ndarray, shape (n_seeds, 8)
    """
    return np.hstack([remedies[:, 0, :], np.ptp(remedies, axis=1), remedies[:, :, 0].min(axis=1)[:, None],
                      remedies[:, :, 0].max(axis=1)[:, None]])


def check_stacked(summary: dict, seed_scores: list[dict], seeds) -> list[CheckResult]:
    """The stacked arrays are the per-seed arrays, exactly.

    Returns
    -------
    list of CheckResult
    """
    gap = 0.0 if np.array_equal(np.asarray(summary["seeds"]), np.asarray(seeds)) else float("inf")
    for key in seed_scores[0]:
        if key == "exponents":
            gap = max(gap, _gap(summary[key], seed_scores[0][key]))
        else:
            gap = max(gap, _gap(summary[key], np.stack([s[key] for s in seed_scores])))
    return [at_most("summary_is_seed_scores", "summary.npz holds exactly the per-seed scores, stacked in seed order",
                    gap, 0.0)]


def expected_findings(seed_scores: list[dict], seeds, panel_keys, remedy_keys, family_keys) -> dict:
    """Every finding, recomputed from the per-seed scores (see :mod:`cossim.recovery.findings`).

    Returns
    -------
    dict
    """
    panels = np.stack([s["panels"][:, 0] for s in seed_scores])  # (n_seeds, n_panels) AUCs
    model = list(panel_keys[1:])
    out = {"n_seeds": len(seeds), "first_seed": min(seeds), "last_seed": max(seeds),
           "exponent_steps": seed_scores[0]["exponents"].size, "random_d_per_seed": seed_scores[0]["random_d"].shape[0],
           "remedy_d_per_seed": seed_scores[0]["remedies"].shape[1] - 1}
    means = panels[:, 1:].mean(axis=0)
    out["mean_auc_ranking"] = " > ".join(sorted(model, key=lambda key: (-means[model.index(key)], model.index(key))))
    for key in model:
        out[f"best_panel_seeds__{key}"] = sum(
            1 for row in panels if model[int(np.flatnonzero(row[1:] == row[1:].max())[0])] == key)
    exponents = seed_scores[0]["exponents"]
    for f, family in enumerate(family_keys):
        curve = np.mean([s["families"][f, :, 0] for s in seed_scores], axis=0)
        for end, pick in (("min", np.argmin), ("max", np.argmax)):
            out[f"{family}__mean_auc_{end}"] = curve[pick(curve)]
            out[f"{family}__mean_auc_{end}_t"] = exponents[pick(curve)]
    pooled = np.sort(np.concatenate([s["random_d"][:, 0] for s in seed_scores]))
    positions = (pooled.size - 1) * np.array([0.05, 0.95])
    low, frac = np.floor(positions).astype(int), positions - np.floor(positions)
    high = np.minimum(low + 1, pooled.size - 1)
    q05, q95 = pooled[low] + frac * (pooled[high] - pooled[low])
    out.update(random_d_draws=pooled.size, random_d_auc_min=pooled[0], random_d_auc_q05=q05, random_d_auc_q95=q95,
               random_d_auc_max=pooled[-1])
    start = np.stack([s["remedies"][remedy_keys.index("embedding_cosine"), :, 0] for s in seed_scores])
    trained = np.stack([s["remedies"][remedy_keys.index("unit_norm_training"), :, 0] for s in seed_scores])
    a, b = start.ravel() - start.mean(), trained.ravel() - trained.mean()
    out.update(
        unit_norm_auc_correlation=np.sum(a * b) / np.sqrt(np.sum(a * a) * np.sum(b * b)),
        unit_norm_mean_abs_auc_change=np.abs(trained - start).mean(),
        embedding_cosine_mean_auc_range=(start.max(axis=1) - start.min(axis=1)).mean(),
        unit_norm_training_mean_auc_range=(trained.max(axis=1) - trained.min(axis=1)).mean(),
        unit_norm_start_mean_relative_excess=np.mean([s["unit_norm_start_relative_excess"] for s in seed_scores]),
        unit_norm_mean_relative_excess=np.mean([s["unit_norm_relative_excess"] for s in seed_scores]),
    )
    return out


def check_findings_recomputed(findings: dict, expected: dict) -> list[CheckResult]:
    """Each finding equals its recomputation (numbers to 1e-9 relative, text exactly); same keys.

    Returns
    -------
    list of CheckResult
        One per expected key, plus one for the key set.
    """
    results = [at_most("findings_keys", "the findings hold exactly the expected keys",
                       len(set(findings) ^ set(expected)), 0)]
    for key, value in expected.items():
        got = findings.get(key)
        if isinstance(value, str):
            gap = 0.0 if got == value else float("inf")
        else:
            try:
                gap = abs(float(got) - float(value)) / max(1.0, abs(float(value)))
            except (TypeError, ValueError):
                gap = float("inf")
        results.append(at_most(f"finding_{key}_recomputed", f"finding {key} equals its recomputation from the "
                               "per-seed scores", gap if gap == gap else float("inf"), 1e-9))
    return results


def check_seed_recomputed(scores: dict, seed: int, clusters, fit: dict, interactions, settings: dict, lam2: float,
                          k: int, keys: dict, full: bool = False) -> list[CheckResult]:
    """One seed's stored scores against their recomputation from its data and Eq. 1 fit.

    Always: Table 3's panels and Table 4's approaches at D = I (all three scores). With ``full``:
    also the approaches under each random D, the D sweep's families and the random-D draws.
    The embedding cosine under D must equal the first random-D draws (same D) on every seed.

    Parameters
    ----------
    scores : dict of ndarrays
        The seed's ``scores.npz``.
    seed : int
    clusters : ndarray of int, shape (p,)
    fit : dict
        The seed's Eq. 1 fit (``V_k``, ``sigma``, ``lam``).
    interactions : path
        The seed's interactions.
    settings : dict
        Config section ``recovery``.
    lam2 : float
        lambda of Eq. 2.
    k : int
        k of precision@k.
    keys : dict
        ``panels``, ``remedies``, ``families``: the stored keys in order.
    full : bool

    Returns
    -------
    list of CheckResult
    """
    names = ("auc", f"precision_at_{k}", "spearman")
    V, sigma, lam = fit["V_k"], fit["sigma"], float(fit["lam"])
    panels = recompute_panels(V, sigma, lam, lam2, clusters, k, list(keys["panels"]))
    results = [at_most(f"seed{seed}_panels_{name}_recomputed",
                       f"seed {seed}: every Table 3 panel's {name} equals its independent recomputation",
                       _gap(scores["panels"][:, c], panels[:, c]), RECOMPUTE_TOLERANCE)
               for c, name in enumerate(names)]
    n_remedy_d = int(settings["remedy_d_samples"])
    d_rows = random_diagonals(seed, int(settings["d_seed"]), int(settings["random_d_samples"]), sigma.size,
                              float(settings["log_sd"]))
    X = load_interactions(interactions)
    # The model's exact Gram matrix (0.1 s; a sparse X^T X of the default data takes 2 s a seed): on
    # the fully checked seed it must equal the sparse product entry for entry.
    G = gram_matrix(X)
    if full:
        sparse_G = np.asarray((X.T @ X).todense() if hasattr(X, "todense") else X.T @ X, dtype=float)
        results.append(at_most(f"seed{seed}_gram_exact", f"seed {seed}: the Gram matrix the remedies are "
                               "recomputed from equals the sparse product X^T X", float(np.max(np.abs(G - sparse_G))), 0.0))
    counts = np.asarray(X.sum(axis=0)).ravel().astype(float)
    remedy_keys = list(keys["remedies"])
    remedies = recompute_remedies(G, counts, X.shape[0], V, sigma, lam, clusters,
                                  d_rows[:n_remedy_d] if full else d_rows[:0], k, remedy_keys,
                                  int(settings["unit_norm_iterations"]))
    stored = scores["remedies"][:, : remedies.shape[1]]
    checked = ~np.isnan(remedies)
    for c, name in enumerate(names):
        where = "at D = I and under each random D" if full else "at D = I"
        results.append(at_most(f"seed{seed}_remedies_{name}_recomputed",
                               f"seed {seed}: every Table 4 approach's {name} {where} "
                               "equals its independent recomputation",
                               _gap(stored[..., c][checked[..., c]], remedies[..., c][checked[..., c]]),
                               RECOMPUTE_TOLERANCE))
    # Two routes through the study's code (the remedies' and the random-D sweep's): equal up to the
    # rounding of their different summation orders (measured up to 1.4e-10 on the default config).
    embedding = scores["remedies"][remedy_keys.index("embedding_cosine"), 1:]
    results.append(at_most(f"seed{seed}_remedy_d_is_random_d",
                           f"seed {seed}: the embedding cosine under the remedies' D equals the first random-D draws",
                           _gap(embedding, scores["random_d"][: embedding.shape[0]]), 1e-9))
    if not full:
        return results
    exponents = np.round(np.linspace(*settings["exponent_range"], int(settings["exponent_steps"])), 12)
    families, random_d = recompute_sweep(V, sigma, lam, clusters, exponents, d_rows, list(keys["families"]), k)
    results += [
        at_most(f"seed{seed}_exponents", f"seed {seed}: the sweep's exponents are the configured grid",
                _gap(scores["exponents"], exponents), 0.0),
        at_most(f"seed{seed}_families_auc_recomputed", f"seed {seed}: the D sweep's AUC at every exponent equals "
                "its independent recomputation", _gap(scores["families"][..., 0], families), RECOMPUTE_TOLERANCE),
        at_most(f"seed{seed}_random_d_auc_recomputed", f"seed {seed}: the AUC under every random D equals its "
                "independent recomputation", _gap(scores["random_d"][:, 0], random_d), RECOMPUTE_TOLERANCE),
    ]
    return results


def load_npz(path) -> dict:
    """All arrays of an npz file."""
    with np.load(path) as stored:
        return dict(stored)


def check_seeds_recomputed(paths: dict, seeds, settings: dict, lam2: float, k: int) -> list[CheckResult]:
    """Every seed's stored scores against their recomputation from its data and Eq. 1 fit (link 1).

    Parameters
    ----------
    paths : dict
        ``seed_scores``, ``seed_fits``, ``seed_items``, ``seed_interactions`` (lists in seed order).
    seeds : sequence of int
    settings : dict
        Config section ``recovery``.
    lam2 : float
        lambda of Eq. 2.
    k : int
        k of precision@k.

    Returns
    -------
    list of CheckResult
        The first seed in full (see :func:`check_seed_recomputed`), the others at D = I.
    """
    from ..io import load_items

    keys = {"panels": list(TABLE3_PANELS), "remedies": list(REMEDY_KEYS), "families": list(FAMILIES)}
    results = []
    for s, seed in enumerate(int(seed) for seed in seeds):
        clusters = np.asarray(load_items(paths["seed_items"][s])[0])
        results += check_seed_recomputed(load_npz(paths["seed_scores"][s]), seed, clusters,
                                         load_npz(paths["seed_fits"][s]), paths["seed_interactions"][s], settings,
                                         lam2, k, keys, full=s == 0)
    return results


def check_recovery_tables(paths: dict, seeds, k: int) -> list[CheckResult]:
    """Tables 3 and 4, the findings and the stacked arrays against the per-seed scores (links 2, 3).

    Parameters
    ----------
    paths : dict
        ``seed_scores`` (list in seed order), ``summary``, ``table3``, ``table4``, ``findings``.
    seeds : sequence of int
    k : int
        k of precision@k.

    Returns
    -------
    list of CheckResult
    """

    from ..io import load_table_csv

    seeds = [int(s) for s in seeds]
    summary = load_npz(paths["summary"])
    keys = {"panels": list(TABLE3_PANELS), "remedies": list(REMEDY_KEYS), "families": list(FAMILIES)}
    stored_keys = {name: [str(key) for key in summary[f"{stem}_keys"]]
                   for name, stem in (("panels", "panel"), ("remedies", "remedy"), ("families", "family"))}
    seed_scores = [load_npz(path) for path in paths["seed_scores"]]
    results = check_stacked(summary, seed_scores, seeds) + [
        at_most("summary_keys", "summary.npz names the panels, approaches and families expected, in order",
                0 if stored_keys == keys else 1, 0)]
    names = ["auc", f"precision_at_{k}", "spearman"]
    results += check_summary_table(
        "table3", load_table_csv(paths["table3"]), "panel", {key: TABLE3_LABELS[key] for key in keys["panels"]},
        {key: np.stack([sc["panels"][p] for sc in seed_scores]) for p, key in enumerate(keys["panels"])}, names, seeds)
    columns4 = names + [f"{n}_range_over_d" for n in names] + ["auc_min_over_d", "auc_max_over_d"]
    labels4 = dict(REMEDIES)
    results += check_summary_table(
        "table4", load_table_csv(paths["table4"]), "method", {key: labels4[key] for key in keys["remedies"]},
        {key: table4_values(np.stack([sc["remedies"][m] for sc in seed_scores]))
         for m, key in enumerate(keys["remedies"])}, columns4, seeds)
    findings = load_json(paths["findings"])
    results += check_findings_recomputed(
        findings, expected_findings(seed_scores, seeds, keys["panels"], keys["remedies"], keys["families"]))
    return results


def recovery_check_results(paths: dict, seeds, settings: dict, lam2: float, k: int,
                           recompute_seeds: bool = True) -> list[CheckResult]:
    """Every check of rule ``check_recovery``, from the files it reads.

    Parameters
    ----------
    paths : dict
        As for :func:`check_seeds_recomputed` and :func:`check_recovery_tables`, plus
        ``user_matrices``, ``user_auc``, and the data set's ``interactions`` and ``item_table``
        (which users and items have none, and the items' display order).
    seeds, settings, lam2, k
        As for :func:`check_seeds_recomputed`.
    recompute_seeds : bool
        Include :func:`check_seeds_recomputed` (a test that changes no per-seed file may skip it).
        With ``paths["seed_checks"]`` (the reports of rule ``check_recovery_seed``, which
        recomputes the seeds in parallel jobs) those results are read back instead.

    Returns
    -------
    list of CheckResult
    """

    from ..io import load_interactions, load_items, load_table_csv
    from ..model.panels import display_order
    from . import checks

    summary, users = load_npz(paths["summary"]), load_npz(paths["user_matrices"])
    findings = load_json(paths["findings"])
    item_order = display_order(*load_items(paths["item_table"]))
    return (
        checks.check_recovery_study(summary)
        + checks.check_findings(findings, summary, load_table_csv(paths["table4"]))
        + checks.check_user_scores(users, load_table_csv(paths["user_auc"]), k)
        + checks.check_user_undefined_cosines(users, load_interactions(paths["interactions"]), item_order)
        + (checks.seed_check_results(paths["seed_checks"]) if "seed_checks" in paths
           else check_seeds_recomputed(paths, seeds, settings, lam2, k) if recompute_seeds else [])
        + check_recovery_tables(paths, seeds, k)
    )
