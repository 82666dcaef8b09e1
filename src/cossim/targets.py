"""Command-line targets and rule names checked while the workflow is parsed, before Snakemake
builds the DAG.

Snakemake learns its targets only after parsing the workflow, so the targets, and the options
that name rules (``--omit-from``, ``--allowed-rules``, ...), are read from the command line with
Snakemake's own argument parser. Snakemake itself accepts some of those options with a name no
rule has (``--omit-from figure_one`` runs everything, exit 0); here every one is refused alike.
"""

from __future__ import annotations

import sys
from pathlib import Path

RULE_OR_FILE_OPTIONS = {"omit_from": "--omit-from", "until": "--until", "forcerun": "--forcerun",
                        "prioritize": "--prioritize"}
"""Options that take rules or files (Snakemake's argument name: the option as typed)."""

RULE_OPTIONS = {"allowed_rules": "--allowed-rules", "batch": "--batch", "consider_ancient": "--consider-ancient"}
"""Options that take rule names only (``--batch RULE=i/n``, ``--consider-ancient RULE=items``)."""


def parsed_command_line(argv: list[str] | None = None):
    """The ``snakemake`` command line as Snakemake's parser reads it; None when run otherwise
    (e.g. in a job) or when the parser rejects it (Snakemake reports that itself)."""
    argv = sys.argv if argv is None else argv
    if not argv or Path(argv[0]).name != "snakemake":
        return None
    from snakemake.cli import get_argument_parser

    try:
        arguments, _ = get_argument_parser().parse_known_args(argv[1:])
    except SystemExit:  # argparse's way of rejecting a command line
        return None
    return arguments


def command_line_targets(argv: list[str] | None = None) -> list[str]:
    """The targets given to the ``snakemake`` executable; [] when run otherwise (e.g. in a job)."""
    arguments = parsed_command_line(argv)
    return list(arguments.targets or []) if arguments is not None else []


def option_names(arguments) -> list[tuple[str, str, bool]]:
    """The rule (or file) names given to the rule-naming options of a parsed command line.

    Returns
    -------
    list of (option, name, files_allowed)
        ``option`` as typed (e.g. ``--omit-from``), in the order of :data:`RULE_OR_FILE_OPTIONS`
        then :data:`RULE_OPTIONS`, each option's names sorted.
    """
    found = []
    for key, option in RULE_OR_FILE_OPTIONS.items():
        found += [(option, name, True) for name in sorted(getattr(arguments, key, None) or ())]
    batch = getattr(arguments, "batch", None)
    given = {
        "allowed_rules": list(getattr(arguments, "allowed_rules", None) or ()),
        "batch": [batch.rulename] if batch is not None else [],
        "consider_ancient": list(getattr(arguments, "consider_ancient", None) or ()),
    }
    for key, option in RULE_OPTIONS.items():
        found += [(option, name, False) for name in sorted(given[key])]
    return found


def command_line_option_names(argv: list[str] | None = None) -> list[tuple[str, str, bool]]:
    """:func:`option_names` of the ``snakemake`` command line; [] when run otherwise."""
    arguments = parsed_command_line(argv)
    return option_names(arguments) if arguments is not None else []


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
        if target in rules or is_made_or_exists(workflow, target):
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


def is_made_or_exists(workflow, path: str) -> bool:
    """Whether ``path`` is a file that exists or that some rule of ``workflow`` makes."""
    return Path(path).exists() or any(rule.is_producer(path) for rule in workflow.rules)


def unknown_option_message(workflow, final_outputs: list[str], names: list[tuple[str, str, bool]]) -> str | None:
    """Why a rule-naming option cannot be followed, or None when every name is fine.

    A name is fine when it is a rule of the workflow (with or without wildcards), or, for an
    option of :data:`RULE_OR_FILE_OPTIONS`, a file that exists or that some rule makes.

    Parameters
    ----------
    workflow : snakemake.workflow.Workflow
        The workflow being parsed, with every rule defined.
    final_outputs : list of str
        The default target's files, one of which the message gives as an example.
    names : list of (option, name, files_allowed)
        :func:`command_line_option_names`.
    """
    rules = sorted(rule.name for rule in workflow.rules)
    for option, name, files_allowed in names:
        if name in rules or (files_allowed and is_made_or_exists(workflow, name)):
            continue
        if files_allowed:
            return (
                f"unknown {option} value {name!r}: no rule of that name and no rule makes such a file; "
                f"allowed values: a rule ({', '.join(rules)}) or a file the workflow makes "
                f"(e.g. {final_outputs[0]}; see results/README.md)"
            )
        return f"unknown {option} value {name!r}: no rule of that name; allowed values: a rule ({', '.join(rules)})"
    return None
