# The configuration: validated before any job, and the few names every rule file uses.

import os
import re
import sys

from cossim.config import ConfigError, coerce_command_line, deep_update, load_schema, validate_config
from cossim.config_checks import duplicate_key_problems

CONFIG_SCHEMA = load_schema(workflow.source_path("../schemas/config.schema.yaml"))
# Every config file Snakemake read (configfile: and --configfile) and the --config entries are
# re-read for keys given twice, which Snakemake's loaders silently let the last one win.
DUPLICATED = duplicate_key_problems(workflow.configfiles, sys.argv)
if DUPLICATED:
    raise WorkflowError("invalid configuration:\n  - " + "\n  - ".join(DUPLICATED))
# Only --config values are re-read (Snakemake leaves nested ones as strings); values from
# --configfile are typed YAML already and are validated as written.
COMMAND_LINE_CONFIG = coerce_command_line(workflow.config_settings.config or {}, CONFIG_SCHEMA)
try:
    config.update(validate_config(deep_update(config, COMMAND_LINE_CONFIG), CONFIG_SCHEMA))
except ConfigError as error:
    raise WorkflowError(str(error)) from None

DATASET = config["dataset"]
OWN_DATA = None
if config["own_data"]["interactions"] is not None:
    from cossim.data.own_data import OwnDataError, check_own_data

    from cossim.config_checks import memory_errors

    try:
        OWN_DATA = check_own_data(config["own_data"], config["model"]["rank"], config)
    except OwnDataError as error:
        raise WorkflowError(f"invalid own data: {error}") from None
    for NOTE in OWN_DATA.notes:
        print(f"note on own data (before any job): {NOTE}", file=sys.stderr)
    OVER_BUDGET = memory_errors(config, data_shape=(*OWN_DATA.interactions.shape, OWN_DATA.interactions.nnz))
    if OVER_BUDGET:
        raise WorkflowError(f"invalid own data: {OVER_BUDGET[0]}")


wildcard_constraints:
    dataset="[A-Za-z0-9][A-Za-z0-9_-]*",
    objective="eq1|eq2",


def own_data_given():
    """Whether the data set `dataset` is imported from own_data.interactions (else simulated)."""
    return OWN_DATA is not None


# The configuration of data sets other than the configured one (rule files add theirs, e.g.
# MovieLens): {name: config with that data set's model, claims, training, ... sections}.
DATASET_CONFIGS = {}
# Results of those data sets that belong to the default target (`rule all`).
EXTRA_FINAL_OUTPUTS = []


def dataset_config(dataset):
    """The configuration the rules read for data set `dataset`: the config of the configured data
    set (and its recovery seeds), or the one a rule file registered in DATASET_CONFIGS."""
    if dataset in DATASET_CONFIGS:
        return DATASET_CONFIGS[dataset]
    if own_data_given() and dataset == DATASET:
        return config
    dataset_settings(dataset)  # fails naming the data sets there are
    return config


def is_simulated(dataset):
    """Whether data set `dataset` is the simulation of Section 4 (or one of its seeds)."""
    return dataset not in DATASET_CONFIGS and not (own_data_given() and dataset == DATASET)


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


def dataset_seed(wildcards):
    """The simulation seed of the data set named by the wildcard."""
    return dataset_settings(wildcards.dataset)[1]


def notebook_source(name):
    """The committed (output-free) notebook that a rule executes, relative to the working
    directory, so that nothing recorded depends on where the clone lies."""
    return os.path.relpath(SOURCE_TREE / "notebooks" / f"{name}.ipynb")


def source_file(relative):
    """A file of this workflow's source tree (e.g. data/...), relative to the working directory."""
    return os.path.relpath(SOURCE_TREE / relative)


def report_labels(study, name, dataset="{dataset}"):
    """Labels of a report entry: its data set (the rule's wildcard unless given), study and rule."""
    return {"data set": dataset, "study": study, "rule": name}


def final_outputs():
    """The default target: every study's results on the configured data set (without the
    simulated-only ones on own data), and those of the other data sets rule files add."""
    return paths.final_outputs(DATASET, own_data=own_data_given()) + EXTRA_FINAL_OUTPUTS


def refuse_unknown_targets():
    """Fail before any job when a command-line target is neither a rule nor a file a rule makes,
    or an option that names rules (--omit-from, --allowed-rules, ...) names none.

    Skipped when this workflow is a module of another, whose own rules are not known yet.
    """
    from cossim.targets import (
        command_line_option_names,
        command_line_targets,
        unknown_option_message,
        unknown_target_message,
    )

    if not workflow.modifier.is_main_snakefile():
        return
    message = unknown_target_message(
        workflow, final_outputs(), command_line_targets()
    ) or unknown_option_message(workflow, final_outputs(), command_line_option_names())
    if message:
        raise WorkflowError(message)
