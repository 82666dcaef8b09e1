"""Reliability, through the real Snakemake command line on the small config.

Bad input is refused before any job with a message naming the key and the allowed values, and
``results/`` is left byte-identical; the same config gives byte-identical artifacts with 1 or 2
cores and in another directory; ``results/MANIFEST.json`` and ``snakemake verify`` catch a
changed or missing artifact; a run killed at several points of the DAG restarts to the same
bytes; a second invocation is refused; a failing notebook or a wrong result fails the workflow
and leaves its evidence.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest
import yaml
from conftest import SNAKEMAKE, configured_copy, run_snakemake

from cossim.io import save_npz
from cossim.provenance.manifest import load_manifest, sha256_of

pytestmark = pytest.mark.workflow

MANIFEST = "results/MANIFEST.json"
BATCH_RUNNER = Path(__file__).with_name("snakemake_batch.py")


def snapshot(directory: Path) -> dict:
    """{relative path: (sha256, mtime_ns)} of every file under ``directory`` (empty if absent)."""
    if not directory.exists():
        return {}
    return {
        str(path.relative_to(directory)): (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def artifact_bytes(workdir: Path) -> dict:
    """{path: bytes} of every file under results/ except the logs (which carry time stamps)."""
    results = workdir / "results"
    return {
        str(path.relative_to(workdir)): path.read_bytes()
        for path in sorted(results.rglob("*"))
        if path.is_file() and "logs" not in path.relative_to(results).parts[:1]
    }


def clone_of(run: Path, destination: Path) -> Path:
    """A private copy of a finished run (workflow, results/ and .snakemake/), mtimes kept."""
    shutil.copytree(run, destination, symlinks=True)
    return destination


# --------------------------------------------------------------------------------------------
# Bad input: >= 20 malformed configurations, command-line mistakes, unknown targets
# --------------------------------------------------------------------------------------------

# (overlay given with --configfile, the key the message must name, a word of the allowed values)
MALFORMED_CONFIGS = [
    ({"simulation": {"n_users": 0}}, "simulation.n_users", "an integer >= 1"),
    ({"simulation": {"n_users": "many"}}, "simulation.n_users", "an integer >= 1"),
    ({"simulation": {"n_items": 2.5}}, "simulation.n_items", "an integer >= 2"),
    ({"simulation": {"n_clusters": 0}}, "simulation.n_clusters", "an integer >= 1"),
    ({"simulation": {"item_beta_range": [1.5, 0.25]}}, "simulation.item_beta_range", "low <= high"),
    ({"simulation": {"item_beta_range": [0.25]}}, "simulation.item_beta_range", "a list of 2 values"),
    ({"simulation": {"user_beta": -0.5}}, "simulation.user_beta", "a number > 0"),
    ({"simulation": {"cluster_probabilities": [0.5, 0.2, 0.1, 0.1, 0.05]}},
     "simulation.cluster_probabilities", "summing to 1"),
    ({"simulation": {"cluster_probabilities": [0.5, 0.5]}}, "simulation.cluster_probabilities", "one probability per cluster"),
    ({"simulation": {"item_popularity_law": "lognormal"}}, "simulation.item_popularity_law", "'zipf', 'pareto', 'power'"),
    ({"simulation": {"user_activity_law": "uniform"}}, "simulation.user_activity_law", "'pareto', 'power', 'zipf'"),
    ({"simulation": {"preference_law": "gamma"}}, "simulation.preference_law", "'dirichlet'"),
    ({"simulation": {"min_items_per_user": 500}}, "simulation.min_items_per_user", "min_items_per_user <= max_items_per_user"),
    ({"simulation": {"n_user": 100}}, "simulation", "allowed keys: cluster_probabilities"),
    ({"simulation": [1, 2]}, "simulation", "a mapping with keys"),
    ({"model": {"rank": 0}}, "model.rank", "an integer >= 1"),
    ({"model": {"rank": 201}}, "model.rank", "an integer from 1 to 200"),
    ({"model": {"eq1_lambda": -1}}, "model.eq1_lambda", "a number >= 0"),
    ({"model": {"eq2_lambda": "100"}}, "model.eq2_lambda", "a number >= 0"),
    ({"model": {"lambda": 3}}, "model", "allowed keys: eq1_lambda, eq2_lambda, rank"),
    ({"seed": -1}, "seed", "an integer >= 0"),
    ({"seed": True}, "seed", "an integer >= 0"),
    ({"dataset": "../escape"}, "dataset", "a string matching"),
    ({"figure1": {"colour_range": [1.0, 0.0]}}, "figure1.colour_range", "vmin < vmax"),
    ({"figure1": {"colour_range": "auto"}}, "figure1.colour_range", "null or a list of 2 values"),
    ({"checks": {"recompute_tolerance": 0.5}}, "checks.recompute_tolerance", "a number > 0 and <= 0.001"),
    ({"surprise": 1}, "<top level>", "allowed keys: checks, claims, dataset"),
]

# (--config arguments as typed in a shell, the key the message must name, a word of the allowed values)
BAD_COMMAND_LINES = [
    (["--config", "seed=abc"], "seed", "an integer >= 0"),
    (["--config", "model={rank: many}"], "model.rank", "an integer >= 1"),
    (["--config", "model={'rank': 5000}"], "model.rank", "an integer from 1 to 200"),
    (["--config", "figure1={colour_range: [0, 1, 2]}"], "figure1.colour_range", "null or a list of 2 values"),
    (["--config", "nosuch=1"], "<top level>", "allowed keys"),
]

UNKNOWN_TARGETS = ["figure_one", "results/small/figures/figure2.png"]

# (an option naming rules, with a mistyped rule; Snakemake alone accepts some of them silently)
UNKNOWN_RULE_OPTIONS = [["--omit-from", "figure_one"], ["-O", "results/small/figures/figure2.png"],
                        ["--until", "figure_one"], ["-R", "figure_one"], ["--allowed-rules", "fit", "figure_one"],
                        ["--batch", "figure_one=1/2"], ["--consider-ancient", "figure_one=0"]]


@pytest.fixture(scope="module")
def finished_copy(small_run, tmp_path_factory) -> Path:
    """A private copy of the small run (complete results/), for tests that must not touch small_run."""
    return clone_of(small_run, tmp_path_factory.mktemp("bad-input") / "wf")


def test_at_least_twenty_distinct_malformed_configs():
    overlays = [json.dumps(overlay, sort_keys=True) for overlay, _, _ in MALFORMED_CONFIGS]
    assert len(set(overlays)) == len(overlays) >= 20


def run_batch(workdir: Path, argument_lists: list[list[str]], scratch: Path, workers: int = 2) -> list[dict]:
    """Run ``snakemake <arguments>`` for every list through ``snakemake.cli.main`` (see snakemake_batch.py).

    ``workers`` batch processes run side by side, each importing Snakemake once and forking per
    command line; the results come back in the order of ``argument_lists``.
    """
    batches = [argument_lists[start::workers] for start in range(workers)]
    processes = []
    for number, batch in enumerate(batches):
        cases, results = scratch / f"cases{number}.json", scratch / f"results{number}.json"
        cases.write_text(json.dumps(batch))
        command = [sys.executable, str(BATCH_RUNNER), str(workdir), str(cases), str(results)]
        processes.append((subprocess.Popen(command, env=dict(os.environ, PYTHONHASHSEED="0")), results))
    outcomes = []
    for process, results in processes:
        assert process.wait(timeout=600) == 0
        outcomes.append(json.loads(results.read_text()))
    return [outcomes[index % workers][index // workers] for index in range(len(argument_lists))]


def test_every_bad_input_is_refused_before_any_job_and_results_stay_byte_identical(finished_copy, tmp_path):
    cases = []  # (arguments, texts the message must contain)
    for number, (overlay, key, allowed) in enumerate(MALFORMED_CONFIGS):
        overlay_file = tmp_path / f"bad{number}.yaml"
        overlay_file.write_text(yaml.safe_dump(overlay))
        cases.append((["--configfile", str(overlay_file)], ["invalid configuration", f"- {key}: ", allowed]))
    cases += [(arguments, ["invalid configuration", f"- {key}: ", allowed]) for arguments, key, allowed in BAD_COMMAND_LINES]
    cases += [([target], [f"unknown target {target!r}", "allowed values: a rule (all, ", " figure1, "])
              for target in UNKNOWN_TARGETS]
    cases += [(arguments, [f"value {arguments[-1].split('=')[0]!r}: no rule of that name", "a rule (all, "])
              for arguments in UNKNOWN_RULE_OPTIONS]
    before = snapshot(finished_copy / "results")
    outcomes = run_batch(finished_copy, [["--cores", "1", *arguments] for arguments, _ in cases], tmp_path)
    assert snapshot(finished_copy / "results") == before
    for (arguments, expected), outcome in zip(cases, outcomes):
        message = outcome["output"]
        assert outcome["returncode"] == 1, (arguments, message[-1500:])
        for text in expected:
            assert text in message, (arguments, text, message[-1500:])
        assert "Building DAG of jobs" not in message, arguments  # refused while reading the workflow


def test_an_invalid_config_file_in_a_fresh_clone_creates_no_results(workflow_copy):
    """The real ``snakemake`` executable, on config/config.yaml itself."""
    for text, expected in [
        ("model: {rank: 20\n", "Config file is not valid JSON or YAML"),  # Snakemake's own parse error
        ("- just\n- a list\n", "Config file must be given as JSON or YAML with keys at top level"),
        (yaml.safe_dump({"simulation": {"n_users": -1}}), "simulation.n_users: -1 is less than the minimum of 1"),
    ]:
        (workflow_copy / "config" / "config.yaml").write_text(text)
        outcome = run_snakemake(workflow_copy, "--cores", "1")
        assert outcome.returncode != 0
        assert expected in outcome.stdout + outcome.stderr
        assert not (workflow_copy / "results").exists()


# --------------------------------------------------------------------------------------------
# Determinism and the manifest
# --------------------------------------------------------------------------------------------


def test_one_and_two_cores_in_different_directories_give_byte_identical_artifacts(small_run, single_core_run):
    reference, other = artifact_bytes(small_run), artifact_bytes(single_core_run)
    assert set(reference) == set(other)
    different = [path for path in reference if reference[path] != other[path]]
    assert different == []
    assert any(path.endswith(".png") for path in reference) and any(path.endswith(".pdf") for path in reference)


def test_two_runs_in_separate_directories_give_identical_manifests(small_run, single_core_run):
    assert (small_run / MANIFEST).read_bytes() == (single_core_run / MANIFEST).read_bytes()


def test_manifest_lists_every_final_artifact_with_hash_rule_notebook_params_and_versions(small_run):
    manifest = load_manifest(small_run / MANIFEST)
    entries = {artifact["path"]: artifact for artifact in manifest["artifacts"]}
    folders = [path for path in entries if (small_run / path).is_dir()]  # directory() outputs: the site
    produced = {path for path in artifact_bytes(small_run) if not any(path.startswith(f"{f}/") for f in folders)}
    assert set(entries) == (produced | set(folders)) - {MANIFEST}  # final outputs and every produced file upstream
    for path, entry in entries.items():
        assert entry["sha256"] == sha256_of(small_run / path)
        if path not in folders:
            assert entry["sha256"] == hashlib.sha256((small_run / path).read_bytes()).hexdigest()
    html = entries["results/small/notebooks/figure1.html"]
    assert html["rule"] == "figure1_notebook" and html["notebook"] == "notebooks/figure1.ipynb" and html["final"]
    assert html["params"]["rank"] == 20 and html["params"]["colour_range"] == [0.0, 1.0]
    png = entries["results/small/figures/figure1.png"]
    assert png["rule"] == "draw_figure1" and png["notebook"] is None and png["final"]
    fit = entries["results/fits/small/eq2.npz"]
    assert fit["rule"] == "fit" and fit["wildcards"] == {"dataset": "small", "objective": "eq2"}
    assert fit["params"] == {"rank": 20, "lam": 30} and not fit["final"]
    assert manifest["config"]["model"]["eq1_lambda"] == 1000
    packages = manifest["software"]["packages"]
    assert {"numpy", "scipy", "matplotlib", "snakemake", "papermill"} <= set(packages)
    assert str(small_run) not in (small_run / MANIFEST).read_text()  # no absolute paths


def test_verify_passes_on_intact_results_and_names_changed_and_missing_files(small_run, tmp_path):
    workdir = clone_of(small_run, tmp_path / "wf")
    intact = run_snakemake(workdir, "verify", "--cores", "1")
    assert intact.returncode == 0, intact.stderr[-3000:]
    with open(workdir / "results/small/figures/figure1.pdf", "ab") as handle:
        handle.write(b"%")
    (workdir / "results/fits/small/eq1.npz").unlink()
    broken = run_snakemake(workdir, "verify", "--cores", "1")
    message = broken.stdout + broken.stderr
    assert broken.returncode != 0
    assert "results/small/figures/figure1.pdf: changed" in message
    assert "results/fits/small/eq1.npz: missing" in message
    assert "results/logs/provenance/verify.log" in message
    assert not (workdir / "results/fits/small/eq1.npz").exists()  # verify never rebuilds what it checks


def test_verify_refuses_results_made_with_another_config(small_run, tmp_path):
    workdir = clone_of(small_run, tmp_path / "wf")
    outcome = run_snakemake(workdir, "verify", "--cores", "1", "--config", "model={eq2_lambda: 31}")
    assert outcome.returncode != 0
    assert "another configuration" in outcome.stdout + outcome.stderr
    assert "model.eq2_lambda" in outcome.stdout + outcome.stderr


# --------------------------------------------------------------------------------------------
# Faults: kills at several points of the DAG, concurrent invocations, failing jobs
# --------------------------------------------------------------------------------------------


def start_snakemake(workdir: Path, *args: str) -> subprocess.Popen:
    """Start snakemake in its own process group, so that a kill can reach its jobs too."""
    return subprocess.Popen(
        [SNAKEMAKE, *args], cwd=workdir, env=dict(os.environ, PYTHONHASHSEED="0"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )


def wait_until_exists(process: subprocess.Popen, path: Path, timeout: float = 120) -> None:
    """Block until ``path`` exists (a job announced itself) while ``process`` still runs."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, f"run ended before {path} appeared:\n{process.stdout.read()[-3000:]}"
        assert time.monotonic() < deadline, f"{path} did not appear"
        time.sleep(0.02)


