"""Rule figure1_levels: the published Figure 1 and ours side by side, as block and profile levels."""

import matplotlib.pyplot as plt
import numpy as np

from cossim.figure1.levels import draw_levels_comparison, our_levels
from cossim.io import load_items, save_figure_atomic
from cossim.logs import logged_to
from cossim.model.panels import has_ground_truth
from cossim.published import load_published_levels
from cossim.published_profiles import load_published_profiles

with logged_to(snakemake.log[0]) as log:
    with np.load(snakemake.input.matrices) as stored:
        panels = dict(stored)
    item_cluster, _ = load_items(snakemake.input.item_table)
    colour_range = snakemake.params.colour_range
    colour_range = None if colour_range is None else tuple(colour_range)
    if has_ground_truth(item_cluster):
        blocks, profiles, sizes = our_levels(panels, item_cluster[panels["order"]], colour_range)
    else:  # no clusters: only the published row
        blocks = profiles = sizes = None
    figure = draw_levels_comparison(load_published_levels(snakemake.input.published),
                                    load_published_profiles(snakemake.input.published_profiles), blocks, profiles,
                                    sizes, f"published (top) and ours (bottom, data set {snakemake.wildcards.dataset})")
    save_figure_atomic(figure, snakemake.output.png, 120)
    plt.close(figure)
    log.info("wrote %s: cluster sizes %s", snakemake.output.png, sizes)
