"""End to end: the real Snakemake + papermill DAG on the small config, in a scratch directory."""

import json

import nbformat
import numpy as np
import pytest
import scipy.sparse as sp
from conftest import run_snakemake

from cossim.io import load_items
from cossim.model.panels import PANEL_KEYS

pytestmark = pytest.mark.workflow

ARTIFACTS = [
    "results/data/small/interactions.npz",
    "results/data/small/items.csv",
    "results/fits/small/eq1.npz",
    "results/fits/small/eq2.npz",
    "results/small/figures/figure1.png",
    "results/small/figures/figure1.pdf",
    "results/small/figures/figure1_annotated.png",
    "results/small/figures/figure1.npz",
    "results/small/figures/figure1_panel4.png",
    "results/small/figures/figure1_panel4.npz",
    "results/small/figures/figure1_levels.png",
    "results/small/checks/figure1.json",
    "results/small/tables/figure1_published.csv",
    "results/small/notebooks/figure1.ipynb",
    "results/small/notebooks/figure1.html",
]


def test_default_target_makes_every_artifact(small_run):
    for path in ARTIFACTS:
        assert (small_run / path).stat().st_size > 0, path
    for rule in ("small/data/simulate", "small/fits/eq1", "small/fits/eq2", "small/figure1/matrices",
                 "small/figure1/check", "small/figure1/draw", "small/figure1/panel4", "small/figure1/notebook"):
        assert (small_run / "results" / "logs" / f"{rule}.log").exists(), rule


def test_figure1_data_has_the_contracted_keys_and_agrees_with_the_saved_interactions(small_run):
    with np.load(small_run / "results/small/figures/figure1.npz") as stored:
        figure = dict(stored)
    assert set(figure) == set(PANEL_KEYS) | {"order"}
    with np.load(small_run / "results/small/figures/figure1_panel4.npz") as stored:
        panel4 = dict(stored)
    assert set(panel4) == {f"panel4_best_fit{suffix}" for suffix in ("", "_formula", "_exponent", "_block_mean_abs",
                                                                     "_profile_mean_abs")}
    assert str(panel4["panel4_best_fit_formula"]) == f"B = V_k dMat(sigma_i^{float(panel4['panel4_best_fit_exponent']):g})"
    assert panel4["panel4_best_fit"].shape == figure["eq1_B_Vk_sigma2"].shape
    X = sp.load_npz(small_run / "results/data/small/interactions.npz")
    assert X.shape == (3000, 200)
    clusters, popularity = load_items(small_run / "results/data/small/items.csv")
    # independent recomputation of panel 3 (B = V_k) from the raw interactions
    _, _, Vt = np.linalg.svd(X.toarray(), full_matrices=False)
    V = Vt[:20].T[figure["order"]]
    unit = V / np.linalg.norm(V, axis=1, keepdims=True)
    np.testing.assert_allclose(figure["eq1_B_Vk"], unit @ unit.T, atol=1e-6)
    assert np.all(np.diff(clusters[figure["order"]]) >= 0)


def test_fits_hold_singular_values_and_factors(small_run):
    with np.load(small_run / "results/fits/small/eq1.npz") as eq1:
        assert eq1["sigma"].shape == (20,) and eq1["V_k"].shape == (200, 20)
        np.testing.assert_allclose(eq1["A"], eq1["B"])  # Eq. 5: A(1) = B(1)
    with np.load(small_run / "results/fits/small/eq2.npz") as eq2:
        assert float(eq2["lam"]) == 30.0


def test_check_report_lists_passing_checks(small_run):
    report = json.loads((small_run / "results/small/checks/figure1.json").read_text())
    assert len(report["checks"]) >= 10 and all(check["passed"] for check in report["checks"])


def test_notebook_was_executed_with_the_rule_parameters(small_run):
    notebook = nbformat.read(small_run / "results/small/notebooks/figure1.ipynb", as_version=4)
    injected = [cell for cell in notebook.cells if "injected-parameters" in cell.metadata.get("tags", [])]
    assert injected and "results/small/figures/figure1.png" in injected[0].source
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)
    assert not any(output.get("output_type") == "error" for cell in code for output in cell.outputs)
    assert any("image/png" in output.get("data", {}) for cell in code for output in cell.outputs)
    html = (small_run / "results/small/notebooks/figure1.html").read_text()
    assert "data:image/png;base64" in html and "panel 1: true clusters" in html


def test_up_to_date_rerun_does_nothing(small_run):
    result = run_snakemake(small_run, "--cores", "2", "--dry-run")
    assert result.returncode == 0
    assert "Nothing to be done" in result.stdout + result.stderr


def test_figure1_target_after_a_parameter_change_reruns_only_what_it_needs(small_run, tmp_path):
    result = run_snakemake(small_run, "figure1", "--dry-run", "--config", "figure1={'colour_range': None}")
    assert result.returncode == 0, result.stderr
    jobs = result.stdout + result.stderr
    assert "figure1_notebook" in jobs and "rule simulate" not in jobs and "rule fit:" not in jobs


def test_invalid_config_is_refused_before_any_job(workflow_copy):
    result = run_snakemake(workflow_copy, "--cores", "1", "--config", "model={'rank': 5000}")
    assert result.returncode != 0
    assert "model.rank" in result.stdout + result.stderr
    assert not (workflow_copy / "results").exists()


def test_kernel_output_goes_to_the_rule_log_not_the_terminal(small_run, tmp_path):
    result = run_snakemake(small_run, "--cores", "1", "--forcerun", "figure1_notebook", "figure1")
    assert result.returncode == 0, result.stderr[-3000:]
    terminal = result.stdout + result.stderr
    log = (small_run / "results/logs/small/figure1/notebook.log").read_text()
    assert "Kernel" not in terminal and "KeyboardInterrupt" not in terminal
    assert "Executing Cell" in log  # papermill's and the kernel's messages land in the rule's log


def test_html_notebooks_show_prose_and_results_without_code(small_run):
    html = (small_run / "results/small/notebooks/figure1.html").read_text()
    assert "Reading the result" in html and "data:image/png;base64" in html
    assert "display(Image(" not in html and "import json" not in html
    notebook = nbformat.read(small_run / "results/small/notebooks/figure1.ipynb", as_version=4)
    assert any("display(Image(" in cell.source for cell in notebook.cells)  # the .ipynb keeps the code


def test_a_colour_range_that_hides_the_panels_fails_the_run(small_run, tmp_path):
    """A valid-looking range outside every cosine would draw panels of one colour: check_figure1 refuses it."""
    import shutil

    workdir = tmp_path / "wf"
    shutil.copytree(small_run, workdir, symlinks=True)
    result = run_snakemake(workdir, "--cores", "1", "figure1", "--config", "figure1={'colour_range': [-1.0, -0.5]}")
    assert result.returncode != 0
    assert "visible_in_colour_range" in result.stdout + result.stderr
