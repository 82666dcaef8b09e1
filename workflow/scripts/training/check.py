"""Rule check_training: fail the workflow if a row of Table 2 breaks an identity or disagrees with
its recomputation from the data and the stored runs; record its summary."""

import numpy as np

from cossim.checking import run_checks
from cossim.io import load_interactions, load_table_csv
from cossim.logs import logged_to
from cossim.training.runs import OPTIMUM_GAP, summarise_runs
from cossim.training.setup import training_setup
from cossim.training.table_checks import training_check_results

with logged_to(snakemake.log[0]) as log:
    rows = load_table_csv(snakemake.input.table)
    with np.load(snakemake.input.runs) as stored:
        runs = dict(stored)
    X = load_interactions(snakemake.input.interactions)
    results, enforced, pairs = training_check_results(rows, runs, X, snakemake.params.training)
    run_checks(results, log, f"Training check (see {snakemake.log[0]})", snakemake.output.report,
               enforced=enforced, optimum_gap=OPTIMUM_GAP,
               setup=training_setup(X, snakemake.params.training, snakemake.params.dataset), summary=summarise_runs(rows) if pairs else {}, pairs=pairs)
