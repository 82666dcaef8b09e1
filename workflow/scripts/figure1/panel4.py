"""Rule figure1_panel4: the member of B = V_k dMat(sigma^t) closest to the published panel 4, and
panel 4 as printed | the published panel 4 | that best fit, side by side. On data the published
figure does not speak of (not the simulation, or no ground-truth clusters) nothing is fitted, and
panel 4 is drawn alone."""

import matplotlib.pyplot as plt
import numpy as np

from cossim.figure1.panel4 import fit_panel4, panel4_formula, published_level_image
from cossim.figure1.plots import draw_panel4
from cossim.io import load_items, save_figure_atomic, save_npz
from cossim.logs import logged_to
from cossim.model.panels import has_ground_truth
from cossim.model.solve import load_fit
from cossim.published import load_published_levels
from cossim.published_profiles import load_published_profiles

with logged_to(snakemake.log[0]) as log:
    inputs = snakemake.input
    with np.load(inputs.matrices) as stored:
        printed, order = stored["eq1_B_Vk_sigma2"], stored["order"]
    item_cluster, _ = load_items(inputs.item_table)
    published_levels = load_published_levels(inputs.published)["eq1_B_Vk_sigma2"]
    published_profiles = load_published_profiles(inputs.published_profiles)["eq1_B_Vk_sigma2"]
    colour_range = snakemake.params.colour_range
    colour_range = None if colour_range is None else tuple(colour_range)
    if not snakemake.params.published_reference:
        reason = "no published reference on this data"
    elif not has_ground_truth(item_cluster):
        reason = "no ground-truth item clusters"
    else:
        reason = None
    if reason is None:
        spectrum = load_fit(inputs.eq1).spectrum
        fit = fit_panel4(spectrum.V[order], spectrum.sigma, item_cluster[order], published_levels,
                         published_profiles, colour_range)
        formula = panel4_formula(fit["exponent"])
        best_fit = fit["cosine"]
        figure = draw_panel4(printed, colour_range, published_level_image(published_levels, published_profiles),
                             best_fit, fit)
    else:  # nothing to fit against: the printed panel stands in, and is drawn alone
        fit = dict.fromkeys(("exponent", "block_mean_abs", "profile_mean_abs"), float("nan"))
        formula, best_fit = f"not fitted: {reason}", printed
        figure = draw_panel4(printed, colour_range)
    save_npz(snakemake.output.fit, {
        "panel4_best_fit": best_fit, "panel4_best_fit_formula": formula,
        **{f"panel4_best_fit_{key}": fit[key] for key in ("exponent", "block_mean_abs", "profile_mean_abs")},
    })
    save_figure_atomic(figure, snakemake.output.png, 120)
    plt.close(figure)
    log.info("wrote %s: best fit %s (blocks %.4f, profiles %.4f)", snakemake.output.png, formula,
             fit["block_mean_abs"], fit["profile_mean_abs"])
