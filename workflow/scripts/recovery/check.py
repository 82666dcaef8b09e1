"""Rule check_recovery: fail the workflow if the cluster-recovery study is wrong."""

from cossim.checking import run_checks
from cossim.logs import logged_to
from cossim.recovery.table_checks import recovery_check_results

SINGLE = ("summary", "table3", "table4", "findings", "user_matrices", "user_auc", "interactions", "item_table")
PER_SEED = ("seed_scores", "seed_checks")

with logged_to(snakemake.log[0]) as log:
    inputs, params = snakemake.input, snakemake.params
    paths = {name: getattr(inputs, name) for name in SINGLE}
    # every seed's recomputation was checked by its own job (rule check_recovery_seed); read back here
    paths.update({name: list(getattr(inputs, name)) for name in PER_SEED})
    results = recovery_check_results(paths, params.seeds, params.recovery, params.eq2_lambda, params.precision_k)
    run_checks(results, log, f"Cluster-recovery check (see {snakemake.log[0]})", snakemake.output.report)
