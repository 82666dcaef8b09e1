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
