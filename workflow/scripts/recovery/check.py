"""Rule check_recovery: fail the workflow if the cluster-recovery study is wrong."""

import numpy as np

from cossim.checking import raise_on_failure
from cossim.io import save_json
from cossim.logs import logged_to
from cossim.recovery.checks import check_recovery_study

with logged_to(snakemake.log[0]) as log:
    with np.load(snakemake.input.summary) as stored:
        summary = dict(stored)
    results = check_recovery_study(summary)
    for result in results:
        log.info("%s %s: measured %.6g, bound %.6g", "PASS" if result.passed else "FAIL",
                 result.name, result.measured, result.bound)
    raise_on_failure(results, "cluster-recovery check (see results/logs/recovery/check.log)")
    save_json(snakemake.output.report, {"checks": [r.as_dict() for r in results]})
