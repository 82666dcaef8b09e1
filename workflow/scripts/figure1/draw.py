"""Rules draw_figure1 (PNG) and draw_figure1_variants (PDF, and PNG with colour bars): Figure 1 in
the paper's layout, each of the rule's outputs drawn as its name says."""

import matplotlib.pyplot as plt
import numpy as np

from cossim.figure1.plots import draw_figure1
from cossim.io import save_figure_atomic
from cossim.logs import logged_to

# output name -> (colour bars, dpi); the version with colour bars is a reading aid: 100 dpi keeps
# it (and the report) small
STYLES = {"png": (False, 150), "pdf": (False, 150), "annotated": (True, 100)}

with logged_to(snakemake.log[0]) as log:
    with np.load(snakemake.input.matrices) as stored:
        panels = dict(stored)
    colour_range = snakemake.params.colour_range
    colour_range = None if colour_range is None else tuple(colour_range)
    for name, path in snakemake.output.items():
        annotate, dpi = STYLES[name]
        figure = draw_figure1(panels, colour_range, annotate=annotate)  # a fresh figure per file
        save_figure_atomic(figure, path, dpi)
        plt.close(figure)
        log.info("wrote %s", path)
