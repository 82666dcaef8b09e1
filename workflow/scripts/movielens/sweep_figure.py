"""Rule movielens_sweep_figure: the D sweep and the remedies on MovieLens, titled with the data set
and what counts as an interaction there."""

from cossim.io import load_table_csv, save_figure_atomic
from cossim.logs import logged_to
from cossim.movielens.plots import binarisation, draw_sweep
from cossim.movielens.tables import numeric_rows

with logged_to(snakemake.log[0]) as log:
    d_sweep = numeric_rows(load_table_csv(snakemake.input.d_sweep))
    remedies = numeric_rows(load_table_csv(snakemake.input.remedies))
    recovery = numeric_rows(load_table_csv(snakemake.input.recovery))
    log.info("%d sweep rows, %d remedies", len(d_sweep), len(remedies))
    title = (f"MovieLens 100k ({snakemake.wildcards.dataset}), an interaction = "
             f"{binarisation(snakemake.params.min_rating)}: genre recovery under D, and the remedies")
    save_figure_atomic(draw_sweep(d_sweep, remedies, recovery, title), snakemake.output.figure)
