"""Rule recovery_figures: the D sweep, the remedies and the user-user / user-item heatmaps."""

import matplotlib.pyplot as plt
import numpy as np

from cossim.io import save_figure_atomic
from cossim.logs import logged_to
from cossim.recovery.plots import draw_d_sweep, draw_remedies, draw_user_similarities

with logged_to(snakemake.log[0]) as log:
    with np.load(snakemake.input.summary) as stored:
        study = dict(stored)
    with np.load(snakemake.input.user_matrices) as stored:
        users = dict(stored)
    for draw, data, path in (
        (draw_d_sweep, study, snakemake.output.d_sweep),
        (draw_remedies, study, snakemake.output.remedies_figure),
        (draw_user_similarities, users, snakemake.output.user_figure),
    ):
        figure = draw(data)  # a fresh figure per file
        save_figure_atomic(figure, path)
        plt.close(figure)
        log.info("wrote %s", path)
