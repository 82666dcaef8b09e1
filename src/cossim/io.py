"""Byte-reproducible, atomic reading and writing of the workflow's files.

Every writer goes through :func:`atomic_path`: the file appears under its final name only
once it is complete, so an interrupted job never leaves a half-written file behind. NumPy's
own ``savez`` stamps the current time into the zip archive; :func:`save_npz` writes the
same format with a fixed timestamp, so equal arrays give equal bytes.
"""

from __future__ import annotations

import contextlib
import csv
import glob
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import scipy.sparse as sp

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def temporary_prefix(path: Path) -> str:
    """Name prefix of :func:`atomic_path`'s temporaries for ``path``.

    Parameters
    ----------
    path : Path

    Returns
    -------
    str
    """
    return f".{path.name}."


def remove_stale_temporaries(path) -> list[Path]:
    """Delete temporaries of ``path`` left behind by a writer that was killed (SIGKILL, power loss).

    Only one job writes a given output at a time (Snakemake's directory lock), so a temporary
    that exists when a new write starts can only be debris.

    Parameters
    ----------
    path : str or Path
        The final output path.

    Returns
    -------
    list of Path
        The deleted paths.
    """
    path = Path(path)
    stale = sorted(path.parent.glob(f"{glob.escape(temporary_prefix(path))}*{glob.escape(path.suffix)}"))
    for debris in stale:
        debris.unlink(missing_ok=True)
    return stale


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds.

    Debris of an earlier writer of the same path that was killed is removed first.

    Parameters
    ----------
    path : str or Path
        The final output path.

    Yields
    ------
    Path
        The temporary to write to (same directory and suffix).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix(path), suffix=path.suffix)
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def save_npz(path, arrays: dict, compress: bool = False) -> None:
    """``numpy.savez`` format with fixed zip metadata; loadable by ``numpy.load``.

    Parameters
    ----------
    path : str or Path
    arrays : dict of str to array_like
        One ``<key>.npy`` member each, any shape (no object arrays).
    compress : bool
        Deflate the members (``numpy.savez_compressed``'s format).
    """
    compression = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with atomic_path(path) as temporary, zipfile.ZipFile(temporary, "w", compression) as archive:
        for key, value in arrays.items():
            info = zipfile.ZipInfo(f"{key}.npy", date_time=FIXED_ZIP_TIME)
            info.compress_type = compression
            info.external_attr = 0o644 << 16
            with archive.open(info, "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(value), allow_pickle=False)


def save_interactions(path, X: sp.csr_matrix) -> None:
    """Write a CSR matrix in ``scipy.sparse.save_npz``'s format (readable by ``load_npz``).

    Parameters
    ----------
    path : str or Path
    X : scipy.sparse.csr_matrix, shape (n, p)
        Written with sorted column indices.
    """
    X = sp.csr_matrix(X)
    X.sort_indices()
    save_npz(
        path,
        {
            "indices": X.indices,
            "indptr": X.indptr,
            "format": np.array(b"csr"),
            "shape": np.array(X.shape),
            "data": X.data,
        },
        compress=True,
    )


def load_interactions(path) -> sp.csr_matrix:
    """Read the users x items interaction matrix as CSR with float64 values.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    scipy.sparse.csr_matrix, shape (n, p)
    """
    return sp.load_npz(path).tocsr().astype(np.float64)


def save_items(path, item_cluster: np.ndarray, popularity: np.ndarray) -> None:
    """Write ``items.csv``: item, cluster, popularity (full float precision).

    Parameters
    ----------
    path : str or Path
    item_cluster : ndarray of int, shape (p,)
    popularity : ndarray of float, shape (p,)
    """
    with atomic_path(path) as temporary, open(temporary, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["item", "cluster", "popularity"])
        for item, (cluster, pop) in enumerate(zip(item_cluster, popularity)):
            writer.writerow([item, int(cluster), repr(float(pop))])


def load_items(path) -> tuple[np.ndarray, np.ndarray]:
    """Read ``items.csv``; returns (cluster, popularity), indexed by item.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    cluster : ndarray of int64, shape (p,)
    popularity : ndarray of float, shape (p,)

    Raises
    ------
    ValueError
        If the items are not listed as 0..p-1 in order.
    """
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    items = np.array([int(row["item"]) for row in rows])
    if not np.array_equal(items, np.arange(items.size)):
        raise ValueError(f"{path}: items must be listed as 0..p-1 in order")
    cluster = np.array([int(row["cluster"]) for row in rows], dtype=np.int64)
    popularity = np.array([float(row["popularity"]) for row in rows])
    return cluster, popularity


def save_json(path, payload) -> None:
    """Write JSON with sorted keys and a trailing newline.

    Parameters
    ----------
    path : str or Path
    payload : JSON-serialisable object
    """
    with atomic_path(path) as temporary:
        temporary.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def load_json(path):
    """Read a JSON file written by :func:`save_json` (or any UTF-8 JSON file).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    object
        The decoded document.
    """
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def save_figure_atomic(fig, path, dpi: int = 150) -> None:
    """Save a matplotlib figure byte-reproducibly (see :func:`cossim.plotting.save_figure`).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : str or Path
    dpi : int
        Resolution of raster formats (PNG).
    """
    from .plotting import save_figure

    with atomic_path(path) as temporary:
        save_figure(fig, temporary, dpi)


def save_item_ids(path, item_ids: np.ndarray) -> None:
    """Write ``item_ids.csv``: the workflow's item index and the id it had in the user's file.

    Parameters
    ----------
    path : str or Path
    item_ids : ndarray of int, shape (p,)
    """
    with atomic_path(path) as temporary, open(temporary, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["item", "source_id"])
        writer.writerows([index, int(source)] for index, source in enumerate(item_ids))


def save_csv(path, columns: list[str], rows: list[dict], float_format: str | None = None) -> None:
    """Write dict rows as a table with a header, in the given column order.

    Floats are written with ``float_format`` (e.g. ``"{:.6f}"``), or at full precision (repr)
    when it is None; a missing value is an empty cell; other values as ``str``.

    Parameters
    ----------
    path : str or Path
    columns : list of str
    rows : list of dict
    float_format : str, optional
    """

    def cell(value):
        if isinstance(value, (float, np.floating)):
            if np.isnan(value):
                return "nan"
            return repr(float(value)) if float_format is None else float_format.format(float(value))
        return str(value)

    with atomic_path(path) as temporary, open(temporary, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(column, "")) for column in columns])


