"""Rule check_recovery_seed: one seed's stored scores against their independent recomputation."""

from cossim.checking import run_checks
from cossim.io import load_items
from cossim.logs import logged_to
from cossim.recovery.dsweep import FAMILIES
from cossim.recovery.study import REMEDY_KEYS, TABLE3_PANELS
from cossim.recovery.table_checks import check_seed_recomputed, load_npz

with logged_to(snakemake.log[0]) as log:
    inputs, params = snakemake.input, snakemake.params
    keys = {"panels": list(TABLE3_PANELS), "remedies": list(REMEDY_KEYS), "families": list(FAMILIES)}
    clusters = load_items(inputs.item_table)[0]
    results = check_seed_recomputed(
        load_npz(inputs.scores), params.seed, clusters, load_npz(inputs.eq1), inputs.interactions,
        params.recovery, params.eq2_lambda, params.precision_k, keys, full=params.full,
    )
    run_checks(results, log, f"Cluster-recovery check of seed {params.seed} (see {snakemake.log[0]})",
               snakemake.output.report)
