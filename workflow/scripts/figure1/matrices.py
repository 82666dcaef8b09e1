"""Rule figure1_matrices: the five panels of Figure 1 in display order."""

from cossim.io import load_items, save_npz
from cossim.logs import logged_to
from cossim.model.panels import figure1_panels
from cossim.model.solve import load_fit

with logged_to(snakemake.log[0]) as log:
    eq1, eq2 = load_fit(snakemake.input.eq1), load_fit(snakemake.input.eq2)
    item_cluster, popularity = load_items(snakemake.input.item_table)
    panels = figure1_panels(eq1.spectrum, item_cluster, popularity, eq1.lam, eq2.lam)
    log.info("panels: %s", ", ".join(panels))
    save_npz(snakemake.output.matrices, panels, compress=True)
