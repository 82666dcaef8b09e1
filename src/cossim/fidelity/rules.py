"""What the rule file of the fidelity study reads off the configuration.

Standard library only: imported while the workflow is parsed (also where only Snakemake is
installed). The grid's readings (:mod:`cossim.fidelity.grid`) are the ``{reading}`` wildcard of
rule ``fidelity_reading``; each with each seed of ``fidelity.seeds`` is one cell of the sweep.
"""

from __future__ import annotations

from .artifacts import STUDY
from .grid import default_choices, expand_grid, reading_name, reading_settings

__all__ = [
    "fidelity_cell_paths",
    "fidelity_default_choices",
    "fidelity_readings",
    "reading_choices",
    "reading_simulation",
]


def fidelity_readings(config: dict) -> dict[str, dict]:
    """The readings of the calibration grid.

    Parameters
    ----------
    config : dict
        The validated workflow configuration (key ``fidelity.grid``).

    Returns
    -------
    dict
        ``{reading name: {simulation key: value}}``, in grid order.
    """
    return {reading_name(choices): choices for choices in expand_grid(config["fidelity"]["grid"])}


def reading_choices(config: dict, reading: str) -> dict:
    """The unstated choices made by one reading (rule ``fidelity_reading``'s ``choices``).

    Parameters
    ----------
    config : dict
        The validated workflow configuration.
    reading : str
        A reading name (the ``{reading}`` wildcard).

    Returns
    -------
    dict
        ``{simulation key: value}``.

    Raises
    ------
    ValueError
        If ``reading`` is not a reading of ``fidelity.grid``.
    """
    readings = fidelity_readings(config)
    if reading not in readings:
        raise ValueError(f"unknown reading {reading!r}: not in config key fidelity.grid")
    return readings[reading]


def reading_simulation(config: dict, reading: str) -> dict:
    """The simulation settings of one reading: config key ``simulation`` with its choices applied.

    Parameters
    ----------
    config : dict
        The validated workflow configuration (keys ``simulation`` and
        ``fidelity.cluster_probabilities``).
    reading : str
        A reading name.

    Returns
    -------
    dict
        Config-style simulation settings (:func:`cossim.fidelity.grid.reading_settings`).
    """
    choices = reading_choices(config, reading)
    return reading_settings(config["simulation"], choices, config["fidelity"]["cluster_probabilities"])


def fidelity_cell_paths(config: dict) -> list[str]:
    """Every cell of the sweep: each reading of the grid with each seed of ``fidelity.seeds``.

    Parameters
    ----------
    config : dict
        The validated workflow configuration.

    Returns
    -------
    list of str
        ``n_readings * n_seeds`` paths, readings in grid order, seeds within a reading.
    """
    return [
        STUDY.at("cell", dataset=config["dataset"], reading=reading, seed=seed)
        for reading in fidelity_readings(config)
        for seed in config["fidelity"]["seeds"]
    ]


def fidelity_default_choices(config: dict) -> dict:
    """The default configuration's own reading, in the grid's terms (rule ``fidelity_table``'s param).

    Parameters
    ----------
    config : dict
        The validated workflow configuration.

    Returns
    -------
    dict
        :func:`cossim.fidelity.grid.default_choices`: ``{grid key: value}``, None where the
        cluster probabilities are not one of the named ones.
    """
    fidelity = config["fidelity"]
    return default_choices(config["simulation"], fidelity["grid"], fidelity["cluster_probabilities"])
