"""Rule build_site: results/site/, the static site of this run (cossim.site.build)."""

from cossim.logs import logged_to
from cossim.site.build import build_site

with logged_to(snakemake.log[0]) as log:
    results = list(snakemake.input.results)
    notebooks = [path for path in results if path.endswith(".ipynb")]
    scorecard = next(path for path in results if path.endswith("/tables/scorecard.csv"))
    tables = [path for path in [*results, *snakemake.input.tables] if path.endswith(".csv")]
    build_site(snakemake.output.site, snakemake.params.dataset, ".", snakemake.params.source_tree, notebooks,
               scorecard, tables, log)
