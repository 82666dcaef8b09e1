"""Checks on the cluster-recovery study: they fail the workflow when a formula is wrong.

Each check is a mathematical fact, not a number from an earlier run: the ground-truth panel
scores perfectly, the D-invariant remedies do not move with D (to rounding), the sweep meets
Figure 1's panels where the families pass through them, and the unit-norm fit keeps unit rows,
never beats the unconstrained optimum of Eq. 1, and only descends. The findings the study quotes
agree with Table 4, and the user-user scores are recomputed by an independent route.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import mannwhitneyu

from ..checking import CheckResult, at_least, at_most
from ..io import load_json
from ..model.similarity import items_without_interactions, misplaced_undefined, users_without_interactions
from .recompute import independent_scores
from .study import REMEDY_KEYS, TABLE3_PANELS
from .tables import spread_over_d
from .user_panels import ORIGINAL_SPACE_KEY, user_panel_columns

# (family, exponent, Table 3 panel it must reproduce)
FAMILY_PANEL_IDENTITIES = (
    ("sigma_power", 0.0, "eq1_B_Vk"),
    ("sigma_power", 2.0, "eq1_B_Vk_sigma2"),
    ("shrinkage_power", 0.0, "eq1_B_Vk"),
    ("shrinkage_power", 0.5, "eq1_B_Vk_g_half"),
)
D_INVARIANT_REMEDIES = ("original_space_AB", "original_space_XAB")
# A stored score is written with 6 decimals: it is within 5e-7 of the exact value.
STORED_SCORE_TOLERANCE = 1e-6


def check_recovery_study(summary: dict, invariance_tolerance: float = 1e-6) -> list[CheckResult]:
    """Verify the stacked per-seed results of every seed.

    Parameters
    ----------
    summary : dict of ndarrays
        As written by rule ``recovery_tables`` (:func:`cossim.recovery.tables.stack_seed_studies`
        plus ``family_keys``): ``panels`` (n_seeds, len(TABLE3_PANELS), 3), ``remedies``
        (n_seeds, len(REMEDIES), n_d, 3), ``families`` (n_seeds, n_families, n_exponents, 3),
        ``exponents`` (n_exponents,) and the unit-norm diagnostics (n_seeds, n_d).
    invariance_tolerance : float
        Largest score range over D that counts as no movement (rounding).

    Returns
    -------
    list of CheckResult
    """
    panels, remedies = summary["panels"], summary["remedies"]
    families, exponents = summary["families"], summary["exponents"]
    family_keys = [str(key) for key in summary["family_keys"]]
    truth = panels[:, TABLE3_PANELS.index("true_clusters")]
    results = [
        at_most("truth_scores_perfectly", "the true block matrix has AUC 1 and Spearman 1 on every seed",
                np.max(np.abs(truth[:, [0, 2]] - 1.0)), 1e-12),
        at_most("scores_in_range", "every AUC and precision lies in [0, 1]",
                max(np.max(-panels[..., :2]), np.max(panels[..., :2] - 1.0), np.max(-remedies[..., :2]),
                    np.max(remedies[..., :2] - 1.0)), 0.0),
    ]
    for key in D_INVARIANT_REMEDIES:
        spread = np.max(spread_over_d(remedies[:, REMEDY_KEYS.index(key)]))
        results.append(at_most(f"{key}_invariant_under_d", f"{key}: no score moves under random D (Eq. 3)",
                               spread, invariance_tolerance))
    embedding = np.mean(spread_over_d(remedies[:, REMEDY_KEYS.index("embedding_cosine")])[:, 0])
    results.append(at_least("embedding_cosine_moves_under_d",
                            "the AUC of Eq. 5's embedding cosine moves under random D (mean range over seeds >= 0.01)",
                            embedding, 0.01))
    eq5 = panels[:, TABLE3_PANELS.index("eq1_B_Vk_g_half")]
    results.append(at_most("remedy_identity_is_panel2", "embedding cosine at D = I reproduces panel 2's scores",
                           np.max(np.abs(remedies[:, REMEDY_KEYS.index("embedding_cosine"), 0] - eq5)), 1e-12))
    for family, t, panel in FAMILY_PANEL_IDENTITIES:
        hits = np.flatnonzero(np.isclose(exponents, t, rtol=0.0, atol=1e-12))
        if hits.size == 0:
            continue
        difference = np.max(np.abs(families[:, family_keys.index(family), hits[0]] - panels[:, TABLE3_PANELS.index(panel)]))
        results.append(at_most(f"{family}_t{t:g}_is_{panel}", f"family {family} at t = {t:g} reproduces {panel}",
                               difference, 1e-6))
    results += [
        at_most("unit_norm_rows", "every unit-norm fit has unit-length item embeddings (items with interactions)",
                np.max(summary["unit_norm_row_norm_error"]), 1e-9),
        at_least("unit_norm_not_below_optimum", "no constrained fit beats Eq. 1's unconstrained optimum (Eq. 5)",
                 np.min(summary["unit_norm_relative_excess"]), -1e-9),
        at_most("unit_norm_descends", "projected gradient never ends above its start (Eq. 1 value)",
                np.max(summary["unit_norm_relative_excess"] - summary["unit_norm_start_relative_excess"]), 1e-12),
        at_most("unit_norm_eliminated_a", "Eq. 1 at the fit equals tr(G) - tr(C P_B) (A eliminated in closed form)",
                np.max(summary["unit_norm_identity_gap"]), 1e-8),
    ]
    return results


def check_findings(findings: dict, summary: dict, table4: list[dict]) -> list[CheckResult]:
    """Verify the quoted findings (:func:`cossim.recovery.findings.recovery_findings`).

    The D ranges are compared with Table 4's ``auc_range_over_d`` means, computed there by
    another route (:func:`cossim.recovery.tables.table4_rows`) and stored with 6 decimals.

    Parameters
    ----------
    findings : dict
        The rule's findings JSON.
    summary : dict of ndarrays
        The stacked per-seed arrays (``seeds`` of shape (n_seeds,)).
    table4 : list of dict
        Rows of Table 4 as read from its CSV (cells as strings).

    Returns
    -------
    list of CheckResult
    """
    n_seeds = int(np.asarray(summary["seeds"]).size)
    best = sum(value for key, value in findings.items() if key.startswith("best_panel_seeds__"))
    scores = [value for key, value in findings.items()
              if "auc" in key and not key.endswith(("_t", "_draws", "_ranking", "_correlation"))]
    spread = [findings[f"random_d_auc_{name}"] for name in ("min", "q05", "q95", "max")]
    table4_means = {row["method"]: float(row["auc_range_over_d"]) for row in table4 if row["statistic"] == "mean"}
    range_gap = max(
        abs(findings["embedding_cosine_mean_auc_range"] - table4_means["embedding_cosine"]),
        abs(findings["unit_norm_training_mean_auc_range"] - table4_means["unit_norm_training"]),
    )
    return [
        at_most("findings_seed_count", "the findings cover every seed, and each seed has one best panel",
                max(abs(findings["n_seeds"] - n_seeds), abs(best - n_seeds)), 0.0),
        at_most("findings_scores_in_range", "every AUC (and AUC range) quoted lies in [0, 1]",
                max(max(-min(scores), 0.0), max(max(scores) - 1.0, 0.0)), 0.0),
        at_most("findings_random_d_ordered", "random-D AUC: min <= 5% quantile <= 95% quantile <= max",
                max(0.0, -float(np.min(np.diff(spread)))), 0.0),
        at_most("findings_ranges_match_table4",
                "the quoted mean AUC ranges over D equal Table 4's (embedding cosine, unit-norm training)",
                range_gap, STORED_SCORE_TOLERANCE),
    ]


def mann_whitney_auc(similarity: np.ndarray, clusters: np.ndarray) -> float:
    """The pair AUC by another route than :func:`cossim.recovery.scores.pair_auc`: scipy's
    Mann-Whitney U of same-cluster against different-cluster pairs i < j, over ``n_1 n_0``; pairs
    with an undefined (NaN) similarity are left out.

    Parameters
    ----------
    similarity : ndarray, shape (m, m)
    clusters : ndarray of int, shape (m,)

    Returns
    -------
    float
        In [0, 1].
    """
    upper = np.triu_indices(clusters.size, k=1)
    values = similarity[upper]
    same = clusters[upper[0]] == clusters[upper[1]]
    defined = ~np.isnan(values)
    positives, negatives = values[same & defined], values[~same & defined]
    return float(mannwhitneyu(positives, negatives).statistic / (positives.size * negatives.size))


def check_user_scores(users: dict, rows: list[dict], k: int = 10) -> list[CheckResult]:
    """Verify the user-user scores (rule ``user_similarity_matrices``) against the stored matrices.

    Parameters
    ----------
    users : dict of ndarrays
        The user panels (:func:`cossim.recovery.user_panels.user_similarity_panels`):
        ``user_user__<key>`` (m, m), ``user_cluster`` (m,).
    rows : list of dict
        Rows of the user-score CSV (cells as strings): ``scaling``, ``auc``,
        ``precision_at_<k>``, ``spearman``.
    k : int
        k of precision@k.

    Returns
    -------
    list of CheckResult
    """
    stored = {row["scaling"]: row for row in rows}
    columns = user_panel_columns()
    keys = [key for key, _ in columns]
    names = ("auc", f"precision_at_{k}", "spearman")
    missing = dict.fromkeys(names, "nan")  # a missing row fails every check below

    def cell(key, name):
        try:
            return float(stored.get(key, missing).get(name, "nan"))
        except (TypeError, ValueError):
            return float("nan")

    values = np.array([[cell(key, name) for name in names] for key in keys])
    recomputed = np.array([independent_scores(users[f"user_user__{key}"], users["user_cluster"], k) for key in keys])
    recomputed[:, 0] = [mann_whitney_auc(users[f"user_user__{key}"], users["user_cluster"]) for key in keys]
    case_a, original = users["user_user__case_a"], users[f"user_user__{ORIGINAL_SPACE_KEY}"]
    identity = (float(np.nanmax(np.abs(case_a - original), initial=0.0))
                if np.array_equal(np.isnan(case_a), np.isnan(original)) else np.inf)
    labels = [(row.get("scaling"), row.get("label")) for row in rows]
    results = [
        at_most("user_scores_cover_every_panel", "one user score row per user panel, no other, labels as expected",
                len(set(stored) ^ set(keys)) + (0 if labels == columns else 1), 0),
        at_most("user_scores_in_range", "every user-user AUC and precision lies in [0, 1]",
                max(np.max(-values[:, :2]), np.max(values[:, :2] - 1.0)), 0.0),
    ]
    statements = {"auc": "scipy's Mann-Whitney U / (n_1 n_0)", names[1]: "its count over each user's sorted row",
                  "spearman": "scipy's spearmanr against the 0/1 truth"}
    for c, name in enumerate(names):
        gap = np.abs(values[:, c] - recomputed[:, c])
        if c == 1:  # a precision outside [0, 1] fails user_scores_in_range; this check sees the others
            gap = gap[(values[:, c] >= 0.0) & (values[:, c] <= 1.0)]
        results.append(at_most("user_auc_recomputed" if name == "auc" else f"user_{name}_recomputed",
                               f"every user-user {name} equals {statements[name]} on the stored matrix",
                               np.inf if np.any(np.isnan(gap)) else np.max(gap, initial=0.0), STORED_SCORE_TOLERANCE))
    results.append(at_most("user_case_a_is_original_space",
                           "Case A's user-user cosine equals that of the rows of X A B^T (V_k orthonormal)",
                           identity, 1e-9))
    return results


def check_user_undefined_cosines(users: dict, X, item_order: np.ndarray) -> list[CheckResult]:
    """Every user panel holds NaN exactly where a cosine is undefined, decided from X (Eq. 4).

    A user who chose no item has a zero row of X, so a zero embedding ``x_u A`` and a zero smoothed
    row ``x_u A B^T``: every cosine with it, itself included, is undefined. An item no user chose
    has a zero row of ``V_k`` and of every ``B``, so its embedding cosines are undefined too; in the
    original item space a user is compared with the indicator ``e_j``, which has a direction, so
    there its cosines are defined. Per matrix, the count of finite entries where the cosine is
    undefined plus the count of non-finite entries elsewhere must be 0.

    Parameters
    ----------
    users : dict of ndarrays
        The user panels (:func:`cossim.recovery.user_panels.user_similarity_panels`):
        ``users`` (m,) the sampled rows of X in display order, ``user_user__<key>`` (m, m),
        ``user_item__<key>`` (m, p) with items in display order.
    X : scipy.sparse matrix or ndarray, shape (n, p)
        The interactions.
    item_order : ndarray of int, shape (p,)
        The item at each display position (:func:`cossim.model.panels.display_order`).

    Returns
    -------
    list of CheckResult
        Two per user panel, ``user_user__<key>_undefined_exactly_for_empty_users`` and
        ``user_item__<key>_undefined_exactly_for_empty_users``.
    """
    empty_users = users_without_interactions(X)[users["users"]]
    empty_items = items_without_interactions(X)[item_order]
    counts = f"the {int(empty_users.sum())} sampled users and {int(empty_items.sum())} items without interactions"
    results = []
    for key, _ in user_panel_columns():
        item_columns = np.zeros_like(empty_items) if key == ORIGINAL_SPACE_KEY else empty_items
        for kind, undefined, where in (
            ("user_user", empty_users[:, None] | empty_users[None, :], "row and column of an empty user"),
            ("user_item", empty_users[:, None] | item_columns[None, :],
             "row of an empty user" + ("" if key == ORIGINAL_SPACE_KEY else " and column of an empty item")),
        ):
            misplaced = misplaced_undefined(users[f"{kind}__{key}"], undefined)
            results.append(at_most(
                f"{kind}__{key}_undefined_exactly_for_empty_users",
                f"{kind.replace('_', '-')} {key}: NaN in every {where} ({counts}) and finite elsewhere "
                "(count of entries that are not)", float(misplaced), 0.0))
    return results


def seed_check_results(report_paths) -> list[CheckResult]:
    """The per-seed recomputation checks, read back from the reports of rule ``check_recovery_seed``.

    Parameters
    ----------
    report_paths : sequence of path
        One JSON report per seed, in seed order (``{"checks": [CheckResult.as_dict(), ...]}``).

    Returns
    -------
    list of CheckResult
        In seed order, as :func:`check_seeds_recomputed` returns them.
    """
    results = []
    for path in report_paths:
        results += [CheckResult(**entry) for entry in load_json(path)["checks"]]
    return results
