"""One vocabulary for readers: the name a figure, table or page shows for each key of the code.

The code keys its panels, scalings and approaches by short identifiers (``eq1_B_Vk_g_half``,
``case_a``, ``original_space_AB``); a reader thinks "panel 2: Eq. 5, D = I". Every figure title,
table label and page takes its names from here, so that one thing has one name across the studies.
Identifiers stay in the CSVs' key columns (they are stable for code and tests); the ``label``
columns and everything drawn carry these names.
"""

from __future__ import annotations

PANEL_NAMES = {
    "true_clusters": "panel 1: true clusters",
    "eq1_B_Vk_g_half": "panel 2: Eq. 5, D = I",
    "eq1_B_Vk": "panel 3: B = V_k (Case A)",
    "eq1_B_Vk_sigma2": "panel 4: B = V_k dMat(σ²)",
    "eq2_unique": "panel 5: Eq. 2, unique (Eq. 6)",
    "eq1_inverse_sqrt_sigma": "Eq. 1, D = dMat(σ^(-1/2)) (Section 2.3)",
}
"""Figure 1's panels (display order), and Section 2.3's suggested re-scaling of Eq. 1."""

PANEL_FORMULAS = {
    "true_clusters": "1 within a cluster, 0 between",
    "eq1_B_Vk_g_half": "B = V_k dMat(1/(1 + λ/σ²))^(1/2)",
    "eq1_B_Vk": "B = V_k",
    "eq1_B_Vk_sigma2": "B = V_k dMat(σ²)",
    "eq2_unique": "B = V_k dMat(σ (1 - λ/σ)_+)^(1/2)",
    "eq1_inverse_sqrt_sigma": "B = V_k dMat(g^(1/2) σ^(1/2))",
}
"""The item embeddings each panel takes its cosines from (g = 1/(1 + λ/σ²), Eq. 5)."""

SCALING_NAMES = {
    "eq5": PANEL_NAMES["eq1_B_Vk_g_half"],
    "case_a": PANEL_NAMES["eq1_B_Vk"],
    "sigma_squared": PANEL_NAMES["eq1_B_Vk_sigma2"],
    "case_b": "Eq. 1, A = V_k (Case B)",
    "inverse_sqrt_sigma": PANEL_NAMES["eq1_inverse_sqrt_sigma"],
    "eq2": PANEL_NAMES["eq2_unique"],
    "eq2_unique": PANEL_NAMES["eq2_unique"],
    "original_space": "rows of X A B^T (remedy 2, the same for every D)",
}
"""The re-scalings D of Eq. 1 (Eq. 3) by the code's names, in the panels' words where they are one."""

REMEDY_NAMES = {
    "embedding_cosine": "cosine of item embeddings B(D), normalised after training (Figure 1)",
    "dot_product": "unnormalised dot product B(D) B(D)^T (baseline)",
    "original_space_AB": "cosine of the columns of A B^T (remedy 2)",
    "original_space_XAB": "cosine of the columns of X A B^T (remedy 2)",
    "standardised_X": "Eq. 1 on X with standardised columns, then embedding cosine (remedy 3)",
    "inverse_propensity": "Eq. 1 on X dMat(count^(-1/2)), then embedding cosine (remedy 3)",
    "frequency_3_4": "Eq. 1 on X reweighted to frequency^(3/4), then embedding cosine (remedy 3)",
    "unit_norm_training": "Eq. 1 trained with unit-norm item embeddings, started from B(D) (remedy 1)",
}
"""The approaches of Section 3 (Table 4), in the order they are compared."""

OBJECTIVE_NAMES = {"eq1": "Eq. 1 (penalty on A B^T)", "eq2": "Eq. 2 (penalty on X A and B)"}

FAMILY_NAMES = {
    "sigma_power": "B = V_k dMat(σ^t)",
    "shrinkage_power": "B = V_k dMat(g^t)",
}
"""The two one-parameter families of Eq. 1 optima of the D sweep."""

READING_CHOICE_NAMES = {
    "cluster_probabilities": "{} cluster probabilities",
    "item_popularity_law": "item popularity by the {} law",
    "user_activity_law": "user activity by the {} law",
    "min_items_per_user": "at least {} items per user",
    "max_items_per_user": "at most {} items per user",
    "preference_concentration": "preference concentration {}",
}
"""The fidelity study's choices of a reading (simulation keys the paper leaves unstated), with
their value in place of ``{}``."""

STATISTIC_NAMES = {"ci95_low": "95 % interval: low", "ci95_high": "95 % interval: high"}
"""The summary rows of the seed tables (``statistic``: ``mean`` and its Student-t interval)."""

