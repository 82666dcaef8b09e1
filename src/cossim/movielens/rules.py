"""What the rule file of the MovieLens study reads off the configuration and the installed data.

Standard library only: imported while the workflow is parsed (also where only Snakemake is
installed). The data are MovieLens 100k as the ``recbole`` package ships them; they are found
through the package's metadata, without importing recbole (whose dependencies we do not need).
"""

from __future__ import annotations

import copy
import hashlib
import importlib.metadata
import os

from .artifacts import MAIN_RESULT_KEYS, RESULT_KEYS, STUDY

PACKAGE = "recbole"
PACKAGE_VERSION = "1.2.1"
DATA_FILES = {
    "ratings": "recbole/dataset_example/ml-100k/ml-100k.inter",
    "genres": "recbole/dataset_example/ml-100k/ml-100k.item",
}
MAIN_DATASET = "movielens"
LIKED_DATASET = "movielens-liked"
N_USERS = 943
"""Users of MovieLens 100k: the rank of X is at most this, whatever the binarisation."""


class MovieLensMissing(RuntimeError):
    """The MovieLens files are not installed; the message says how to install them or switch off."""


def install_hint() -> str:
    """How to install the data, or switch the study off."""
    return (
        f"install it with `.venv/bin/python -m pip install --no-deps {PACKAGE}=={PACKAGE_VERSION}` "
        "(`make setup` does), or switch the MovieLens study off with --config "
        "'movielens={enabled: false}' (config key movielens.enabled)"
    )


