"""Reading a user's own interaction data, refusing malformed files before any job runs.

The paper's analysis (Section 4, Figure 1) needs only a users x items matrix ``X`` and, for
the ground-truth panel and the block-pattern claims, a cluster label per item. This module
reads both from plain UTF-8 text files and reports every problem as ``<file>:<line>: <problem>``,
or ``<file>: <problem>`` for one of the whole data (line syntax: :mod:`cossim.data.parsing`;
the two formats: :mod:`cossim.data.readers`; data the model cannot fit:
:mod:`cossim.data.degenerate` and :mod:`cossim.data.spectrum`).

Interaction files
    Delimited text (comma, tab or whitespace separated, detected from the first data line or set
    by ``own_data.format``) with columns ``user,item[,value]`` (an optional header line naming exactly these
    columns; lines starting with ``#`` are comments), or Matrix Market coordinate format
    (``%%MatrixMarket matrix coordinate real|integer|pattern general``, 1-based indices).
    Ids are integers in [0, 2^64), read exactly; a missing value means 1; a value is 0 (no
    interaction) or in [1e-6, 1e6]; a (user, item) pair may occur only once; every user and
    item needs a non-zero value.
Item-cluster files
    Delimited text (comma, tab or whitespace, detected) with columns ``item,cluster`` (optional header), one line per item of the
    interaction file; clusters are integers in [0, 2^63).

Users and items of a CSV file are numbered by increasing id; a Matrix Market file keeps its
declared shape, item ``j`` (1-based) being column ``j - 1``. Items without a known cluster get
cluster :data:`NO_CLUSTER`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..model.panels import NO_CLUSTER, has_ground_truth
from .degenerate import refuse_degenerate, refuse_low_rank
from .parsing import MAX_LABEL, OwnDataError, csv_rows, parse_id, parse_value
from .readers import Interactions, read_csv_interactions, read_matrix_market
from .spectrum import refuse_empty_fits

__all__ = ["OwnData", "OwnDataError", "check_own_data", "item_popularity", "load_own_data", "parse_id", "parse_value",
           "read_interactions", "read_item_clusters", "resolve_format"]

FORMATS = ("auto", "csv", "tsv", "whitespace", "matrixmarket")
"""own_data.format: ``auto`` reads Matrix Market by suffix and detects the separator otherwise."""
MATRIX_MARKET_SUFFIXES = (".mtx", ".mm")

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
    notes : tuple of str
        What the checks before any job found runs but cannot be tested (e.g. Table 1's claim 8),
        for the workflow to print.
    """

    interactions: sp.csr_matrix
    item_ids: np.ndarray
    item_cluster: np.ndarray
    notes: tuple = ()

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
    """``matrixmarket`` by the suffix (``.mtx``, ``.mm``) for ``auto``, else the format given.

    ``auto`` for a delimited file stays ``auto``: its separator is detected from its first data
    line (:func:`cossim.data.parsing.detect_separator`).

    Parameters
    ----------
    path : str or Path
    file_format : {"auto", "csv", "tsv", "whitespace", "matrixmarket"}

    Returns
    -------
    str
    """
    if file_format not in FORMATS:
        raise OwnDataError(f"{path}: unknown format {file_format!r}; allowed: {', '.join(FORMATS)}")
    if file_format != "auto":
        return file_format
    return "matrixmarket" if Path(path).suffix.lower() in MATRIX_MARKET_SUFFIXES else "auto"


def read_interaction_file(path, file_format: str = "auto") -> Interactions:
    """Read a user's interaction file (CSV or Matrix Market) with its user and item ids.

    Parameters
    ----------
    path : str or Path
    file_format : {"auto", "csv", "tsv", "whitespace", "matrixmarket"}

    Returns
    -------
    Interactions
    """
    path = Path(path)
    if not path.is_file():
        raise OwnDataError(f"{path}: interaction file not found")
    resolved = resolve_format(path, file_format)
    if resolved == "matrixmarket":
        return read_matrix_market(path)
    return read_csv_interactions(path, resolved)


