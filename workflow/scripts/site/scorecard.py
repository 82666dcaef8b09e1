"""Rule scorecard: one verdict for each Figure 1 panel, Table 1 claim and conclusion on real data."""

from pathlib import Path

from cossim.io import load_json, load_table_csv, save_csv
from cossim.logs import logged_to
from cossim.site.layout import evidence, paths_of
from cossim.site.scorecard import COLUMNS, claim_rows, conclusion_rows, figure1_rows

with logged_to(snakemake.log[0]) as log:
    dataset = snakemake.wildcards.dataset
    rows = figure1_rows(load_table_csv(snakemake.input.published), load_json(snakemake.input.figure1_check)["checks"],
                        snakemake.params.testable, evidence(dataset, "figure1"))
    rows += claim_rows(load_table_csv(snakemake.input.claims), evidence(dataset, "claims"))
    for findings in paths_of(snakemake.input.findings):  # results/<real data set>/tables/movielens_findings.json
        real = Path(findings).parts[-3]
        rows += conclusion_rows(load_json(findings), lambda key: evidence(real, "movielens", key))
    for row in rows:
        log.info("%s: %s (%s = %r)", row["row"], row["verdict"], row["number_meaning"], row["number"])
    save_csv(snakemake.output.scorecard, list(COLUMNS), rows)
