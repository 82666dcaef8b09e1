"""Checks on the cluster-recovery study: they fail the workflow when a formula is wrong.

Each check is a mathematical fact, not a number from an earlier run: the ground-truth panel
scores perfectly, the D-invariant remedies do not move with D (to rounding), the sweep meets
Figure 1's panels where the families pass through them, and the unit-norm fit keeps unit rows,
never beats the unconstrained optimum of Eq. 1, and only descends.
"""

from __future__ import annotations

import numpy as np

from ..checking import CheckResult, at_least, at_most
from .study import REMEDY_KEYS, TABLE3_PANELS, spread_over_d

# (family, exponent, Table 3 panel it must reproduce)
FAMILY_PANEL_IDENTITIES = (
    ("sigma_power", 0.0, "eq1_B_Vk"),
    ("sigma_power", 2.0, "eq1_B_Vk_sigma2"),
    ("shrinkage_power", 0.0, "eq1_B_Vk"),
    ("shrinkage_power", 0.5, "eq1_B_Vk_g_half"),
)
D_INVARIANT_REMEDIES = ("original_space_AB", "original_space_XAB")


def check_recovery_study(summary: dict, invariance_tolerance: float = 1e-6) -> list[CheckResult]:
    """Verify the stacked per-seed results (see :func:`cossim.recovery_study.stack_seed_studies`)."""
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
        at_most("unit_norm_rows", "every unit-norm fit has unit-length item embeddings",
                np.max(summary["unit_norm_row_norm_error"]), 1e-9),
        at_least("unit_norm_not_below_optimum", "no constrained fit beats Eq. 1's unconstrained optimum (Eq. 5)",
                 np.min(summary["unit_norm_relative_excess"]), -1e-9),
        at_most("unit_norm_descends", "projected gradient never ends above its start (Eq. 1 value)",
                np.max(summary["unit_norm_relative_excess"] - summary["unit_norm_start_relative_excess"]), 1e-12),
        at_most("unit_norm_eliminated_a", "Eq. 1 at the fit equals tr(G) - tr(C P_B) (A eliminated in closed form)",
                np.max(summary["unit_norm_identity_gap"]), 1e-8),
    ]
    return results
