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
# Only --config values are re-read (Snakemake leaves nested ones as strings); values from
# --configfile are typed YAML already and are validated as written.
COMMAND_LINE_CONFIG = coerce_command_line(workflow.config_settings.config or {}, CONFIG_SCHEMA)
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
MANIFEST = f"{RESULTS}/MANIFEST.json"


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


def manifest_outputs():
    """The run's manifest: every artifact's sha256, provenance and the software used."""
    return [MANIFEST]


def final_outputs():
    """The default target: the full replication."""
    return figure1_outputs() + manifest_outputs()


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
    """Input of rule manifest: the files it hashes."""
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
