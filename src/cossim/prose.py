"""The words of generated sentences: numbers to three significant digits, lists, reader names.

Every sentence that states a result is generated from a checked artifact (the ``sentences``
module of each study); these are the pieces they share, so that a number reads alike on every page.
"""

from __future__ import annotations

import math

from .vocabulary import reader_name

UNDEFINED = "undefined"
"""What a reader is shown for a value the mathematics leaves undefined (stored as NaN)."""


def number(value) -> str:
    """``value`` to three significant digits (an int as it is; NaN or None as "undefined").

    Parameters
    ----------
    value : int, float, str or None

    Returns
    -------
    str
    """
    if value is None or isinstance(value, bool):
        return UNDEFINED if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    value = float(value)
    if math.isnan(value):
        return UNDEFINED
    rounded = float(f"{value:.3g}")
    if 1000 <= abs(rounded) < 1e15:
        return f"{rounded:,.0f}" if abs(rounded) >= 10_000 else f"{rounded:.0f}"
    return f"{value:.3g}"


def listing(items, conjunction: str = "and") -> str:
    """``items`` as an English list: "a", "a and b", "a, b and c" ("none" when empty)."""
    items = [str(item) for item in items]
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def names(keys, conjunction: str = "and") -> str:
    """The reader names of ``keys``, each set off (:func:`quoted`), as a list."""
    return listing((quoted(key) for key in keys), conjunction)


def quoted(key: str) -> str:
    """The reader name of ``key`` set off in a sentence (names hold colons and commas)."""
    return f"“{reader_name(key)}”"


def bullets(sentences: list[str]) -> str:
    """``sentences`` as a Markdown list, one item each."""
    return "".join(f"- {sentence}\n" for sentence in sentences)


def table_cell(text) -> str:
    """``text`` safe in a Markdown table cell: ``|`` escaped, line breaks as spaces."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(columns: list[str], rows: list[list]) -> str:
    """A Markdown table of ``rows`` (cells as given, escaped by :func:`table_cell`)."""
    lines = ["| " + " | ".join(table_cell(c) for c in columns) + " |", "|" + " --- |" * len(columns)]
    lines += ["| " + " | ".join(table_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def checks_summary(checks: list[dict], rule: str) -> str:
    """One line of a check report ("42 checks passed" or which failed), the full list folded away.

    Parameters
    ----------
    checks : list of dict
        The ``checks`` of a ``results/<dataset>/checks/<study>.json`` (``name``, ``statement``,
        ``measured``, ``bound``, ``passed``).
    rule : str
        The rule that ran them.

    Returns
    -------
    str
        Markdown: the line, then an HTML ``<details>`` block holding a table of every check.
    """
    failed = [f"{check['statement']} (measured {number(check['measured'])})" for check in checks if not check["passed"]]
    if failed:
        line = f"**{len(failed)} of {len(checks)} checks of rule `{rule}` did not hold**: {listing(failed)}."
    else:
        line = f"All {len(checks)} checks of rule `{rule}` passed."
    rows = [["pass" if check["passed"] else "FAIL", f"`{check['name']}`", check["statement"], number(check["measured"]),
             number(check["bound"])] for check in checks]
    table = markdown_table(["verdict", "check", "statement", "measured", "bound"], rows)
    return f"{line}\n\n<details>\n<summary>The {len(checks)} checks</summary>\n\n{table}\n\n</details>\n"
