"""Rule check_fidelity: fail the workflow if the fidelity study's artifacts are wrong."""

from cossim.checking import log_results, run_checks
from cossim.fidelity.table_checks import fidelity_check_results
from cossim.io import load_json
from cossim.logs import logged_to
from cossim.published import load_published_levels
from cossim.published_profiles import load_published_profiles

with logged_to(snakemake.log[0]) as log:
    inputs, params = snakemake.input, snakemake.params
    cells = []
    for path in inputs.cells:
        cells.append(load_json(path))
    results, tables, message = fidelity_check_results(
        cells,
        {name: getattr(inputs, name) for name in ("table", "best", "averaged", "panels", "scans")},
        load_published_levels(inputs.published),
        {name: getattr(params, name) for name in ("ranked_panels", "default_choices", "default_colour_range",
                                                   "colour_ranges", "eq2_lambda", "require_default_best",
                                                   "sampled_simulation", "rank", "eq1_lambda")},
        load_published_profiles(inputs.published_profiles),
    )
    if message is not None:
        summary = load_json(inputs.best)
        if not params.require_default_best:
            log.info("note: fidelity.require_default_best is false; the default reading ranks %s of %d",
                     summary["default"]["rank"], len(summary["ranking"]))
        log.info("published pattern holds in %d of %d cells (%d of the %d where Eq. 2 learns a model)",
                 message["published_pattern_holds"], message["cells"],
                 message["published_pattern_holds_where_eq2_learns"], message["cells_learning_eq2"])
    # the table checks are enforced and reported under their own key ("checks" keeps the study's own)
    log_results(tables, log)
    run_checks(results, log, f"Fidelity check (see {snakemake.log[0]})", snakemake.output.report,
               enforced=results + tables, message=message, table_checks=[r.as_dict() for r in tables])
