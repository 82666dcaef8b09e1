"""Rule movielens_recovery: Figure 1's panels, the D sweep, random D and the remedies against genres."""

import numpy as np

from cossim.io import load_interactions, save_npz
from cossim.logs import logged_to
from cossim.movielens.data import load_genres, primary_genre
from cossim.movielens.recovery import recovery_items, recovery_study
from cossim.recovery.study import StudySettings

with logged_to(snakemake.log[0]) as log:
    settings = snakemake.params.settings
    X = load_interactions(snakemake.input.interactions)
    _, _, membership = load_genres(snakemake.input.genres)
    X_r, membership_r, columns = recovery_items(X, membership, settings["items"])
    study_settings = StudySettings.from_config(settings)
    rng = np.random.default_rng(settings["d_seed"])
    log.info("recovery on %d users x %d items: %s", *X_r.shape, study_settings)
    study = recovery_study(X_r, membership_r, primary_genre(membership_r), study_settings, settings["rank"], rng)
    log.info("lambdas by the rule: %s; panel AUCs %s", study["lambdas"].tolist(), np.round(study["panels"][:, 0], 4).tolist())
    save_npz(snakemake.output.scores, {**study, "columns": columns})
