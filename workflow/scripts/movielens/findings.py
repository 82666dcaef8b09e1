"""Rule movielens_findings: which of the paper's conclusions hold on MovieLens, with their numbers."""

import json

from cossim.io import load_table_csv, save_json
from cossim.logs import logged_to
from cossim.movielens.findings import movielens_findings

with logged_to(snakemake.log[0]) as log:
    inputs = snakemake.input
    with open(inputs.facts, encoding="utf-8") as handle:
        facts = json.load(handle)
    with open(inputs.training_report, encoding="utf-8") as handle:
        optimum_gap = json.load(handle)["optimum_gap"]
    with open(inputs.figure1_report, encoding="utf-8") as handle:
        figure1_checks = json.load(handle)["checks"]
    findings = movielens_findings(
        load_table_csv(inputs.claims), load_table_csv(inputs.training), optimum_gap, load_table_csv(inputs.recovery),
        load_table_csv(inputs.d_sweep), load_table_csv(inputs.remedies), facts, load_table_csv(inputs.binarisations),
        figure1_checks,
    )
    log.info("%d of %d conclusions hold: %s", findings["conclusions_holding"], findings["conclusions"],
             {key: value for key, value in findings.items() if key.endswith("_holds")})
    save_json(snakemake.output.findings, findings)
