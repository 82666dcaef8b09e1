"""What the rule file of the cluster-recovery study reads off the configuration.

Standard library only: imported while the workflow is parsed (also where only Snakemake is
installed). Seed s of the study is its own data set ``<dataset>-seed<s>``, which rules
``simulate`` and ``fit`` make like any other.
"""

from __future__ import annotations

from .artifacts import STUDY

# Settings that do not change one seed's job: adding seeds or sampling more users for the
# heatmaps reruns nothing for the existing seeds.
PER_RUN_SETTINGS = frozenset({"n_seeds", "first_seed", "heatmap_users"})


def recovery_seeds(config: dict) -> list[int]:
    """The simulation seeds of the study: ``first_seed, ..., first_seed + n_seeds - 1``.

    Parameters
    ----------
    config : dict
        The validated workflow configuration (its section ``recovery``).

    Returns
    -------
    list of int, length ``recovery.n_seeds``
    """
    first = config["recovery"]["first_seed"]
    return list(range(first, first + config["recovery"]["n_seeds"]))


def recovery_seed_settings(config: dict) -> dict:
    """The settings of section ``recovery`` one seed's job depends on (rule ``recovery_seed``'s params).

    Parameters
    ----------
    config : dict
        The validated workflow configuration.

    Returns
    -------
    dict
        Section ``recovery`` without :data:`PER_RUN_SETTINGS`.
    """
    return {key: value for key, value in config["recovery"].items() if key not in PER_RUN_SETTINGS}


def recovery_seed_paths(config: dict) -> list[str]:
    """The per-seed score files of every seed, ``results/<dataset>/recovery/seeds/seed<s>.npz`` (rule ``recovery_tables``' input).

    Parameters
    ----------
    config : dict
        The validated workflow configuration (keys ``dataset`` and ``recovery``).

    Returns
    -------
    list of str, one path per seed of :func:`recovery_seeds`
    """
    return [STUDY.at("seed_scores", dataset=config["dataset"], seed=seed) for seed in recovery_seeds(config)]


def recovery_seed_check_paths(config: dict) -> list[str]:
    """The per-seed check reports of every seed (rule ``check_recovery_seed``'s outputs, ``check_recovery``'s input).

    Parameters
    ----------
    config : dict
        The validated workflow configuration (keys ``dataset`` and ``recovery``).

    Returns
    -------
    list of str, one path per seed of :func:`recovery_seeds`
    """
    return [STUDY.at("seed_check", dataset=config["dataset"], seed=seed) for seed in recovery_seeds(config)]


def fully_checked_seed(config: dict) -> int:
    """The seed whose scores ``check_recovery_seed`` recomputes in full (all D, the sweep): the first.

    Parameters
    ----------
    config : dict
        The validated workflow configuration (section ``recovery``).

    Returns
    -------
    int
    """
    return recovery_seeds(config)[0]
