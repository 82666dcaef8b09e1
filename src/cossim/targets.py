"""Command-line targets checked while the workflow is parsed, before Snakemake builds the DAG.

Snakemake learns its targets only after parsing the workflow, so the targets are read from the
command line with Snakemake's own argument parser.
"""

from __future__ import annotations

import sys
from pathlib import Path


def command_line_targets(argv: list[str] | None = None) -> list[str]:
    """The targets given to the ``snakemake`` executable; [] when run otherwise (e.g. in a job).

    A command line that Snakemake's parser rejects yields [] here: Snakemake reports it itself.
    """
    argv = sys.argv if argv is None else argv
    if not argv or Path(argv[0]).name != "snakemake":
        return []
    from snakemake.cli import get_argument_parser

    try:
        arguments, _ = get_argument_parser().parse_known_args(argv[1:])
    except SystemExit:  # argparse's way of rejecting a command line
        return []
    return list(arguments.targets or [])


def unknown_target_message(workflow, final_outputs: list[str], targets: list[str]) -> str | None:
    """Why a requested target cannot be made, or None when every target is fine.

    A target is fine when it names a rule without wildcards, a file that exists, or a file that
    some rule makes.

    Parameters
    ----------
    workflow : snakemake.workflow.Workflow
        The workflow being parsed, with every rule defined.
    final_outputs : list of str
        The default target's files, one of which the message gives as an example.
    targets : list of str
        The requested targets (:func:`command_line_targets`).
    """
    rules = sorted(rule.name for rule in workflow.rules if not rule.has_wildcards())
    per_dataset = {rule.name: rule for rule in workflow.rules if rule.has_wildcards()}
    for target in targets:
        if target in rules or Path(target).exists() or any(rule.is_producer(target) for rule in workflow.rules):
            continue
        if target in per_dataset:
            made = [path for path in final_outputs if per_dataset[target].is_producer(path)]
            example = f"e.g. {made[0]}" if made else "see results/README.md"
            return (
                f"target {target!r} is a rule that runs once per data set (or per cell): ask for one of "
                f"its files instead ({example}), or for a study's target ({', '.join(rules)})"
            )
        return (
            f"unknown target {target!r}: no rule of that name and no rule makes such a file; "
            f"allowed values: a rule ({', '.join(rules)}) or a file the workflow makes "
            f"(e.g. {final_outputs[0]}; see results/README.md)"
        )
    return None
