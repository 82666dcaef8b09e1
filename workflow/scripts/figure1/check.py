"""Rule check_figure1: fail the workflow if Figure 1's data is wrong."""

import numpy as np

from cossim.checking import raise_on_failure
from cossim.figure1.checks import (
    check_display_order,
    check_recomputation,
    check_stationarity,
    reference_figure1_panels,
)
from cossim.io import load_interactions, load_items, save_json
from cossim.logs import logged_to
from cossim.model.panels import SKIPPED_TRUTH_NOTE, has_ground_truth
from cossim.model.solve import gram_matrix
from cossim.published import check_qualitative_pattern

with logged_to(snakemake.log[0]) as log:
    params = snakemake.params
    X = load_interactions(snakemake.input.interactions)
    item_cluster, popularity = load_items(snakemake.input.item_table)
    with np.load(snakemake.input.matrices) as stored:
        saved = dict(stored)
    fits = {}
    for name in ("eq1", "eq2"):
        with np.load(snakemake.input[name]) as stored:
            fits[name] = dict(stored)
    reference = reference_figure1_panels(
        X.toarray(), saved["order"], params.rank, params.eq1_lambda, params.eq2_lambda
    )
    mathematics = (
        check_display_order(saved["order"], item_cluster, popularity)
        + check_recomputation(saved, reference, item_cluster, params.tolerance)
        + check_stationarity(gram_matrix(X), fits)
    )
    claims = check_qualitative_pattern(saved, item_cluster) if has_ground_truth(item_cluster) else []
    notes = [] if claims else [SKIPPED_TRUTH_NOTE, "Block-pattern claims skipped: they need ground-truth clusters"]
    if claims and not params.enforce_claims:
        notes.append("Block-pattern claims are reported, not enforced, on your own data")
    results = mathematics + claims
    for result in results:
        log.info("%s %s: measured %.6g, bound %.6g", "PASS" if result.passed else "FAIL",
                 result.name, result.measured, result.bound)
    for note in notes:
        log.info("note: %s", note)
    enforced = mathematics + (claims if params.enforce_claims else [])
    raise_on_failure(enforced, "Figure 1 check (see results/logs/figure1/check.log)")
    save_json(snakemake.output.report, {"checks": [r.as_dict() for r in results], "notes": notes})
