"""Rule check_scorecard: fail the workflow, naming the row, where the scorecard differs from its
recomputation by another route."""

from cossim.checking import run_checks
from cossim.io import load_json, load_table_csv
from cossim.logs import logged_to
from cossim.site.layout import paths_of
from cossim.site.scorecard_check import compare, expected_claims, expected_conclusions, expected_figure1

with logged_to(snakemake.log[0]) as log:
    expected = expected_figure1(load_table_csv(snakemake.input.published),
                                load_json(snakemake.input.figure1_check)["checks"], snakemake.params.testable)
    expected |= expected_claims(load_table_csv(snakemake.input.claims))
    for findings, figure1_check in zip(paths_of(snakemake.input.findings),
                                       paths_of(snakemake.input.movielens_figure1_check)):
        expected |= expected_conclusions(load_json(findings), load_json(figure1_check)["checks"])
    results = compare(load_table_csv(snakemake.input.scorecard), expected)
    run_checks(results, log, f"Scorecard check (see {snakemake.log[0]})", snakemake.output.report)
