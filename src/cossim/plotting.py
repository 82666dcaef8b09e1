"""Shared plotting: the paper's colour map, and saving figures byte-reproducibly."""

from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib.colors import ListedColormap

from ._rocket import ROCKET_RGB


def rocket_colormap() -> ListedColormap:
    """Seaborn's "rocket" colour map exactly (dark purple-black to cream), the paper's heatmaps'.

    Built as seaborn builds it, from its published 256-entry table (:mod:`cossim._rocket`).
    """
    return ListedColormap(ROCKET_RGB, name="rocket")


def save_figure(fig, path, dpi: int = 150) -> None:
    """Save a figure with fixed metadata so the same figure gives the same bytes (PNG/PDF/SVG).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : str or Path
        The suffix picks the format.
    dpi : int
        Resolution of raster formats (PNG).
    """
    suffix = Path(path).suffix.lower()
    metadata = {
        ".png": {"Software": None},
        ".pdf": {"Creator": None, "Producer": None, "CreationDate": None},
        ".svg": {"Creator": None, "Date": None},
    }.get(suffix, {})
    if suffix == ".svg":
        with matplotlib.rc_context({"svg.hashsalt": "cossim"}):
            fig.savefig(path, dpi=dpi, metadata=metadata)
    else:
        fig.savefig(path, dpi=dpi, metadata=metadata)
