"""Rule check_fidelity: fail the workflow if the fidelity study's artifacts are wrong."""

import json

from cossim.checking import run_checks
from cossim.fidelity.checks import check_fidelity, message_summary
from cossim.logs import logged_to

with logged_to(snakemake.log[0]) as log:
    cells = []
    for path in snakemake.input.cells:
        with open(path, encoding="utf-8") as handle:
            cells.append(json.load(handle))
    with open(snakemake.input.best, encoding="utf-8") as handle:
        summary = json.load(handle)
    message = message_summary(cells, snakemake.params.eq2_lambda)
    results = check_fidelity(cells, summary, message, snakemake.params.require_default_best)
    if not snakemake.params.require_default_best:
        log.info("note: fidelity.require_default_best is false; the default reading ranks %s of %d",
                 summary["default"]["rank"], len(summary["ranking"]))
    log.info("published pattern holds in %d of %d cells (%d of the %d where Eq. 2 learns a model)",
             message["published_pattern_holds"], message["cells"],
             message["published_pattern_holds_where_eq2_learns"], message["cells_learning_eq2"])
    run_checks(results, log, f"Fidelity check (see {snakemake.log[0]})", snakemake.output.report, message=message)
