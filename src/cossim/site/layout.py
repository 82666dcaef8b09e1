"""Where the site puts what: page paths inside the site's source tree (and so inside results/site/)."""

from __future__ import annotations

NOTEBOOKS = "notebooks"


def notebook_page(dataset: str, name: str) -> str:
    """The site page of an executed notebook, ``notebooks/<dataset>/<name>.ipynb``."""
    return f"{NOTEBOOKS}/{dataset}/{name}.ipynb"


def html_page(source: str) -> str:
    """The HTML file Sphinx writes for a page of the source tree (``a/b.md`` -> ``a/b.html``)."""
    return source.rsplit(".", 1)[0] + ".html"
