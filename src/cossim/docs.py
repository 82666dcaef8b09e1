"""Fill the documentation's numbers from the files a workflow run generated.

Numbers in ``README.md`` and ``docs/*.md`` are never typed by hand. Where a table belongs, the text
holds a generated block::

    <!-- generated from results/paper/tables/table3_cluster_recovery.csv columns=panel,auc_mean -->
    ...
    <!-- end generated -->

and ``python -m cossim.docs`` (run from the clone after ``make replicate``) rewrites everything
between the two markers from that file: a CSV becomes a Markdown table (floats to 3 significant
digits, optionally only the named columns, and with ``rows=column:value`` only the rows whose
column holds that value; ``rows=column:a|b`` for several; a cell holding a code key shows the
key's reader name from :mod:`cossim.vocabulary`, an undefined value "undefined"), a Markdown file is
included as it is (its heading dropped), and a JSON file of findings becomes the sentences its
study generates from it (:data:`SENTENCES`, by file name), never its raw keys. Figures named in
:data:`FIGURES` are copied to ``docs/img/``. ``--check`` fails, naming the file, where a block is
stale, so a test can tell that the docs match a run.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
from pathlib import Path

from .fidelity.sentences import fidelity_sentences, reading_words
from .movielens.sentences import facts_sentences, findings_sentences
from .prose import bullets, number
from .recovery.sentences import recovery_sentences
from .vocabulary import READER_NAMES, column_name

BLOCK = re.compile(
    r"(?P<open><!-- generated from (?P<source>\S+)(?: columns=(?P<columns>\S+))?(?: rows=(?P<rows>\S+))? -->\n)"
    r"(?P<body>.*?)"
    r"(?P<close><!-- end generated -->)",
    re.S,
)
DOCUMENTS = ("README.md", "docs")
FIGURES = {
    "results/paper/figures/figure1.png": "docs/img/figure1.png",
    "results/paper/figures/figure1_levels.png": "docs/img/figure1_levels.png",
    "results/paper/figures/figure1_panel4.png": "docs/img/figure1_panel4.png",
    "results/paper/figures/d_sweep.png": "docs/img/d_sweep.png",
    "results/paper/figures/remedies.png": "docs/img/remedies.png",
    "results/paper/figures/user_similarities.png": "docs/img/user_similarities.png",
    "results/paper/figures/fidelity.png": "docs/img/fidelity.png",
    "results/paper/figures/training.png": "docs/img/training.png",
}


SENTENCES = {
    "recovery_findings.json": recovery_sentences,
    "movielens_findings.json": findings_sentences,
    "movielens_facts.json": facts_sentences,
    "fidelity_best.json": fidelity_sentences,
}
"""The sentences of each JSON file a page may show, by file name (a JSON file without is refused)."""


def reader_text(text: str) -> str:
    """A code key by its reader name, a fidelity reading by its choices in words, other text as it is."""
    if text in READER_NAMES:
        return READER_NAMES[text]
    if text in ("true", "false", "True", "False"):
        return "yes" if text.lower() == "true" else "no"
    try:
        return reading_words(text) if "-" in text else text
    except KeyError:  # not a reading name
        return text


def format_value(text: str) -> str:
    """A table cell: numbers to 3 significant digits (NaN as "undefined"), a code key by its reader
    name, other text as it is (``|`` escaped)."""
    try:
        value = float(text)
    except ValueError:
        return reader_text(text).replace("|", "\\|")
    if text.strip().lstrip("-").isdigit():
        return text
    return number(value)


def csv_table(path: Path, columns: list[str] | None, row_filter: str | None = None) -> str:
    """A Markdown table of a CSV file (all columns, or ``columns`` in that order; all rows, or
    with ``row_filter="column:a|b"`` those whose ``column`` is ``a`` or ``b``)."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if row_filter:
        column, _, values = row_filter.partition(":")
        rows = [row for row in rows if row.get(column) in values.split("|")]
    if not rows:
        return "(no rows)\n"
    columns = columns or list(rows[0])
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        raise KeyError(f"{path}: no column {', '.join(missing)}")
    lines = ["| " + " | ".join(column_name(c) for c in columns) + " |", "|" + " --- |" * len(columns)]
    lines += ["| " + " | ".join(format_value(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def json_sentences(path: Path) -> str:
    """A Markdown list of the sentences generated from a JSON file of findings (:data:`SENTENCES`)."""
    if path.name not in SENTENCES:
        raise ValueError(f"{path}: no sentences are generated from this file (known: {', '.join(SENTENCES)})")
    return bullets(SENTENCES[path.name](json.loads(path.read_text(encoding="utf-8"))))


def markdown_body(path: Path) -> str:
    """A Markdown file without its leading heading."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "".join(lines)


def render(source: str, columns: str | None, root: Path, row_filter: str | None = None) -> str:
    """The body of one generated block."""
    path = root / source
    if not path.exists():
        raise FileNotFoundError(f"{source}: not generated yet (run `make replicate` first)")
    selected = columns.split(",") if columns else None
    if path.suffix == ".csv":
        return csv_table(path, selected, row_filter)
    if path.suffix == ".json":
        if selected:
            raise ValueError(f"{source}: a JSON block takes no columns= (its sentences are generated whole)")
        return json_sentences(path)
    return markdown_body(path)


def fill(text: str, root: Path) -> str:
    """``text`` with every generated block rewritten from its source file."""
    return BLOCK.sub(lambda m: m["open"] + render(m["source"], m["columns"], root, m["rows"]) + m["close"], text)


def documents(root: Path) -> list[Path]:
    """README.md and every Markdown file under docs/."""
    found = []
    for name in DOCUMENTS:
        path = root / name
        found += sorted(path.rglob("*.md")) if path.is_dir() else [path] if path.exists() else []
    return found


def main(argv: list[str]) -> int:
    """``python -m cossim.docs [--check]``: fill (or check) the docs from ``results/``."""
    root, check, stale = Path("."), "--check" in argv, []
    for path in documents(root):
        text = path.read_text(encoding="utf-8")
        new = fill(text, root)
        if new != text:
            stale.append(str(path))
            if not check:
                path.write_text(new, encoding="utf-8")
    for source, target in FIGURES.items():
        if (root / source).exists() and not check:
            (root / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / source, root / target)
    if check and stale:
        print("stale generated blocks in: " + ", ".join(stale), file=sys.stderr)
        return 1
    for path in stale:
        print(f"updated {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
