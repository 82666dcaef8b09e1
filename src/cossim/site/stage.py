"""The site's source tree, staged from this run: the study pages filled from its results, its
figures, its executed notebooks, and every file a page links to.

The staged tree mirrors the clone (``README.md``, ``docs/*.md``, ``docs/img/*.png``,
``config/README.md``, ...), so the pages' relative links keep their meaning; a link to a file of
the clone that is not a page is copied beside the pages (Sphinx offers it as a download); a link
to anything else (a folder, a file of no run) becomes plain text, so no link dangles.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .. import docs
from .layout import notebook_page

PAGE_ORDER = ("paper", "figure1", "claims", "training", "recovery", "fidelity", "movielens", "own_data",
              "audit", "guarantees", "performance", "cluster")
"""The study pages of ``docs/``, in reading order (pages not named here follow, sorted)."""

LINK = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")
NOT_MADE = "(not made by this run)"


def run_path(path: str, dataset: str) -> str:
    """A results path of the default run (``results/paper/...``) for data set ``dataset``."""
    return re.sub(r"^results/paper/", f"results/{dataset}/", path)


def fill_page(text: str, dataset: str, results_root: Path, source_tree: Path) -> str:
    """A page with its generated blocks filled from this run (``results/paper/`` read as the
    configured data set's results; other sources from the clone), or marked as not made."""

    def block(match: re.Match) -> str:
        source = run_path(match["source"], dataset)
        root = results_root if source.startswith("results/") else source_tree
        if not (root / source).exists():
            return NOT_MADE + "\n"
        return docs.render(source, match["columns"], root, match["rows"])

    return docs.BLOCK.sub(lambda m: block(m), text)


def run_figures(dataset: str) -> dict[str, str]:
    """``{docs/img/<name>.png: this run's figure}``: the committed copies' sources, for ``dataset``."""
    return {target: run_path(source, dataset) for source, target in docs.FIGURES.items()}


def resolve_links(text: str, page: Path, stage: Path, source_tree: Path) -> str:
    """``text`` (the page at ``stage/page``) with each relative link resolved: kept when the
    staged tree holds its target, the target copied from the clone when it is a file there, the
    link made plain text otherwise."""

    def link(match: re.Match) -> str:
        target = match["target"]
        if re.match(r"^[a-z]+:|^#|^/", target):
            return match[0]
        path = target.split("#")[0]
        relative = (page.parent / path).as_posix()
        staged, cloned = stage / relative, source_tree / relative
        if staged.resolve().is_relative_to(stage.resolve()) and not staged.exists() and cloned.is_file():
            staged.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cloned, staged)
        if staged.resolve().is_relative_to(stage.resolve()) and staged.is_file():
            return match[0]
        return f"{match['text']} {NOT_MADE}" if match["bang"] else match["text"]

    return LINK.sub(link, text)


def doc_pages(source_tree: Path) -> list[str]:
    """The study pages ``docs/<name>.md``, in :data:`PAGE_ORDER`."""
    names = [path.stem for path in sorted((source_tree / "docs").glob("*.md"))]
    ordered = [name for name in PAGE_ORDER if name in names] + [n for n in names if n not in PAGE_ORDER]
    return [f"docs/{name}.md" for name in ordered]


def stage_figures(stage: Path, dataset: str, results_root: Path) -> None:
    """This run's figures where the pages expect the committed copies (``docs/img/``)."""
    for target, source in run_figures(dataset).items():
        if (results_root / source).exists():
            (stage / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(results_root / source, stage / target)


def stage_notebooks(stage: Path, notebooks: list[str]) -> dict[str, list[str]]:
    """Copy each executed notebook ``results/<dataset>/notebooks/<name>.ipynb`` to its page.

    Returns
    -------
    dict of str to list of str
        The pages of each data set, in the order given.
    """
    pages: dict[str, list[str]] = {}
    for path in notebooks:
        parts = Path(path).parts
        dataset, name = parts[-3], Path(path).stem
        page = notebook_page(dataset, name)
        (stage / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, stage / page)
        pages.setdefault(dataset, []).append(page)
    return pages


def stage_pages(stage: Path, dataset: str, results_root: Path, source_tree: Path) -> list[str]:
    """Fill and stage README.md and the study pages; copy what they link to. Returns the pages
    (the linked Markdown files of the clone included)."""
    stage_figures(stage, dataset, results_root)
    pages = ["README.md", *doc_pages(source_tree)]
    for page in pages:
        text = fill_page((source_tree / page).read_text(encoding="utf-8"), dataset, results_root, source_tree)
        (stage / page).parent.mkdir(parents=True, exist_ok=True)
        (stage / page).write_text(text, encoding="utf-8")
    pending = list(pages)
    while pending:
        page = pending.pop(0)
        before = {p.relative_to(stage).as_posix() for p in stage.rglob("*.md")}
        text = resolve_links((stage / page).read_text(encoding="utf-8"), Path(page), stage, source_tree)
        (stage / page).write_text(text, encoding="utf-8")
        new = sorted({p.relative_to(stage).as_posix() for p in stage.rglob("*.md")} - before)
        pending += new
        pages += new
    return pages
