"""Rule check_movielens_findings: the binarisations' table and the findings derived again from the tables."""

from cossim.checking import run_checks
from cossim.io import load_json, load_table_csv
from cossim.logs import logged_to
from cossim.movielens.checks import binarisation_checks, findings_checks

with logged_to(snakemake.log[0]) as log:
    inputs = snakemake.input
    tables = {name: load_table_csv(path) for name, path in zip(snakemake.params.datasets, inputs.tables)}
    binarisations = load_table_csv(inputs.binarisations)
    results = binarisation_checks(binarisations, tables)
    findings = load_json(inputs.findings)
    facts = load_json(inputs.facts)
    optimum_gap = load_json(inputs.training_report)["optimum_gap"]
    figure1_checks = load_json(inputs.figure1_report)["checks"]
    results += findings_checks(findings, load_table_csv(inputs.claims), load_table_csv(inputs.training), optimum_gap,
                               load_table_csv(inputs.recovery), load_table_csv(inputs.d_sweep),
                               load_table_csv(inputs.remedies), facts, binarisations, figure1_checks)
    run_checks(results, log, f"MovieLens findings check (see {snakemake.log[0]})", snakemake.output.report)
