"""Where the site puts what: page paths inside the site's source tree (and so inside results/site/)."""

from __future__ import annotations

NOTEBOOKS = "notebooks"


def notebook_page(dataset: str, name: str) -> str:
    """The site page of an executed notebook, ``notebooks/<dataset>/<name>.ipynb``."""
    return f"{NOTEBOOKS}/{dataset}/{name}.ipynb"


def html_page(source: str) -> str:
    """The HTML file Sphinx writes for a page of the source tree (``a/b.md`` -> ``a/b.html``)."""
    return source.rsplit(".", 1)[0] + ".html"


def paths_of(named_input) -> list[str]:
    """A named input of a rule as a list of paths (Snakemake gives a one-path list as a string)."""
    return [named_input] if isinstance(named_input, str) else list(named_input)
