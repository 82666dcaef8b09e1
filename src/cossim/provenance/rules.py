"""What rule ``manifest`` hashes, read off the workflow's own rules while the DAG is built.

Standard library only: imported while the workflow is parsed. A new study's artifacts are covered
without being listed here: the provenance walks from the final outputs to every produced input.
"""

from __future__ import annotations

import os


def producing_rule(workflow, path: str):
    """The rule whose output pattern matches ``path``, or None for a source file."""
    return next((candidate for candidate in workflow.rules if candidate.is_producer(path)), None)


def job_provenance(workflow, path: str, source_tree) -> tuple[dict, list[str]]:
    """Rule, notebook, wildcards and params of the job that makes ``path``, and its produced inputs.

    The notebook is recorded relative to ``source_tree`` (the clone), so that the record does
    not depend on where the clone lies.
    """
    producer = producing_rule(workflow, path)
    wildcards = producer.get_wildcards(path)
    inputs = producer.expand_input(wildcards)[0]
    outputs = producer.expand_output(wildcards)[0]
    params = producer.expand_params(wildcards, inputs, outputs, job=None)[0]
    notebook = dict(inputs.items()).get("notebook")
    record = {
        "rule": producer.name,
        "notebook": os.path.relpath(notebook, os.path.realpath(source_tree)) if notebook else None,
        "wildcards": dict(wildcards),
        "params": dict(params.items()),
    }
    produced_inputs = [str(f) for f in inputs if producing_rule(workflow, str(f)) is not None]
    return record, produced_inputs


def artifact_provenance(workflow, final: list[str], source_tree) -> dict:
    """``{path: provenance}`` of every path in ``final`` and every produced file upstream of one."""
    provenance, pending = {}, list(final)
    while pending:
        path = pending.pop()
        if path in provenance:
            continue
        record, upstream = job_provenance(workflow, path, source_tree)
        provenance[path] = {**record, "final": path in final}
        pending.extend(upstream)
    return provenance
