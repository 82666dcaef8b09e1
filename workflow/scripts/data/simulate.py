"""Rule simulate: Section 4 data -> interactions.npz, items.csv."""

import numpy as np

from cossim.io import save_interactions, save_items
from cossim.logs import logged_to
from cossim.model.simulate import SimulationSpec, simulate

with logged_to(snakemake.log[0]) as log:
    settings = dict(snakemake.params.simulation)
    for key in ("cluster_probabilities", "item_beta_range"):
        settings[key] = tuple(settings[key])
    spec = SimulationSpec(**settings)
    log.info("simulating %s with seed %d", spec, snakemake.params.seed)
    data = simulate(spec, np.random.default_rng(snakemake.params.seed))
    log.info("X: %d x %d, %d interactions", *data.interactions.shape, data.interactions.nnz)
    save_interactions(snakemake.output.interactions, data.interactions)
    save_items(snakemake.output.item_table, data.item_cluster, data.item_popularity)
