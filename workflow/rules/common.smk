# Shared helpers: configuration validation and the paths of every artifact.

import os
import re
from pathlib import Path

from cossim.config import (
    ConfigError,
    coerce_command_line,
    deep_update,
    load_schema,
    validate_config,
)
from cossim.fidelity import expand_grid, reading_name, reading_settings
from cossim.own_data import OwnDataError, check_own_data

CONFIG_SCHEMA = load_schema(workflow.source_path("../schemas/config.schema.yaml"))
# Only --config values are re-read (Snakemake leaves nested ones as strings); values from
# --configfile are typed YAML already and are validated as written.
COMMAND_LINE_CONFIG = coerce_command_line(workflow.config_settings.config or {}, CONFIG_SCHEMA)
try:
    config.update(validate_config(deep_update(config, COMMAND_LINE_CONFIG), CONFIG_SCHEMA))
except ConfigError as error:
    raise WorkflowError(str(error)) from None

try:
    OWN_DATA = check_own_data(config["own_data"], config["model"]["rank"])
except OwnDataError as error:
    raise WorkflowError(f"invalid own data: {error}") from None

REPO = Path(workflow.basedir)
DATASET = config["dataset"]
RESULTS = "results"
LOGS = f"{RESULTS}/logs"
MANIFEST = f"{RESULTS}/MANIFEST.json"


def with_source_tree(search_path):
    """PYTHONPATH with the library's source tree first, so that jobs in a conda environment
    (--sdm conda, envs/environment.yaml) import cossim from the repository."""
    return os.pathsep.join(filter(None, [str(REPO / "src"), search_path]))


os.environ.update(PYTHONPATH=with_source_tree(os.environ.get("PYTHONPATH")))


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


def own_data_given():
    """Whether the data set `dataset` is imported from own_data.interactions (else simulated)."""
    return OWN_DATA is not None


def imported_dataset_pattern():
    """Wildcard constraint of import_interactions: the configured data set, if own data is given.

    With no own data the pattern matches nothing, so rule simulate makes every data set.
    """
    return re.escape(DATASET) if own_data_given() else "(?!)"


def claims_enforced():
    """The paper's block-pattern claims fail the workflow on simulated data; on own data they are reported."""
    return not own_data_given()


def own_data_files(wildcards):
    """Rule import_interactions' inputs: the interaction file and, if given, the item clusters."""
    files = {"interactions": config["own_data"]["interactions"]}
    if config["own_data"]["item_clusters"] is not None:
        files["item_clusters"] = config["own_data"]["item_clusters"]
    return files


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


def recovery_seeds():
    """The simulation seeds of the cluster-recovery study (config section recovery)."""
    first = config["recovery"]["first_seed"]
    return list(range(first, first + config["recovery"]["n_seeds"]))


def recovery_seed_settings():
    """The recovery settings one seed's job depends on (not the seed count or the heatmap size,
    so that adding seeds reruns nothing for the existing ones)."""
    per_run = {"n_seeds", "first_seed", "heatmap_users"}
    return {key: value for key, value in config["recovery"].items() if key not in per_run}


def recovery_seed_path(dataset):
    """Per-seed scores of the cluster-recovery study."""
    return f"{RESULTS}/recovery/{dataset}/scores.npz"


def recovery_seed_paths():
    """Per-seed scores for every seed: data sets <dataset>-seed<s> reuse rules simulate and fit."""
    return [recovery_seed_path(f"{DATASET}-seed{seed}") for seed in recovery_seeds()]


