"""Rule check_claims: fail the workflow, naming the claim, if any row of Table 1 fails or a claim is missing."""

from cossim.checking import run_checks
from cossim.claims.checks import table_checks
from cossim.io import load_table_csv
from cossim.logs import logged_to

with logged_to(snakemake.log[0]) as log:
    results = table_checks(load_table_csv(snakemake.input.table))
    run_checks(results, log, f"Claims check (see {snakemake.log[0]})", snakemake.output.report)
