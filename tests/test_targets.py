"""Targets and rule-naming options are refused at parse time when they name nothing the workflow has.

Through the real command line: tests/test_reliability.py (UNKNOWN_TARGETS, UNKNOWN_RULE_OPTIONS).
Here the parsing of the command line and the messages, on a stand-in workflow.
"""

from __future__ import annotations

import re

import pytest

from cossim.targets import (
    command_line_option_names,
    command_line_targets,
    unknown_option_message,
    unknown_target_message,
)


class StandInRule:
    """A rule named ``name`` making files that match ``pattern`` (a regex), with or without wildcards."""

    def __init__(self, name: str, pattern: str, wildcards: bool = False):
        self.name, self.pattern, self.wildcards = name, pattern, wildcards

    def has_wildcards(self) -> bool:
        return self.wildcards

    def is_producer(self, path: str) -> bool:
        return re.fullmatch(self.pattern, path) is not None


class StandInWorkflow:
    rules = [StandInRule("all", "$^"), StandInRule("figure1", "$^"),
             StandInRule("fit", r"results/fits/[^/]+/eq[12]\.npz", wildcards=True),
             StandInRule("draw_figure1", r"results/[^/]+/figures/figure1\.png", wildcards=True)]


FINAL = ["results/paper/figures/figure1.png"]


def options(*argv: str) -> list:
    return command_line_option_names(["/venv/bin/snakemake", *argv])


def test_the_rule_naming_options_are_read_with_snakemakes_parser():
    assert options("-O", "a", "b", "--until", "c", "-R", "d", "-P", "e") == [
        ("--omit-from", "a", True), ("--omit-from", "b", True), ("--until", "c", True),
        ("--forcerun", "d", True), ("--prioritize", "e", True)]
    assert options("--allowed-rules", "x", "--batch", "y=1/2", "--consider-ancient", "z=0") == [
        ("--allowed-rules", "x", False), ("--batch", "y", False), ("--consider-ancient", "z", False)]
    assert options("figure1") == [] and options("-R") == []
    assert command_line_option_names(["python", "-O", "a"]) == []  # not the snakemake executable (a job)
    assert command_line_targets(["/venv/bin/snakemake", "--cores", "1", "figure1"]) == ["figure1"]


@pytest.mark.parametrize("argv", [["--omit-from", "fit"], ["-O", "figure1"], ["-O", "results/fits/small/eq1.npz"],
                                  ["--until", "results/small/figures/figure1.png"], ["--allowed-rules", "fit", "all"],
                                  ["--batch", "draw_figure1=1/2"], ["--consider-ancient", "fit=0"], ["-R"]])
def test_names_of_rules_any_kind_or_of_files_a_rule_makes_are_accepted(argv):
    assert unknown_option_message(StandInWorkflow(), FINAL, options(*argv)) is None


@pytest.mark.parametrize("argv, option, name", [
    (["--omit-from", "figure_one"], "--omit-from", "figure_one"),
    (["-O", "fit", "results/paper/figures/figure2.png"], "--omit-from", "results/paper/figures/figure2.png"),
    (["--until", "figure_one"], "--until", "figure_one"),
    (["-R", "figure_one"], "--forcerun", "figure_one"),
    (["-P", "figure_one"], "--prioritize", "figure_one"),
    (["--allowed-rules", "fit", "figure_one"], "--allowed-rules", "figure_one"),
    (["--allowed-rules", "results/fits/small/eq1.npz"], "--allowed-rules", "results/fits/small/eq1.npz"),
    (["--batch", "figure_one=1/2"], "--batch", "figure_one"),
    (["--consider-ancient", "figure_one=0"], "--consider-ancient", "figure_one"),
])
def test_a_name_that_is_no_rule_is_refused_naming_the_option_and_the_rules(argv, option, name):
    message = unknown_option_message(StandInWorkflow(), FINAL, options(*argv))
    assert message is not None and message.startswith(f"unknown {option} value {name!r}: no rule of that name")
    assert "a rule (all, draw_figure1, figure1, fit)" in message


def test_a_rule_with_wildcards_is_a_target_only_through_its_files():
    assert "runs once per data set" in unknown_target_message(StandInWorkflow(), FINAL, ["fit"])
    assert unknown_target_message(StandInWorkflow(), FINAL, ["figure1", "results/fits/small/eq2.npz"]) is None
    assert unknown_target_message(StandInWorkflow(), FINAL, ["figure_one"]).startswith("unknown target 'figure_one'")