def kill_group(process: subprocess.Popen, signum: int, patience: float = 60) -> bool:
    """Send ``signum`` to snakemake and every job it started; whether it stopped within ``patience``.

    Snakemake 9.27's SIGTERM handler takes a lock the scheduler may already hold, so on rare
    timing it never returns; after ``patience`` seconds the group is SIGKILLed (a crash).
    """
    os.killpg(process.pid, signum)
    try:
        process.communicate(timeout=patience)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return False


# Jobs of the small DAG in execution order: (job, the log it opens when it starts, an output).
JOBS_IN_ORDER = [
    ("simulate", "small/data/simulate.log", "results/data/small/items.csv"),
    ("fit eq1", "small/fits/eq1.log", "results/fits/small/eq1.npz"),
    ("fit eq2", "small/fits/eq2.log", "results/fits/small/eq2.npz"),
    ("figure1_matrices", "small/figure1/matrices.log", "results/small/figures/figure1.npz"),
    ("check_figure1", "small/figure1/check.log", "results/small/checks/figure1.json"),
    ("figure1_notebook", "small/figure1/notebook.log", "results/small/notebooks/figure1.ipynb"),
]


@pytest.fixture(scope="module")
def interrupted_run(tmp_path_factory, small_config) -> dict:
    """The default target stopped three times at successive points of the DAG, then finished.

    Once the simulation, then the fits, then the notebook have started (their logs appear),
    snakemake and its jobs are stopped: SIGTERM (what ``kill -TERM -<pgid>`` or a batch system
    sends), then SIGKILL twice (a crash). After a crash a plain restart is refused until
    ``snakemake --unlock`` (Snakemake's lock cannot tell a crashed run from a live one); then
    the restart must complete.
    """
    workdir = configured_copy(tmp_path_factory.mktemp("killed") / "wf", small_config)
    logs = workdir / "results" / "logs"
    observed = {"workdir": workdir, "returncodes": [], "killed_in": [], "after_kill": []}
    kill_points = [(JOBS_IN_ORDER[0], signal.SIGTERM), (JOBS_IN_ORDER[1], signal.SIGKILL), (JOBS_IN_ORDER[-1], signal.SIGKILL)]
    for number, ((name, log, _), signum) in enumerate(kill_points):
        if number == 2:  # the crash before left Snakemake's lock behind; the user is told to unlock
            assert run_snakemake(workdir, "--unlock").returncode == 0
        (logs / log).unlink(missing_ok=True)  # wait for this run's start of the job, not an old log
        run = start_snakemake(workdir, "--cores", "1")
        wait_until_exists(run, logs / log)
        time.sleep(2.0 if name == "figure1_notebook" else 0.3)  # inside the job (the kernel is up)
        observed.setdefault("stopped_by_signal", []).append(kill_group(run, signum))
        observed["killed_in"].append(name)
        observed["returncodes"].append(run.returncode)
        observed["after_kill"].append(snapshot(workdir / "results"))
    observed["restart_after_crash"] = run_snakemake(workdir, "--cores", "1")
    assert run_snakemake(workdir, "--unlock").returncode == 0
    # the restart runs on both cores: the killed runs above needed one for their job order, and
    # single_core_run already shows that the core count does not change a byte
    observed["final"] = run_snakemake(workdir, "--cores", "2")
    return observed