def read_interactions(path, file_format: str = "auto") -> tuple[sp.csr_matrix, np.ndarray]:
    """Read a user's interaction file (CSV or Matrix Market); returns (X, item ids).

    Parameters
    ----------
    path : str or Path
    file_format : {"auto", "csv", "tsv", "whitespace", "matrixmarket"}

    Returns
    -------
    X : scipy.sparse.csr_matrix, shape (n, p)
    item_ids : ndarray of int, shape (p,)
        int64, or uint64 when an id is 2^63 or more; exact either way.
    """
    data = read_interaction_file(path, file_format)
    return data.X, data.item_ids


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
        Labels in [0, :data:`~cossim.data.parsing.MAX_LABEL`].
    """
    path = Path(path)
    if not path.is_file():
        raise OwnDataError(f"{path}: item-cluster file not found")
    position = {int(item): index for index, item in enumerate(item_ids)}
    cluster = np.full(len(item_ids), NO_CLUSTER, dtype=np.int64)
    first_line = {}
    for line, fields in csv_rows(path, ("item", "cluster")):  # separator detected, as for interactions
        where = f"{path}:{line}"
        item = parse_id(fields[0], "item", where)
        label = parse_id(fields[1], "cluster", where, maximum=MAX_LABEL)
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
    file_format : {"auto", "csv", "tsv", "whitespace", "matrixmarket"}

    Returns
    -------
    OwnData
        ``interactions`` as read (0 values kept as explicit entries).

    Raises
    ------
    OwnDataError
        Naming the file and line of the first problem, or the file and the reason for data
        without interactions or with a user or item that has only zeros
        (:func:`cossim.data.degenerate.refuse_degenerate`).
    """
    data = read_interaction_file(interactions, file_format)
    refuse_degenerate(data.X, data.item_ids, data.user_ids, interactions)
    if item_clusters is None:
        cluster = np.full(data.item_ids.size, NO_CLUSTER, dtype=np.int64)
    else:
        cluster = read_item_clusters(item_clusters, data.item_ids, interactions)
    return OwnData(data.X, data.item_ids, cluster)


def check_own_data(settings: dict, rank: int, config: dict | None = None) -> OwnData | None:
    """Validate the ``own_data`` config section and its files before any job runs.

    Parameters
    ----------
    settings : dict
        The ``own_data`` section: ``interactions``, ``item_clusters`` and ``format``.
    rank : int
        The model's rank k.
    config : dict, optional
        The whole validated configuration: when given, the fits of Eq. 2, of the training and of
        the claims at k = p are checked against the singular values of ``X`` as well
        (:func:`cossim.data.spectrum.refuse_empty_fits`).

    Returns
    -------
    OwnData or None
        The data set (with ``notes`` on what cannot be tested), or None when
        ``own_data.interactions`` is null (simulate instead).

    Raises
    ------
    OwnDataError
        Naming the key, or the file and line, of the first problem; also when the rank k of the
        model exceeds the number of items p or users n (Section 2 needs k <= p), or the rank of
        ``X`` (:func:`cossim.data.degenerate.refuse_low_rank`, and for p <= 2000 its numerical
        rank, :func:`cossim.data.spectrum.refuse_empty_fits`).
    """
    if settings["interactions"] is None:
        if settings["item_clusters"] is not None:
            raise OwnDataError("own_data.item_clusters is set but own_data.interactions is null")
        return None
    data = load_own_data(settings["interactions"], settings["item_clusters"], settings["format"])
    nonzero = sp.csr_matrix(data.interactions, copy=True)
    nonzero.eliminate_zeros()
    nonzero.sort_indices()
    refuse_low_rank(nonzero, rank, settings["interactions"])
    notes = refuse_empty_fits(nonzero, rank, config, settings["interactions"])
    return replace(data, notes=tuple(notes))
