"""Reading the lines of a user's data files exactly, refusing anything else by file and line.

Every file is read as plain UTF-8 text (a byte-order mark is allowed). Compressed or binary
files, other encodings, control characters and lines over :data:`MAX_LINE_CHARS` characters are
refused before any field is parsed, so the ``csv`` module's own limits are never reached. Ids are
read as exact integers (never through a float) and bounded by :data:`MAX_ID`; cluster labels by
:data:`MAX_LABEL`; interaction values are 0 or lie in [:data:`MIN_VALUE`, :data:`MAX_VALUE`].
Every problem is an :class:`OwnDataError` whose message starts with ``<file>:<line>:``, or with
``<file>:`` for a problem of the whole file.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

MAX_LINE_CHARS = 10_000
"""Longest line (characters, without the line break): far above any ``user,item,value`` line,
and far below the ``csv`` module's field limit of 131,072 characters."""
MAX_ID = 2**64 - 1
"""Largest user or item id: ids are exact integers in [0, 2^64), e.g. 64-bit hashes."""
MAX_LABEL = 2**63 - 1
"""Largest cluster label (a signed 64-bit integer, as ``items.csv`` stores it)."""
MIN_VALUE = 1e-6
MAX_VALUE = 1e6
"""A non-zero value lies in [MIN_VALUE, MAX_VALUE]: its square neither underflows nor overflows,
and every entry of ``X^T X`` stays below ``MAX_INTERACTIONS * MAX_VALUE**2 = 1e19``."""
MAX_USERS = 10_000_000
MAX_ITEMS = 10_000
"""The fits and Figure 1 hold several dense p x p float64 matrices (8 p^2 bytes each, 800 MB at
p = 10,000); the users are held sparsely."""
MAX_INTERACTIONS = 10_000_000
"""Lines of interactions; reading holds each in Python objects (about 200 bytes per line)."""
MAX_FILE_BYTES = 2**30
"""Largest file (1 GiB): 10^7 lines of interactions take well under half of it."""

