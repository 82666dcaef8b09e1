"""The MovieLens study as it runs: the small run (tests/small_config.yaml: MovieLens' 300 most
popular items) makes every file, its checks pass, a wrong number in any table fails them, and the
same configuration gives the same bytes."""

from __future__ import annotations

import csv
import json
import shutil

import numpy as np
import pytest
from conftest import REPO, run_snakemake

from cossim import paths
from cossim.checking import CheckFailed
from cossim.config import load_schema, with_defaults
from cossim.io import load_table_csv
from cossim.movielens.artifacts import MAIN_RESULT_KEYS, RESULT_KEYS
from cossim.movielens.checks import binarisation_checks, findings_checks, recovery_checks
from cossim.movielens.data import load_genres

pytestmark = pytest.mark.workflow
MOVIELENS = paths.study("movielens")
DATASETS = ("movielens", "movielens-liked")
SCHEMA = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")


def test_every_file_of_the_study_is_made_and_its_checks_pass(small_run):
    for dataset in DATASETS:
        for key in RESULT_KEYS:
            assert (small_run / MOVIELENS.at(key, dataset=dataset)).is_file(), (dataset, key)
    for key in MAIN_RESULT_KEYS:
        assert (small_run / MOVIELENS.at(key, dataset="movielens")).is_file(), key
    for study in ("figure1", "claims", "training"):
        for path in paths.study(study).final_paths():
            assert (small_run / path.format(dataset="movielens")).is_file(), path
    for name in ("check", "findings_check"):
        report = json.loads((small_run / MOVIELENS.at(name, dataset="movielens")).read_text())
        assert report["checks"] and all(check["passed"] for check in report["checks"])
    facts = json.loads((small_run / MOVIELENS.at("facts", dataset="movielens")).read_text())
    assert (facts["n_users"], facts["n_items"], facts["genres"]) == (943, 300, 19)


def test_the_notebook_states_verdicts_from_the_findings(small_run):
    notebook = json.loads((small_run / MOVIELENS.at("notebook", dataset="movielens")).read_text())
    text = "".join("".join(output.get("data", {}).get("text/markdown", ""))
                   for cell in notebook["cells"] for output in cell.get("outputs", []))
    findings = json.loads((small_run / MOVIELENS.at("findings", dataset="movielens")).read_text())
    claims = findings["claims"]
    assert f"{claims['passed']} of {claims['total']} claims pass" in text
    holding = sum(finding["holds"] for finding in findings.values() if isinstance(finding, dict) and "holds" in finding)
    assert holding == findings["conclusions_holding"]
    assert f"{holding} of the paper's {findings['conclusions']} conclusions tested here hold" in text
    assert "nan" not in text and "We simulate" not in text


def read_tables(run, dataset="movielens"):
    return {name: load_table_csv(run / MOVIELENS.at(name, dataset=dataset)) for name in ("recovery", "remedies", "d_sweep")}


def recovery_inputs(run):
    from cossim.io import load_interactions, load_items

    X = load_interactions(run / paths.study("data").at("interactions", dataset="movielens")).toarray()
    _, _, membership = load_genres(run / MOVIELENS.at("genres", dataset="movielens"))
    primary, _ = load_items(run / paths.study("data").at("items", dataset="movielens"))
    with np.load(run / MOVIELENS.at("scores", dataset="movielens")) as stored:
        study = dict(stored)
    with np.load(run / MOVIELENS.at("bootstrap", dataset="movielens")) as stored:
        replicates = stored["panels"]
    facts = json.loads((run / MOVIELENS.at("facts", dataset="movielens")).read_text())
    return X, membership, primary, study, replicates, facts


def settings_of(config):
    from cossim.movielens.rules import recovery_settings

    return recovery_settings({"recovery": config["recovery"], "movielens": config["movielens"]})


# (table, row index, column, how the value is changed)
MUTATIONS = [
    ("recovery", 1, "auc", 0.01),
    ("recovery", 2, "precision", -0.02),
    ("recovery", 4, "spearman", 0.01),
    ("recovery", 3, "auc_low", -0.005),
    ("recovery", 5, "precision_high", 0.005),
    ("remedies", 0, "auc", 0.01),
    ("remedies", 2, "auc_spread", 0.001),
    ("remedies", 6, "precision", 0.01),
    ("d_sweep", 3, "auc", -0.01),
    ("d_sweep", 20, "precision", 0.01),
    ("d_sweep", -1, "auc", 0.02),
]


@pytest.mark.parametrize("table, index, column, change", MUTATIONS)
def test_a_wrong_number_in_any_table_fails_the_check(small_run, small_config, table, index, column, change):
    X, membership, primary, study, replicates, facts = recovery_inputs(small_run)
    tables = read_tables(small_run)
    settings = settings_of(with_defaults(small_config, SCHEMA))
    assert all(r.passed for r in recovery_checks(X, membership, primary, study, replicates, tables, facts, settings))
    row = tables[table][index]
    row[column] = repr(float(row[column]) + change)
    failed = [r.name for r in recovery_checks(X, membership, primary, study, replicates, tables, facts, settings) if not r.passed]
    assert failed, (table, column)


