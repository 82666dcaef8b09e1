"""The calibration grid: readings of what Section 4 leaves unstated, and their names.

A *reading* is one value for each simulation key that the paper does not pin down (the cluster
probabilities, the two PowerLaw readings, the smallest and largest number of items per user,
the Dirichlet concentration of the user-cluster preferences). The grid (config key
``fidelity.grid``) lists the values to try; its readings are all their combinations. A reading
is named after its choices, e.g. ``clusters-published__pop-power__cap-1000``, and that name is
the ``{reading}`` wildcard of the workflow.

Standard library only, so that the workflow's rule file can expand the grid while it is parsed.
"""

from __future__ import annotations

import itertools

__all__ = [
    "FACTOR_LABELS",
    "NAME_SEPARATOR",
    "default_choices",
    "expand_grid",
    "format_value",
    "reading_name",
    "reading_settings",
    "shared_choices",
]

FACTOR_LABELS = {
    "cluster_probabilities": "clusters",
    "item_popularity_law": "pop",
    "user_activity_law": "act",
    "min_items_per_user": "min",
    "max_items_per_user": "cap",
    "preference_concentration": "conc",
}
"""Short label of each simulation key a reading may set, as it appears in reading names and in
the columns of ``fidelity.csv``."""

NAME_SEPARATOR = "__"
"""Separates the ``label-value`` parts of a reading name."""


def expand_grid(grid: dict[str, list]) -> list[dict]:
    """Every combination of the grid's values, in a fixed order.

    Parameters
    ----------
    grid : dict
        ``{simulation key: list of values}`` (config key ``fidelity.grid``).

    Returns
    -------
    list of dict
        One ``{simulation key: value}`` per reading, ``prod(len(values))`` of them; the first key
        varies slowest.
    """
    keys = list(grid)
    return [dict(zip(keys, values)) for values in itertools.product(*(grid[key] for key in keys))]


def format_value(value) -> str:
    """A value as it appears in a reading name: integral floats without a decimal point.

    Parameters
    ----------
    value : str, int or float

    Returns
    -------
    str
        E.g. ``"1"`` for ``1.0``, ``"0.5"`` for ``0.5``, ``"zipf"`` for ``"zipf"``.
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def reading_name(choices: dict) -> str:
    """A file-name-safe name of a reading.

    Parameters
    ----------
    choices : dict
        ``{simulation key: value}``; the keys must be keys of :data:`FACTOR_LABELS`.

    Returns
    -------
    str
        The ``label-value`` parts in the order of ``choices``, joined by :data:`NAME_SEPARATOR`,
        e.g. ``clusters-published__pop-zipf__cap-100``.
    """
    return NAME_SEPARATOR.join(f"{FACTOR_LABELS[key]}-{format_value(value)}" for key, value in choices.items())


def reading_settings(base: dict, choices: dict, named_cluster_probabilities: dict) -> dict:
    """The simulation settings of a reading: ``base`` with the reading's choices applied.

    Parameters
    ----------
    base : dict
        Config-style simulation settings (config key ``simulation``).
    choices : dict
        The reading, ``{simulation key: value}``. Its ``cluster_probabilities``, if any, is a
        name from ``named_cluster_probabilities``.
    named_cluster_probabilities : dict
        ``{name: list of C probabilities}`` (config key ``fidelity.cluster_probabilities``).

    Returns
    -------
    dict
        A new dict; ``base`` is not modified.
    """
    settings = {**base, **choices}
    if "cluster_probabilities" in choices:
        settings["cluster_probabilities"] = list(named_cluster_probabilities[choices["cluster_probabilities"]])
    return settings


def default_choices(simulation: dict, grid: dict, named_cluster_probabilities: dict) -> dict:
    """The default configuration's own reading, in the grid's terms.

    Parameters
    ----------
    simulation : dict
        Config key ``simulation``.
    grid : dict
        Config key ``fidelity.grid``; only its keys are used.
    named_cluster_probabilities : dict
        Config key ``fidelity.cluster_probabilities``.

    Returns
    -------
    dict
        ``{grid key: the simulation's value}``; ``cluster_probabilities`` becomes the name of the
        matching named probabilities, or None when none matches (then the default is not a reading
        of the grid).
    """
    choices = {}
    for key in grid:
        value = simulation[key]
        if key == "cluster_probabilities":
            value = next(
                (name for name, probs in named_cluster_probabilities.items() if list(probs) == list(value)), None
            )
        choices[key] = value
    return choices


def shared_choices(names: list[str]) -> tuple[list[str], list[list[str]]]:
    """Split reading names into the parts all of them share and the parts that tell them apart.

    Used to label readings briefly (the shared parts are stated once).

    Parameters
    ----------
    names : list of str
        Reading names (:func:`reading_name`), all made from the same grid keys.

    Returns
    -------
    shared : list of str
        The ``label-value`` parts common to every name, in name order.
    varying : list of list of str
        Per name, its remaining parts, in name order (empty if the names are all equal).
    """
    parts = [name.split(NAME_SEPARATOR) for name in names]
    common = set.intersection(*(set(p) for p in parts)) if parts else set()
    shared = [part for part in parts[0] if part in common] if parts else []
    return shared, [[part for part in p if part not in common] for p in parts]
