"""Rule check_claims: fail the workflow, naming the claim, if any row of Table 1 fails, a claim is
missing, or a cell disagrees with the configuration and the data."""

from cossim.checking import run_checks
from cossim.claims.checks import table_checks
from cossim.claims.table_checks import check_table1
from cossim.io import load_interactions, load_table_csv
from cossim.logs import logged_to

with logged_to(snakemake.log[0]) as log:
    params = snakemake.params
    table = load_table_csv(snakemake.input.table)
    X = load_interactions(snakemake.input.interactions)
    try:
        rejudged = table_checks(table)
    except (KeyError, TypeError, ValueError):  # a cell that is no number: check_table1 names its column
        rejudged = []
    results = rejudged + check_table1(table, X, params.dataset, params.rank, params.eq2_lambda, params.claims)
    run_checks(results, log, f"Claims check (see {snakemake.log[0]})", snakemake.output.report)
