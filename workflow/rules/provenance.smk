# Provenance: results/MANIFEST.json holds the sha256, rule, notebook, wildcards and params of
# every artifact; `snakemake verify` checks it. The provenance is read off the workflow's own
# rules while the DAG is built, so a new study's artifacts are covered without listing them here.

PROVENANCE = paths.study("provenance")


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
        "notebook": os.path.relpath(notebook, SOURCE_TREE.resolve()) if notebook else None,
        "wildcards": dict(wildcards),
        "params": dict(params.items()),
    }
    produced_inputs = [str(f) for f in inputs if producing_rule(str(f)) is not None]
    return record, produced_inputs


def artifact_provenance(wildcards=None):
    """{path: provenance} of every final artifact and every produced file upstream of one."""
    final = [path for path in final_outputs() if path != PROVENANCE.manifest]
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


rule manifest:
    """results/MANIFEST.json: sha256, rule, notebook and params of every artifact, and the software."""
    input:
        manifest_artifacts,
    output:
        manifest=PROVENANCE.manifest,
    log:
        PROVENANCE.log("manifest"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # hashing streams each file; peak is the interpreter plus one read buffer
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        provenance=artifact_provenance,
        config=config,
    script:
        "../scripts/provenance/manifest.py"


# Target `snakemake verify`: recompute every hash in results/MANIFEST.json; fail naming changed or
# missing files. No input on purpose: Snakemake must not rebuild a changed or missing artifact
# before it is checked. (A comment, not a docstring: snakefmt 2.1.0 misplaces the docstring of a
# rule without input.)
rule verify:
    log:
        PROVENANCE.log("verify"),
    conda:
        "../../envs/environment.yaml"
    resources:
        # hashing streams each file; peak is the interpreter plus one read buffer
        mem_mb=400,
        runtime=10,
        cpus_per_task=1,
    params:
        manifest=PROVENANCE.manifest,
        config=config,
    script:
        "../scripts/provenance/verify.py"


rule provenance:
    """Target: the manifest of every artifact."""
    input:
        PROVENANCE.final_paths(),
    localrule: True
