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
    # The user heatmaps are noise-like and large (14 panels of 300 users): at 100 dpi their PNG
    # is half the size, which keeps the report small, and each panel still shows ~1 pixel a user.
    for draw, data, path, dpi in (
        (draw_d_sweep, study, snakemake.output.d_sweep, 150),
        (draw_remedies, study, snakemake.output.remedies_figure, 150),
        (draw_user_similarities, users, snakemake.output.user_figure, 100),
    ):
        figure = draw(data)  # a fresh figure per file
        save_figure_atomic(figure, path, dpi)
        plt.close(figure)
        log.info("wrote %s", path)
