"""Rule train: Table 2, Eq. 1 and Eq. 2 trained by L-BFGS from random starts vs. the closed forms."""

import numpy as np

from cossim.io import load_interactions, load_items, save_npz, save_table_csv
from cossim.logs import logged_to
from cossim.model.items import most_popular_items, restrict_to_items
from cossim.model.panels import display_order
from cossim.model.solve import gram_matrix, right_singular_spectrum, solve_eq1, solve_eq2
from cossim.training.runs import training_runs
from cossim.training.setup import training_lambdas

with logged_to(snakemake.log[0]) as log:
    settings = snakemake.params.training
    X = load_interactions(snakemake.input.interactions)
    item_cluster, popularity = load_items(snakemake.input.item_table)
    items = most_popular_items(X, settings["n_items"])
    X_small = restrict_to_items(X, items)
    all_directions = right_singular_spectrum(X_small)
    lambdas = training_lambdas(all_directions.sigma, settings)  # the configured ones, or the rule's
    spectrum = all_directions.truncate(settings["rank"])
    fits = {"eq1": solve_eq1(spectrum, lambdas["eq1"]), "eq2": solve_eq2(spectrum, lambdas["eq2"])}
    log.info("lambdas: Eq. 1 %g, Eq. 2 %g (training.eq1_lambda = %s, training.eq2_lambda = %s)", lambdas["eq1"],
             lambdas["eq2"], settings["eq1_lambda"], settings["eq2_lambda"])
    log.info("training data: %d users x %d most popular items, k = %d, sigma_1..k = %s", *X_small.shape,
             settings["rank"], np.round(spectrum.sigma, 1).tolist())
    rows, factors = training_runs(
        gram_matrix(X_small), fits, settings["init_scales"], settings["runs_per_scale"],
        settings["max_iterations"], np.random.default_rng(settings["seed"]),
    )
    for row in rows:
        log.info("%s", row.as_dict())
    save_table_csv(snakemake.output.table, [row.as_dict() for row in rows])
    order = display_order(item_cluster[items], popularity[items])
    save_npz(snakemake.output.runs, {
        **factors,
        "eq1_closed_B": fits["eq1"].B,
        "eq2_closed_B": fits["eq2"].B,
        "items": items,
        "item_cluster": item_cluster[items],
        "order": order,
    })
