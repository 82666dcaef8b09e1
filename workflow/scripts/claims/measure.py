"""Rule measure_claims: Table 1, every analytic claim of the paper measured on the data."""

import numpy as np

from cossim.claims.measure import ClaimData, measure_claims
from cossim.io import load_interactions, markdown_table, save_markdown, save_table_csv
from cossim.logs import logged_to
from cossim.model.items import most_popular_items, restrict_to_items

with logged_to(snakemake.log[0]) as log:
    settings = snakemake.params.claims
    X = load_interactions(snakemake.input.interactions)
    dataset = snakemake.params.dataset
    items = most_popular_items(X, settings["full_rank_items"])
    X_full_rank = X if items.size == X.shape[1] else restrict_to_items(X, items)
    full_label = (f"{dataset}: all {items.size} items" if X_full_rank is X
                  else f"{dataset}: its {items.size} most popular items")
    data = ClaimData(X, X_full_rank, f"{dataset}: all {X.shape[1]} items", full_label)
    rows = measure_claims(
        data,
        snakemake.params.rank,
        snakemake.params.eq1_lambda,
        snakemake.params.eq2_lambda,
        np.random.default_rng(settings["seed"]),
        trials=settings["random_trials"],
        user_sample=settings["user_sample"],
        optimiser_iterations=settings["optimiser_iterations"],
    )
    for claim in rows:
        log.info("%s %s: %s = %.6g (%s %.3g)", claim.verdict, claim.id,
                 claim.quantity, claim.measured, claim.comparison, claim.tolerance)
    table = [claim.as_dict() for claim in rows]
    save_table_csv(snakemake.output.table, table)
    save_markdown(
        snakemake.output.markdown,
        "Table 1: the paper's analytic claims, measured",
        markdown_table(table, ["id", "where", "claim", "data", "measured", "comparison", "tolerance", "pass"])
        + "\nmeasured: " + "; ".join(f"{c.id}: {c.quantity}" for c in rows) + "\n",
    )
