"""The similarities the paper did not show: user-user and user-item cosine for Figure 1's scalings.

Section 2.3 (Eq. 4) gives three cosine matrices; Figure 1 shows only item-item. Here the other two,
on a sample of users, for the same Eq. 1 model under several D (and Eq. 2's unique solution):

- user-user ``Omega_A X A D^2 (X A)^T Omega_A`` (with ``A`` = Eq. 5's ``A(1)``);
- user-item ``Omega_A X A B^T Omega_B``: D enters only through the two normalisers.

Case A (``B = V_k``) and Case B (``A = V_k``) are the paper's analytic examples (Section 2.2).
:func:`user_cluster_scores` scores each user-user matrix by how well it recovers the users'
dominant clusters, with the item scores of :mod:`cossim.recovery.scores`.
"""

from __future__ import annotations

import numpy as np

from ..model.panels import display_order
from ..model.rescale import case_a, case_b, eq5_split, inverse_sqrt_sigma, sigma_squared
from ..model.similarity import cosine_similarity, normalise_rows, row_norms, undefined_where, user_embeddings
from ..model.solve import Spectrum, eq2_factor_scales
from ..vocabulary import SCALING_NAMES
from .remedies import smoothed_user_cosine
from .scores import score_names, score_vector

# (key, title, scales(sigma, lam_eq1, lam_eq2) -> (a, b)); the last entry is Eq. 2's unique model.
USER_PANEL_SCALINGS = (
    ("eq5", SCALING_NAMES["eq5"], lambda s, l1, l2: eq5_split(s, l1)),
    ("case_a", SCALING_NAMES["case_a"], lambda s, l1, l2: case_a(s, l1)),
    ("case_b", SCALING_NAMES["case_b"], lambda s, l1, l2: case_b(s, l1)),
    ("sigma_squared", SCALING_NAMES["sigma_squared"], lambda s, l1, l2: sigma_squared(s, l1)),
    ("inverse_sqrt_sigma", SCALING_NAMES["inverse_sqrt_sigma"], lambda s, l1, l2: inverse_sqrt_sigma(s, l1)),
    ("eq2_unique", SCALING_NAMES["eq2_unique"], lambda s, l1, l2: eq2_factor_scales(s, l2)),
)
ORIGINAL_SPACE_KEY = "original_space"
ORIGINAL_SPACE_TITLE = SCALING_NAMES[ORIGINAL_SPACE_KEY]


def user_panel_columns() -> list[tuple[str, str]]:
    """The columns of the user panels: the scalings, then the original space.

    Returns
    -------
    list of (str, str)
        ``(key, title)`` of each column, ``len(USER_PANEL_SCALINGS) + 1`` of them.
    """
    return [(key, title) for key, title, _ in USER_PANEL_SCALINGS] + [(ORIGINAL_SPACE_KEY, ORIGINAL_SPACE_TITLE)]


def dominant_clusters(X_users, item_cluster: np.ndarray) -> np.ndarray:
    """The cluster most of each user's interactions fall in (the lowest such cluster on a tie).

    Parameters
    ----------
    X_users : sparse or dense matrix, shape (m, p)
        Interactions of the sampled users.
    item_cluster : ndarray of int, shape (p,)

    Returns
    -------
    ndarray of int, shape (m,)
    """
    per_cluster = np.asarray(X_users @ np.eye(int(item_cluster.max()) + 1)[item_cluster])
    return np.argmax(per_cluster, axis=1)


def dominant_cluster_order(X_users, item_cluster: np.ndarray) -> np.ndarray:
    """Order of sampled users by the cluster most of their items fall in, then by activity (desc).

    Parameters
    ----------
    X_users : sparse or dense matrix, shape (m, p)
    item_cluster : ndarray of int, shape (p,)

    Returns
    -------
    order : ndarray of int, shape (m,)
        A permutation of the sample's rows.
    """
    n_clusters = int(item_cluster.max()) + 1
    membership = np.eye(n_clusters)[item_cluster]  # items x clusters
    per_cluster = np.asarray(X_users @ membership)
    activity = per_cluster.sum(axis=1)
    dominant = np.argmax(per_cluster, axis=1)
    return np.lexsort((np.arange(activity.size), -activity, dominant))