def locate_data(relative_to: str | None = None) -> dict:
    """The installed MovieLens 100k files, ``{"ratings": path, "genres": path}``.

    Parameters
    ----------
    relative_to : str, optional
        Return the paths relative to this directory (default: the working directory), so that
        nothing recorded depends on where the clone lies.

    Returns
    -------
    dict of str to str

    Raises
    ------
    MovieLensMissing
        If recbole is not installed, or installed without the files.
    """
    try:
        distribution = importlib.metadata.distribution(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise MovieLensMissing(f"MovieLens 100k comes with the package {PACKAGE}, which is not installed: "
                               + install_hint()) from None
    found = {}
    for key, relative in DATA_FILES.items():
        path = str(distribution.locate_file(relative))
        if not os.path.isfile(path):
            raise MovieLensMissing(f"{PACKAGE} {distribution.version} is installed without {relative}: " + install_hint())
        found[key] = os.path.relpath(path, relative_to or os.getcwd())
    return found


def data_identity(files: dict) -> dict:
    """The sha256 of each installed MovieLens file: what the rules depend on, wherever it lies.

    The import and check rules take this as a param instead of the files' paths as inputs, so
    that moving the clone (or the environment) reruns nothing, while other data reruns them.

    Parameters
    ----------
    files : dict of str to str
        ``{"ratings": path, "genres": path}`` (:func:`locate_data`).

    Returns
    -------
    dict of str to str
        The same keys, each the file's sha256 in hex.
    """
    return {key: hashlib.sha256(open(path, "rb").read()).hexdigest() for key, path in sorted(files.items())}


def verified_data(identity: dict) -> dict:
    """The installed MovieLens files, checked to be the ones the workflow was planned with.

    Parameters
    ----------
    identity : dict of str to str
        :func:`data_identity` of the files when the workflow was parsed.

    Returns
    -------
    dict of str to str
        ``{"ratings": path, "genres": path}``, relative to the working directory.

    Raises
    ------
    MovieLensMissing
        If a file is missing or its content changed since.
    """
    files = locate_data()
    found = data_identity(files)
    changed = sorted(key for key in identity if found.get(key) != identity[key])
    if changed:
        raise MovieLensMissing(f"the installed MovieLens files {changed} changed since the workflow was planned "
                               f"(sha256 {found} instead of {identity}): rerun snakemake")
    return files


def movielens_datasets(config: dict) -> dict:
    """The MovieLens data sets and the smallest rating that counts as an interaction in each.

    Parameters
    ----------
    config : dict
        The validated configuration (section ``movielens``).

    Returns
    -------
    dict of str to float
        ``{"movielens": min_rating}``, plus ``{"movielens-liked": liked_min_rating}`` unless that
        is null; empty when the study is switched off.
    """
    section = config["movielens"]
    if not section["enabled"]:
        return {}
    datasets = {MAIN_DATASET: section["min_rating"]}
    if section["liked_min_rating"] is not None:
        datasets[LIKED_DATASET] = section["liked_min_rating"]
    return datasets


def movielens_config(config: dict) -> dict:
    """The configuration the generic rules (fit, figure1, claims, training) read for ``movielens``.

    The workflow's configuration with section ``movielens``'s ``model``, ``figure1``, ``claims``
    and ``training`` keys merged over the sections of the same name.

    Parameters
    ----------
    config : dict

    Returns
    -------
    dict
    """
    merged = copy.deepcopy(config)
    for section in ("model", "figure1", "claims", "training"):
        merged[section].update(copy.deepcopy(config["movielens"][section]))
    return merged


def recovery_settings(config: dict) -> dict:
    """Section ``recovery`` with ``movielens.recovery``'s study keys merged in (the study's params).

    Parameters
    ----------
    config : dict

    Returns
    -------
    dict
        The keys :class:`cossim.recovery.study.StudySettings` reads, plus ``items``,
        ``bootstrap_replicates``, ``bootstrap_seed`` and ``rank``.
    """
    keys = ("precision_k", "exponent_range", "exponent_steps", "random_d_samples", "remedy_d_samples",
            "log_sd", "d_seed", "unit_norm_iterations")
    settings = {key: copy.deepcopy(config["recovery"][key]) for key in keys}
    settings.update(copy.deepcopy(config["movielens"]["recovery"]))
    settings["rank"] = config["movielens"]["model"]["rank"]
    return settings


def result_paths(config: dict) -> list:
    """The study's results on every MovieLens data set (the default target's share).

    Parameters
    ----------
    config : dict

    Returns
    -------
    list of str
    """
    datasets = movielens_datasets(config)
    paths = [STUDY.at(key, dataset=name) for name in datasets for key in RESULT_KEYS]
    if datasets:
        paths += [STUDY.at(key, dataset=MAIN_DATASET) for key in MAIN_RESULT_KEYS]
    return paths


def dataset_pattern(config: dict) -> str:
    """Regular expression of the MovieLens data set names (a wildcard constraint); never matches
    when the study is off."""
    names = sorted(movielens_datasets(config), key=len, reverse=True)
    return "|".join(name.replace("-", r"\-") for name in names) or "(?!)"


def config_problems(config: dict) -> list:
    """What the MovieLens data make impossible, known before any job (the data need not be read).

    Parameters
    ----------
    config : dict

    Returns
    -------
    list of str
        One message per problem, naming the key.
    """
    section = config["movielens"]
    if not section["enabled"]:
        return []
    problems = []
    full_rank = section["claims"]["full_rank_items"]
    limit = min(N_USERS, section["max_items"] or N_USERS)
    if full_rank is None or full_rank > limit:
        problems.append(
            f"movielens.claims.full_rank_items: {full_rank} items cannot have full column rank with "
            f"{N_USERS} users and movielens.max_items {section['max_items']}; allowed values: an integer "
            f"from 1 to {limit} (the claims at k = p need X of full column rank)"
        )
    items = section["max_items"]
    if items is not None:
        for key, value in (("model.rank", section["model"]["rank"]), ("recovery.items", section["recovery"]["items"]),
                           ("training.n_items", section["training"]["n_items"])):
            if value > items:
                problems.append(f"movielens.{key}: {value} exceeds movielens.max_items ({items})")
    if section["model"]["rank"] > section["recovery"]["items"]:
        problems.append(f"movielens.model.rank: {section['model']['rank']} exceeds movielens.recovery.items "
                        f"({section['recovery']['items']}), the items of the recovery study")
    if config["recovery"]["precision_k"] >= section["recovery"]["items"]:
        problems.append(f"recovery.precision_k ({config['recovery']['precision_k']}) must be below "
                        f"movielens.recovery.items ({section['recovery']['items']})")
    return problems
