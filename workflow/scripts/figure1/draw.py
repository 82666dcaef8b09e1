"""Rule draw_figure1: Figure 1 in the paper's layout (PNG, PDF) and with colour bars."""

import matplotlib.pyplot as plt
import numpy as np

from cossim.figure1.plots import draw_figure1
from cossim.io import save_figure_atomic
from cossim.logs import logged_to

with logged_to(snakemake.log[0]) as log:
    with np.load(snakemake.input.matrices) as stored:
        panels = dict(stored)
    colour_range = snakemake.params.colour_range
    colour_range = None if colour_range is None else tuple(colour_range)
    # The version with colour bars is a reading aid: 100 dpi keeps it (and the report) small.
    for path, annotate, dpi in ((snakemake.output.png, False, 150), (snakemake.output.pdf, False, 150),
                                (snakemake.output.annotated, True, 100)):
        figure = draw_figure1(panels, colour_range, annotate=annotate)  # a fresh figure per file
        save_figure_atomic(figure, path, dpi)
        plt.close(figure)
        log.info("wrote %s", path)
