"""Where the site puts what: page paths inside the site's source tree (and so inside results/site/)."""

from __future__ import annotations

NOTEBOOKS = "notebooks"


SECTIONS = {
    "figure1": "the-figure",
    "claims": "the-table",
    "movielens/claims": "table-1-the-analytic-claims-on-real-data",
    "movielens/training_eq1_arbitrary": "table-2-what-training-picks-for-d",
    "movielens/training_eq2_unique": "table-2-what-training-picks-for-d",
    "movielens/figure1_pattern": "figure-1-on-movielens",
    "movielens/d_changes_recovery": "cluster-recovery-against-genres",
    "movielens/eq2_not_better": "cluster-recovery-against-genres",
    "movielens/d_changes_cosines": "the-d-sweep-and-the-remedies",
    "movielens/remedy_d_invariant": "the-d-sweep-and-the-remedies",
}
"""The section of a notebook that holds the evidence of a scorecard row (MyST's heading anchors;
a section renamed in the notebook fails the site's build, which warns on a missing anchor)."""


def notebook_page(dataset: str, name: str) -> str:
    """The site page of an executed notebook, ``notebooks/<dataset>/<name>.ipynb``."""
    return f"{NOTEBOOKS}/{dataset}/{name}.ipynb"


def evidence(dataset: str, name: str, row: str | None = None) -> str:
    """The page and anchor of a notebook's section that shows the evidence of a scorecard row."""
    return f"{notebook_page(dataset, name)}#{SECTIONS[f'{name}/{row}' if row else name]}"


def html_page(source: str) -> str:
    """The HTML file Sphinx writes for a page of the source tree (``a/b.md`` -> ``a/b.html``)."""
    return source.rsplit(".", 1)[0] + ".html"


def paths_of(named_input) -> list[str]:
    """A named input of a rule as a list of paths (Snakemake gives a one-path list as a string)."""
    return [named_input] if isinstance(named_input, str) else list(named_input)
