"""Rule movielens_binarisations: each panel's AUC against genres under both binarisations."""

from cossim.io import load_table_csv, save_table_csv
from cossim.logs import logged_to
from cossim.movielens.tables import binarisation_rows

with logged_to(snakemake.log[0]) as log:
    tables = {
        name: [{**row, **{key: float(row[key]) for key in ("auc", "auc_low", "auc_high")}} for row in load_table_csv(path)]
        for name, path in zip(snakemake.params.datasets, snakemake.input.tables)
    }
    rows = binarisation_rows(tables)
    log.info("%d panels compared over %s", len(rows), ", ".join(tables))
    save_table_csv(snakemake.output.table, rows)
