"""Command-line targets checked while the workflow is parsed, before Snakemake builds the DAG."""

from __future__ import annotations

from pathlib import Path


def unknown_target_message(workflow, final_outputs: list[str]) -> str | None:
    """Why a requested target cannot be made, or None when every target is fine.

    A target is fine when it names a rule without wildcards, a file that exists, or a file that
    some rule makes. The targets are Snakemake's own (``workflow.dag_settings.targets``), so
    nothing is re-parsed from the command line; there are none while linting.

    Parameters
    ----------
    workflow : snakemake.workflow.Workflow
        The workflow being parsed.
    final_outputs : list of str
        The workflow's final files; the first is given as an example in the message.

    Returns
    -------
    str or None
    """
    settings = getattr(workflow, "dag_settings", None)
    targets = sorted(getattr(settings, "targets", None) or ())
    rules = sorted(rule.name for rule in workflow.rules if not rule.has_wildcards())
    for target in targets:
        if target in rules or Path(target).exists() or any(rule.is_producer(target) for rule in workflow.rules):
            continue
        return (
            f"unknown target {target!r}: no rule of that name and no rule makes such a file; "
            f"allowed values: a rule ({', '.join(rules)}) or a file the workflow makes "
            f"(e.g. {final_outputs[0]}; see results/README.md)"
        )
    return None
