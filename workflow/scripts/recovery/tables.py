"""Rule recovery_tables: Table 3, Table 4 and the findings from the per-seed scores, and their stacked arrays."""

import numpy as np

from cossim.io import save_csv, save_json, save_npz
from cossim.logs import logged_to
from cossim.recovery.dsweep import FAMILIES
from cossim.recovery.findings import recovery_findings
from cossim.recovery.study import REMEDY_KEYS, TABLE3_PANELS
from cossim.recovery.tables import stack_seed_studies, table3_rows, table4_rows

with logged_to(snakemake.log[0]) as log:
    seeds = snakemake.params.seeds
    k = snakemake.params.precision_k
    stacked = stack_seed_studies(list(snakemake.input.scores))
    log.info("%d seeds, %d panels, %d remedies", len(seeds), len(TABLE3_PANELS), len(REMEDY_KEYS))
    save_csv(snakemake.output.table3, *table3_rows(stacked["panels"], seeds, k), float_format="{:.6f}")
    save_csv(snakemake.output.table4, *table4_rows(stacked["remedies"], seeds, k), float_format="{:.6f}")
    summary = {
        **stacked,
        "seeds": np.asarray(seeds),
        "panel_keys": np.asarray(TABLE3_PANELS),
        "remedy_keys": np.asarray(REMEDY_KEYS),
        "family_keys": np.asarray(tuple(FAMILIES)),
    }
    save_npz(snakemake.output.summary, summary)
    findings = recovery_findings(summary)
    log.info("findings: %s", findings)
    save_json(snakemake.output.findings, findings)
