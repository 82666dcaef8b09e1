"""What a data set is, in numbers and one sentence: the notebooks print this, never a canned text.

Rule ``describe_data`` writes ``results/data/<dataset>/description.json`` from the data set's
interactions and item table, and from where the data came from (simulated as in Section 4, or
imported from a file). Every notebook that describes its data reads the sentence from there.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..model.panels import has_ground_truth

SOURCES = ("simulated", "imported")


def cluster_sizes(item_cluster: np.ndarray) -> list[int]:
    """Sizes of the ground-truth clusters, largest first; empty without ground truth.

    Parameters
    ----------
    item_cluster : ndarray of int, shape (p,)

    Returns
    -------
    list of int
    """
    if not has_ground_truth(item_cluster):
        return []
    _, counts = np.unique(item_cluster, return_counts=True)
    return sorted((int(c) for c in counts), reverse=True)


def describe(X: sp.spmatrix, item_cluster: np.ndarray, dataset: str, source: str, origin: str) -> dict:
    """The description of a data set.

    Parameters
    ----------
    X : scipy.sparse matrix, shape (n, p)
        The interactions.
    item_cluster : ndarray of int, shape (p,)
        Each item's ground-truth cluster (:data:`cossim.model.panels.NO_CLUSTER` when unknown).
    dataset : str
        The data set's name.
    source : {"simulated", "imported"}
    origin : str
        Where it came from, e.g. ``"the Section 4 simulation, seed 7"`` or a file name.

    Returns
    -------
    dict
        ``dataset``, ``source``, ``origin``, ``users``, ``items``, ``interactions`` (non-zero
        entries), ``density``, ``clusters`` (count, 0 without ground truth), ``cluster_sizes``
        (largest first), ``items_without_interactions`` and ``users_without_interactions`` (their
        embeddings have length 0, so their cosines are undefined) and ``sentence``.
    """
    if source not in SOURCES:
        raise ValueError(f"source {source!r}: allowed: {', '.join(SOURCES)}")
    n, p = X.shape
    X = sp.csr_matrix(X)
    nonzero = int(X.count_nonzero())
    empty_items, empty_users = without_interactions(X)
    sizes = cluster_sizes(np.asarray(item_cluster))
    verb = "simulated as in Section 4 of the paper" if source == "simulated" else "imported"
    shown = ", ".join(str(s) for s in sizes[:8]) + (", ..." if len(sizes) > 8 else "")
    clusters = (f"{len(sizes)} ground-truth item clusters (sizes {shown})" if sizes
                else "no ground-truth item clusters")
    sentence = (f"Data set `{dataset}`: {verb} ({origin}); {n:,} users, {p:,} items, {nonzero:,} interactions "
                f"(density {nonzero / (n * p):.3g}); {clusters}. {undefined_sentence(empty_items, empty_users)}")
    return {"dataset": dataset, "source": source, "origin": origin, "users": int(n), "items": int(p),
            "interactions": nonzero, "density": nonzero / (n * p), "clusters": len(sizes),
            "cluster_sizes": sizes, "items_without_interactions": empty_items,
            "users_without_interactions": empty_users, "sentence": sentence}


def without_interactions(X: sp.csr_matrix) -> tuple[int, int]:
    """How many items (columns of X) and users (rows) have no non-zero entry.

    Parameters
    ----------
    X : scipy.sparse.csr_matrix, shape (n, p)

    Returns
    -------
    items, users : int
    """
    nonzero = X != 0
    return (int(np.sum(np.asarray(nonzero.sum(axis=0)).ravel() == 0)),
            int(np.sum(np.asarray(nonzero.sum(axis=1)).ravel() == 0)))


def undefined_sentence(items: int, users: int) -> str:
    """The sentence that counts the items and users without interactions and says what follows.

    Parameters
    ----------
    items, users : int
        Items and users without interactions.

    Returns
    -------
    str
    """
    if items == 0 and users == 0:
        return "Every item and every user has at least one interaction."
    counted = [f"{count:,} {noun}{'' if count == 1 else 's'}" for count, noun in ((items, "item"), (users, "user"))
               if count]
    if items + users == 1:
        return f"{counted[0]} has no interaction: its embedding has length 0, so its cosines are undefined and " \
               "left out of every score."
    return (f"{' and '.join(counted)} have no interaction: their embeddings have length 0, so their cosines "
            "are undefined and left out of every score.")
