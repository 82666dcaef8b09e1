"""Rule user_similarity_matrices: user-user and user-item cosines on a user sample (Section 2.3),
and how well each user-user matrix recovers the users' dominant clusters."""

import numpy as np

from cossim.io import load_interactions, load_items, save_csv, save_npz
from cossim.logs import logged_to
from cossim.model.similarity import sample_users
from cossim.model.solve import load_fit
from cossim.recovery.user_panels import user_cluster_scores, user_similarity_panels

with logged_to(snakemake.log[0]) as log:
    params = snakemake.params
    X = load_interactions(snakemake.input.interactions)
    item_cluster, popularity = load_items(snakemake.input.item_table)
    eq1 = load_fit(snakemake.input.eq1)
    users = sample_users(np.random.default_rng(params.seed), X.shape[0], params.n_users)
    panels = user_similarity_panels(X, item_cluster, popularity, eq1.spectrum, eq1.lam, params.eq2_lambda, users)
    log.info("%d users, %d matrices", users.size, len(panels) - 3)
    save_npz(snakemake.output.matrices, panels, compress=True)
    columns, rows = user_cluster_scores(panels, params.precision_k)
    for row in rows:
        log.info("user-user %-20s AUC %.4f", row["scaling"], row["auc"])
    save_csv(snakemake.output.user_auc, columns, rows, float_format="{:.6f}")