INTEGER = re.compile(r"[0-9]+")
DECIMAL = re.compile(r"[+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
COMPRESSED = (
    (b"\x1f\x8b", "gzip-compressed"),
    (b"PK\x03\x04", "a zip archive"),
    (b"\xfd7zXZ\x00", "xz-compressed"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"\x89HDF", "an HDF5 file"),
    (b"\x93NUMPY", "a NumPy array file"),
)
TEXT_ALLOWED = "allowed: plain UTF-8 text, optionally with a byte-order mark"


class OwnDataError(ValueError):
    """A malformed interaction or item-cluster file; the message names the file and line.

    Parameters
    ----------
    message : str
    """


def line_of(text, position: int) -> tuple[int, int]:
    """The 1-based (line, column) of ``position`` in ``text`` (str or bytes), for a message.

    Parameters
    ----------
    text : str or bytes
    position : int

    Returns
    -------
    line, column : int
    """
    before = text[:position]
    breaks = LINE_BREAK if isinstance(text, str) else re.compile(LINE_BREAK.pattern.encode())
    starts = [match.end() for match in breaks.finditer(before)]
    return len(starts) + 1, position - (starts[-1] if starts else 0) + 1


def read_text(path) -> str:
    """The whole file as text, refused unless it is plain UTF-8 without control characters.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    str
        Without a leading byte-order mark.

    Raises
    ------
    OwnDataError
        For a file that cannot be read or is over :data:`MAX_FILE_BYTES`, a compressed or binary file, a UTF-16 file, bytes that are not UTF-8 (e.g. Latin-1)
        or a control character, naming the file and, where there is one, the line.
    """
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise OwnDataError(f"{path}: the file has {size:,} bytes; allowed: at most {MAX_FILE_BYTES:,} (1 GiB)")
        data = Path(path).read_bytes()
    except OSError as error:
        raise OwnDataError(f"{path}: the file cannot be read ({error.strerror or error})") from None
    for magic, kind in COMPRESSED:
        if data.startswith(magic):
            raise OwnDataError(f"{path}: the file is {kind}, not text; decompress or export it first ({TEXT_ALLOWED})")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise OwnDataError(f"{path}: the file is UTF-16 text; save it as UTF-8 ({TEXT_ALLOWED})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = line_of(data, error.start)
        raise OwnDataError(
            f"{path}:{line}: byte 0x{data[error.start]:02x} at column {column} is not UTF-8 "
            f"(Latin-1 or another encoding, or a binary file); save the file as UTF-8 ({TEXT_ALLOWED})"
        ) from None
    control = CONTROL.search(text)
    if control is not None:
        line, column = line_of(text, control.start())
        raise OwnDataError(
            f"{path}:{line}: control character U+{ord(control[0]):04X} at column {column} "
            f"(a binary file?); {TEXT_ALLOWED}, fields separated by commas, tabs or spaces"
        )
    return text


def checked_lines(path, text: str):
    """Yield the lines of ``text`` (with their line breaks), refusing one that is too long.

    Parameters
    ----------
    path : str or Path
        For the message.
    text : str

    Yields
    ------
    str
    """
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line.rstrip("\r\n")) > MAX_LINE_CHARS:
            raise OwnDataError(
                f"{path}:{number}: line of {len(line.rstrip(chr(13) + chr(10))):,} characters; "
                f"allowed: at most {MAX_LINE_CHARS:,} per line"
            )
        yield line


def parse_id(text: str, what: str, where: str, maximum: int = MAX_ID) -> int:
    """A non-negative integer id, read exactly, or an error naming the place.

    Parameters
    ----------
    text : str
    what, where : str
        The kind of id (``"user"``, ...) and ``<file>:<line>``, for the message.
    maximum : int
        The largest id allowed (:data:`MAX_ID`, or :data:`MAX_LABEL` for cluster labels).

    Returns
    -------
    int
    """
    text = text.strip()
    if not INTEGER.fullmatch(text):
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise OwnDataError(f"{where}: {what} id {shown!r} is not a non-negative integer")
    if len(text) < len(str(maximum)):  # fewer digits than the maximum: below it
        return int(text)
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(maximum)) or int(digits) > maximum:
        shown = text if len(text) <= 40 else f"{text[:20]}...({len(text)} digits)"
        raise OwnDataError(f"{where}: {what} id {shown} is too large; allowed: 0 to {maximum}")
    return int(digits)


def parse_value(text: str, where: str) -> float:
    """An interaction value: 0, or a decimal number in [MIN_VALUE, MAX_VALUE].

    Parameters
    ----------
    text, where : str
        The value and ``<file>:<line>``, for the message.

    Returns
    -------
    float
    """
    text = text.strip()
    shown = text if len(text) <= 40 else text[:40] + "..."
    try:
        value = float(text)
    except ValueError:
        raise OwnDataError(f"{where}: value {shown!r} is not a number") from None
    if not math.isfinite(value) and not DECIMAL.fullmatch(text):
        raise OwnDataError(f"{where}: value {shown!r} is not finite")
    if not DECIMAL.fullmatch(text.lstrip("-")):
        raise OwnDataError(f"{where}: value {shown!r} is not a decimal number (like 3, 0.5 or 2e-3)")
    if value < 0:
        raise OwnDataError(f"{where}: negative value {value:g} (interactions must be >= 0)")
    if value != 0 and not MIN_VALUE <= value <= MAX_VALUE:
        raise OwnDataError(
            f"{where}: value {shown} is out of range; allowed: 0 (no interaction) or {MIN_VALUE:g} to "
            f"{MAX_VALUE:g}, so that X^T X stays finite (rescale your values)"
        )
    return value


SEPARATORS = {"csv": ",", "tsv": "\t", "whitespace": None}
"""Accepted field separators by format name: comma, tab, or any run of spaces and tabs."""
ACCEPTED_SEPARATORS = "accepted separators: comma (format csv), tab (tsv) or spaces/tabs (whitespace)"
REFUSED_SEPARATORS = {";": "semicolon", "|": "vertical bar", ":": "colon"}
"""Separators that are recognised in order to refuse them by name."""