def test_a_second_concurrent_invocation_is_refused_with_a_clear_message(one_core_run):
    assert one_core_run.first_still_running
    concurrent = one_core_run.concurrent
    message = concurrent.stdout + concurrent.stderr
    assert concurrent.returncode != 0
    assert "Directory cannot be locked" in message and "no other Snakemake process" in message
    assert "--unlock" in message


def test_kills_at_three_points_of_the_dag_each_stop_the_run(interrupted_run):
    assert interrupted_run["returncodes"][0] != 0, interrupted_run["returncodes"]
    assert interrupted_run["returncodes"][1:] == [-signal.SIGKILL, -signal.SIGKILL]
    assert len(set(interrupted_run["killed_in"])) == 3, interrupted_run["killed_in"]
    assert interrupted_run["killed_in"][-1] == "figure1_notebook"
    print("killed in:", interrupted_run["killed_in"], "stopped by the signal itself:", interrupted_run["stopped_by_signal"])
    assert "results/MANIFEST.json" not in interrupted_run["after_kill"][-1]


def test_after_a_crash_a_restart_is_refused_until_unlocked_and_the_message_says_how(interrupted_run):
    refused = interrupted_run["restart_after_crash"]
    assert refused.returncode != 0
    assert "--unlock" in refused.stdout + refused.stderr


