"""Writing result tables: a CSV file (full precision) and a Markdown rendering of it."""

from __future__ import annotations

import csv

from .io import atomic_path


def format_cell(value) -> str:
    """A table cell for Markdown: floats to 3 significant digits, booleans as true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value).replace("|", "\\|")


def save_table_csv(path, rows: list[dict]) -> None:
    """Write ``rows`` (dicts with the same keys, in column order) as CSV.

    Floats are written with ``repr`` (round-trip precision), booleans as ``true``/``false``.
    """
    columns = list(rows[0])
    with atomic_path(path) as temporary, open(temporary, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(
                ["true" if v is True else "false" if v is False else repr(v) if isinstance(v, float) else v
                 for v in (row[c] for c in columns)]
            )


def load_table_csv(path) -> list[dict]:
    """Read a table written by :func:`save_table_csv` (cells as strings)."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def markdown_table(rows: list[dict], columns: list[str] | None = None) -> str:
    """A GitHub-flavoured Markdown table of ``rows`` (optionally only ``columns``)."""
    columns = columns or list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join(" --- " for _ in columns) + "|"]
    lines += ["| " + " | ".join(format_cell(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def save_markdown(path, title: str, body: str) -> None:
    """Write a Markdown file: a heading, then ``body``."""
    with atomic_path(path) as temporary:
        temporary.write_text(f"# {title}\n\n{body}", encoding="utf-8")
