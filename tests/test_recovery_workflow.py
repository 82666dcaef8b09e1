"""The cluster-recovery study in the workflow: config section, seeds as wildcards, tables, notebook."""

import copy
import csv
import json
import re

import nbformat
import numpy as np
import pytest
import yaml
from conftest import REPO, run_snakemake

from cossim.config import ConfigError, load_schema, validate_config
from cossim.recovery.study import REMEDY_KEYS, TABLE3_PANELS

SCHEMA = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")
DEFAULT = yaml.safe_load((REPO / "config" / "config.yaml").read_text())

MALFORMED_RECOVERY = [
    ("n_seeds", 1, "recovery.n_seeds"),
    ("first_seed", -1, "recovery.first_seed"),
    ("precision_k", 0, "recovery.precision_k"),
    ("precision_k", 1000, "recovery.precision_k"),
    ("exponent_range", [2.0, -2.0], "recovery.exponent_range"),
    ("exponent_range", [0.0], "recovery.exponent_range"),
    ("exponent_steps", 1, "recovery.exponent_steps"),
    ("random_d_samples", 0, "recovery.random_d_samples"),
    ("remedy_d_samples", 13, "recovery.remedy_d_samples"),
    ("log_sd", 0, "recovery.log_sd"),
    ("unit_norm_iterations", 0, "recovery.unit_norm_iterations"),
    ("heatmap_users", "all", "recovery.heatmap_users"),
    ("seeds", 3, "recovery"),
]


def test_default_recovery_section_is_valid_with_at_least_20_seeds():
    config = validate_config(DEFAULT, SCHEMA)
    assert config["recovery"]["n_seeds"] >= 20
    assert config["recovery"]["exponent_range"] == [-2.0, 2.0]


@pytest.mark.parametrize("key, value, named", MALFORMED_RECOVERY, ids=[f"{k}={v!r}" for k, v, _ in MALFORMED_RECOVERY])
def test_malformed_recovery_config_is_refused_naming_the_key(key, value, named):
    config = copy.deepcopy(DEFAULT)
    config["recovery"][key] = value
    with pytest.raises(ConfigError) as error:
        validate_config(config, SCHEMA)
    assert named in str(error.value)


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.workflow
def test_each_seed_is_its_own_job_reusing_simulate_and_fit(small_run, small_config):
    recovery = small_config["recovery"]
    seeds = range(recovery["first_seed"], recovery["first_seed"] + recovery["n_seeds"])
    for seed in seeds:
        name = f"small-seed{seed}"
        for path in (f"results/data/{name}/interactions.npz", f"results/fits/{name}/eq1.npz",
                     f"results/small/recovery/seeds/seed{seed}.npz", f"results/logs/small/recovery/seed/seed{seed}.log",
                     f"results/logs/{name}/data/simulate.log"):
            assert (small_run / path).exists(), path


@pytest.mark.workflow
def test_table3_has_a_row_per_panel_and_seed_and_summary_rows(small_run, small_config):
    n_seeds = small_config["recovery"]["n_seeds"]
    rows = read_rows(small_run / "results/small/tables/table3_cluster_recovery.csv")
    assert list(rows[0]) == ["panel", "label", "seed", "statistic", "auc", "precision_at_10", "spearman"]
    assert len(rows) == len(TABLE3_PANELS) * (n_seeds + 3)
    for panel in TABLE3_PANELS:
        mine = [r for r in rows if r["panel"] == panel]
        values = np.array([float(r["auc"]) for r in mine if r["statistic"] == "value"])
        summary = {r["statistic"]: float(r["auc"]) for r in mine if r["seed"] == "all"}
        assert summary["mean"] == pytest.approx(values.mean(), abs=2e-6)
        assert summary["ci95_low"] <= summary["mean"] <= summary["ci95_high"]
    truth = [r for r in rows if r["panel"] == "true_clusters" and r["statistic"] == "value"]
    assert all(float(r["auc"]) == 1.0 for r in truth)


@pytest.mark.workflow
def test_table4_shows_zero_spread_only_for_the_original_space(small_run):
    rows = read_rows(small_run / "results/small/tables/table4_remedies.csv")
    means = {r["method"]: r for r in rows if r["statistic"] == "mean"}
    assert set(means) == set(REMEDY_KEYS)
    for key in ("original_space_AB", "original_space_XAB"):
        assert float(means[key]["auc_range_over_d"]) == 0.0
    assert float(means["embedding_cosine"]["auc_range_over_d"]) > 0.01


@pytest.mark.workflow
def test_recovery_checks_pass_and_the_notebook_ran(small_run):
    report = json.loads((small_run / "results/small/checks/recovery.json").read_text())
    assert len(report["checks"]) >= 12 and all(check["passed"] for check in report["checks"])
    for figure in ("d_sweep.png", "remedies.png", "user_similarities.png"):
        assert (small_run / "results/small/figures" / figure).stat().st_size > 10_000, figure
    notebook = nbformat.read(small_run / "results/small/notebooks/recovery.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)
    assert not any(output.get("output_type") == "error" for cell in code for output in cell.outputs)
    assert sum("image/png" in output.get("data", {}) for cell in code for output in cell.outputs) >= 3
    assert "Case B" in (small_run / "results/small/notebooks/recovery.html").read_text()


@pytest.mark.workflow
def test_more_seeds_only_add_jobs_for_the_new_seeds(small_run, small_config):
    n_seeds = small_config["recovery"]["n_seeds"]
    result = run_snakemake(small_run, "recovery", "--dry-run", "--config", f"recovery={{'n_seeds': {n_seeds + 1}}}")
    assert result.returncode == 0, result.stderr
    jobs = result.stdout + result.stderr
    new = small_config["recovery"]["first_seed"] + n_seeds
    assert f"results/small/recovery/seeds/seed{new}.npz" in jobs
    assert re.search(r"^recovery_seed\s+1$", jobs, re.MULTILINE), jobs[-2000:]
    assert re.search(r"^simulate\s+1$", jobs, re.MULTILINE)