def test_a_killed_run_restarts_to_byte_identical_artifacts(interrupted_run, small_run):
    final = interrupted_run["final"]
    assert final.returncode == 0, final.stdout[-2000:] + final.stderr[-4000:]
    workdir = interrupted_run["workdir"]
    assert artifact_bytes(workdir) == artifact_bytes(small_run)
    assert run_snakemake(workdir, "verify", "--cores", "1").returncode == 0


def test_no_half_written_file_is_left_under_a_final_name_or_as_debris(interrupted_run):
    workdir = interrupted_run["workdir"]
    debris = [path for path in (workdir / "results").rglob(".*")
              if path.is_file() and path.name != ".snakemake_timestamp"]  # Snakemake's mark of a directory()
    assert debris == []


def with_failing_cell(notebook_path: Path) -> None:
    """Insert a cell that raises, right after the notebook's parameters cell."""
    notebook = nbformat.read(notebook_path, as_version=4)
    position = next(i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", []))
    notebook.cells.insert(position + 1, nbformat.v4.new_code_cell('raise RuntimeError("injected failure")'))
    nbformat.write(notebook, notebook_path)


def test_a_failing_notebook_leaves_its_log_and_executed_copy_and_the_run_points_at_them(small_run, tmp_path):
    workdir = clone_of(small_run, tmp_path / "wf")
    with_failing_cell(workdir / "notebooks" / "figure1.ipynb")
    outcome = run_snakemake(workdir, "--cores", "1")
    message = outcome.stdout + outcome.stderr
    assert outcome.returncode != 0
    assert "Error in rule figure1_notebook" in message
    # the notebook runs on every data set (small and MovieLens): the first that fails stops the run
    dataset = re.search(r"results/logs/([^/]+)/figure1/notebook\.log", message)[1]
    assert f"results/logs/{dataset}/figure1/notebook.failed.ipynb" in message
    assert "injected failure" in (workdir / f"results/logs/{dataset}/figure1/notebook.log").read_text()
    failed = nbformat.read(workdir / f"results/logs/{dataset}/figure1/notebook.failed.ipynb", as_version=4)
    errors = [out for cell in failed.cells for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    assert errors and errors[0]["evalue"] == "injected failure"
    # no output of a failed job survives
    assert not (workdir / f"results/{dataset}/notebooks/figure1.ipynb").exists()
    assert not (workdir / f"results/{dataset}/notebooks/figure1.html").exists()
    assert (workdir / MANIFEST).read_bytes() == (small_run / MANIFEST).read_bytes()  # not rewritten: verify fails


def test_the_figure1_check_fails_the_workflow_on_an_injected_wrong_result(small_run, tmp_path):
    workdir = clone_of(small_run, tmp_path / "wf")
    matrices = workdir / "results/small/figures/figure1.npz"
    with np.load(matrices) as stored:
        panels = dict(stored)
    panels["eq1_B_Vk"][3, 7] += 1e-3  # a wrong cosine, far below what a glance at the figure shows
    save_npz(matrices, panels, compress=True)
    outcome = run_snakemake(workdir, "--cores", "1")
    message = outcome.stdout + outcome.stderr
    assert outcome.returncode != 0
    assert "Error in rule check_figure1" in message
    assert "eq1_B_Vk_recomputed" in message
    assert not (workdir / "results/small/checks/figure1.json").exists()
    assert (workdir / MANIFEST).read_bytes() == (small_run / MANIFEST).read_bytes()  # not rewritten: verify fails
