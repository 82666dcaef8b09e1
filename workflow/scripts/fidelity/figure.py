"""Rule fidelity_figure: published vs ours for the best reading, and the error landscape -> PNG."""

import matplotlib.pyplot as plt

from cossim.fidelity.plots import draw_fidelity
from cossim.fidelity.tables import load_averaged
from cossim.io import load_json, save_figure_atomic
from cossim.logs import logged_to
from cossim.published import load_published_levels

with logged_to(snakemake.log[0]) as log:
    summary = load_json(snakemake.input.best)
    averaged = load_averaged(snakemake.input.averaged)
    fig = draw_fidelity(load_published_levels(snakemake.input.published), summary["best"], averaged)
    save_figure_atomic(fig, snakemake.output.figure)
    plt.close(fig)
    log.info("drew %s: best reading %s / %s, %d reading x colour range pairs",
             snakemake.output.figure, summary["best"]["reading"], summary["best"]["colour_range"], len(averaged))
