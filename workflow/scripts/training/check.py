"""Rule check_training: fail the workflow if a row of Table 2 breaks an identity; record its summary."""

import numpy as np

from cossim.checking import run_checks
from cossim.io import load_table_csv
from cossim.logs import logged_to
from cossim.training.checks import training_checks
from cossim.training.runs import OPTIMUM_GAP, optimal_pairs, summarise_runs

with logged_to(snakemake.log[0]) as log:
    rows = load_table_csv(snakemake.input.table)
    with np.load(snakemake.input.runs) as stored:
        runs = dict(stored)
    pairs = optimal_pairs(rows, runs)
    results, enforced = training_checks(rows, pairs)
    run_checks(results, log, f"Training check (see {snakemake.log[0]})", snakemake.output.report,
               enforced=enforced, optimum_gap=OPTIMUM_GAP, summary=summarise_runs(rows), pairs=pairs)
