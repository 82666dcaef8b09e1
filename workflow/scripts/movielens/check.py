"""Rule check_movielens: every number of a MovieLens data set's study recomputed by a second route."""

import numpy as np

from cossim.checking import run_checks
from cossim.io import load_interactions, load_items, load_json, load_table_csv
from cossim.logs import logged_to
from cossim.movielens.checks import data_checks, lambda_checks, recovery_checks
from cossim.movielens.data import load_genres
from cossim.movielens.rules import verified_data

with logged_to(snakemake.log[0]) as log:
    inputs, params = snakemake.input, snakemake.params
    X_saved = load_interactions(inputs.interactions)
    item_ids = np.array([int(row["source_id"]) for row in load_table_csv(inputs.item_ids)])
    genres = load_genres(inputs.genres)
    source = verified_data(params.source)
    results, X, _ = data_checks(X_saved, item_ids, load_items(inputs.item_table), genres, source["ratings"],
                                source["genres"], params.min_rating, params.movielens["max_items"])
    facts = load_json(inputs.facts)
    results += lambda_checks(X, params.movielens, facts, params.main)
    with np.load(inputs.scores) as stored:
        study = dict(stored)
    with np.load(inputs.bootstrap) as stored:
        replicates = stored["panels"]
    tables = {name: load_table_csv(inputs[name]) for name in ("recovery", "remedies", "d_sweep")}
    _, _, membership = genres
    primary, _ = load_items(inputs.item_table)
    results += recovery_checks(X, membership, primary, study, replicates, tables, facts, params.settings)
    run_checks(results, log, f"MovieLens check (see {snakemake.log[0]})", snakemake.output.report)
