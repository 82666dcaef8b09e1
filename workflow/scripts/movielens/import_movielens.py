"""Rule import_movielens: MovieLens 100k -> interactions.npz, items.csv, item_ids.csv, item_genres.csv."""

from cossim.io import save_interactions, save_item_ids, save_items
from cossim.logs import logged_to
from cossim.movielens.data import movielens_data, read_genres, read_ratings, save_genres
from cossim.movielens.rules import verified_data

with logged_to(snakemake.log[0]) as log:
    files = verified_data(snakemake.params.source)
    ratings = read_ratings(files["ratings"])
    genres = read_genres(files["genres"])
    log.info("%d ratings of %d users and %d items; %d genres", ratings.ratings.size,
             len(set(ratings.user_ids.tolist())), len(set(ratings.item_ids.tolist())), len(genres.names))
    X, item_ids, membership, primary, popularity = movielens_data(
        ratings, genres, snakemake.params.min_rating, snakemake.params.max_items
    )
    log.info("rating >= %g, max_items %s: X %d x %d, %d interactions", snakemake.params.min_rating,
             snakemake.params.max_items, *X.shape, X.nnz)
    save_interactions(snakemake.output.interactions, X)
    save_items(snakemake.output.item_table, primary, popularity)
    save_item_ids(snakemake.output.item_ids, item_ids)
    save_genres(snakemake.output.genres, item_ids, genres.names, membership)