def detect_separator(path, text: str, expected: str) -> str:
    """The format (``csv``, ``tsv`` or ``whitespace``) of a delimited file, from its first data line.

    A comma makes it ``csv``, else tabs alone ``tsv``, else spaces (or tabs and spaces) ``whitespace``; a line with none of
    them but a semicolon, vertical bar or colon between fields is refused naming the separators
    accepted.

    Parameters
    ----------
    path : str or Path
        For the message.
    text : str
        The file's text.
    expected : str
        The expected columns, e.g. ``user,item[,value]`` (for the message).

    Returns
    -------
    str
    """
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if "," in stripped:
            return "csv"
        if "\t" in stripped and not any(len(field.split()) > 1 for field in stripped.split("\t")):
            return "tsv"
        if len(stripped.split()) > 1:
            return "whitespace"
        for separator, name in REFUSED_SEPARATORS.items():
            if separator in stripped:
                raise OwnDataError(
                    f"{path}:{number}: expected columns {expected}, found fields separated by {separator!r} "
                    f"({name}), which are not read; {ACCEPTED_SEPARATORS}"
                )
        return "csv"
    return "csv"


def split_rows(path, text: str, file_format: str, expected: str):
    """Yield ``(line number, fields)`` of every line (blank ones too) split by the format's separator.

    Parameters
    ----------
    path : str or Path
    text : str
    file_format : {"csv", "tsv", "whitespace"}
    expected : str
        The expected columns, for the message.

    Yields
    ------
    line : int
    fields : list of str
    """
    if SEPARATORS[file_format] is None:
        for number, line in enumerate(checked_lines(path, text), start=1):
            yield number, line.split()
        return
    reader = csv.reader(checked_lines(path, text), delimiter=SEPARATORS[file_format])
    line = 0
    while True:
        start = line + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise OwnDataError(
                f"{path}:{start}: not a valid {file_format.upper()} record ({error}, reading lines {start} to "
                f"{reader.line_num}; an unclosed quote?); allowed: lines {expected} ({ACCEPTED_SEPARATORS})"
            ) from None
        line = reader.line_num
        yield line, fields


def csv_rows(path, columns: tuple[str, ...], optional: int = 0, file_format: str = "auto"):
    """Yield ``(line number, fields)`` of a delimited file's data lines.

    ``columns`` are the expected column names, the last ``optional`` of which may be absent
    (the same for every line). A first line naming the columns is a header and skipped;
    blank lines and lines starting with ``#`` are skipped. Fields are separated by commas
    (``csv``), tabs (``tsv``) or runs of spaces and tabs (``whitespace``); ``auto`` detects the
    separator from the first data line (:func:`detect_separator`).

    Parameters
    ----------
    path : str or Path
    columns : tuple of str
    optional : int
    file_format : {"auto", "csv", "tsv", "whitespace"}

    Yields
    ------
    line : int
    fields : list of str
        The stripped fields, as many as the first data line (or header) has.
    """
    allowed_widths = range(len(columns) - optional, len(columns) + 1)
    expected = ",".join(columns[: len(columns) - optional]) + "".join(f"[,{c}]" for c in columns[len(columns) - optional :])
    text = read_text(path)
    if file_format == "auto":
        file_format = detect_separator(path, text, expected)
    width = None
    for line, fields in split_rows(path, text, file_format, expected):
        if not fields or not "".join(fields).strip() or fields[0].lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in fields]
        if width is None and not INTEGER.fullmatch(fields[0]):
            names = tuple(field.lower() for field in fields)
            if names == columns[: len(names)] and len(names) in allowed_widths:
                width = len(names)
                continue
        if width is None:
            width = len(fields)
            if width not in allowed_widths:
                raise OwnDataError(
                    f"{path}:{line}: expected columns {expected}, found {len(fields)} column(s) separated by "
                    f"{file_format_name(file_format)}; {ACCEPTED_SEPARATORS}"
                )
        if len(fields) != width:
            raise OwnDataError(f"{path}:{line}: expected {width} columns like the first line, found {len(fields)}")
        yield line, fields


def file_format_name(file_format: str) -> str:
    """``commas``, ``tabs`` or ``whitespace``: the separator of a delimited format, for messages."""
    return {"csv": "commas", "tsv": "tabs", "whitespace": "whitespace"}[file_format]
