"""Rule recovery_seed: cluster-recovery scores of one simulated data set (one seed)."""

import numpy as np

from cossim.io import load_interactions, load_items, save_npz
from cossim.logs import logged_to
from cossim.model.solve import load_fit
from cossim.recovery.study import StudySettings, seed_study

with logged_to(snakemake.log[0]) as log:
    params = snakemake.params
    X = load_interactions(snakemake.input.interactions)
    item_cluster, _ = load_items(snakemake.input.item_table)
    eq1 = load_fit(snakemake.input.eq1)
    settings = StudySettings.from_config(params.recovery)
    rng = np.random.default_rng([params.seed, params.recovery["d_seed"]])
    log.info("data set %s (seed %d): %s", snakemake.input.interactions, params.seed, settings)
    study = seed_study(X, item_cluster, eq1.spectrum, eq1.lam, params.eq2_lambda, settings, rng)
    log.info("panel AUCs: %s", np.round(study["panels"][:, 0], 4).tolist())
    log.info("unit-norm fits: Eq. 1 excess over the optimum %s", np.round(study["unit_norm_relative_excess"], 5).tolist())
    save_npz(snakemake.output.scores, study)
