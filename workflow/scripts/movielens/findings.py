"""Rule movielens_findings: which of the paper's conclusions hold on MovieLens, with their numbers."""

from cossim.io import load_json, load_table_csv, save_json
from cossim.logs import logged_to
from cossim.movielens.findings import movielens_findings

with logged_to(snakemake.log[0]) as log:
    inputs = snakemake.input
    facts = load_json(inputs.facts)
    optimum_gap = load_json(inputs.training_report)["optimum_gap"]
    figure1_checks = load_json(inputs.figure1_report)["checks"]
    findings = movielens_findings(
        load_table_csv(inputs.claims), load_table_csv(inputs.training), optimum_gap, load_table_csv(inputs.recovery),
        load_table_csv(inputs.d_sweep), load_table_csv(inputs.remedies), facts, load_table_csv(inputs.binarisations),
        figure1_checks,
    )
    log.info("%d of %d conclusions hold: %s", findings["conclusions_holding"], findings["conclusions"],
             {key: value for key, value in findings.items() if key.endswith("_holds")})
    save_json(snakemake.output.findings, findings)
