"""Rule check_movielens: every number of the MovieLens study recomputed by a second route.

The second route shares no code with the rules that made the numbers where that matters: the
data are parsed again with numpy (dense matrices, stable sorts), singular values come from a
dense SVD, pair AUCs from scipy's Mann-Whitney U, Spearman from scipy, precision@k from a full
sort. What is only bounded (not recomputed) says so in its statement.
"""

from __future__ import annotations

import csv

import numpy as np
import scipy.sparse as sp
from scipy.stats import mannwhitneyu, spearmanr

from ..checking import CheckResult, at_least, at_most
from ..model.regularisation import suggested_lambdas
from ..model.similarity import item_item_cosine
from ..recovery.dsweep import FAMILIES, lognormal_d
from ..recovery.recompute import panel_scales, shrinkage
from ..recovery.study import REMEDIES, REMEDY_KEYS, TABLE3_LABELS, TABLE3_PANELS
from .recovery import bootstrap_interval, genre_pairs, replicate_panels, resample_users
from .tables import SCORES

TOLERANCE = 1e-9
"""Two routes to the same number agree to this (absolute; scores lie in [-1, 1])."""


def dense_data(ratings_path, min_rating: float, max_items: int | None) -> tuple[np.ndarray, np.ndarray]:
    """X of a MovieLens data set rebuilt densely from ``ml-100k.inter``.

    Parameters
    ----------
    ratings_path : str or Path
    min_rating : float
    max_items : int or None

    Returns
    -------
    X : ndarray of float, shape (n, p)
    item_ids : ndarray of int, shape (p,)
    """
    table = np.loadtxt(ratings_path, skiprows=1, delimiter="\t")
    users, items, ratings = table[:, 0].astype(int), table[:, 1].astype(int), table[:, 2]
    full = np.zeros((users.max() + 1, items.max() + 1))
    full[users, items] = ratings >= min_rating
    ids = np.flatnonzero(full.sum(axis=0) > 0)
    full = full[:, ids]
    if max_items is not None and max_items < ids.size:
        keep = np.sort(np.argsort(-full.sum(axis=0), kind="stable")[:max_items])
        full, ids = full[:, keep], ids[keep]
    return full[full.sum(axis=1) > 0], ids


