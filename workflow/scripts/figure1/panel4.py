"""Rule figure1_panel4: panel 4 as printed | the published panel 4 | the best fit of B = V_k dMat(sigma^t)."""

import matplotlib.pyplot as plt
import numpy as np

from cossim.figure1.panel4 import draw_panel4, published_level_image
from cossim.io import save_figure_atomic
from cossim.logs import logged_to
from cossim.published import load_published_levels
from cossim.published_profiles import load_published_profiles

with logged_to(snakemake.log[0]) as log:
    with np.load(snakemake.input.matrices) as stored:
        printed, best_fit = stored["eq1_B_Vk_sigma2"], stored["panel4_best_fit"]
        formula = str(stored["panel4_best_fit_formula"])
        fit = {key: float(stored[f"panel4_best_fit_{key}"]) for key in ("exponent", "block_mean_abs", "profile_mean_abs")}
    published = published_level_image(
        load_published_levels(snakemake.input.published)["eq1_B_Vk_sigma2"],
        load_published_profiles(snakemake.input.published_profiles)["eq1_B_Vk_sigma2"],
    )
    colour_range = snakemake.params.colour_range
    figure = draw_panel4(printed, published, best_fit, fit, None if colour_range is None else tuple(colour_range))
    save_figure_atomic(figure, snakemake.output.png, 120)
    plt.close(figure)
    log.info("wrote %s: best fit %s (blocks %.4f, profiles %.4f)", snakemake.output.png, formula,
             fit["block_mean_abs"], fit["profile_mean_abs"])
