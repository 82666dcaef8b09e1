"""What Table 2 trains on: the most popular items, the rank, and the lambdas (configured or suggested).

``training.eq1_lambda`` and ``training.eq2_lambda`` are numbers, or ``"suggested"``: then they are
the rule's lambdas on the training items (:func:`cossim.model.regularisation.suggested_lambdas`
with ``keep_all=True``, so that Eq. 2 keeps all k dimensions, as Table 2's comparison on every
dimension wants). Rule ``train`` and rule ``check_training`` both resolve them from the data with
:func:`training_lambdas`; the check's JSON carries :func:`training_setup` for the notebook.
"""

from __future__ import annotations

import numpy as np

from ..model.items import most_popular_items
from ..model.regularisation import kept_dimensions, suggested_lambdas

SUGGESTED = "suggested"
"""The value of ``training.eq1_lambda`` / ``training.eq2_lambda`` that asks for the rule's lambda."""


def training_lambdas(singular_values: np.ndarray, settings: dict) -> dict:
    """Eq. 1's and Eq. 2's lambda of Table 2: the configured numbers, or the rule's where ``"suggested"``.

    Parameters
    ----------
    singular_values : ndarray, shape (q,)
        All singular values of X restricted to the training items.
    settings : dict
        Config section ``training`` (``rank``, ``eq1_lambda``, ``eq2_lambda``).

    Returns
    -------
    dict
        ``{"eq1": float, "eq2": float}``.
    """
    suggested = suggested_lambdas(singular_values, int(settings["rank"]), keep_all=True)
    return {
        "eq1": suggested.eq1_lambda if settings["eq1_lambda"] == SUGGESTED else float(settings["eq1_lambda"]),
        "eq2": suggested.eq2_lambda if settings["eq2_lambda"] == SUGGESTED else float(settings["eq2_lambda"]),
    }


def gram_singular_values(G: np.ndarray) -> np.ndarray:
    """All singular values of X from ``G = X^T X``, descending.

    Parameters
    ----------
    G : ndarray, shape (q, q)

    Returns
    -------
    ndarray, shape (q,)
    """
    return np.sqrt(np.clip(np.linalg.eigvalsh(G), 0.0, None))[::-1]


def training_setup(X, settings: dict, dataset: str) -> dict:
    """Table 2's data, rank and lambdas, with the sentence the notebook prints.

    Parameters
    ----------
    X : sparse matrix, shape (n, p)
        The data set's interactions.
    settings : dict
        Config section ``training``.
    dataset : str
        The data set's name.

    Returns
    -------
    dict
        ``items`` (used), ``all_items`` (p), ``rank``, ``eq1_lambda``, ``eq2_lambda``,
        ``eq1_lambda_source`` and ``eq2_lambda_source`` ("configured" or "suggested"),
        ``eq2_kept`` (dimensions Eq. 2 keeps, Eq. 6) and ``sentence``.
    """
    items = most_popular_items(X, settings["n_items"])
    Xs = X[:, items]
    sigma = gram_singular_values(np.asarray((Xs.T @ Xs).todense() if hasattr(Xs, "todense") else Xs.T @ Xs,
                                            dtype=float))
    lams = training_lambdas(sigma, settings)
    rank, p = int(settings["rank"]), X.shape[1]
    source = {obj: SUGGESTED if settings[f"{obj}_lambda"] == SUGGESTED else "configured" for obj in ("eq1", "eq2")}
    kept = kept_dimensions(sigma[:rank], lams["eq2"])
    which = (f"all {p} items of data set `{dataset}`" if items.size == p
             else f"the {items.size} most popular of the {p} items of data set `{dataset}`")
    how = {"configured": "from the configuration (training.{key})",
           SUGGESTED: "suggested by the spectrum rule for these items (training.{key}: suggested)"}
    sentence = (f"Data: {which}, rank k = {rank}; lambda of Eq. 1 = {lams['eq1']:g} "
                f"{how[source['eq1']].format(key='eq1_lambda')}, lambda of Eq. 2 = {lams['eq2']:g} "
                f"{how[source['eq2']].format(key='eq2_lambda')}; Eq. 2 keeps {kept} of the {rank} dimensions "
                f"(sigma_i > lambda; sigma_1..{rank} = {', '.join(f'{s:.3g}' for s in sigma[:rank])}).")
    return {"items": int(items.size), "all_items": int(p), "rank": rank, "eq1_lambda": lams["eq1"],
            "eq2_lambda": lams["eq2"], "eq1_lambda_source": source["eq1"], "eq2_lambda_source": source["eq2"],
            "eq2_kept": int(kept), "sentence": sentence}
