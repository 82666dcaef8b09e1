"""Rule import_interactions: a user's interaction file -> interactions.npz, items.csv, item_ids.csv."""

from cossim.data.own_data import item_popularity, load_own_data
from cossim.io import save_interactions, save_item_ids, save_items
from cossim.logs import logged_to

with logged_to(snakemake.log[0]) as log:
    data = load_own_data(
        snakemake.input.interactions, snakemake.input.get("item_clusters"), snakemake.params.file_format
    )
    X = data.interactions
    log.info("X: %d users x %d items, %d interactions", *X.shape, X.nnz)
    log.info("ground-truth clusters: %s", "given" if data.has_clusters else "none (panels needing them are skipped)")
    save_interactions(snakemake.output.interactions, X)
    save_items(snakemake.output.item_table, data.item_cluster, item_popularity(X))
    save_item_ids(snakemake.output.item_ids, data.item_ids)
