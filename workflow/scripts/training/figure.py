"""Rule training_figure: item-item cosine heatmaps of the closed forms and of equally good trained runs."""

import matplotlib.pyplot as plt
import numpy as np

from cossim.io import load_table_csv, save_figure_atomic
from cossim.logs import logged_to
from cossim.training.plots import draw_training_figure

with logged_to(snakemake.log[0]) as log:
    rows = load_table_csv(snakemake.input.table)
    with np.load(snakemake.input.runs) as stored:
        runs = dict(stored)
    figure = draw_training_figure(rows, runs)
    save_figure_atomic(figure, snakemake.output.figure)
    plt.close(figure)
    log.info("wrote %s", snakemake.output.figure)
