"""End to end: the default target (which includes the targets `claims` and `training`) makes Table 1,
Table 2, their checks, figure and notebooks."""

import json

import nbformat
import pytest

from cossim.claims.checks import PAPER_CLAIMS
from cossim.io import load_table_csv

pytestmark = pytest.mark.workflow

ARTIFACTS = [
    "results/small/tables/table1_claims.csv",
    "results/small/tables/table1_claims.md",
    "results/small/checks/claims.json",
    "results/small/notebooks/claims.ipynb",
    "results/small/notebooks/claims.html",
    "results/small/tables/table2_training.csv",
    "results/small/training/runs.npz",
    "results/small/figures/training.png",
    "results/small/checks/training.json",
    "results/small/notebooks/training.ipynb",
    "results/small/notebooks/training.html",
]


def test_default_target_makes_both_tables(small_run):
    for path in ARTIFACTS:
        assert (small_run / path).stat().st_size > 0, path
    for log in ("claims/measure", "claims/check", "training/train", "claims/notebook", "training/notebook",
                "training/figure", "training/check"):
        assert (small_run / "results" / "logs" / "small" / f"{log}.log").exists(), log


def test_table1_covers_every_claim_and_every_row_passes(small_run):
    rows = load_table_csv(small_run / "results/small/tables/table1_claims.csv")
    assert {"id", "where", "claim", "measured", "tolerance", "pass"} <= set(rows[0])
    assert {row["id"].split("_")[0].rstrip("abc") for row in rows} == set(PAPER_CLAIMS)
    assert all(row["pass"] == "true" for row in rows)
    report = json.loads((small_run / "results/small/checks/claims.json").read_text())
    assert all(check["passed"] for check in report["checks"])
    markdown = (small_run / "results/small/tables/table1_claims.md").read_text()
    assert all(row["id"] in markdown for row in rows)


def test_table2_has_one_row_per_run(small_run, small_config):
    training = small_config["training"]
    rows = load_table_csv(small_run / "results/small/tables/table2_training.csv")
    assert len(rows) == 2 * len(training["init_scales"]) * training["runs_per_scale"]
    for column in ("objective_gap", "product_distance", "d_spread", "cosine_max_abs_diff", "cosine_mean_abs_diff"):
        assert all(float(row[column]) >= -1e-12 for row in rows), column
    report = json.loads((small_run / "results/small/checks/training.json").read_text())
    enforced = [check for check in report["checks"] if check["name"] != "eq1_optimal_runs_differ"]
    assert enforced and all(check["passed"] for check in enforced)
    assert set(report["summary"]) == {"eq1", "eq2"} and set(report["pairs"]) == {"eq1", "eq2"}


@pytest.mark.parametrize("name", ["claims", "training"])
def test_notebooks_ran_without_errors(small_run, name):
    notebook = nbformat.read(small_run / f"results/small/notebooks/{name}.ipynb", as_version=4)
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]
    assert outputs and not any(output.get("output_type") == "error" for output in outputs)


def test_check_rule_fails_the_workflow_naming_a_failed_claim(small_run, tmp_path):
    """A copy of the finished run with one claim's measurement out of tolerance: rule
    check_claims (forced to rerun on it) must stop the workflow and name that claim."""
    import shutil

    from conftest import run_snakemake

    from cossim.io import save_table_csv

    workdir = tmp_path / "wf"
    shutil.copytree(small_run, workdir, symlinks=True)
    table = workdir / "results/small/tables/table1_claims.csv"
    rows = load_table_csv(table)
    target = next(row for row in rows if row["id"].startswith("4_"))
    target["measured"] = "0.5"  # Case A's item-item cosine 0.5 away from the identity
    save_table_csv(table, rows)
    # --keep-going: the scorecard's check, downstream of the same table, may fail first and stop the run
    result = run_snakemake(workdir, "--cores", "1", "--keep-going", "--rerun-triggers", "mtime", "--forcerun",
                           "check_claims", "results/small/checks/claims.json")
    assert result.returncode != 0
    log = (workdir / "results/logs/small/claims/check.log").read_text()
    assert "4_case_a_item_cosine_is_identity" in log and "CheckFailed" in log


def test_check_training_fails_the_workflow_naming_the_run(small_run, tmp_path):
    """A copy of the finished run in which an Eq. 2 run seems to beat its closed form: rule
    check_training (forced to rerun on it) must stop the workflow and name that run."""
    import shutil

    from conftest import run_snakemake

    from cossim.io import save_table_csv

    workdir = tmp_path / "wf"
    shutil.copytree(small_run, workdir, symlinks=True)
    table = workdir / "results/small/tables/table2_training.csv"
    rows = load_table_csv(table)
    target = next(row for row in rows if row["objective"] == "eq2")
    target["objective_gap"] = "-0.5"
    save_table_csv(table, rows)
    result = run_snakemake(workdir, "--cores", "1", "--rerun-triggers", "mtime", "--forcerun", "check_training",
                           "results/small/checks/training.json")
    assert result.returncode != 0
    log = (workdir / "results/logs/small/training/check.log").read_text()
    name = f"eq2_scale{float(target['init_scale']):g}_run{target['run']}_gap_nonnegative"
    assert name in log and "CheckFailed" in log


def test_the_study_targets_claims_and_training_name_their_results(workflow_copy):
    from conftest import run_snakemake

    result = run_snakemake(workflow_copy, "claims", "training", "--dry-run", "--quiet", "rules")
    assert result.returncode == 0, result.stdout + result.stderr
    for rule in ("measure_claims", "check_claims", "claims_notebook", "train", "training_figure", "check_training",
                 "training_notebook"):
        assert rule in result.stdout, rule
