"""Rule figure1_levels: the published Figure 1 and ours side by side, as block and profile levels;
on data the published figure does not speak of, ours alone."""

import matplotlib.pyplot as plt
import numpy as np

from cossim.figure1.levels import our_levels
from cossim.figure1.panel4 import PUBLISHED_CLUSTER_SIZES
from cossim.figure1.plots import draw_levels, levels_title
from cossim.io import load_items, save_figure_atomic
from cossim.logs import logged_to
from cossim.model.panels import has_ground_truth
from cossim.published import load_published_levels
from cossim.published_profiles import load_published_profiles

with logged_to(snakemake.log[0]) as log:
    with np.load(snakemake.input.matrices) as stored:
        panels = dict(stored)
    item_cluster, _ = load_items(snakemake.input.item_table)
    params = snakemake.params
    colour_range = None if params.colour_range is None else tuple(params.colour_range)
    rows, sizes = [], None
    if params.published_reference:
        rows.append(("published", load_published_levels(snakemake.input.published),
                     load_published_profiles(snakemake.input.published_profiles), PUBLISHED_CLUSTER_SIZES))
    if has_ground_truth(item_cluster):
        blocks, profiles, sizes = our_levels(panels, item_cluster[panels["order"]], colour_range)
        rows.append(("ours", blocks, profiles, sizes))
    figure = draw_levels(rows, levels_title(snakemake.wildcards.dataset, params.published_reference,
                                            has_ground_truth(item_cluster), params.clusters))
    save_figure_atomic(figure, snakemake.output.png, 120)
    plt.close(figure)
    log.info("wrote %s: cluster sizes %s", snakemake.output.png, sizes)
