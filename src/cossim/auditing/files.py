"""Reading embeddings for ``cossim audit``: .npz, .npy or CSV, refused with a clear message if malformed.

Formats
-------
``.npz``
    Item embeddings under the first of :data:`ITEM_KEYS` present (``items``, ``item_embeddings``,
    ``B``, ``Q``), user embeddings (optional) under the first of :data:`USER_KEYS` (``users``,
    ``user_embeddings``, ``P``). Each is a 2-D array with one row per item or user and the same
    number of columns. A fit of this workflow (``results/fits/<dataset>/eq1.npz``) holds ``B``; its
    user embeddings ``X A`` need X and are not in the file.
``.npy``
    One 2-D array: item embeddings, one row per item. User embeddings may come in a second .npy
    or CSV file (``--users``).
``.csv`` (or ``.txt``)
    One row per embedding, numbers separated by commas; an optional first line of column names
    (not numbers) is skipped.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

ITEM_KEYS = ("items", "item_embeddings", "B", "Q")
USER_KEYS = ("users", "user_embeddings", "P")
SUFFIXES = (".npz", ".npy", ".csv", ".txt")


class EmbeddingFileError(ValueError):
    """A file of embeddings that cannot be read; the message names the file and what was expected."""


def check_matrix(array, path: Path, what: str) -> np.ndarray:
    """``array`` as a float64 2-D matrix of finite numbers, or :class:`EmbeddingFileError`.

    Parameters
    ----------
    array : array_like, expected shape (m, k)
    path : Path
    what : str
        e.g. "item embeddings (key 'B')".

    Returns
    -------
    ndarray, shape (m, k)
    """
    try:
        matrix = np.asarray(array, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise EmbeddingFileError(f"{path}: {what} must be numbers, got {np.asarray(array).dtype} ({error})") from None
    if matrix.ndim != 2 or matrix.shape[0] < 2 or matrix.shape[1] < 1:
        raise EmbeddingFileError(
            f"{path}: {what} must be a 2-D array with one row per embedding and at least 2 rows, "
            f"got shape {matrix.shape}"
        )
    bad = ~np.isfinite(matrix)
    if bad.any():
        row, column = np.argwhere(bad)[0]
        raise EmbeddingFileError(
            f"{path}: {what} hold {int(bad.sum())} non-finite values (NaN or inf), the first in row {row}, "
            f"column {column}"
        )
    return matrix


def read_csv(path: Path) -> np.ndarray:
    """A CSV of numbers, one embedding per line, optional header line; shape (m, k)."""
    try:
        with open(path, encoding="utf-8") as handle:
            first = handle.readline()
    except UnicodeDecodeError:
        raise EmbeddingFileError(f"{path}: expected a text CSV of numbers, found binary data") from None
    try:
        [float(value) for value in first.split(",")]
        skip = 0
    except ValueError:
        skip = 1  # a header line
    try:
        return np.loadtxt(path, delimiter=",", skiprows=skip, ndmin=2, dtype=np.float64)
    except ValueError as error:
        raise EmbeddingFileError(
            f"{path}: expected one embedding per line, numbers separated by commas, all lines with the same "
            f"number of columns ({error})"
        ) from None


def pick(data, keys: tuple[str, ...]) -> str | None:
    """The first of ``keys`` present in an .npz archive, or None."""
    return next((key for key in keys if key in data.files), None)


def read_npz(path: Path, items_key: str | None, users_key: str | None) -> tuple[np.ndarray, np.ndarray | None]:
    """Item and (optional) user embeddings from an .npz archive, see the module docstring."""
    try:
        data = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        raise EmbeddingFileError(f"{path}: not a readable .npz archive ({error})") from None
    with data:
        item_key = items_key or pick(data, ITEM_KEYS)
        if item_key is None or item_key not in data.files:
            wanted = f"key {items_key!r}" if items_key else "one of the keys " + ", ".join(ITEM_KEYS)
            raise EmbeddingFileError(
                f"{path}: expected item embeddings under {wanted}; the archive holds: {', '.join(data.files) or 'nothing'}"
            )
        user_key = users_key or pick(data, USER_KEYS)
        if users_key and users_key not in data.files:
            raise EmbeddingFileError(f"{path}: no key {users_key!r}; the archive holds: {', '.join(data.files)}")
        items = check_matrix(data[item_key], path, f"item embeddings (key {item_key!r})")
        users = None if user_key is None else check_matrix(data[user_key], path, f"user embeddings (key {user_key!r})")
    return items, users


def read_matrix(path: Path, what: str) -> np.ndarray:
    """One matrix from an .npy or CSV file."""
    if path.suffix.lower() == ".npy":
        try:
            array = np.load(path, allow_pickle=False)
        except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
            raise EmbeddingFileError(f"{path}: not a readable .npy array of numbers ({error})") from None
        return check_matrix(array, path, what)
    return check_matrix(read_csv(path), path, what)


def load_embeddings(path, users_path=None, items_key: str | None = None,
                    users_key: str | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Item embeddings and optional user embeddings from files (formats: the module docstring).

    Parameters
    ----------
    path : str or Path
        .npz, .npy or .csv of item embeddings (and, in an .npz, user embeddings).
    users_path : str or Path, optional
        .npy or .csv of user embeddings (overrides any in the .npz).
    items_key, users_key : str, optional
        Keys in the .npz, instead of the defaults :data:`ITEM_KEYS`, :data:`USER_KEYS`.

    Returns
    -------
    items : ndarray, shape (p, k)
    users : ndarray, shape (n, k), or None

    Raises
    ------
    EmbeddingFileError
        Naming the file and what was expected.
    """
    path = Path(path)
    for candidate in (path, None if users_path is None else Path(users_path)):
        if candidate is None:
            continue
        if not candidate.is_file():
            raise EmbeddingFileError(f"{candidate}: no such file")
        if candidate.suffix.lower() not in SUFFIXES:
            raise EmbeddingFileError(
                f"{candidate}: expected a .npz, .npy or .csv file of embeddings, got suffix {candidate.suffix!r}"
            )
    if path.suffix.lower() == ".npz":
        items, users = read_npz(path, items_key, users_key)
    else:
        items, users = read_matrix(path, "item embeddings"), None
    if users_path is not None:
        users_path = Path(users_path)
        if users_path.suffix.lower() == ".npz":
            raise EmbeddingFileError(
                f"{users_path}: expected user embeddings as .npy or .csv (in an .npz, put them next to the "
                f"items under one of the keys {', '.join(USER_KEYS)})"
            )
        users = read_matrix(users_path, "user embeddings")
    if users is not None and users.shape[1] != items.shape[1]:
        raise EmbeddingFileError(
            f"{users_path or path}: user embeddings have {users.shape[1]} columns, item embeddings "
            f"{items.shape[1]}: expected the same number of latent dimensions"
        )
    return items, users