def genre_table(item_path) -> dict:
    """``{movielens id: set of genres}`` of ``ml-100k.item``, read with the csv module.

    Parameters
    ----------
    item_path : str or Path

    Returns
    -------
    dict of int to set of str
    """
    with open(item_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    return {int(row[0]): set(row[-1].split(" ")) - {""} for row in rows if row}


def rarest_genre(genre_sets: list, names: tuple) -> np.ndarray:
    """Each item's genre held by the fewest of the items (ties: first in ``names``), by a loop.

    Parameters
    ----------
    genre_sets : list of set of str, length p
    names : tuple of str

    Returns
    -------
    ndarray of int, shape (p,)
    """
    size = {name: sum(name in genres for genres in genre_sets) for name in names}
    return np.array([min(names.index(name) for name in genres if size[name] == min(size[other] for other in genres))
                     for genres in genre_sets])


def expected_precision(row: np.ndarray, same: np.ndarray, k: int, tolerance: float = 1e-9) -> float:
    """Precision@k of one item, a uniformly random order among the neighbours tied at the k-th place.

    Parameters
    ----------
    row : ndarray, shape (p - 1,)
        The item's similarities with every other item; NaN (undefined) ones are no neighbours.
    same : ndarray of bool, shape (p - 1,)
        Whether each other item shares a genre with it.
    k : int
    tolerance : float
        Similarities this close to the k-th largest count as tied with it.

    Returns
    -------
    float
    """
    defined = ~np.isnan(row)
    row, same = row[defined], same[defined]
    kth = np.sort(row)[::-1][k - 1]
    above = row > kth + tolerance
    tied = np.abs(row - kth) <= tolerance
    return float((same[above].sum() + (k - above.sum()) * same[tied].sum() / tied.sum()) / k)


def second_route_scores(similarity: np.ndarray, same: np.ndarray, k: int) -> np.ndarray:
    """AUC (scipy's Mann-Whitney U), precision@k (item by item, :func:`expected_precision`) and
    Spearman (scipy) of a similarity matrix against genre overlap, undefined (NaN) similarities
    left out: their pairs, and the items with fewer than k defined ones from the precision.

    Parameters
    ----------
    similarity : ndarray, shape (p, p)
    same : ndarray of bool, shape (p, p)
        Whether items i != j share a genre (False on the diagonal).
    k : int

    Returns
    -------
    ndarray, shape (3,)
    """
    upper = np.triu_indices(same.shape[0], k=1)
    values, truth = similarity[upper], same[upper]
    values, truth = values[~np.isnan(values)], truth[~np.isnan(values)]
    auc = mannwhitneyu(values[truth], values[~truth]).statistic / (truth.sum() * (~truth).sum())
    rho = spearmanr(values, truth).statistic
    others = ~np.eye(same.shape[0], dtype=bool)
    counted = [i for i in range(same.shape[0]) if np.sum(~np.isnan(similarity[i, others[i]])) >= k]
    precision = np.mean([expected_precision(similarity[i, others[i]], same[i, others[i]], k) for i in counted])
    return np.array([auc, precision, rho])


def top_spectrum(X: np.ndarray, rank: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense SVD of X: all singular values, and the top ``rank`` ones with their right vectors.

    Returns
    -------
    sigma_all : ndarray, shape (min(n, p),)
    sigma : ndarray, shape (rank,)
    V : ndarray, shape (p, rank)
    """
    _, sigma_all, Vt = np.linalg.svd(X, full_matrices=False)
    return sigma_all, sigma_all[:rank], Vt[:rank].T


def gap_check(name: str, statement: str, measured, expected, tolerance: float = TOLERANCE) -> CheckResult:
    """``max |measured - expected| <= tolerance`` (NaN in either fails; equal NaNs pass)."""
    measured, expected = np.asarray(measured, dtype=float), np.asarray(expected, dtype=float)
    if measured.shape != expected.shape:
        return at_most(name, statement + f" (shapes {measured.shape} vs {expected.shape})", np.inf, tolerance)
    both_nan = np.isnan(measured) & np.isnan(expected)
    gap = np.where(both_nan, 0.0, np.abs(measured - expected))
    return at_most(name, statement, float(np.max(gap, initial=0.0)) if not np.isnan(gap).any() else np.inf, tolerance)


def data_checks(X_saved, item_ids_saved, items_saved, genres_saved, ratings_path, item_path,
                min_rating: float, max_items) -> tuple[list[CheckResult], np.ndarray, list]:
    """The imported data against the installed files, rebuilt by the second route.

    Parameters
    ----------
    X_saved : sparse matrix, shape (n, p)
    item_ids_saved : ndarray of int, shape (p,)
    items_saved : (cluster, popularity), ndarrays of shape (p,)
    genres_saved : (ids, names, membership)
    ratings_path, item_path : str
    min_rating : float
    max_items : int or None

    Returns
    -------
    results : list of CheckResult
    X : ndarray, shape (n, p)
        The rebuilt dense X.
    genre_sets : list of set
    """
    X, ids = dense_data(ratings_path, min_rating, max_items)
    table = genre_table(item_path)
    genre_sets = [table[int(item)] for item in ids]
    names = tuple(sorted(set().union(*table.values())))
    membership = np.array([[name in genres for name in names] for genres in genre_sets])
    saved = X_saved.toarray()
    results = [
        at_most("data_shape", f"X is {X.shape[0]} x {X.shape[1]} as rebuilt from the ratings (ratings >= {min_rating})",
                0.0 if saved.shape == X.shape else 1.0, 0.0),
    ]
    if saved.shape == X.shape:
        results.append(gap_check("data_entries", "every entry of X equals the rebuilt one", saved, X, 0.0))
    results += [
        gap_check("item_ids", "item_ids.csv lists the MovieLens ids of X's columns", item_ids_saved, ids, 0.0),
        gap_check("genre_ids", "item_genres.csv lists the same ids", genres_saved[0], ids, 0.0),
        at_most("genre_names", f"the genres are the {len(names)} of ml-100k.item, sorted",
                0.0 if tuple(genres_saved[1]) == names else 1.0, 0.0),
        gap_check("genre_membership", "every item's genres are the file's", genres_saved[2], membership, 0.0),
        gap_check("primary_genre", "items.csv's cluster is each item's rarest genre", items_saved[0],
                  rarest_genre(genre_sets, names), 0.0),
        gap_check("popularity", "items.csv's popularity is each item's share of users", items_saved[1],
                  X.sum(axis=0) / X.shape[0], 1e-15),
    ]
    return results, X, genre_sets


def lambda_checks(X: np.ndarray, movielens: dict, facts: dict, main: bool) -> list[CheckResult]:
    """The lambdas used are the rule's (:func:`suggested_lambdas`) on the data (dense SVD).

    Parameters
    ----------
    X : ndarray, shape (n, p)
    movielens : dict
        Config section ``movielens``.
    facts : dict
        ``movielens_facts.json``.
    main : bool
        Data set ``movielens`` (its fits and Table 2 use the configured lambdas).

    Returns
    -------
    list of CheckResult
    """
    rank = movielens["model"]["rank"]
    sigma_all = np.linalg.svd(X, compute_uv=False)
    suggested = suggested_lambdas(sigma_all, rank, n_items=X.shape[1])
    results = [gap_check("facts_lambdas", "the facts' suggested lambdas are the rule's on X",
                         [facts["suggested_eq1_lambda"], facts["suggested_eq2_lambda"]], list(suggested), 1e-9)]
    if main:
        used = [movielens["model"]["eq1_lambda"], movielens["model"]["eq2_lambda"]]
        results.append(gap_check("model_lambdas", f"movielens.model's lambdas {used} are the rule's on X {list(suggested)}",
                                 used, list(suggested), 1e-9))
        training = movielens["training"]
        counts = X.sum(axis=0)
        items = np.sort(np.argsort(-counts, kind="stable")[: training["n_items"]])
        sigma_t = np.linalg.svd(X[:, items], compute_uv=False)
        rule = suggested_lambdas(sigma_t, training["rank"], n_items=items.size, keep_all=True)
        used = [training["eq1_lambda"], training["eq2_lambda"]]
        results.append(gap_check("training_lambdas", f"movielens.training's lambdas {used} are the rule's "
                                 f"(keep_all) on the {items.size} most popular items {list(rule)}", used, list(rule), 1e-9))
    return results


def recovery_checks(X: np.ndarray, membership: np.ndarray, primary: np.ndarray, study: dict, replicates: np.ndarray,
                    tables: dict, facts: dict, settings: dict) -> list[CheckResult]:
    """Every number of the recovery, remedies and D-sweep tables and of the facts, by the second route.

    Parameters
    ----------
    X : ndarray, shape (n, p)
        The data set's X (rebuilt).
    membership : ndarray of bool, shape (p, g)
    primary : ndarray of int, shape (p,)
    study : dict
        ``recovery.npz``.
    replicates : ndarray, shape (B, len(TABLE3_PANELS), 3)
    tables : dict
        ``recovery``, ``remedies``, ``d_sweep`` rows (as read) of the tables.
    facts : dict
    settings : dict
        The study's settings (rule param ``settings``).

    Returns
    -------
    list of CheckResult
    """
    k_prec, rank = settings["precision_k"], settings["rank"]
    counts = X.sum(axis=0)
    columns = np.sort(np.argsort(-counts, kind="stable")[: settings["items"]])
    X_r = X[:, columns]
    X_r = X_r[X_r.sum(axis=1) > 0]
    member_r = membership[columns]
    same = (member_r.astype(int) @ member_r.T.astype(int)) > 0
    np.fill_diagonal(same, False)
    sigma_all, sigma, V = top_spectrum(X_r, rank)
    lam1, lam2 = suggested_lambdas(sigma_all, rank, n_items=X_r.shape[1])
    results = [
        gap_check("recovery_columns", "the recovery study's items are the most popular ones", study["columns"], columns, 0.0),
        gap_check("recovery_lambdas", "the recovery study's lambdas are the rule's on its data", study["lambdas"], [lam1, lam2]),
    ]
    # Table 3 on MovieLens: every panel's three scores.
    truth = (same | np.eye(same.shape[0], dtype=bool)).astype(float)
    expected = [second_route_scores(truth, same, k_prec)]
    for key, b in panel_scales(sigma, lam1, lam2).items():
        expected.append(second_route_scores(item_item_cosine(V * b), same, k_prec))
    expected = np.array(expected)
    results.append(gap_check("panel_scores", "every panel's AUC, precision and Spearman against genres",
                             study["panels"], expected))
    # The intervals: from the stored replicates; replicate 0 drawn again from its seed.
    rows = tables["recovery"]
    low, high = bootstrap_interval(study["panels"], replicates)
    table = np.array([[[float(row[s]), float(row[f"{s}_low"]), float(row[f"{s}_high"])] for s in SCORES] for row in rows])
    results += [
        at_most("recovery_panels", "the recovery table lists Table 3's panels in order, with their labels",
                0.0 if [(row["panel"], row["label"]) for row in rows] == [(key, TABLE3_LABELS[key]) for key in TABLE3_PANELS]
                else 1.0, 0.0),
        gap_check("recovery_table", "each cell is the score, or the score -/+ 1.96 bootstrap sd",
                  table, np.stack([study["panels"], low, high], axis=-1), 1e-12),
        gap_check("replicates", "the configured number of bootstrap replicates",
                  [replicates.shape[0], *[int(row["replicates"]) for row in rows]],
                  [settings["bootstrap_replicates"]] * (1 + len(rows)), 0.0),
    ]
    X_sparse_r = sp.csr_matrix(X_r)
    rows0 = resample_users(X_r.shape[0], 1, settings["bootstrap_seed"])[0]
    again = replicate_panels(X_sparse_r, rows0, genre_pairs(member_r, primary[columns]), rank, k_prec)
    results.append(gap_check("replicate_0", "bootstrap replicate 0 drawn again from its seed gives the same scores",
                             replicates[0], again, 1e-9))
    # The D sweep: both families and the random D, AUC and precision.
    g = shrinkage(sigma, lam1)
    sweep = {(row["family"], float(row["t"])): (float(row["auc"]), float(row["precision"])) for row in tables["d_sweep"]}
    family_b = {"sigma_power": lambda t: sigma**t, "shrinkage_power": lambda t: g**t}
    expected_sweep, measured_sweep = [], []
    for family in FAMILIES:
        for t in study["exponents"]:
            expected_sweep.append(second_route_scores(item_item_cosine(V * family_b[family](t)), same, k_prec)[:2])
            measured_sweep.append(sweep.get((family, float(t)), (np.nan, np.nan)))
    d_rows = lognormal_d(np.random.default_rng(settings["d_seed"]), settings["random_d_samples"], rank, settings["log_sd"])
    base = np.sqrt(g)
    for j, d in enumerate(d_rows):
        expected_sweep.append(second_route_scores(item_item_cosine(V * base / d), same, k_prec)[:2])
        measured_sweep.append(sweep.get(("random_d", float(j)), (np.nan, np.nan)))
    results += [
        gap_check("d_rows", "the random diagonals are drawn again from movielens' d_seed", study["d_rows"], d_rows, 0.0),
        at_most("d_sweep_rows", "the D-sweep table has one row per family and exponent and per random D",
                abs(len(tables["d_sweep"]) - len(measured_sweep)), 0),
        gap_check("d_sweep", "every AUC and precision of the D sweep", measured_sweep, expected_sweep),
    ]
    # Remedies: the table from the stored scores; its D-dependent rows against the second route.
    remedies = study["remedies"]
    remedy_table = [[float(row[c]) for c in ("auc", "auc_min", "auc_max", "auc_spread", "precision", "precision_spread")]
                    for row in tables["remedies"]]
    auc, precision = remedies[:, :, 0], remedies[:, :, 1]
    results += [
        at_most("remedy_keys", "the remedies table lists Table 4's approaches in order, with their labels",
                0.0 if [(row["approach"], row["label"]) for row in tables["remedies"]] == list(REMEDIES) else 1.0, 0.0),
        gap_check("remedy_table", "AUC at D = I, its min, max and spread over D, precision and its spread",
                  remedy_table, np.stack([auc[:, 0], auc.min(1), auc.max(1), auc.max(1) - auc.min(1), precision[:, 0],
                                          precision.max(1) - precision.min(1)], axis=1), 1e-12),
    ]
    n_d = remedies.shape[1] - 1
    all_d = np.vstack([np.ones(rank), d_rows[:n_d]])
    embedding = [second_route_scores(item_item_cosine(V * base / d), same, k_prec)[:2] for d in all_d]
    dot = [second_route_scores((V * base / d) @ (V * base / d).T, same, k_prec)[:2] for d in all_d]
    smoothed = V @ np.diag(g) @ V.T  # A B^T of Eq. 5, whatever D
    original = second_route_scores(item_item_cosine(smoothed.T), same, k_prec)[:2]
    results += [
        gap_check("remedy_embedding", "embedding cosine at D = I and each random D", remedies[REMEDY_KEYS.index("embedding_cosine"), :, :2], embedding),
        gap_check("remedy_dot_product", "dot product at D = I and each random D", remedies[REMEDY_KEYS.index("dot_product"), :, :2], dot),
        gap_check("remedy_original_space", "cosine of the columns of A B^T, the same under every D",
                  remedies[REMEDY_KEYS.index("original_space_AB"), :, :2], np.tile(original, (1 + n_d, 1))),
        at_most("unit_norm_excess", "unit-norm training ends within 10 % of the unconstrained optimum (bounded only)",
                float(np.max(study["unit_norm_relative_excess"])), 0.1),
    ]
    # Facts: the data's sizes, the share of same-genre pairs and how far D moves the cosines.
    base_cos = item_item_cosine(V * base)
    upper = np.triu_indices(base_cos.shape[0], k=1)
    change = np.array([np.abs(item_item_cosine(V * base / d) - base_cos)[upper] for d in d_rows])
    change = change[:, ~np.isnan(change).any(axis=0)]  # pairs with an undefined cosine are left out
    random_auc = np.array(measured_sweep[-len(d_rows):])[:, 0] if len(d_rows) else np.array([np.nan])
    results += [
        gap_check("facts_sizes", "the facts' n, p, interactions, recovery n and p, genres",
                  [facts["n_users"], facts["n_items"], facts["interactions"], facts["recovery_users"], facts["recovery_items"],
                   facts["genres"]],
                  [X.shape[0], X.shape[1], X.sum(), X_r.shape[0], X_r.shape[1], membership.shape[1]], 0.0),
        gap_check("facts_recovery_lambdas", "the facts' recovery lambdas are the rule's on the recovery data",
                  [facts["recovery_eq1_lambda"], facts["recovery_eq2_lambda"]], [lam1, lam2]),
        gap_check("facts_density", "the facts' density and share of same-genre pairs",
                  [facts["density"], facts["share_same_genre"]], [X.mean(), same[upper].mean()], 1e-12),
        gap_check("facts_cosine_change", "mean and largest change of a cosine under random D",
                  [facts["d_mean_cosine_change"], facts["d_max_cosine_change"]], [change.mean(axis=1).mean(), change.max()]),
        gap_check("facts_random_auc", "the range of the AUC under random D",
                  [facts["random_d_auc_min"], facts["random_d_auc_max"]], [random_auc.min(), random_auc.max()]),
        at_least("ground_truth_informative", "some but not all pairs share a genre (share >= 0.01)",
                 min(facts["share_same_genre"], 1 - facts["share_same_genre"]), 0.01),
    ]
    return results


def binarisation_checks(rows: list[dict], tables: dict) -> list[CheckResult]:
    """The binarisations' table against their recovery tables.

    Parameters
    ----------
    rows : list of dict
        ``movielens_binarisations.csv`` as read.
    tables : dict of str to list of dict
        Each data set's ``movielens_recovery.csv`` as read.

    Returns
    -------
    list of CheckResult
    """
    names = list(tables)
    measured, expected, labels_ok = [], [], True
    for index, row in enumerate(rows):
        for name in names:
            source = tables[name][index]
            labels_ok &= row["panel"] == source["panel"] and row["label"] == source["label"]
            for column in ("auc", "auc_low", "auc_high"):
                measured.append(float(row[f"{column}_{name}"]))
                expected.append(float(source[column]))
        if len(names) > 1:
            a, b = tables[names[0]][index], tables[names[1]][index]
            overlap = float(a["auc_low"]) <= float(b["auc_high"]) and float(b["auc_low"]) <= float(a["auc_high"])
            labels_ok &= row["intervals_overlap"] == ("yes" if overlap else "no")
    return [
        at_most("binarisation_rows", "one row per panel of every recovery table",
                abs(len(rows) - len(tables[names[0]])), 0),
        at_most("binarisation_labels", "panels and intervals_overlap as recomputed", 0.0 if labels_ok else 1.0, 0.0),
        gap_check("binarisation_values", "every AUC and interval end is its recovery table's", measured, expected, 0.0),
    ]


def findings_checks(findings: dict, claims: list[dict], training: list[dict], optimum_gap: float,
                    recovery: list[dict], d_sweep: list[dict], remedies: list[dict], facts: dict,
                    binarisations: list[dict], figure1_checks: list[dict]) -> list[CheckResult]:
    """``movielens_findings.json`` derived again from the tables, column by column with numpy.

    The thresholds are :mod:`cossim.movielens.findings`'s documented constants.

    Parameters
    ----------
    findings : dict
    claims, training, recovery, d_sweep, remedies, binarisations : list of dict
        The tables as read.
    optimum_gap : float
    facts : dict
    figure1_checks : list of dict
        The checks of ``figure1.json``.

    Returns
    -------
    list of CheckResult
    """
    from . import findings as rules

    pattern = {check["name"]: check["passed"] for check in figure1_checks}

    verdict = np.array([row["pass"] for row in claims])
    ids = np.array([row["id"] for row in claims])
    objective = np.array([row["objective"] for row in training])
    column = {key: np.array([float(row[key]) for row in training]) for key in
              ("objective_gap", "d_spread", "cosine_mean_abs_diff", "cosine_max_abs_diff")}
    eq1 = (objective == "eq1") & (column["objective_gap"] <= optimum_gap)
    eq2 = (objective == "eq2") & (column["objective_gap"] <= optimum_gap)
    auc = {row["panel"]: [float(row["auc"]), float(row["auc_low"]), float(row["auc_high"])] for row in recovery}
    model = np.array([value for key, value in auc.items() if key != "true_clusters"])
    sweep = np.array([float(row["auc"]) for row in d_sweep])
    spread = {row["approach"]: float(row["auc_spread"]) for row in remedies}
    three = [verdict[np.char.startswith(ids, key)][0] == "true" for key in ("3a_", "3b_", "3c_")]
    expected = {
        "claims.passed": (verdict == "true").sum(),
        "claims.failed": (verdict == "false").sum(),
        "claims.not_testable": (~np.isin(verdict, ["true", "false"])).sum(),
        "claims.holds": (verdict == "false").sum() == 0 and (verdict == "true").sum() > 0,
        "d_changes_cosines.max_cosine_change": facts["d_max_cosine_change"],
        "d_changes_cosines.holds": all(three) and facts["d_max_cosine_change"] > 0.1,
        "figure1_pattern.holds": all(pattern.get(name, False) for name in rules.PATTERN_CHECKS),
        "figure1_pattern.eq5_blocks_clear_seen": pattern.get("eq5_blocks_clear", False),
        "training_eq1_arbitrary.at_optimum": eq1.sum(),
        "training_eq1_arbitrary.d_spread_max": column["d_spread"][eq1].max() if eq1.any() else np.nan,
        "training_eq1_arbitrary.cosine_mean_abs_diff_max": column["cosine_mean_abs_diff"][eq1].max() if eq1.any() else np.nan,
        "training_eq1_arbitrary.holds": eq1.sum() >= 2 and column["d_spread"][eq1].max(initial=0) >= rules.ARBITRARY_SPREAD,
        "training_eq2_unique.cosine_max_abs_diff_max": column["cosine_max_abs_diff"][eq2].max() if eq2.any() else np.nan,
        "training_eq2_unique.holds": eq2.sum() >= 2 and (column["cosine_max_abs_diff"][eq2].max() if eq2.any() else np.inf) < rules.UNIQUE_COSINE,
        "d_changes_recovery.auc_min": sweep.min(),
        "d_changes_recovery.auc_max": sweep.max(),
        "d_changes_recovery.best_auc": model[:, 0].max(),
        "d_changes_recovery.holds": np.ptp(sweep) > rules.NOISE_FACTOR * np.mean((model[:, 2] - model[:, 1]) / 2),
        "eq2_not_better.holds": auc["eq2_unique"][1] <= auc["eq1_B_Vk_g_half"][2],
        "eq2_not_better.eq2_below_eq5": auc["eq2_unique"][2] < auc["eq1_B_Vk_g_half"][1],
        "remedy_d_invariant.original_space_spread": spread["original_space_AB"],
        "remedy_d_invariant.holds": spread["original_space_AB"] <= rules.INVARIANCE,
        "binarisations.panels_differing": len([row for row in binarisations if row.get("intervals_overlap") == "no"]),
        "claims.total": len(claims),
        "d_changes_cosines.mean_cosine_change": facts["d_mean_cosine_change"],
        "d_changes_cosines.claim_3c_measured": float(np.asarray([row["measured"] for row in claims])[np.char.startswith(ids, "3c_")][0]),
        "training_eq1_arbitrary.runs": (objective == "eq1").sum(),
        "training_eq1_arbitrary.d_spread_min": column["d_spread"][eq1].min() if eq1.any() else np.nan,
        "training_eq1_arbitrary.cosine_mean_abs_diff_min": column["cosine_mean_abs_diff"][eq1].min() if eq1.any() else np.nan,
        "training_eq2_unique.runs": (objective == "eq2").sum(),
        "training_eq2_unique.at_optimum": eq2.sum(),
        "d_changes_recovery.mean_interval_half_width": np.mean((model[:, 2] - model[:, 1]) / 2),
        "eq2_not_better.eq5_auc": auc["eq1_B_Vk_g_half"][0],
        "eq2_not_better.eq5_low": auc["eq1_B_Vk_g_half"][1],
        "eq2_not_better.eq5_high": auc["eq1_B_Vk_g_half"][2],
        "eq2_not_better.eq2_auc": auc["eq2_unique"][0],
        "eq2_not_better.eq2_low": auc["eq2_unique"][1],
        "eq2_not_better.eq2_high": auc["eq2_unique"][2],
        "remedy_d_invariant.original_space_auc": float(next(row["auc"] for row in remedies if row["approach"] == "original_space_AB")),
        "remedy_d_invariant.embedding_auc": float(next(row["auc"] for row in remedies if row["approach"] == "embedding_cosine")),
        "remedy_d_invariant.embedding_auc_min": float(next(row["auc_min"] for row in remedies if row["approach"] == "embedding_cosine")),
        "remedy_d_invariant.embedding_spread": spread["embedding_cosine"],
        "remedy_d_invariant.d_invariant": sum(value <= rules.INVARIANCE for value in spread.values()),
        "figure1_pattern.case_a_blocks_fainter_seen": pattern.get("case_a_blocks_fainter", False),
        "figure1_pattern.eq2_merged_high_seen": pattern.get("eq2_merged_high", False),
    }
    measured_pattern = {check["name"]: check["measured"] for check in figure1_checks}
    expected.update({f"figure1_pattern.{name}_measured": measured_pattern.get(name, np.nan) for name in rules.PATTERN_CHECKS})
    labels = {
        "d_changes_recovery.best_panel": max((row for row in recovery if row["panel"] != "true_clusters"),
                                             key=lambda row: float(row["auc"]))["panel"],
        "remedy_d_invariant.d_invariant": sorted(key for key, value in spread.items() if value <= rules.INVARIANCE),
        "claims.failed": [str(i) for i, v in zip(ids, verdict) if v == "false"],
        "claims.not_testable": [str(i) for i, v in zip(ids, verdict) if v not in ("true", "false")],
        "binarisations.panels_differing": [row["panel"] for row in binarisations if row.get("intervals_overlap") == "no"],
    }
    holds = [expected[f"{key}.holds"] for key in rules.CONCLUSIONS]
    scalars = {"conclusions_holding": sum(map(bool, holds)), "conclusions": len(holds),
               "claims_passed": expected["claims.passed"], "claims_total": len(claims)}
    scalars.update({f"{key}_holds": value for key, value in zip(rules.CONCLUSIONS, holds)})
    results = [gap_check(f"finding_{key}", f"findings' {key} derived again from the tables", float(findings[key]),
                         float(value), 0.0) for key, value in scalars.items()]
    for key, value in expected.items():
        section, name = key.split(".")
        found = findings[section][name]
        found = len(found) if isinstance(found, list) else found
        results.append(gap_check(f"finding_{key}", f"findings' {key} derived again from the tables",
                                 float(found), float(value), 1e-12))
    for key, value in labels.items():
        section, name = key.split(".")
        results.append(at_most(f"finding_{key}_names", f"findings' {key} names derived again from the tables",
                               0.0 if findings[section][name] == value else 1.0, 0.0))
    return results
