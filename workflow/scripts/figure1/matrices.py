"""Rule figure1_matrices: the five panels of Figure 1 in display order, and panel 4's best fit."""

from cossim.figure1.panel4 import fit_panel4, panel4_formula
from cossim.io import load_items, save_npz
from cossim.logs import logged_to
from cossim.model.panels import figure1_panels, has_ground_truth
from cossim.model.solve import load_fit
from cossim.published import load_published_levels
from cossim.published_profiles import load_published_profiles

with logged_to(snakemake.log[0]) as log:
    eq1, eq2 = load_fit(snakemake.input.eq1), load_fit(snakemake.input.eq2)
    item_cluster, popularity = load_items(snakemake.input.item_table)
    panels = figure1_panels(eq1.spectrum, item_cluster, popularity, eq1.lam, eq2.lam)
    log.info("panels: %s", ", ".join(panels))
    if has_ground_truth(item_cluster):
        # panel 4 stays as printed; the member of B = V_k dMat(sigma^t) closest to the published panel 4
        colour_range = snakemake.params.colour_range
        order = panels["order"]
        fit = fit_panel4(eq1.spectrum.V[order], eq1.spectrum.sigma, item_cluster[order],
                         load_published_levels(snakemake.input.published)["eq1_B_Vk_sigma2"],
                         load_published_profiles(snakemake.input.published_profiles)["eq1_B_Vk_sigma2"],
                         None if colour_range is None else tuple(colour_range))
        panels.update(panel4_best_fit=fit["cosine"], panel4_best_fit_formula=panel4_formula(fit["exponent"]),
                      panel4_best_fit_exponent=fit["exponent"], panel4_best_fit_block_mean_abs=fit["block_mean_abs"],
                      panel4_best_fit_profile_mean_abs=fit["profile_mean_abs"])
        log.info("panel 4 best fit: %s (blocks %.4f, profiles %.4f)", panel4_formula(fit["exponent"]),
                 fit["block_mean_abs"], fit["profile_mean_abs"])
    else:  # no clusters, no published-style levels to fit: the printed panel stands in
        panels.update(panel4_best_fit=panels["eq1_B_Vk_sigma2"],
                      panel4_best_fit_formula="not fitted: no ground-truth item clusters",
                      panel4_best_fit_exponent=float("nan"), panel4_best_fit_block_mean_abs=float("nan"),
                      panel4_best_fit_profile_mean_abs=float("nan"))
        log.info("panel 4 not fitted: no ground-truth item clusters")
    # uncompressed: deflating 48 MB of cosines cost 2.8 s on the rebuild's critical path for a quarter less space
    save_npz(snakemake.output.matrices, panels)
