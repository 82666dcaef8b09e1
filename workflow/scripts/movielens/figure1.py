"""Rule movielens_figure1: Figure 1 on MovieLens, its first panel the items' genre overlap."""

import numpy as np

from cossim.io import save_figure_atomic
from cossim.logs import logged_to
from cossim.movielens.data import genre_jaccard, load_genres
from cossim.movielens.plots import draw_genre_figure1

with logged_to(snakemake.log[0]) as log:
    with np.load(snakemake.input.matrices) as stored:
        matrices = dict(stored)
    _, names, membership = load_genres(snakemake.input.genres)
    log.info("%d items, %d genres", membership.shape[0], len(names))
    colour_range = snakemake.params.colour_range
    fig = draw_genre_figure1(matrices, genre_jaccard(membership), None if colour_range is None else tuple(colour_range))
    save_figure_atomic(fig, snakemake.output.figure)
