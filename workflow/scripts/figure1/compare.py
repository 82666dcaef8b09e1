"""Rule compare_figure1: our panels' block levels against the digitised published Figure 1."""

import numpy as np

from cossim.figure1.compare import COMPARISON_COLUMNS, published_comparison
from cossim.io import load_items, save_csv
from cossim.logs import logged_to
from cossim.model.panels import has_ground_truth
from cossim.published import load_published_levels

with logged_to(snakemake.log[0]) as log:
    with np.load(snakemake.input.matrices) as stored:
        panels = dict(stored)
    item_cluster, _ = load_items(snakemake.input.item_table)
    colour_range = snakemake.params.colour_range
    colour_range = None if colour_range is None else tuple(colour_range)
    rows = []
    if has_ground_truth(item_cluster):
        sorted_clusters = item_cluster[panels["order"]]
        rows = published_comparison(panels, sorted_clusters, colour_range,
                                    load_published_levels(snakemake.input.published))
    else:
        log.info("no ground-truth clusters: block levels cannot be compared; the table is empty")
    for row in rows:
        log.info("%s: mean |error| %.4f, worst %.4f", row["panel"], row["mean_abs_error"], row["worst_abs_error"])
    save_csv(snakemake.output.table, list(COMPARISON_COLUMNS), rows)