@pytest.mark.parametrize("table, index, column", [("recovery", 2, "label"), ("remedies", 3, "label"), ("recovery", 1, "panel")])
def test_a_wrong_label_fails_the_check(small_run, small_config, table, index, column):
    X, membership, primary, study, replicates, facts = recovery_inputs(small_run)
    tables = read_tables(small_run)
    tables[table][index][column] = "something else"
    settings = settings_of(with_defaults(small_config, SCHEMA))
    assert not all(r.passed for r in recovery_checks(X, membership, primary, study, replicates, tables, facts, settings))


@pytest.mark.parametrize("key, change", [("d_mean_cosine_change", 0.01), ("recovery_eq1_lambda", 100), ("genres", 1), ("share_same_genre", 0.001),
                                         ("recovery_items", 1), ("random_d_auc_max", 0.01)])
def test_a_wrong_fact_fails_the_check(small_run, small_config, key, change):
    X, membership, primary, study, replicates, facts = recovery_inputs(small_run)
    settings = settings_of(with_defaults(small_config, SCHEMA))
    facts[key] += change
    assert not all(r.passed for r in recovery_checks(X, membership, primary, study, replicates, read_tables(small_run),
                                                     facts, settings))


def findings_inputs(run):
    def table(path):
        return load_table_csv(run / path.format(dataset="movielens"))

    return dict(
        findings=json.loads((run / MOVIELENS.at("findings", dataset="movielens")).read_text()),
        claims=table(paths.study("claims").table),
        training=table(paths.study("training").table),
        optimum_gap=json.loads((run / paths.study("training").at("check", dataset="movielens")).read_text())["optimum_gap"],
        recovery=table(MOVIELENS.recovery),
        d_sweep=table(MOVIELENS.d_sweep),
        remedies=table(MOVIELENS.remedies),
        facts=json.loads((run / MOVIELENS.at("facts", dataset="movielens")).read_text()),
        binarisations=table(MOVIELENS.binarisations),
        figure1_checks=json.loads((run / paths.study("figure1").at("check", dataset="movielens")).read_text())["checks"],
    )


@pytest.mark.parametrize("section, key, value", [
    ("claims", "passed", 16),
    ("claims", "holds", False),
    ("training_eq1_arbitrary", "d_spread_max", 1.0),
    ("training_eq2_unique", "holds", False),
    ("d_changes_recovery", "holds", False),
    ("eq2_not_better", "holds", False),
    ("remedy_d_invariant", "holds", False),
    ("figure1_pattern", "holds", True),
    ("figure1_pattern", "eq5_blocks_clear_seen", True),
    ("d_changes_recovery", "best_panel", "eq2_unique"),
    ("eq2_not_better", "eq2_high", 0.9),
    ("remedy_d_invariant", "d_invariant", ["embedding_cosine"]),
    ("training_eq1_arbitrary", "d_spread_min", 100.0),
    (None, "conclusions_holding", 3),
    (None, "eq2_not_better_holds", False),
])
def test_a_wrong_finding_fails_the_findings_check(small_run, section, key, value):
    inputs = findings_inputs(small_run)
    assert all(r.passed for r in findings_checks(**inputs))
    where = inputs["findings"] if section is None else inputs["findings"][section]
    if where[key] == value:
        value = not value if isinstance(value, bool) else value + 1 if isinstance(value, (int, float)) else []
    where[key] = value
    assert not all(r.passed for r in findings_checks(**inputs))


def test_a_wrong_binarisation_cell_fails(small_run):
    rows = load_table_csv(small_run / MOVIELENS.at("binarisations", dataset="movielens"))
    tables = {name: load_table_csv(small_run / MOVIELENS.at("recovery", dataset=name)) for name in DATASETS}
    assert all(r.passed for r in binarisation_checks(rows, tables))
    rows[2]["auc_movielens-liked"] = repr(float(rows[2]["auc_movielens-liked"]) + 1e-3)
    assert not all(r.passed for r in binarisation_checks(rows, tables))
    rows = load_table_csv(small_run / MOVIELENS.at("binarisations", dataset="movielens"))
    rows[1]["intervals_overlap"] = "no" if rows[1]["intervals_overlap"] == "yes" else "yes"
    assert not all(r.passed for r in binarisation_checks(rows, tables))


def test_a_corrupted_table_fails_the_rule(small_run, tmp_path):
    """The same config gives the same bytes: test_reliability's single_core_run compares every
    artifact of the default target, MovieLens' included, with small_run's."""
    from test_reliability import clone_of

    run = clone_of(small_run, tmp_path / "wf")
    # a wrong AUC written into the table: rule check_movielens fails the workflow naming the check
    table = run / MOVIELENS.at("recovery", dataset="movielens")
    rows = list(csv.reader(table.open()))
    rows[2][2] = repr(float(rows[2][2]) + 0.01)
    with table.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    result = run_snakemake(run, "--cores", "1", "--forcerun", "check_movielens",
                           MOVIELENS.at("check", dataset="movielens"))
    assert result.returncode != 0 and "recovery_table" in result.stderr + result.stdout
    assert CheckFailed.__name__ in result.stderr + result.stdout
    shutil.rmtree(run)
