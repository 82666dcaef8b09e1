"""Rule figure1_matrices: the five panels of Figure 1 in display order, and their block levels
against the digitised published Figure 1 (the table check_figure1 verifies)."""

from cossim.figure1.compare import COMPARISON_COLUMNS, published_comparison
from cossim.io import load_items, save_csv, save_npz
from cossim.logs import logged_to
from cossim.model.panels import figure1_panels, has_ground_truth
from cossim.model.solve import load_fit
from cossim.published import load_published_levels

with logged_to(snakemake.log[0]) as log:
    eq1, eq2 = load_fit(snakemake.input.eq1), load_fit(snakemake.input.eq2)
    item_cluster, popularity = load_items(snakemake.input.item_table)
    panels = figure1_panels(eq1.spectrum, item_cluster, popularity, eq1.lam, eq2.lam)
    log.info("panels: %s", ", ".join(panels))
    # uncompressed: deflating the cosines cost 2.8 s on the rebuild's critical path for a quarter less space
    save_npz(snakemake.output.matrices, panels)
    colour_range = snakemake.params.colour_range
    rows = []
    if has_ground_truth(item_cluster):
        rows = published_comparison(panels, item_cluster[panels["order"]],
                                    None if colour_range is None else tuple(colour_range),
                                    load_published_levels(snakemake.input.published))
    else:
        log.info("no ground-truth clusters: block levels cannot be compared; the table is empty")
    for row in rows:
        log.info("%s: mean |error| %.4f, worst %.4f", row["panel"], row["mean_abs_error"], row["worst_abs_error"])
    save_csv(snakemake.output.table, list(COMPARISON_COLUMNS), rows)
