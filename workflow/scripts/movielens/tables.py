"""Rule movielens_tables: recovery with intervals, remedies, D sweep and the data's facts."""

import numpy as np

from cossim.io import load_interactions, save_json, save_table_csv
from cossim.logs import logged_to
from cossim.model.regularisation import suggested_lambdas
from cossim.movielens.data import load_genres
from cossim.movielens.recovery import singular_values
from cossim.movielens.tables import d_sweep_rows, recovery_rows, remedy_rows, study_facts

with logged_to(snakemake.log[0]) as log:
    with np.load(snakemake.input.scores) as stored:
        study = dict(stored)
    with np.load(snakemake.input.bootstrap) as stored:
        replicates = stored["panels"]
    X = load_interactions(snakemake.input.interactions)
    _, names, _ = load_genres(snakemake.input.genres)
    suggested = suggested_lambdas(singular_values(X), snakemake.params.rank, n_items=X.shape[1])
    save_table_csv(snakemake.output.recovery, recovery_rows(study["panels"], replicates))
    save_table_csv(snakemake.output.remedies, remedy_rows(study["remedies"]))
    save_table_csv(snakemake.output.d_sweep, d_sweep_rows(study["exponents"], study["families"], study["random_d"]))
    recovery_shape = (int(np.count_nonzero(X[:, study["columns"]].getnnz(axis=1))), int(study["columns"].size))
    facts = study_facts(snakemake.params.dataset, snakemake.params.min_rating, X.shape, X.nnz, recovery_shape,
                        study, suggested, len(names))
    log.info("facts: %s", facts)
    save_json(snakemake.output.facts, facts)
