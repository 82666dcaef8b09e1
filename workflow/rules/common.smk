# Shared helpers: configuration validation and the paths of every artifact.

import re
from pathlib import Path

from cossim.config import (
    ConfigError,
    coerce_command_line,
    deep_update,
    load_schema,
    validate_config,
)

CONFIG_SCHEMA = load_schema(workflow.source_path("../schemas/config.schema.yaml"))
COMMAND_LINE_CONFIG = coerce_command_line(
    workflow.config_settings.overwrite_config or {}, CONFIG_SCHEMA
)
try:
    config.update(
        validate_config(deep_update(config, COMMAND_LINE_CONFIG), CONFIG_SCHEMA)
    )
except ConfigError as error:
    raise WorkflowError(str(error)) from None

REPO = Path(workflow.basedir)
DATASET = config["dataset"]
RESULTS = "results"
LOGS = f"{RESULTS}/logs"


wildcard_constraints:
    dataset="[A-Za-z0-9][A-Za-z0-9_-]*",
    objective="eq1|eq2",


def dataset_settings(dataset):
    """(simulation settings, seed) of a simulated data set, from its name.

    ``<config dataset>`` is the configured simulation with the configured seed;
    ``<config dataset>-seed<N>`` is the same simulation with seed N (for seed sweeps).
    """
    match = re.fullmatch(r"(?P<base>.+)-seed(?P<seed>[0-9]+)", dataset)
    base, seed = (match["base"], int(match["seed"])) if match else (dataset, config["seed"])
    if base == DATASET:
        return config["simulation"], seed
    raise WorkflowError(
        f"unknown data set {dataset!r}: expected '{DATASET}' or '{DATASET}-seed<N>' "
        "(the name comes from config key 'dataset')"
    )


def simulation_settings(wildcards):
    """Rule simulate's settings for the requested data set."""
    return dataset_settings(wildcards.dataset)[0]


def simulation_seed(wildcards):
    """Rule simulate's seed for the requested data set."""
    return dataset_settings(wildcards.dataset)[1]


def data_path(name, dataset=DATASET):
    """A file of the simulated data set, e.g. data_path('interactions.npz')."""
    return f"{RESULTS}/data/{dataset}/{name}"


def fit_path(objective, dataset=DATASET):
    """The closed-form fit of Eq. 1 or Eq. 2."""
    return f"{RESULTS}/fits/{dataset}/{objective}.npz"


def notebook_source(name):
    """The committed (output-free) notebook that a rule executes."""
    return str(REPO / "notebooks" / f"{name}.ipynb")


def objective_lambda(wildcards):
    """lambda of the objective named by the wildcard (Eq. 1 or Eq. 2)."""
    return config["model"][f"{wildcards.objective}_lambda"]


def figure1_outputs():
    """Everything `snakemake figure1` produces."""
    return [
        f"{RESULTS}/figures/figure1.png",
        f"{RESULTS}/figures/figure1.pdf",
        f"{RESULTS}/figures/figure1_annotated.png",
        f"{RESULTS}/figures/figure1.npz",
        f"{RESULTS}/checks/figure1.json",
        f"{RESULTS}/notebooks/figure1.ipynb",
        f"{RESULTS}/notebooks/figure1.html",
    ]


def table_path(name):
    """A result table, e.g. table_path('table1_claims.csv')."""
    return f"{RESULTS}/tables/{name}"


def tables_outputs():
    """Everything `snakemake tables` produces: Table 1 (claims) and Table 2 (training)."""
    return [
        table_path("table1_claims.csv"),
        table_path("table1_claims.md"),
        f"{RESULTS}/checks/claims.json",
        f"{RESULTS}/notebooks/claims.ipynb",
        f"{RESULTS}/notebooks/claims.html",
        table_path("table2_training.csv"),
        f"{RESULTS}/figures/training.png",
        f"{RESULTS}/notebooks/training.ipynb",
        f"{RESULTS}/notebooks/training.html",
    ]


def final_outputs():
    """The default target: the full replication."""
    return figure1_outputs() + tables_outputs()