def user_similarity_panels(
    X, item_cluster: np.ndarray, popularity: np.ndarray, spectrum: Spectrum, lam_eq1: float, lam_eq2: float,
    users: np.ndarray,
) -> dict:
    """User-user and user-item cosines for every :data:`USER_PANEL_SCALINGS` entry, plus the rows
    of ``X A B^T`` in the original item space (Section 3, remedy 2; the same for every D): user-user
    is the cosine of two smoothed rows, user-item the cosine of a smoothed row with ``e_j``.

    Users are sorted by dominant cluster, then activity; items by cluster, then popularity.

    Parameters
    ----------
    X : sparse matrix, shape (n, p)
        The interactions.
    item_cluster : ndarray of int, shape (p,)
    popularity : ndarray, shape (p,)
    spectrum : Spectrum
        The top-k right singular vectors ``V`` (p, k) and singular values ``sigma`` (k,) of X.
    lam_eq1, lam_eq2 : float
        lambda of Eq. 1 and of Eq. 2.
    users : ndarray of int, shape (m,)
        The sampled users (rows of X).

    Returns
    -------
    dict of ndarrays
        ``user_user__<key>`` (m, m), ``user_item__<key>`` (m, p), ``user_cluster`` (m,),
        ``item_cluster`` (p,) in display order, ``users`` (m,) the sampled user indices in order.
    """
    X_users = X[users]
    user_order = dominant_cluster_order(X_users, item_cluster)
    users = users[user_order]
    X_users = X[users]
    item_order = display_order(item_cluster, popularity)
    out = {
        "users": users,
        "user_cluster": dominant_clusters(X_users, item_cluster),
        "item_cluster": item_cluster[item_order],
    }
    V = spectrum.V[item_order]
    for key, _, scales in USER_PANEL_SCALINGS:
        a, b = scales(spectrum.sigma, lam_eq1, lam_eq2)
        P = user_embeddings(X_users, spectrum.V * a, np.arange(users.size))
        out[f"user_user__{key}"] = cosine_similarity(P)
        out[f"user_item__{key}"] = cosine_similarity(P, V * b)
    a, b = eq5_split(spectrum.sigma, lam_eq1)
    out[f"user_user__{ORIGINAL_SPACE_KEY}"] = smoothed_user_cosine(X_users, spectrum.V * a, spectrum.V * b)
    scores = np.asarray(X_users @ (spectrum.V * a)) @ (V * b).T
    # cosine of user u's smoothed row with item j's indicator vector e_j: the row normalised
    # (undefined, NaN, for a user without interactions: a zero row has no direction)
    out[f"user_item__{ORIGINAL_SPACE_KEY}"] = undefined_where(normalise_rows(scores), row_norms(scores) == 0,
                                                              np.zeros(scores.shape[1], dtype=bool))
    return out


def user_cluster_scores(users: dict, k: int = 10) -> tuple[list[str], list[dict]]:
    """How well each user-user matrix recovers the users' dominant clusters.

    Pairs of sampled users sharing their dominant cluster play the part of same-cluster item
    pairs: AUC, precision@k and Spearman of :func:`cossim.recovery.scores.score_vector`.

    Parameters
    ----------
    users : dict of ndarrays
        The output of :func:`user_similarity_panels`: ``user_user__<key>`` of shape (m, m) and
        ``user_cluster`` of shape (m,).
    k : int
        k of precision@k; below m.

    Returns
    -------
    columns : list of str
        ``scaling``, ``label`` and the :func:`cossim.recovery.scores.score_names`.
    rows : list of dict
        One row per column of :func:`user_panel_columns`, in that order.
    """
    names = score_names(k)
    rows = []
    for key, title in user_panel_columns():
        scores = score_vector(users[f"user_user__{key}"], users["user_cluster"], k)
        rows.append({"scaling": key, "label": title, **dict(zip(names, scores.tolist()))})
    return ["scaling", "label", *names], rows
