"""Rule check_recovery: fail the workflow if the cluster-recovery study is wrong."""

import json

import numpy as np

from cossim.checking import run_checks
from cossim.io import load_table_csv
from cossim.logs import logged_to
from cossim.recovery.checks import check_findings, check_recovery_study, check_user_scores

with logged_to(snakemake.log[0]) as log:
    with np.load(snakemake.input.summary) as stored:
        summary = dict(stored)
    with np.load(snakemake.input.user_matrices) as stored:
        users = dict(stored)
    with open(snakemake.input.findings, encoding="utf-8") as handle:
        findings = json.load(handle)
    results = (
        check_recovery_study(summary)
        + check_findings(findings, summary, load_table_csv(snakemake.input.table4))
        + check_user_scores(users, load_table_csv(snakemake.input.user_auc), snakemake.params.precision_k)
    )
    run_checks(results, log, f"Cluster-recovery check (see {snakemake.log[0]})", snakemake.output.report)