# Result tables: a CSV file (full precision) and a Markdown rendering of it.


def format_cell(value) -> str:
    """A table cell for Markdown: floats to 3 significant digits, booleans as true/false.

    Parameters
    ----------
    value : object

    Returns
    -------
    str
        With ``|`` escaped.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value).replace("|", "\\|")


def save_table_csv(path, rows: list[dict]) -> None:
    """Write ``rows`` (dicts with the same keys, in column order) as CSV.

    Floats are written with ``repr`` (round-trip precision), booleans as ``true``/``false``.

    Parameters
    ----------
    path : str or Path
    rows : list of dict
        At least one row; the first row's keys are the columns.
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
    """Read a table written by :func:`save_table_csv` (cells as strings).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    list of dict of str to str
    """
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def markdown_table(rows: list[dict], columns: list[str] | None = None) -> str:
    """A GitHub-flavoured Markdown table of ``rows`` (optionally only ``columns``).

    Parameters
    ----------
    rows : list of dict
        At least one row; its keys are the default columns.
    columns : list of str, optional

    Returns
    -------
    str
        Ending in a newline.
    """
    columns = columns or list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join(" --- " for _ in columns) + "|"]
    lines += ["| " + " | ".join(format_cell(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def save_markdown(path, title: str, body: str) -> None:
    """Write a Markdown file: a heading, then ``body``.

    Parameters
    ----------
    path : str or Path
    title : str
    body : str
    """
    with atomic_path(path) as temporary:
        temporary.write_text(f"# {title}\n\n{body}", encoding="utf-8")