def recovery_outputs():
    """Everything `snakemake recovery` produces."""
    return [
        f"{RESULTS}/tables/table3_cluster_recovery.csv",
        f"{RESULTS}/tables/table4_remedies.csv",
        f"{RESULTS}/checks/recovery.json",
        f"{RESULTS}/figures/d_sweep.png",
        f"{RESULTS}/figures/remedies.png",
        f"{RESULTS}/figures/user_similarities.png",
        f"{RESULTS}/notebooks/recovery.ipynb",
        f"{RESULTS}/notebooks/recovery.html",
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


def manifest_outputs():
    """The run's manifest: every artifact's sha256, provenance and the software used."""
    return [MANIFEST]


def final_outputs():
    """The default target: the full replication.

    The seed sweep of the cluster-recovery study and the fidelity calibration re-simulate the
    Section 4 data, so they are left out when the workflow runs on your own data.
    """
    simulation_studies = [] if own_data_given() else recovery_outputs() + fidelity_outputs()
    return figure1_outputs() + tables_outputs() + simulation_studies + manifest_outputs()


# Figure 1 fidelity study (issue 4): the calibration grid of readings x seeds.

# Relative to the working directory, so that paths recorded in notebooks do not depend on where
# the repository lies (REPO is the working directory in every supported way of running).
PUBLISHED_LEVELS = os.path.relpath(REPO / "data" / "figure1_published_block_levels.csv")


def fidelity_readings():
    """{reading name: choices} of the calibration grid (config key fidelity.grid)."""
    return {reading_name(choices): choices for choices in expand_grid(config["fidelity"]["grid"])}


def fidelity_choices(wildcards):
    """The unstated choices made by the reading named by the wildcard."""
    readings = fidelity_readings()
    if wildcards.reading not in readings:
        raise WorkflowError(f"unknown reading {wildcards.reading!r}: not in config key fidelity.grid")
    return readings[wildcards.reading]


def fidelity_simulation(wildcards):
    """Simulation settings of a reading: config key simulation with the reading's choices."""
    return reading_settings(
        config["simulation"], fidelity_choices(wildcards), config["fidelity"]["cluster_probabilities"]
    )


def fidelity_cell_path(reading, seed):
    """Block levels and scores of one reading and seed."""
    return f"{RESULTS}/fidelity/{reading}/seed{seed}.json"


def fidelity_cells():
    """Every cell of the sweep: each reading of the grid with each seed of fidelity.seeds."""
    return [
        fidelity_cell_path(reading, seed)
        for reading in fidelity_readings()
        for seed in config["fidelity"]["seeds"]
    ]


def fidelity_default_choices():
    """The default config's own reading, in the grid's terms (None where it is not a grid value)."""
    named = config["fidelity"]["cluster_probabilities"]
    choices = {}
    for key in config["fidelity"]["grid"]:
        value = config["simulation"][key]
        if key == "cluster_probabilities":
            value = next((name for name, probs in named.items() if list(probs) == list(value)), None)
        choices[key] = value
    return choices


def fidelity_outputs():
    """Everything `snakemake fidelity` produces."""
    return [
        f"{RESULTS}/tables/fidelity.csv",
        f"{RESULTS}/tables/fidelity_best.json",
        f"{RESULTS}/checks/fidelity.json",
        f"{RESULTS}/figures/fidelity.png",
        f"{RESULTS}/notebooks/fidelity.ipynb",
        f"{RESULTS}/notebooks/fidelity.html",
    ]


# Provenance of the artifacts, for results/MANIFEST.json (rule manifest in manifest.smk).
# Resolved from the workflow's own rules while the DAG is built, so artifacts that other
# rules add to final_outputs() are covered without listing them here.


def producing_rule(path):
    """The rule whose output pattern matches ``path``, or None for a source file."""
    return next((candidate for candidate in workflow.rules if candidate.is_producer(path)), None)


def job_provenance(path):
    """Rule, notebook, wildcards, params and produced inputs of the job that makes ``path``."""
    producer = producing_rule(path)
    wildcards = producer.get_wildcards(path)
    inputs = producer.expand_input(wildcards)[0]
    outputs = producer.expand_output(wildcards)[0]
    params = producer.expand_params(wildcards, inputs, outputs, job=None)[0]
    notebook = dict(inputs.items()).get("notebook")
    record = {
        "rule": producer.name,
        "notebook": str(Path(notebook).relative_to(REPO)) if notebook else None,
        "wildcards": dict(wildcards),
        "params": dict(params.items()),
    }
    produced_inputs = [str(f) for f in inputs if producing_rule(str(f)) is not None]
    return record, produced_inputs


def artifact_provenance(wildcards=None):
    """{path: provenance} of every final artifact and every produced file upstream of one."""
    final = [path for path in final_outputs() if path not in manifest_outputs()]
    provenance, pending = {}, list(final)
    while pending:
        path = pending.pop()
        if path in provenance:
            continue
        record, upstream = job_provenance(path)
        provenance[path] = {**record, "final": path in final}
        pending.extend(upstream)
    return provenance


def manifest_artifacts(wildcards):
    """The files that rule manifest hashes (its input)."""
    return sorted(artifact_provenance())


# Command-line targets, checked once every rule is defined (last line of the Snakefile).


def command_line_targets():
    """The targets given to the ``snakemake`` executable ([] when run otherwise, e.g. for a job)."""
    import sys
    from snakemake.cli import get_argument_parser

    if Path(sys.argv[0]).name != "snakemake":
        return []
    try:
        return list(get_argument_parser().parse_known_args(sys.argv[1:])[0].targets or [])
    except (Exception, SystemExit):
        return []


def target_rules():
    """Rules that can be asked for by name: those without wildcards."""
    return sorted(candidate.name for candidate in workflow.rules if not candidate.has_wildcards())


def refuse_unknown_targets():
    """Fail before any job when a target is neither a rule, nor a file a rule makes, nor a file."""
    rules = target_rules()
    for target in command_line_targets():
        if target in rules or Path(target).exists() or producing_rule(target) is not None:
            continue
        raise WorkflowError(
            f"unknown target {target!r}: no rule of that name and no rule makes such a file; "
            f"allowed values: a rule ({', '.join(rules)}) or a file the workflow makes "
            f"(e.g. {final_outputs()[0]}; see results/README.md)"
        )
