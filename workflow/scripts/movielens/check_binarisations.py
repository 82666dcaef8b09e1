"""Rule check_movielens_binarisations: the binarisations' table against their recovery tables."""

from cossim.checking import run_checks
from cossim.io import load_table_csv
from cossim.logs import logged_to
from cossim.movielens.checks import binarisation_checks

with logged_to(snakemake.log[0]) as log:
    tables = {name: load_table_csv(path) for name, path in zip(snakemake.params.datasets, snakemake.input.tables)}
    results = binarisation_checks(load_table_csv(snakemake.input.table), tables)
    run_checks(results, log, f"MovieLens binarisations check (see {snakemake.log[0]})", snakemake.output.report)