READER_NAMES = {**SCALING_NAMES, **PANEL_NAMES, **REMEDY_NAMES, **OBJECTIVE_NAMES, **FAMILY_NAMES,
                **STATISTIC_NAMES}


def reader_name(key: str) -> str:
    """The name a reader is shown for the code's ``key`` (the key itself if it has none)."""
    return READER_NAMES.get(key, key)


def panel_number(key: str) -> int | None:
    """Figure 1's panel number (1-5) of a panel key, or None for a key that is not a panel."""
    name = PANEL_NAMES.get(key, "")
    return int(name.split(":")[0].split()[1]) if name.startswith("panel ") else None


PANEL_FORMULAS_DRAWN = {
    "true_clusters": PANEL_FORMULAS["true_clusters"],
    "eq1_B_Vk_g_half": r"$B = V_k\,\mathrm{dMat}(1/(1 + \lambda/\sigma_i^2))^{1/2}$",
    "eq1_B_Vk": r"$B = V_k$",
    "eq1_B_Vk_sigma2": r"$B = V_k\,\mathrm{dMat}(\sigma_i^2)$",
    "eq2_unique": r"$B = V_k\,\mathrm{dMat}(\sigma_i\,(1 - \lambda/\sigma_i)_+)^{1/2}$",
    "eq1_inverse_sqrt_sigma": r"$B = V_k\,\mathrm{dMat}(g_i^{1/2}\,\sigma_i^{1/2})$",
}
""":data:`PANEL_FORMULAS` as matplotlib mathtext, for figures (one line each, no stacked fractions)."""


def panel_title(key: str) -> str:
    """A figure's two-line title of a panel: its name, then its formula (mathtext)."""
    return f"{PANEL_NAMES[key]}\n{PANEL_FORMULAS_DRAWN[key]}"

COLUMN_NAMES = {
    "label": "what",
    "panel": "panel",
    "within_large": "within the large clusters",
    "published_within_large": "published, within the large clusters",
    "between_large": "between the large clusters",
    "published_between_large": "published, between the large clusters",
    "within_small": "within the small clusters",
    "published_within_small": "published, within the small clusters",
    "mean_abs_error": "mean error against the published levels",
    "worst_abs_error": "worst error against the published levels",
    "auc": "AUC",
    "auc_low": "AUC, 95 % interval: low",
    "auc_high": "high",
    "auc_min": "lowest AUC over D",
    "auc_max": "highest AUC over D",
    "auc_spread": "AUC spread over D",
    "auc_range_over_d": "AUC range over D",
    "precision": "precision@k",
    "precision_at_10": "precision@10",
    "spearman": "Spearman",
    "statistic": "over the seeds",
    "objective_gap": "objective above the closed form (relative)",
    "product_distance": "distance of A B^T from the closed form's",
    "d_spread": "spread of the implied D (max d / min d)",
    "d_off_diagonal": "off-diagonal part of the implied D",
    "cosine_max_abs_diff": "largest change of an item cosine",
    "cosine_mean_abs_diff": "mean change of the item cosines",
    "init_scale": "initial scale",
    "intervals_overlap": "intervals overlap",
    "overall_seed_sd": "overall, standard deviation over seeds",
    "block_overall": "block levels",
    "profile_overall": "popularity profiles",
    "gradient_signs_right": "gradient signs as published",
    "colour_range": "colour range",
    "best_mean_abs": "best reading: block error",
    "best_profile_mean_abs": "best reading: profile error",
    "best_seed_spread": "best reading: spread over seeds",
    "default_mean_abs": "default reading: block error",
    "default_profile_mean_abs": "default reading: profile error",
    "lowest_mean_abs": "lowest block error of any reading",
    "lowest_reading": "reached by",
    "lowest_profile_mean_abs": "lowest profile error of any reading",
    "lowest_profile_reading": "reached by",
    "key": "panel key",
    "pass": "holds",
    "where": "paper",
}
"""Headers of the table columns a page shows (a column not named here is shown as its CSV name in
words); every column is defined in the data dictionary (:mod:`cossim.data_dictionary`)."""


def column_name(column: str) -> str:
    """The header a page shows for a CSV column."""
    if column in COLUMN_NAMES:
        return COLUMN_NAMES[column]
    for prefix, name in (("published_gradient_c", "published gradient, cluster "),
                         ("best_gradient_c", "best reading's gradient, cluster "),
                         ("default_gradient_c", "default reading's gradient, cluster ")):
        if column.startswith(prefix):
            return name + column[len(prefix):]
    for base in ("auc_low", "auc_high", "auc"):
        if column.startswith(base + "_"):
            return f"{COLUMN_NAMES[base]} ({column[len(base) + 1:]})"
    return column.replace("_", " ")
