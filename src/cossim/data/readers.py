"""Interaction files (comma-, tab- or whitespace-separated, and Matrix Market) read into the matrix ``X``, ids kept exact.

Both readers validate every line (:mod:`cossim.data.parsing`) and build ``X`` from the parsed
values themselves. Ids are exact Python integers, mapped to indices through ``uint64`` arrays,
so that distinct ids never collapse (no float64 round trip).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .parsing import (
    INTEGER,
    MAX_INTERACTIONS,
    MAX_ITEMS,
    MAX_USERS,
    OwnDataError,
    checked_lines,
    csv_rows,
    parse_id,
    parse_value,
    read_text,
)

MATRIX_MARKET_HEADER = re.compile(
    r"%%MatrixMarket\s+matrix\s+coordinate\s+(real|integer|pattern)\s+general\s*", re.IGNORECASE
)


@dataclass(frozen=True)
class Interactions:
    """A parsed interaction file.

    Attributes
    ----------
    X : scipy.sparse.csr_matrix, shape (n, p)
        float64, sorted indices; 0 values are kept as explicit entries.
    item_ids, user_ids : ndarray, shape (p,) and (n,)
        The file's id of each column and row, increasing; int64, or uint64 when an id is 2^63
        or more.
    """

    X: sp.csr_matrix
    item_ids: np.ndarray
    user_ids: np.ndarray


def exact_ids(ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ids in increasing order and each one's index, computed exactly.

    Parameters
    ----------
    ids : list of int
        Each in [0, 2^64).

    Returns
    -------
    unique : ndarray, shape (m,)
        int64 when every id is below 2^63, else uint64.
    index : ndarray of int, shape (len(ids),)
    """
    unique, index = np.unique(np.array(ids, dtype=np.uint64), return_inverse=True)
    if unique.size and int(unique[-1]) < 2**63:
        unique = unique.astype(np.int64)
    return unique, index


def too_many(path, what: str, count: int, maximum: int) -> OwnDataError:
    """The error for a file with more users, items or interactions than allowed.

    Parameters
    ----------
    path : str or Path
    what : str
        What is counted, e.g. ``"distinct items"``.
    count, maximum : int

    Returns
    -------
    OwnDataError
    """
    return OwnDataError(f"{path}: {count:,} {what}; allowed: at most {maximum:,} (see docs/own_data.md, sizes)")


def read_csv_interactions(path, file_format: str = "auto") -> Interactions:
    """Read ``user,item[,value]`` lines; users and items numbered by increasing id.

    Parameters
    ----------
    path : str or Path
    file_format : {"auto", "csv", "tsv", "whitespace"}
        The separator (comma, tab, spaces); ``auto`` detects it from the first data line.

    Returns
    -------
    Interactions
    """
    users, items, values, first_line = [], [], [], {}
    for line, fields in csv_rows(path, ("user", "item", "value"), optional=1, file_format=file_format):
        where = f"{path}:{line}"
        user, item = parse_id(fields[0], "user", where), parse_id(fields[1], "item", where)
        value = parse_value(fields[2], where) if len(fields) == 3 else 1.0
        if (user, item) in first_line:
            raise OwnDataError(f"{where}: duplicate interaction of user {user} with item {item} (first on line {first_line[user, item]})")
        if len(first_line) == MAX_INTERACTIONS:
            raise OwnDataError(f"{where}: more than {MAX_INTERACTIONS:,} interactions; allowed: at most {MAX_INTERACTIONS:,}")
        first_line[user, item] = line
        users.append(user)
        items.append(item)
        values.append(value)
    if not users:
        raise OwnDataError(f"{path}: no interactions (the file is empty)")
    user_ids, user_index = exact_ids(users)
    item_ids, item_index = exact_ids(items)
    if item_ids.size > MAX_ITEMS:
        raise too_many(path, "distinct items", item_ids.size, MAX_ITEMS)
    if user_ids.size > MAX_USERS:
        raise too_many(path, "distinct users", user_ids.size, MAX_USERS)
    X = sp.csr_matrix((np.array(values, dtype=np.float64), (user_index, item_index)), shape=(user_ids.size, item_ids.size))
    return Interactions(X, item_ids, user_ids)


def read_matrix_market(path) -> Interactions:
    """Read a Matrix Market coordinate file (1-based); item ``j`` is column ``j - 1``.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Interactions
        Item and user ids 1..p and 1..n.
    """
    lines = [line.rstrip("\r\n") for line in checked_lines(path, read_text(path))]
    if not lines or not lines[0].strip():
        raise OwnDataError(f"{path}: no interactions (the file is empty)")
    header = MATRIX_MARKET_HEADER.fullmatch(lines[0].strip())
    if header is None:
        raise OwnDataError(f"{path}:1: expected '%%MatrixMarket matrix coordinate real|integer|pattern general'")
    field = header[1].lower()
    body = [(number, text.split()) for number, text in enumerate(lines[1:], start=2) if text.strip() and not text.lstrip().startswith("%")]
    if not body:
        raise OwnDataError(f"{path}: no size line 'rows columns entries'")
    size_line, size = body[0]
    if len(size) != 3:
        raise OwnDataError(f"{path}:{size_line}: expected the size line 'rows columns entries', found {len(size)} fields")
    n, p, entries = (parse_id(text, what, f"{path}:{size_line}") for text, what in zip(size, ("row count", "column count", "entry count")))
    for count, what, maximum in ((n, "rows (users)", MAX_USERS), (p, "columns (items)", MAX_ITEMS), (entries, "entries", MAX_INTERACTIONS)):
        if count > maximum:
            raise OwnDataError(f"{path}:{size_line}: {count:,} {what} declared; allowed: at most {maximum:,}")
    if entries == 0 or len(body) == 1:
        raise OwnDataError(f"{path}: no interactions (the file is empty)")
    width = 2 if field == "pattern" else 3
    rows, cols, values, first_line = [], [], [], {}
    for line, fields in body[1:]:
        where = f"{path}:{line}"
        if len(fields) != width:
            raise OwnDataError(f"{where}: expected {width} fields (row column{'' if width == 2 else ' value'}), found {len(fields)}")
        row, col = parse_id(fields[0], "user (row)", where), parse_id(fields[1], "item (column)", where)
        if not (1 <= row <= n and 1 <= col <= p):
            raise OwnDataError(f"{where}: entry ({row}, {col}) outside the declared {n} x {p} matrix (indices are 1-based)")
        if (row, col) in first_line:
            raise OwnDataError(f"{where}: duplicate interaction of user {row} with item {col} (first on line {first_line[row, col]})")
        if len(first_line) == entries:
            raise OwnDataError(f"{path}:{size_line}: size line declares {entries} entries, the file has more (line {line})")
        first_line[row, col] = line
        value = 1.0 if width == 2 else parse_value(fields[2], where)
        if field == "integer" and not INTEGER.fullmatch(fields[2].lstrip("+")):
            raise OwnDataError(f"{where}: value {fields[2]!r} is not an integer, as the header's 'integer' requires")
        rows.append(row - 1)
        cols.append(col - 1)
        values.append(value)
    if len(first_line) != entries:
        raise OwnDataError(f"{path}:{size_line}: size line declares {entries} entries, the file has {len(first_line)}")
    X = sp.csr_matrix((np.array(values, dtype=np.float64), (np.array(rows), np.array(cols))), shape=(n, p))
    X.sort_indices()
    return Interactions(X, np.arange(1, p + 1), np.arange(1, n + 1))
