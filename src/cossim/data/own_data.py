"""Reading a user's own interaction data, refusing malformed files before any job runs.

The paper's analysis (Section 4, Figure 1) needs only a users x items matrix ``X`` and, for
the ground-truth panel and the block-pattern claims, a cluster label per item. This module
reads both from plain files and reports every problem as ``<file>:<line>: <problem>``.

Interaction files
    CSV with columns ``user,item[,value]`` (an optional header line naming exactly these
    columns; lines starting with ``#`` are comments), or Matrix Market coordinate format
    (``%%MatrixMarket matrix coordinate real|integer|pattern general``, 1-based indices).
    Ids are non-negative integers; a missing value means 1; values must be finite and
    non-negative; a (user, item) pair may occur only once.
Item-cluster files
    CSV with columns ``item,cluster`` (optional header), one line per item of the
    interaction file; clusters are non-negative integers.

Users and items of a CSV file are numbered by increasing id; a Matrix Market file keeps its
declared shape, item ``j`` (1-based) being column ``j - 1``. Items without a known cluster get
cluster :data:`NO_CLUSTER`.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.io
import scipy.sparse as sp

from ..model.panels import NO_CLUSTER, has_ground_truth

FORMATS = ("auto", "csv", "matrixmarket")
MATRIX_MARKET_SUFFIXES = (".mtx", ".mm")
INTEGER = re.compile(r"[0-9]+")
MATRIX_MARKET_HEADER = re.compile(
    r"%%MatrixMarket\s+matrix\s+coordinate\s+(real|integer|pattern)\s+general\s*", re.IGNORECASE
)


class OwnDataError(ValueError):
    """A malformed interaction or item-cluster file; the message names the file and line.

    Parameters
    ----------
    message : str
    """


@dataclass(frozen=True)
class OwnData:
    """A user's data set in the workflow's terms.

    Attributes
    ----------
    interactions : scipy.sparse.csr_matrix, shape (n, p)
        ``X`` of the paper, float64.
    item_ids : ndarray, shape (p,)
        The file's id of each item column.
    item_cluster : ndarray, shape (p,)
        Ground-truth cluster of each item, or :data:`NO_CLUSTER` everywhere when no
        item-cluster file was given.
    """

    interactions: sp.csr_matrix
    item_ids: np.ndarray
    item_cluster: np.ndarray

    @property
    def has_clusters(self) -> bool:
        """Whether ground-truth clusters are known."""
        return has_ground_truth(self.item_cluster)


def item_popularity(X: sp.spmatrix) -> np.ndarray:
    """Share of the users who interacted with each item (the observed analogue of ``p_i``).

    Parameters
    ----------
    X : scipy.sparse matrix, shape (n, p)

    Returns
    -------
    ndarray of float, shape (p,)
    """
    counts = np.asarray((sp.csr_matrix(X) != 0).sum(axis=0)).ravel()
    return counts / max(X.shape[0], 1)


def resolve_format(path, file_format: str = "auto") -> str:
    """``csv`` or ``matrixmarket``; ``auto`` decides by the suffix (``.mtx``, ``.mm``).

    Parameters
    ----------
    path : str or Path
    file_format : {"auto", "csv", "matrixmarket"}

    Returns
    -------
    str
    """
    if file_format not in FORMATS:
        raise OwnDataError(f"{path}: unknown format {file_format!r}; allowed: {', '.join(FORMATS)}")
    if file_format != "auto":
        return file_format
    return "matrixmarket" if Path(path).suffix.lower() in MATRIX_MARKET_SUFFIXES else "csv"


def parse_id(text: str, what: str, where: str) -> int:
    """A non-negative integer id, or an error naming the place.

    Parameters
    ----------
    text : str
    what, where : str
        The kind of id (``"user"``, ...) and ``<file>:<line>``, for the message.

    Returns
    -------
    int
    """
    text = text.strip()
    if not INTEGER.fullmatch(text):
        raise OwnDataError(f"{where}: {what} id {text!r} is not a non-negative integer")
    return int(text)


def parse_value(text: str, where: str) -> float:
    """A finite, non-negative interaction value, or an error naming the place.

    Parameters
    ----------
    text, where : str
        The value and ``<file>:<line>``, for the message.

    Returns
    -------
    float
    """
    try:
        value = float(text)
    except ValueError:
        raise OwnDataError(f"{where}: value {text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise OwnDataError(f"{where}: value {text.strip()!r} is not finite")
    if value < 0:
        raise OwnDataError(f"{where}: negative value {value:g} (interactions must be >= 0)")
    return value


def csv_rows(path, columns: tuple[str, ...], optional: int = 0):
    """Yield ``(line number, fields)`` of a CSV file's data lines.

    ``columns`` are the expected column names, the last ``optional`` of which may be absent
    (the same for every line). A first line naming the columns is a header and skipped;
    blank lines and lines starting with ``#`` are skipped.

    Parameters
    ----------
    path : str or Path
    columns : tuple of str
    optional : int

    Yields
    ------
    line : int
    fields : list of str
        The stripped fields, as many as the first data line (or header) has.
    """
    allowed_widths = range(len(columns) - optional, len(columns) + 1)
    expected = ",".join(columns[: len(columns) - optional]) + "".join(f"[,{c}]" for c in columns[len(columns) - optional :])
    width = None
    with open(path, newline="", encoding="utf-8-sig") as handle:  # -sig: tolerate a spreadsheet's BOM
        reader = csv.reader(handle)
        for fields in reader:
            line = reader.line_num
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
                    raise OwnDataError(f"{path}:{line}: expected columns {expected}, found {len(fields)} column(s)")
            if len(fields) != width:
                raise OwnDataError(f"{path}:{line}: expected {width} columns like the first line, found {len(fields)}")
            yield line, fields


def read_csv_interactions(path) -> tuple[sp.csr_matrix, np.ndarray]:
    """Read ``user,item[,value]`` lines; returns (X, item ids), ids numbered in increasing order.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    X : scipy.sparse.csr_matrix, shape (n, p)
    item_ids : ndarray of int, shape (p,)
    """
    users, items, values, first_line = [], [], [], {}
    for line, fields in csv_rows(path, ("user", "item", "value"), optional=1):
        where = f"{path}:{line}"
        user, item = parse_id(fields[0], "user", where), parse_id(fields[1], "item", where)
        value = parse_value(fields[2], where) if len(fields) == 3 else 1.0
        if (user, item) in first_line:
            raise OwnDataError(f"{where}: duplicate interaction of user {user} with item {item} (first on line {first_line[user, item]})")
        first_line[user, item] = line
        users.append(user)
        items.append(item)
        values.append(value)
    if not users:
        raise OwnDataError(f"{path}: no interactions (the file is empty)")
    user_ids, user_index = np.unique(np.array(users), return_inverse=True)
    item_ids, item_index = np.unique(np.array(items), return_inverse=True)
    X = sp.csr_matrix((np.array(values, dtype=np.float64), (user_index, item_index)), shape=(user_ids.size, item_ids.size))
    return X, item_ids


def read_matrix_market(path) -> tuple[sp.csr_matrix, np.ndarray]:
    """Read a Matrix Market coordinate file; returns (X, item ids 1..p).

    Every line is validated first, so that a malformed file is refused naming its line; the
    matrix itself is then read by :func:`scipy.io.mmread`.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    X : scipy.sparse.csr_matrix, shape (n, p)
    item_ids : ndarray of int, shape (p,)
    """
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    if not lines or not lines[0].strip():
        raise OwnDataError(f"{path}: no interactions (the file is empty)")
    header = MATRIX_MARKET_HEADER.fullmatch(lines[0].strip())
    if header is None:
        raise OwnDataError(f"{path}:1: expected '%%MatrixMarket matrix coordinate real|integer|pattern general'")
    pattern = header[1].lower() == "pattern"
    body = [(number, text.split()) for number, text in enumerate(lines[1:], start=2) if text.strip() and not text.lstrip().startswith("%")]
    if not body:
        raise OwnDataError(f"{path}: no size line 'rows columns entries'")
    size_line, size = body[0]
    if len(size) != 3:
        raise OwnDataError(f"{path}:{size_line}: expected the size line 'rows columns entries', found {len(size)} fields")
    n, p, entries = (parse_id(field, what, f"{path}:{size_line}") for field, what in zip(size, ("row count", "column count", "entry count")))
    if entries == 0 or len(body) == 1:
        raise OwnDataError(f"{path}: no interactions (the file is empty)")
    width = 2 if pattern else 3
    first_line = {}
    for line, fields in body[1:]:
        where = f"{path}:{line}"
        if len(fields) != width:
            raise OwnDataError(f"{where}: expected {width} fields (row column{'' if pattern else ' value'}), found {len(fields)}")
        row, col = parse_id(fields[0], "user (row)", where), parse_id(fields[1], "item (column)", where)
        if not (1 <= row <= n and 1 <= col <= p):
            raise OwnDataError(f"{where}: entry ({row}, {col}) outside the declared {n} x {p} matrix (indices are 1-based)")
        if (row, col) in first_line:
            raise OwnDataError(f"{where}: duplicate interaction of user {row} with item {col} (first on line {first_line[row, col]})")
        first_line[row, col] = line
        if not pattern:
            parse_value(fields[2], where)
    if len(first_line) != entries:
        raise OwnDataError(f"{path}:{size_line}: size line declares {entries} entries, the file has {len(first_line)}")
    X = sp.csr_matrix(scipy.io.mmread(path), dtype=np.float64)
    X.sort_indices()
    return X, np.arange(1, p + 1)


def read_interactions(path, file_format: str = "auto") -> tuple[sp.csr_matrix, np.ndarray]:
    """Read a user's interaction file (CSV or Matrix Market); returns (X, item ids).

    Parameters
    ----------
    path : str or Path
    file_format : {"auto", "csv", "matrixmarket"}

    Returns
    -------
    X : scipy.sparse.csr_matrix, shape (n, p)
    item_ids : ndarray of int, shape (p,)
    """
    path = Path(path)
    if not path.is_file():
        raise OwnDataError(f"{path}: interaction file not found")
    if resolve_format(path, file_format) == "matrixmarket":
        return read_matrix_market(path)
    return read_csv_interactions(path)


def read_item_clusters(path, item_ids: np.ndarray, interactions_path="the interaction file") -> np.ndarray:
    """Read ``item,cluster`` lines; returns the cluster of each item in ``item_ids``' order.

    Parameters
    ----------
    path : str or Path
    item_ids : ndarray of int, shape (p,)
        The ids of the interaction file's items (:func:`read_interactions`).
    interactions_path : str or Path

    Returns
    -------
    ndarray of int64, shape (p,)
    """
    path = Path(path)
    if not path.is_file():
        raise OwnDataError(f"{path}: item-cluster file not found")
    position = {int(item): index for index, item in enumerate(item_ids)}
    cluster = np.full(len(item_ids), NO_CLUSTER, dtype=np.int64)
    first_line = {}
    for line, fields in csv_rows(path, ("item", "cluster")):
        where = f"{path}:{line}"
        item, label = parse_id(fields[0], "item", where), parse_id(fields[1], "cluster", where)
        if item in first_line:
            raise OwnDataError(f"{where}: duplicate item {item} (first on line {first_line[item]})")
        if item not in position:
            raise OwnDataError(f"{where}: item {item} does not occur in {interactions_path}")
        first_line[item] = line
        cluster[position[item]] = label
    if not first_line:
        raise OwnDataError(f"{path}: no items (the file is empty)")
    missing = np.asarray(item_ids)[cluster == NO_CLUSTER]
    if missing.size:
        shown = ", ".join(str(int(item)) for item in missing[:5]) + (", ..." if missing.size > 5 else "")
        raise OwnDataError(f"{path}: {missing.size} item(s) of {interactions_path} have no cluster: {shown}")
    return cluster


def load_own_data(interactions, item_clusters=None, file_format: str = "auto") -> OwnData:
    """Read and validate a user's data set.

    Parameters
    ----------
    interactions : str or Path
        CSV (``user,item[,value]``) or Matrix Market file.
    item_clusters : str or Path or None
        CSV (``item,cluster``) with the ground-truth cluster of every item, or None.
    file_format : {'auto', 'csv', 'matrixmarket'}

    Returns
    -------
    OwnData

    Raises
    ------
    OwnDataError
        Naming the file and line of the first problem.
    """
    X, item_ids = read_interactions(interactions, file_format)
    if item_clusters is None:
        cluster = np.full(item_ids.size, NO_CLUSTER, dtype=np.int64)
    else:
        cluster = read_item_clusters(item_clusters, item_ids, interactions)
    return OwnData(X, item_ids, cluster)


def check_own_data(settings: dict, rank: int) -> OwnData | None:
    """Validate the ``own_data`` config section and its files before any job runs.

    Parameters
    ----------
    settings : dict
        The ``own_data`` section: ``interactions``, ``item_clusters`` and ``format``.
    rank : int
        The model's rank k.

    Returns
    -------
    OwnData or None
        The data set, or None when ``own_data.interactions`` is null (simulate instead).

    Raises
    ------
    OwnDataError
        Naming the key, or the file and line, of the first problem; also when the rank k of the
        model exceeds the number of items p (Section 2 needs k <= p).
    """
    if settings["interactions"] is None:
        if settings["item_clusters"] is not None:
            raise OwnDataError("own_data.item_clusters is set but own_data.interactions is null")
        return None
    data = load_own_data(settings["interactions"], settings["item_clusters"], settings["format"])
    n_users, n_items = data.interactions.shape
    if rank > n_items:
        raise OwnDataError(f"model.rank: k={rank} exceeds the {n_items} items of {settings['interactions']}")
    if rank > n_users:
        raise OwnDataError(f"model.rank: k={rank} exceeds the {n_users} users of {settings['interactions']}")
    return data
