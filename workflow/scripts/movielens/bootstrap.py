"""Rule movielens_bootstrap: Figure 1's panels against genres on bootstrap replicates of the users."""

import numpy as np

from cossim.io import load_interactions, save_npz
from cossim.logs import logged_to
from cossim.movielens.data import load_genres, primary_genre
from cossim.movielens.recovery import bootstrap_panels, recovery_items

with logged_to(snakemake.log[0]) as log:
    settings = snakemake.params.settings
    X = load_interactions(snakemake.input.interactions)
    _, _, membership = load_genres(snakemake.input.genres)
    X_r, membership_r, _ = recovery_items(X, membership, settings["items"])
    replicates = bootstrap_panels(X_r, membership_r, primary_genre(membership_r), settings["rank"],
                                  settings["precision_k"], settings["bootstrap_replicates"], settings["bootstrap_seed"])
    log.info("%d replicates; AUC sd per panel %s", replicates.shape[0], np.round(replicates[:, :, 0].std(axis=0, ddof=1), 4).tolist())
    save_npz(snakemake.output.bootstrap, {"panels": replicates})
