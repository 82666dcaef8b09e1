"""Checks of the configuration beyond its schema: names, sizes against a memory budget, and
duplicated keys in the files and command line it was read from.

Everything here runs while the workflow is parsed, before any job, and imports only the
standard library and PyYAML (it is imported in an environment holding only Snakemake).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import yaml

# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

DATASET_MAX_LENGTH = 64
"""Longest ``dataset`` name: with ``-seed<N>`` and the file names under results/data/<dataset>/
it stays far below the 255 bytes a file name may have."""

SEED_SUFFIX = re.compile(r".+-seed[0-9]+")
"""Names ``<dataset>-seed<N>`` are the seed sweep's data sets (recovery), derived from ``dataset``."""

RESERVED_DATASET_NAMES = ("data", "fits", "logs", "movielens")
"""Names ``dataset`` cannot take: the folders of ``results/`` that hold every data set's matrices
and logs (results/<dataset>/ holds a data set's results), and the MovieLens study's data set."""


def dataset_name_errors(config: dict) -> list[str]:
    """Why ``config['dataset']`` cannot name the configured data set, if it cannot.

    A name ending in ``-seed<N>`` is refused: the workflow reads such a name as the configured
    data set simulated with seed N, so it cannot also be the configured data set itself.
    """
    name = config["dataset"]
    if name in RESERVED_DATASET_NAMES or name.startswith("movielens"):
        return [
            f"dataset: {name!r} is reserved (results/{name}/ is not a data set's folder of yours); "
            f"allowed values: any other name of at most {DATASET_MAX_LENGTH} characters matching "
            f"^[A-Za-z0-9][A-Za-z0-9_-]*$, other than {', '.join(RESERVED_DATASET_NAMES)} and names "
            "starting with movielens"
        ]
    if SEED_SUFFIX.fullmatch(name):
        return [
            f"dataset: {name!r} ends in '-seed<N>', a suffix reserved for the seed sweep's data sets "
            f"(<dataset>-seed<N>); allowed values: a name of at most {DATASET_MAX_LENGTH} characters "
            "matching ^[A-Za-z0-9][A-Za-z0-9_-]*$ that does not end in -seed followed by digits"
        ]
    return []


# --------------------------------------------------------------------------------------------
# Sizes: a memory estimate against a fixed budget
# --------------------------------------------------------------------------------------------

MEMORY_BUDGET_BYTES = 16 * 2**30
"""A run whose estimated peak memory exceeds this (16 GiB) is refused before any job. Fixed, not
the machine's memory, so that the same configuration is accepted or refused everywhere."""

BYTES_PER_INTERACTION = 64
"""Per stored interaction: the sampler's int64 codes and their sorted copies (3 x 8), the CSR
and CSC matrices' values and indices (2 x 12) and the item-restricted copies (16)."""

BYTES_PER_USER_VALUE = 32
"""Per float64 of an n x (C + k) user array (preferences, cluster CDFs, user embeddings X A),
with three temporary copies."""

BYTES_PER_DENSE_ENTRY = 40
"""Per entry of the n x p data: check_figure1 recomputes Figure 1 from a dense SVD of X, which
holds X as float64, LAPACK's copy of it, U and the workspace (measured: 737 MB at the default
20,000 x 1,000, of which 640 MB are these four copies)."""

ITEM_MATRICES = 24
"""p x p float64 matrices held at once: the Gram matrix, its eigenvectors and eigh's workspace,
Figure 1's panels and their cosine and colour-level copies."""

FIXED_BYTES = 640 * 2**20
"""Python, numpy, scipy and matplotlib (512 MiB) and the sampler's dense Gumbel keys (128 MiB)."""


def largest_items_per_user(config: dict) -> int:
    """The largest k_u any simulation of the run may draw (simulation and fidelity grid)."""
    sim = config["simulation"]
    caps = [sim["max_items_per_user"], *config["fidelity"]["grid"].get("max_items_per_user", [])]
    return min(max(caps), sim["n_items"])


