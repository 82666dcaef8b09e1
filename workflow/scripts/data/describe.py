"""Rule describe_data: the data set in numbers and one sentence, for the notebooks."""

from cossim.data.description import describe
from cossim.io import load_interactions, load_items, save_json
from cossim.logs import logged_to

with logged_to(snakemake.log[0]) as log:
    X = load_interactions(snakemake.input.interactions)
    item_cluster, _ = load_items(snakemake.input.item_table)
    params = snakemake.params
    description = describe(X, item_cluster, params.dataset, params.source, params.origin)
    log.info("%s", description["sentence"])
    save_json(snakemake.output.description, description)
