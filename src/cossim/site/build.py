"""Build ``results/site/``: stage the source tree in a scratch directory, run Sphinx (MyST-NB,
sphinx-book-theme) on it, and keep only what a reader opens. Any Sphinx warning (a reference
that does not resolve, a page it cannot read) fails the build, naming it.

The notebooks were executed by the workflow (papermill); MyST-NB renders their stored outputs
(``nb_execution_mode = "off"``), Markdown outputs with MyST's tables. No page loads anything from
the network: math is off (MyST's dollar math is not enabled, and the build fails if a page
would load MathJax), and the theme's assets are bundled. The result is the same bytes for the
same run in any directory: no sources, no doctrees, no ``.buildinfo``, no dates.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
from pathlib import Path

from .. import data_dictionary, paths
from .index import index_page
from .layout import html_page
from .stage import stage_notebooks, stage_pages

CONF = '''\
project = "Cosine similarity, a checked replication"
author = "the replication's authors"
copyright = "the replication's authors"
extensions = ["myst_nb"]
html_theme = "sphinx_book_theme"
html_title = "Is cosine similarity really about similarity? A checked replication"
html_copy_source = False
html_show_sourcelink = False
html_show_sphinx = False
html_last_updated_fmt = None
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
}
html_static_path = ["_static"]
html_css_files = ["wide.css"]
nb_execution_mode = "off"
nb_render_markdown_format = "myst"
nb_remove_code_source = True
nb_merge_streams = True
myst_enable_extensions = []
myst_heading_anchors = 3
exclude_patterns = ["jupyter_execute", "**.ipynb_checkpoints"]
suppress_warnings = ["myst.header", "toc.not_included"]
'''
"""``conf.py`` of the staged tree."""

WIDE_CSS = """\
/* wide tables get the page's width instead of a scroll bar at 60 characters */
.bd-page-width { max-width: 110rem; }
.bd-main .bd-content .bd-article-container { max-width: 100%; }
"""
"""The site's one stylesheet of its own (``_static/wide.css``)."""

REFERENCE_TITLES = {"README.md": "The README: quick start and layout", "results/README.md": "Every file of results/",
                    "config/README.md": "Every configuration key"}
"""Titles of the reference pages whose own heading would say less (or repeat the first page's)."""

DROPPED = (".buildinfo", ".doctrees", "_sources", "objects.inv", ".jupyter_cache", "_static/webpack-macros.html",
           "_static/sbt-webpack-macros.html")
"""Build products a reader never opens (and some hold machine-specific bytes); the two themes'
webpack macros are Jinja templates copied to ``_static`` as files, whose unrendered links lead
nowhere."""


def evidence_link(page: str) -> str:
    """A MyST link from ``index.md`` to a notebook page, ``notebooks/<dataset>/<name>.ipynb``,
    named by its study and data set."""
    path = Path(page.split("#")[0])
    dataset, name = path.parent.name, path.stem
    return f"[{name} notebook ({dataset})]({page})"


def stage(scratch: Path, dataset: str, results_root: Path, source_tree: Path, notebooks: list[str],
          scorecard: str, tables: list[str]) -> Path:
    """Stage the complete source tree of the site in ``scratch/source``; returns that folder
    (``tables``: the CSVs the data dictionary page describes, the rule's declared inputs)."""
    source = scratch / "source"
    source.mkdir(parents=True)
    pages = stage_pages(source, dataset, results_root, source_tree)
    notebook_pages = stage_notebooks(source, notebooks)
    chapters = {"Study pages": [page for page in pages if page.startswith("docs/")]}
    for name, group in notebook_pages.items():
        chapters[f"Executed notebooks: {name}"] = group
    reference = [page for page in pages if not page.startswith("docs/")]
    datasets = [dataset, *(name for name in notebook_pages if name != dataset)]
    dictionary = data_dictionary.markdown(results_root / paths.RESULTS, datasets, set(tables))
    (source / "data_dictionary.md").write_text(dictionary, encoding="utf-8")
    reference.insert(0, "data_dictionary.md")
    chapters["Reference"] = [f"{REFERENCE_TITLES[page]} <{page}>" if page in REFERENCE_TITLES else page
                             for page in reference]
    (source / "downloads").mkdir()
    shutil.copyfile(scorecard, source / "downloads" / "scorecard.csv")
    with open(scorecard, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    figure, levels = (path if (source / path).exists() else None
                      for path in ("docs/img/figure1.png", "docs/img/figure1_levels.png"))
    text = index_page(rows, dataset, chapters, evidence_link, "downloads/scorecard.csv", figure, levels)
    (source / "index.md").write_text(text, encoding="utf-8")
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "_static").mkdir()
    (source / "_static" / "wide.css").write_text(WIDE_CSS, encoding="utf-8")
    return source


def sphinx_build(source: Path, build: Path, warnings: Path) -> int:
    """Run sphinx-build (HTML, quiet) in this process; return its exit status."""
    from sphinx.cmd.build import build_main

    return build_main(["-b", "html", "-q", "-E", "-d", str(build / "doctrees"), "-w", str(warnings),
                       "-j", "1", str(source), str(build / "html")])


def external_assets(html: str) -> list[str]:
    """The scripts, stylesheets and images a page would load from the network."""
    return re.findall(r'<(?:script|img|link)[^>]*(?:src|href)="((?:https?:)?//[^"]+)"', html)


def finish(built: Path, output: Path) -> None:
    """Move the built HTML to ``output``, without the products a reader never opens.

    Raises
    ------
    RuntimeError
        Naming a page that would load a script, stylesheet or image from the network.
    """
    for name in DROPPED:
        path = built / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    for page in sorted(built.rglob("*.html")):
        remote = external_assets(page.read_text(encoding="utf-8"))
        if remote:
            raise RuntimeError(f"{page.relative_to(built)} loads {remote[0]} from the network")
    if output.exists():
        shutil.rmtree(output)
    shutil.copytree(built, output)


def build_site(output: Path, dataset: str, results_root: Path, source_tree: Path, notebooks: list[str],
               scorecard: str, tables: list[str], log) -> None:
    """Build the site of this run into ``output`` (a scratch directory holds the source tree;
    ``tables``: the CSVs the data dictionary page describes)."""
    with tempfile.TemporaryDirectory(prefix="cossim-site-") as scratch:
        scratch = Path(scratch)
        source = stage(scratch, dataset, Path(results_root), Path(source_tree), notebooks, scorecard, tables)
        warnings = scratch / "warnings.txt"
        status = sphinx_build(source, scratch / "build", warnings)
        text = warnings.read_text(encoding="utf-8") if warnings.exists() else ""
        text = text.replace(str(source), "<site source>")
        if status != 0 or text.strip():
            # a warning is a dangling reference, an unreadable page or an unrendered block: a defect
            raise RuntimeError(f"sphinx-build failed (status {status}) or warned:\n{text}")
        output = Path(output)
        finish(scratch / "build" / "html", output)
        log.info("site: %d pages, index %s", len(list(output.rglob("*.html"))), html_page("index.md"))