def memory_estimate(config: dict, data_shape: tuple[int, int, int] | None = None) -> list[tuple[str, str, int]]:
    """An upper estimate of a run's peak memory, by part.

    Every user is counted at the largest number of items (so the estimate bounds the real
    interaction count from above), and every part is counted as if held at once.

    Parameters
    ----------
    config : dict
        The validated configuration.
    data_shape : (n_users, n_items, interactions), optional
        Of own data (``own_data.interactions``) once read; the simulation's sizes otherwise.

    Returns
    -------
    list of (key, what, bytes)
        The configuration key that drives each part, the part in words, and its bytes.
    """
    sim, model = config["simulation"], config["model"]
    n, p = sim["n_users"], sim["n_items"]
    per_user = largest_items_per_user(config)
    users_key, items_key = "simulation.n_users", "simulation.n_items"
    if data_shape is not None:
        n, p, interactions = data_shape
        per_user = -(-interactions // max(n, 1))  # the mean, rounded up: n x per_user >= interactions
        users_key = items_key = "own_data.interactions"
    users = max(config["recovery"]["heatmap_users"], config["claims"]["user_sample"])
    rank = max(model["rank"], config["training"]["rank"])
    return [
        (users_key, f"{n} users x {per_user} items x {BYTES_PER_INTERACTION} bytes per interaction",
         n * per_user * BYTES_PER_INTERACTION),
        (users_key, f"{n} users x ({sim['n_clusters']} clusters + rank {rank}) x {BYTES_PER_USER_VALUE} bytes",
         n * (sim["n_clusters"] + rank) * BYTES_PER_USER_VALUE),
        (users_key, f"dense {n} x {p} data x {BYTES_PER_DENSE_ENTRY} bytes (the check's SVD of X)",
         n * p * BYTES_PER_DENSE_ENTRY),
        (items_key, f"{ITEM_MATRICES} item-item matrices of {p} x {p} float64", ITEM_MATRICES * p * p * 8),
        ("recovery.heatmap_users", f"user-user and user-item heatmaps of {users} users", 4 * 8 * users * (users + p)),
        ("<fixed>", "Python, libraries and the sampler's keys", FIXED_BYTES),
    ]


def gib(size: float) -> str:
    """Bytes in GiB, two decimals."""
    return f"{size / 2**30:.2f} GiB"


def memory_errors(config: dict, budget: int = MEMORY_BUDGET_BYTES, data_shape=None) -> list[str]:
    """A message naming the largest part's key when the run's estimate exceeds ``budget``
    (``data_shape`` as in :func:`memory_estimate`)."""
    parts = memory_estimate(config, data_shape)
    total = sum(size for _, _, size in parts)
    if total <= budget:
        return []
    key, _, _ = max(parts, key=lambda part: part[2])
    listed = "; ".join(f"{what}: {gib(size)}" for _, what, size in parts)
    return [
        f"{key}: the run's estimated peak memory is {gib(total)} ({listed}), above the budget of "
        f"{gib(budget)}; allowed values: a configuration whose estimate is at most {gib(budget)} "
        "(fewer users, items or items per user; config/README.md explains the estimate)"
    ]


def sweep_errors(config: dict) -> list[str]:
    """Sizes between keys: the trained rank, the fidelity sweep's number of jobs."""
    problems = []
    training = config["training"]
    if training["rank"] > training["n_items"]:
        problems.append(
            f"training.rank: k={training['rank']} exceeds training.n_items ({training['n_items']}); "
            f"allowed values: an integer from 1 to {training['n_items']}"
        )
    if training["n_items"] > config["simulation"]["n_items"] and config["own_data"]["interactions"] is None:
        problems.append(
            f"training.n_items: {training['n_items']} exceeds simulation.n_items "
            f"({config['simulation']['n_items']}); allowed values: at most simulation.n_items"
        )
    fidelity = config["fidelity"]
    cells = math.prod(len(values) for values in fidelity["grid"].values()) * len(fidelity["seeds"])
    if cells > MAX_FIDELITY_CELLS:
        problems.append(
            f"fidelity.grid: {cells} cells (readings x seeds), one job each; allowed values: at most "
            f"{MAX_FIDELITY_CELLS} cells (fewer grid values or fidelity.seeds)"
        )
    return problems


MAX_FIDELITY_CELLS = 10_000
"""Fidelity cells (one job each): Snakemake holds every job of the DAG in memory."""


# --------------------------------------------------------------------------------------------
# Duplicated keys
# --------------------------------------------------------------------------------------------


def duplicated_keys(node: yaml.Node, prefix: str = "") -> list[tuple[str, int, int]]:
    """(dotted key, line of its first occurrence, line of the repeat) of every key given twice
    in one mapping, at any depth of a composed YAML document (lines 1-based)."""
    found = []
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            name = f"{prefix}{key_node.value}" if isinstance(key_node, yaml.ScalarNode) else prefix + "<key>"
            identity = (key_node.tag, key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
            if identity is not None and identity in seen:
                found.append((name, seen[identity] + 1, key_node.start_mark.line + 1))
            elif identity is not None:
                seen[identity] = key_node.start_mark.line
            found += duplicated_keys(value_node, f"{name}.")
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found += duplicated_keys(item, f"{prefix}{index}.")
    return found


def json_duplicates(text: str) -> list[str]:
    """Keys given twice in one JSON object (JSON has no line numbers here)."""
    found = []

    def refuse(pairs):
        keys = [key for key, _ in pairs]
        found.extend(sorted({key for key in keys if keys.count(key) > 1}))
        return dict(pairs)

    try:
        json.loads(text, object_pairs_hook=refuse)
    except ValueError:
        return []
    return found


def config_file_duplicate_errors(paths) -> list[str]:
    """One message per key given twice in any of the config files ``paths`` (file, key, lines).

    Each file is read again as YAML (JSON is YAML too) and composed, not constructed, so that
    every mapping's keys are seen with their lines before a later one overwrites an earlier.
    A file that is not valid YAML or JSON is left to Snakemake, which reports it.
    """
    problems = []
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        try:
            documents = list(yaml.compose_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
        except yaml.YAMLError:
            problems += [f"{key}: given twice in {path}; allowed: each key once" for key in json_duplicates(text)]
            continue
        for document in documents:
            for key, first, repeat in duplicated_keys(document):
                problems.append(
                    f"{key}: given twice in {path} (line {first} and line {repeat}); allowed: each key "
                    "once per mapping (the second would silently replace the first)"
                )
    return problems


def command_line_config_entries(argv: list[str]) -> list[str]:
    """The ``key=value`` entries of ``--config`` on a ``snakemake`` command line ([] otherwise)."""
    if not argv or Path(argv[0]).name != "snakemake":
        return []
    from snakemake.cli import get_argument_parser

    try:
        arguments, _ = get_argument_parser().parse_known_args(argv[1:])
    except SystemExit:
        return []
    return [str(entry) for entry in (arguments.config or [])]


def command_line_duplicate_errors(entries: list[str]) -> list[str]:
    """Keys given twice on the command line: as two ``--config`` entries, or inside one value."""
    problems, seen = [], {}
    for entry in entries:
        key, _, value = entry.partition("=")
        if key in seen:
            problems.append(
                f"{key}: given twice with --config ({seen[key]!r} and {entry!r}); allowed: each key once "
                "(merge them: --config key={a: 1, b: 2})"
            )
        seen[key] = entry
        try:
            node = yaml.compose(value, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            continue
        for name, _, _ in duplicated_keys(node, f"{key}."):
            problems.append(f"{name}: given twice in --config {entry!r}; allowed: each key once")
    return problems


def duplicate_key_problems(config_files, argv: list[str]) -> list[str]:
    """Every key given twice in the config files Snakemake read or in ``--config`` of ``argv``."""
    return config_file_duplicate_errors(config_files) + command_line_duplicate_errors(
        command_line_config_entries(argv)
    )
