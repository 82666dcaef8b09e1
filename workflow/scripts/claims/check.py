"""Rule check_claims: fail the workflow, naming the claim, if any row of Table 1 fails."""

from cossim.checking import raise_on_failure
from cossim.claims.measure import table_checks
from cossim.io import load_table_csv, save_json
from cossim.logs import logged_to

with logged_to(snakemake.log[0]) as log:
    results = table_checks(load_table_csv(snakemake.input.table))
    for result in results:
        log.info("%s %s: measured %.6g, bound %.6g", "PASS" if result.passed else "FAIL",
                 result.name, result.measured, result.bound)
    raise_on_failure(results, f"Table 1 check ({snakemake.input.table})")
    save_json(snakemake.output.report, {"checks": [r.as_dict() for r in results]})
