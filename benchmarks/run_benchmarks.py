"""Benchmarks of the Figure 1 replication: measured ratios against baselines, and scaling.

One command (from the repository root, inside the environment)::

    python benchmarks/run_benchmarks.py --quick    # make benchmark: about 7 minutes on 2 cores
    python benchmarks/run_benchmarks.py            # everything (make benchmark-all)
    python benchmarks/run_benchmarks.py --only solver sampler --repeats 3

Every ratio is measured side by side in one run: the contenders alternate within each repeat,
so both see the same machine load, and the median over ``--repeats`` is reported. Results go
to ``benchmarks/results/benchmarks.json`` and ``benchmarks/results/benchmarks.md`` (and the
scaling plot ``benchmarks/results/scaling.png``). Nothing here is part of the workflow or of
the test suite. The workflow sections run the workflow as committed (``git archive HEAD``).

Sections:

1. ``solver``: our closed-form route (Gram + ``eigh``, :func:`cossim.model.solve.top_right_singular_spectrum`)
   against dense ``numpy.linalg.svd`` and ``scipy.sparse.linalg.svds`` at the default size, with
   the relative error of the top-k singular values, at 1 and 2 BLAS threads (fresh processes).
2. ``sampler``: :func:`cossim.model.sampler.sample_interactions` against the naive per-user
   ``rng.choice(replace=False)`` loop on the same inputs, with a two-sample chi-square test that
   both draw the same item law.
3. ``workflow``: ``snakemake --cores 2 --forceall figure1`` against the same work in one plain
   process (simulate, solve both objectives, the five panels, PNG and PDF); the up-to-date run
   against ``snakemake --version``; the rebuild's breakdown (parse, per-job start-up, kernel,
   nbconvert, idle cores, job-seconds per rule).
4. ``full``: the whole default DAG from scratch against the one-process Figure 1, per rule.
5. ``scaling``: n in {2e4, 2e5, 2e6} x p in {1e3, 1e4}: wall time and peak memory of simulate +
   solve + the Figure 1 matrices, each case in a fresh process; n = 2e7 measured with
   ``--scaling-users 20000000 --scaling-items 10000``, and projected from the rows below it.
6. ``audit``: :func:`cossim.audit` at p = 100,000 items, k = 256 (with and without 20,000
   users), and on the configured data's Eq. 1 and Eq. 2 fits; writes ``audit.md``, ``audit.json``
   and ``audit_eq1.png`` (shown in docs/audit.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

from cossim.workspace import copy_workflow

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
BIN = Path(sys.executable).parent
SECTIONS = ("solver", "sampler", "workflow", "full", "scaling", "audit")
QUICK_SECTIONS = ("solver", "sampler", "workflow", "full", "scaling")
QUICK_SCALING_USERS = (200_000, 2_000_000)
QUICK_SCALING_ITEMS = (10_000,)
PROJECTED_USERS = 20_000_000
MACHINE_MEMORY_GIB = 24.0

SCALING_USERS = (20_000, 200_000, 2_000_000)
SCALING_ITEMS = (1_000, 10_000)


# --- helpers ---------------------------------------------------------------------------------


def default_config() -> dict:
    """The workflow's default configuration (the paper's size)."""
    return yaml.safe_load((REPO / "config" / "config.yaml").read_text())


def simulation_spec(config: dict, **overrides):
    """A SimulationSpec from a config's simulation section."""
    from cossim.model.simulate import SimulationSpec

    settings = dict(config["simulation"])
    for key in ("cluster_probabilities", "item_beta_range"):
        settings[key] = tuple(settings[key])
    settings.update(overrides)
    return SimulationSpec(**settings)


def timed(function, *args, **kwargs):
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def side_by_side(contenders: dict, repeats: int) -> tuple[dict, dict]:
    """Run every contender once per repeat, alternating; return (median seconds, last results)."""
    times = {name: [] for name in contenders}
    results = {}
    for _ in range(repeats):
        for name, call in contenders.items():
            seconds, results[name] = timed(call)
            times[name].append(seconds)
    return {name: {"median_s": statistics.median(t), "runs_s": t} for name, t in times.items()}, results


def committed_workflow(destination: Path) -> Path:
    """The workflow as committed at HEAD (not the working tree, which others may be editing),
    extracted into ``destination``; the working tree's copy where git is unavailable."""
    from cossim.workspace import WORKFLOW_FILES

    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "HEAD", *WORKFLOW_FILES], capture_output=True)
    if archive.returncode != 0:
        return copy_workflow(destination, REPO)
    subprocess.run(["tar", "-x", "-C", str(destination)], input=archive.stdout, check=True)
    return destination


def job_env(workdir: Path) -> dict:
    """The environment of every measured command: this venv first on PATH, the copy's own library
    first on PYTHONPATH (the venv's editable install points at the working tree)."""
    return dict(os.environ, PYTHONHASHSEED="0", PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
                PYTHONPATH=str(Path(workdir) / "src"))


def run_command(args, cwd=None, env=None) -> float:
    """Seconds of one command; raises if it fails."""
    start = time.perf_counter()
    completed = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{completed.stdout[-2000:]}\n{completed.stderr[-4000:]}")
    return seconds


# --- 1. solver -------------------------------------------------------------------------------


BLAS_THREADS = (1, 2)
"""BLAS thread counts the solver is measured at: 1 is what rule ``fit`` runs with (Snakemake sets
``OPENBLAS_NUM_THREADS`` to a job's threads), 2 what a plain process on this machine uses."""

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def bench_solver_threads(config_path, repeats: int, threads=BLAS_THREADS) -> dict:
    """:func:`bench_solver` in a fresh process per BLAS thread count (set before numpy loads)."""
    runs = {}
    for count in threads:
        env = dict(os.environ, **{name: str(count) for name in THREAD_VARIABLES})
        args = [sys.executable, __file__, "--solver-case", str(repeats)]
        if config_path is not None:
            args += ["--config", str(config_path)]
        completed = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
        runs[str(count)] = json.loads(completed.stdout.strip().splitlines()[-1])
    first = runs[str(threads[0])]
    return {**first, "by_threads": runs, "threads": list(threads)}


def bench_solver(config: dict, repeats: int) -> dict:
    """Closed-form route against dense SVD and svds at the configured size (default: the paper's)."""
    import scipy.sparse.linalg as sla

    from cossim.model.simulate import simulate
    from cossim.model.solve import top_right_singular_spectrum

    X = simulate(simulation_spec(config), np.random.default_rng(config["seed"])).interactions
    k = config["model"]["rank"]
    contenders = {
        "ours_gram_eigh": lambda: top_right_singular_spectrum(X, k).sigma,
        "numpy_dense_svd": lambda: np.linalg.svd(X.toarray(), full_matrices=False)[1][:k],
        "scipy_svds": lambda: np.sort(
            sla.svds(X, k=k, v0=np.ones(min(X.shape)), random_state=0)[1]
        )[::-1],
    }
    times, sigmas = side_by_side(contenders, repeats)
    reference = sigmas["numpy_dense_svd"]
    ours = times["ours_gram_eigh"]["median_s"]
    return {
        "shape": list(X.shape),
        "nnz": int(X.nnz),
        "rank": k,
        "times": times,
        "speedup_vs_dense_svd": times["numpy_dense_svd"]["median_s"] / ours,
        "speedup_vs_svds": times["scipy_svds"]["median_s"] / ours,
        "max_relative_error_vs_dense_svd": float(np.max(np.abs(sigmas["ours_gram_eigh"] - reference) / reference)),
        "svds_max_relative_error_vs_dense_svd": float(
            np.max(np.abs(sigmas["scipy_svds"] - reference) / reference)
        ),
        "goal": {"speedup_at_least": 20.0, "relative_error_at_most": 1e-10},
    }


# --- 2. sampler ------------------------------------------------------------------------------


def naive_sampler(rng, preferences, item_cluster, popularity, counts):
    """The baseline: one ``rng.choice(replace=False)`` call per user with p_ui spelled out."""
    import scipy.sparse as sp

    n_items = item_cluster.size
    indices, indptr = [], [0]
    for u in range(preferences.shape[0]):
        weights = preferences[u][item_cluster] * popularity
        chosen = rng.choice(n_items, size=counts[u], replace=False, p=weights / weights.sum())
        indices.append(np.sort(chosen))
        indptr.append(indptr[-1] + counts[u])
    return sp.csr_matrix((np.ones(indptr[-1]), np.concatenate(indices), indptr), shape=(counts.size, n_items))


def sampler_inputs(spec, seed: int):
    """The inputs of the sampling step, drawn as :func:`cossim.model.simulate.simulate` draws them."""
    from cossim.model import simulate as sim

    rng = np.random.default_rng(seed)
    item_cluster = sim.assign_clusters(rng, spec.n_items, spec.cluster_probabilities)
    betas = sim.cluster_exponents(rng, spec.n_clusters, spec.item_beta_range)
    popularity = sim.item_popularity(rng, item_cluster, betas, spec.item_popularity_law)
    preferences = sim.user_preferences(
        rng, spec.n_users, spec.n_clusters, spec.preference_law, spec.preference_concentration
    )
    counts = sim.items_per_user(
        rng, spec.n_users, spec.user_beta, spec.user_activity_law, spec.min_items_per_user,
        min(spec.max_items_per_user, spec.n_items),
    )
    counts = np.minimum(counts, sim.drawable_items(preferences, item_cluster, spec.n_clusters))
    return preferences, item_cluster, popularity, counts


def same_law_test(X_ours, X_naive, item_cluster) -> dict:
    """Two-sample chi-square tests that both samplers draw the same law.

    Items: the 2 x p table of how often each item was drawn. Users x clusters: how the draws of
    each user split over the clusters, pooled into 2 x (activity decile x cluster) cells.
    Draws without replacement make the cells slightly negatively dependent, which only makes
    the test conservative. A wrong sampler (independent draws proportional to p_ui, with
    duplicates dropped) is run through the same test as a control that it can fail.
    """
    from scipy import stats

    def homogeneity(a, b):
        table = np.vstack([a, b])
        table = table[:, table.sum(axis=0) > 0]
        return float(stats.chi2_contingency(table).pvalue)

    item_counts = [np.asarray(X.sum(axis=0)).ravel() for X in (X_ours, X_naive)]
    per_cluster = []
    for X in (X_ours, X_naive):
        indicator = np.eye(item_cluster.max() + 1)[item_cluster]
        per_user = np.asarray(X @ indicator)
        activity = np.asarray(X.sum(axis=1)).ravel()
        decile = np.searchsorted(np.quantile(activity, np.linspace(0.1, 0.9, 9)), activity, side="right")
        per_cluster.append(np.array([per_user[decile == d].sum(axis=0) for d in range(10)]).ravel())
    return {
        "item_frequency_pvalue": homogeneity(*item_counts),
        "user_cluster_split_pvalue": homogeneity(*per_cluster),
        "total_variation_item_marginals": float(
            0.5 * np.abs(item_counts[0] / item_counts[0].sum() - item_counts[1] / item_counts[1].sum()).sum()
        ),
    }


def with_replacement_control(rng, preferences, item_cluster, popularity, counts):
    """A wrong sampler for the control: counts[u] independent draws with replacement, deduplicated."""
    import scipy.sparse as sp

    rows, cols = [], []
    for u in range(preferences.shape[0]):
        weights = preferences[u][item_cluster] * popularity
        chosen = np.unique(rng.choice(item_cluster.size, size=counts[u], p=weights / weights.sum()))
        rows.append(np.full(chosen.size, u))
        cols.append(chosen)
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    return sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(counts.size, item_cluster.size))


def bench_sampler(config: dict, repeats: int) -> dict:
    """Our sampler against the naive loop on the same inputs (the paper's size)."""
    from cossim.model.sampler import sample_interactions

    spec = simulation_spec(config)
    inputs = sampler_inputs(spec, config["seed"])
    contenders = {
        "ours_vectorised": lambda: sample_interactions(np.random.default_rng(1), *inputs),
        "naive_rng_choice_loop": lambda: naive_sampler(np.random.default_rng(2), *inputs),
    }
    times, samples = side_by_side(contenders, repeats)
    test = same_law_test(samples["ours_vectorised"], samples["naive_rng_choice_loop"], inputs[1])
    control = same_law_test(
        with_replacement_control(np.random.default_rng(3), *inputs), samples["naive_rng_choice_loop"], inputs[1]
    )
    return {
        "n_users": spec.n_users,
        "n_items": spec.n_items,
        "interactions": int(inputs[3].sum()),
        "times": times,
        "speedup_vs_naive": times["naive_rng_choice_loop"]["median_s"] / times["ours_vectorised"]["median_s"],
        "same_law": test,
        "control_wrong_sampler": control,
        "goal": {"speedup_at_least": 10.0, "pvalue_at_least": 1e-3},
    }


# --- 3. workflow: one figure rebuilt, the no-op, the full run ------------------------------

# The baseline of a Figure 1 rebuild: the same work in one plain process, and nothing
# else (no check, no notebook): simulate, solve both objectives, the five panels, PNG and PDF.
ONE_PROCESS = r"""
import sys
import numpy as np
import yaml
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from cossim.model.panels import figure1_panels
from cossim.io import save_figure_atomic, save_interactions, save_items, save_npz
from cossim.figure1.plots import draw_figure1
from cossim.model.simulate import SimulationSpec, simulate
from cossim.model.solve import SOLVERS, fit_arrays, top_right_singular_spectrum

out = sys.argv[1]
config = yaml.safe_load(open("config/config.yaml"))
settings = dict(config["simulation"])
for key in ("cluster_probabilities", "item_beta_range"):
    settings[key] = tuple(settings[key])
data = simulate(SimulationSpec(**settings), np.random.default_rng(config["seed"]))
save_interactions(f"{out}/interactions.npz", data.interactions)
save_items(f"{out}/items.csv", data.item_cluster, data.item_popularity)
model = config["model"]
spectrum = top_right_singular_spectrum(data.interactions, model["rank"])
for name in ("eq1", "eq2"):
    save_npz(f"{out}/{name}.npz", fit_arrays(SOLVERS[name](spectrum, model[f"{name}_lambda"])))
panels = figure1_panels(spectrum, data.item_cluster, data.item_popularity, model["eq1_lambda"], model["eq2_lambda"])
save_npz(f"{out}/figure1.npz", panels)
for path in (f"{out}/figure1.png", f"{out}/figure1.pdf"):
    fig = draw_figure1(panels, config["figure1"]["colour_range"])
    save_figure_atomic(fig, path, 150)
    plt.close(fig)
"""

EMPTY_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "execution_count": None, "id": "parameters", "metadata": {"tags": ["parameters"]},
         "outputs": [], "source": ["x = 1"]},
        {"cell_type": "code", "execution_count": None, "id": "body", "metadata": {}, "outputs": [], "source": ["x"]},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}

# Kernel start-up and execution, then nbconvert, of an empty notebook: the fixed cost of a
# notebook rule, split (seconds printed as JSON).
PAPERMILL_SPLIT = r"""
import json, os, sys, time
start = time.perf_counter()
import papermill
from cossim.notebooks import private_kernel, render_html
imported = time.perf_counter()
with private_kernel() as (kernel, manager):
    papermill.execute_notebook(sys.argv[1], sys.argv[2], parameters={"x": 2}, kernel_name=kernel,
                               kernel_manager_class=manager, cwd=os.getcwd(), progress_bar=False)
executed = time.perf_counter()
render_html(sys.argv[2], sys.argv[3])
print(json.dumps({"import_papermill_s": imported - start, "kernel_s": executed - imported,
                  "nbconvert_s": time.perf_counter() - executed}))
"""

# What every script job imports before its own work: Snakemake's script preamble and the
# library's common modules.
JOB_IMPORTS = "import snakemake.script, numpy, scipy.sparse, cossim.io, cossim.logs"

TIMESTAMP = re.compile(r"^\[(\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4})\]$")


def job_times(log_text: str) -> list[dict]:
    """(rule, start, end) of every job of a Snakemake run, from its log (1-second resolution).

    Parameters
    ----------
    log_text : str
        What ``snakemake`` wrote to stderr.

    Returns
    -------
    list of dict
        ``rule``, ``start_s``, ``end_s`` (seconds since the first timestamp of the log).
    """
    from datetime import datetime

    now, first, starts, jobs = None, None, {}, []
    pending_rule = None
    for line in log_text.splitlines():
        stamp = TIMESTAMP.match(line.strip())
        if stamp:
            now = datetime.strptime(stamp[1], "%a %b %d %H:%M:%S %Y").timestamp()
            first = now if first is None else first
            continue
        rule = re.match(r"^(?:local)?rule (\w+):$", line.strip())
        if rule:
            pending_rule = rule[1]
            continue
        jobid = re.match(r"^jobid: (\d+)$", line.strip())
        if jobid and pending_rule is not None:
            starts[jobid[1]] = (pending_rule, now - first)
            pending_rule = None
            continue
        finished = re.match(r"^Finished jobid: (\d+)", line.strip())
        if finished and finished[1] in starts:
            rule, start = starts.pop(finished[1])
            jobs.append({"rule": rule, "start_s": start, "end_s": now - first})
    return jobs


def per_rule(jobs: list[dict]) -> dict:
    """Jobs and job-seconds per rule (target rules, which run nothing, left out)."""
    rules = {}
    for job in jobs:
        entry = rules.setdefault(job["rule"], {"jobs": 0, "job_s": 0.0})
        entry["jobs"] += 1
        entry["job_s"] += job["end_s"] - job["start_s"]
    return dict(sorted(rules.items(), key=lambda item: -item[1]["job_s"]))


def run_logged(args, cwd, env) -> tuple[float, str]:
    """(seconds, stderr) of one command; raises if it fails."""
    start = time.perf_counter()
    completed = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{completed.stdout[-2000:]}\n{completed.stderr[-4000:]}")
    return seconds, completed.stderr


def span_summary(jobs: list[dict], cores: int) -> dict:
    """Where a run's wall time went between its first job's start and its last job's end."""
    if not jobs:
        return {"span_s": 0.0, "job_s": 0.0, "idle_core_s": 0.0}
    span = max(j["end_s"] for j in jobs) - min(j["start_s"] for j in jobs)
    busy = sum(j["end_s"] - j["start_s"] for j in jobs)
    return {"span_s": span, "job_s": busy, "idle_core_s": max(cores * span - busy, 0.0)}


def bench_workflow(config: dict, repeats: int) -> dict:
    """Figure 1 rebuilt (``--forceall figure1``) against the same work in one process; the no-op
    against ``snakemake --version``; the fixed costs a job and a notebook rule pay; per-rule times."""
    snakemake = str(BIN / "snakemake")
    names = ("rebuild", "one_process", "up_to_date", "snakemake_version", "python_startup", "job_imports")
    times = {name: [] for name in names}
    splits, rule_runs, spans = [], [], []
    with tempfile.TemporaryDirectory(prefix="cossim-bench-") as scratch:
        scratch = Path(scratch)
        (scratch / "empty.ipynb").write_text(json.dumps(EMPTY_NOTEBOOK))
        workdir = committed_workflow(scratch / "wf")
        env = job_env(workdir)
        (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
        run_command([snakemake, "--cores", "2", "figure1"], cwd=workdir, env=env)  # first build, not timed
        for repeat in range(repeats):
            seconds, log = run_logged([snakemake, "--cores", "2", "--forceall", "figure1"], workdir, env)
            times["rebuild"].append(seconds)
            jobs = job_times(log)
            rule_runs.append(per_rule(jobs))
            spans.append(span_summary(jobs, 2))
            out = scratch / f"plain{repeat}"
            out.mkdir()
            times["one_process"].append(run_command([sys.executable, "-c", ONE_PROCESS, str(out)], cwd=workdir, env=env))
            times["up_to_date"].append(run_command([snakemake, "--cores", "2", "figure1"], cwd=workdir, env=env))
            times["snakemake_version"].append(run_command([snakemake, "--version"], cwd=workdir, env=env))
            times["python_startup"].append(run_command([sys.executable, "-c", "pass"], env=env))
            times["job_imports"].append(run_command([sys.executable, "-c", JOB_IMPORTS], env=env))
            completed = subprocess.run(
                [sys.executable, "-c", PAPERMILL_SPLIT, str(scratch / "empty.ipynb"), str(scratch / f"e{repeat}.ipynb"),
                 str(scratch / f"e{repeat}.html")], env=env, capture_output=True, text=True, check=True)
            splits.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    medians = {name: statistics.median(t) for name, t in times.items()}
    rules = sorted({rule for run in rule_runs for rule in run})
    rule_medians = {
        rule: {"jobs": max(run.get(rule, {"jobs": 0})["jobs"] for run in rule_runs),
               "job_s": statistics.median(run.get(rule, {"job_s": 0.0})["job_s"] for run in rule_runs)}
        for rule in rules
    }
    span = {key: statistics.median(s[key] for s in spans) for key in spans[0]}
    return {
        "times": {name: {"median_s": medians[name], "runs_s": t} for name, t in times.items()},
        "rebuild_over_one_process": medians["rebuild"] / medians["one_process"],
        "up_to_date_over_snakemake_version": medians["up_to_date"] / medians["snakemake_version"],
        "breakdown": {
            "python_startup_s": medians["python_startup"],
            "job_imports_s": medians["job_imports"] - medians["python_startup"],
            **{key: statistics.median(split[key] for split in splits) for key in splits[0]},
            "parse_and_dag_s": medians["rebuild"] - span["span_s"],
            **span,
        },
        "rules": dict(sorted(rule_medians.items(), key=lambda item: -item[1]["job_s"])),
        "goal": {"rebuild_over_one_process_at_most": 2.0, "up_to_date_over_version_at_most": 1.5},
    }


LEFT_OUT_OF_THE_FULL_RUN = ("movielens",)
"""Studies the full run switches off (``<study>.enabled: false``): MovieLens, added after the goal
of two minutes was set, runs on other data."""


def bench_full_run(config: dict, repeats: int) -> dict:
    """The whole default DAG from scratch (``snakemake --cores 2``) against the one-process Figure 1.

    Studies of :data:`LEFT_OUT_OF_THE_FULL_RUN` that the configuration has are switched off."""
    config = json.loads(json.dumps(config))
    left_out = [name for name in LEFT_OUT_OF_THE_FULL_RUN if isinstance(config.get(name), dict)]
    for name in left_out:
        config[name]["enabled"] = False
    snakemake = str(BIN / "snakemake")
    walls, baselines, rule_runs, spans, failed_rules = [], [], [], [], set()
    with tempfile.TemporaryDirectory(prefix="cossim-bench-") as scratch:
        scratch = Path(scratch)
        for repeat in range(repeats):
            workdir = committed_workflow(scratch / f"wf{repeat}")
            env = job_env(workdir)
            (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
            # --keep-going: a failing job of another study leaves the rest of the DAG measured
            start = time.perf_counter()
            completed = subprocess.run([snakemake, "--cores", "2", "--keep-going"], cwd=workdir, env=env,
                                       capture_output=True, text=True)
            seconds, log = time.perf_counter() - start, completed.stderr
            failed_rules.update(re.findall(r"^Error in rule (\w+):", log, re.MULTILINE))
            walls.append(seconds)
            jobs = job_times(log)
            rule_runs.append(per_rule(jobs))
            spans.append(span_summary(jobs, 2))
            out = scratch / f"plain{repeat}"
            out.mkdir()
            baselines.append(run_command([sys.executable, "-c", ONE_PROCESS, str(out)], cwd=workdir, env=env))
            shutil.rmtree(workdir)
    wall, baseline = statistics.median(walls), statistics.median(baselines)
    rules = sorted({rule for run in rule_runs for rule in run})
    rule_medians = {
        rule: {"jobs": max(run.get(rule, {"jobs": 0})["jobs"] for run in rule_runs),
               "job_s": statistics.median(run.get(rule, {"job_s": 0.0})["job_s"] for run in rule_runs)}
        for rule in rules
    }
    return {
        "times": {"full_run": {"median_s": wall, "runs_s": walls}, "one_process": {"median_s": baseline, "runs_s": baselines}},
        "full_run_over_one_process": wall / baseline,
        "span": {key: statistics.median(s[key] for s in spans) for key in spans[0]},
        "rules": dict(sorted(rule_medians.items(), key=lambda item: -item[1]["job_s"])),
        "left_out": left_out,
        "failed_rules": sorted(failed_rules),
        "goal": {"full_run_over_one_process_at_most": 25.0},
    }


# --- 4. scaling ------------------------------------------------------------------------------


def scaling_case(n_users: int, n_items: int, config: dict) -> dict:
    """simulate + solve + the Figure 1 matrices at one size, in this process (see --case)."""
    from cossim.model.panels import PANELS, block_means, display_order, true_cluster_matrix
    from cossim.model.similarity import item_item_cosine
    from cossim.model.simulate import simulate
    from cossim.model.solve import GRAM_EIGH_MAX_ITEMS, top_right_singular_spectrum

    model = config["model"]
    spec = simulation_spec(config, n_users=n_users, n_items=n_items)
    stages = {}
    start = time.perf_counter()
    data = simulate(spec, np.random.default_rng(config["seed"]))
    stages["simulate_s"] = time.perf_counter() - start
    X = data.interactions
    start = time.perf_counter()
    spectrum = top_right_singular_spectrum(X, model["rank"])
    stages["solve_s"] = time.perf_counter() - start
    start = time.perf_counter()
    order = display_order(data.item_cluster, data.item_popularity)
    sorted_clusters = data.item_cluster[order]
    V_display = spectrum.V[order]
    levels = {}
    # the five p x p matrices one at a time: at p = 1e4 each is 800 MB
    matrix = true_cluster_matrix(sorted_clusters)
    levels["true_clusters"] = block_means(matrix, sorted_clusters).tolist()
    del matrix
    for panel in PANELS[1:]:
        b = panel.item_scales(spectrum.sigma, model["eq1_lambda"], model["eq2_lambda"])
        matrix = item_item_cosine(V_display * b)
        levels[panel.key] = np.diag(block_means(matrix, sorted_clusters)).tolist()
        del matrix
    stages["figure1_matrices_s"] = time.perf_counter() - start
    return {
        "n_users": n_users,
        "n_items": n_items,
        "interactions": int(X.nnz),
        "index_dtype": str(X.indices.dtype),
        "solver": "gram_eigh" if n_items <= GRAM_EIGH_MAX_ITEMS else "lanczos",
        **stages,
        "total_s": sum(stages.values()),
        "peak_rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_after": os.getloadavg()[0],
        "sigma_top5": spectrum.sigma[:5].tolist(),
        "within_cluster_levels": {key: levels[key] for key in levels if key != "true_clusters"},
    }


def bench_scaling(config: dict, users=SCALING_USERS, items=SCALING_ITEMS) -> dict:
    """Every size in a fresh process (peak memory is the process's own)."""
    cases = []
    for n_items in items:
        for n_users in users:
            completed = subprocess.run(
                [sys.executable, __file__, "--case", str(n_users), str(n_items)],
                capture_output=True, text=True,
            )
            if completed.returncode != 0:
                cases.append({"n_users": n_users, "n_items": n_items, "error": completed.stderr[-2000:]})
            else:
                cases.append(json.loads(completed.stdout.strip().splitlines()[-1]))
            print(f"  scaling n={n_users} p={n_items}: {cases[-1].get('total_s', 'failed')}", file=sys.stderr, flush=True)
    return {
        "cases": cases,
        "goal": {"largest_case_s_at_most": 600.0, "largest_case_gib_at_most": 8.0},
        "largest_case_met": largest_case_met(cases),
    }


def projection(cases, n_users: int = PROJECTED_USERS, n_items: int = max(SCALING_ITEMS)) -> dict | None:
    """Time and peak memory at ``n_users`` extrapolated from the two largest measured cases at ``n_items``.

    Both are fitted as affine in the number of interactions through those two cases (the
    sampler, the CSR matrix and Lanczos' products with X are linear in it); the interactions
    scale with the users. None if fewer than two cases were measured.

    Returns
    -------
    dict or None
        ``n_users``, ``n_items``, ``interactions``, ``total_s``, ``peak_rss_gib``, ``from_users``.
    """
    measured = sorted((c for c in cases if c["n_items"] == n_items and "total_s" in c and c["n_users"] < n_users),
                      key=lambda c: c["n_users"])
    if len(measured) < 2:
        return None
    low, high = measured[-2:]
    interactions = high["interactions"] * n_users / high["n_users"]

    def extrapolate(key):
        slope = (high[key] - low[key]) / (high["interactions"] - low["interactions"])
        return high[key] + slope * (interactions - high["interactions"])

    return {"n_users": n_users, "n_items": n_items, "interactions": int(interactions),
            "total_s": extrapolate("total_s"), "peak_rss_gib": extrapolate("peak_rss_gib"),
            "from_users": [low["n_users"], high["n_users"]]}


def largest_case_met(cases) -> bool:
    """Whether n = 2e6, p = 1e4 ran within 10 minutes and 8 GiB."""
    largest = [c for c in cases if c["n_users"] == max(SCALING_USERS) and c["n_items"] == max(SCALING_ITEMS)]
    return bool(largest) and "total_s" in largest[0] and largest[0]["total_s"] <= 600 and largest[0]["peak_rss_gib"] <= 8


def plot_scaling(scaling: dict, path: Path) -> None:
    """Log-log plot of wall time and peak memory against the number of interactions."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cossim.plotting import save_figure

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for n_items, marker in zip(sorted({c["n_items"] for c in scaling["cases"]}), "os^v"):
        cases = [c for c in scaling["cases"] if c["n_items"] == n_items and "total_s" in c]
        if not cases:
            continue
        nnz = np.array([c["interactions"] for c in cases], dtype=float)
        left.loglog(nnz, [c["total_s"] for c in cases], marker=marker, label=f"p = {n_items:,}")
        right.loglog(nnz, [c["peak_rss_gib"] for c in cases], marker=marker, label=f"p = {n_items:,}")
    everything = np.array([c["interactions"] for c in scaling["cases"] if "total_s" in c], dtype=float)
    if everything.size:
        reference = np.geomspace(everything.min(), everything.max(), 10)
        first = min((c for c in scaling["cases"] if "total_s" in c), key=lambda c: c["interactions"])
        left.loglog(reference, first["total_s"] * reference / reference[0], "k:", label="linear in interactions")
    left.axhline(600, color="grey", lw=0.8)
    right.axhline(8, color="grey", lw=0.8)
    left.set(xlabel="interactions (nnz of X)", ylabel="wall time, s (simulate + solve + Figure 1)",
             title="Time (line: 10-minute goal)")
    right.set(xlabel="interactions (nnz of X)", ylabel="peak resident memory, GiB",
              title="Memory (line: 8 GiB goal)")
    left.legend()
    right.legend()
    fig.tight_layout()
    save_figure(fig, path)
    plt.close(fig)


# --- 5. audit --------------------------------------------------------------------------------

AUDIT_ITEMS, AUDIT_USERS, AUDIT_RANK = 100_000, 20_000, 256


def audit_fit_inputs(config: dict) -> dict:
    """Item and user embeddings (B, X A) of the Eq. 1 and Eq. 2 closed forms on the configured data."""
    from cossim.model.similarity import user_embeddings
    from cossim.model.simulate import simulate
    from cossim.model.solve import solve_eq1, solve_eq2, top_right_singular_spectrum

    X = simulate(simulation_spec(config), np.random.default_rng(config["seed"])).interactions
    model = config["model"]
    spectrum = top_right_singular_spectrum(X, model["rank"])
    users = np.arange(X.shape[0])
    fits = {"eq1": solve_eq1(spectrum, model["eq1_lambda"]), "eq2": solve_eq2(spectrum, model["eq2_lambda"])}
    return {name: (fit.B, user_embeddings(X, fit.A, users)) for name, fit in fits.items()}


def audit_row(result, seconds=None, exhaustive=None) -> dict:
    """The summary numbers of one audit (and the exhaustive item overlap, when measured)."""
    row = {"n_items": result.n_items, "n_users": result.n_users, "rank": result.rank,
           "active_rank": result.active_rank,
           "predictions_max_relative_change": result.predictions.max_relative_change,
           "predictions_invariant": result.predictions.invariant}
    for key, shift in result.shifts().items():
        row[key] = {name: getattr(shift, name) for name in (
            "overlap_mean", "overlap_mean_se", "overlap_p05", "overlap_p05_se", "rank_correlation",
            "rank_correlation_se", "max_abs_change")}
    if seconds is not None:
        row["times"] = seconds
    if exhaustive is not None:
        row["items_exhaustive_overlap_mean"] = exhaustive.items.overlap_mean
    return row


def bench_audit(config: dict, repeats: int, out: Path) -> dict:
    """``cossim.audit`` at p = 100,000 items, k = 256 (Gaussian embeddings; items only and with 20,000
    users, default settings), and on the Eq. 1 and Eq. 2 fits of the configured data. Also writes
    ``audit.md``, ``audit.json`` and the Eq. 1 fit's ``audit_eq1.png`` to ``out`` (docs/audit.md)."""
    from cossim.auditing import audit
    from cossim.auditing.plot import save_audit_plot

    load_before = os.getloadavg()[0]
    rng = np.random.default_rng(0)
    B = rng.standard_normal((AUDIT_ITEMS, AUDIT_RANK))
    P = rng.standard_normal((AUDIT_USERS, AUDIT_RANK))
    times, results = side_by_side({"items_only": lambda: audit(B), "with_users": lambda: audit(B, P)}, repeats)
    speed = {name: audit_row(results[name], times[name]) for name in times}
    fits = {}
    for name, (items, users) in audit_fit_inputs(config).items():
        sampled = audit(items, users)
        fits[name] = audit_row(sampled, exhaustive=audit(items, queries=items.shape[0]))
        if name == "eq1":
            save_audit_plot(sampled, out / "audit_eq1.png")
    section = {"speed": speed, "fits": fits, "defaults": "draws 20, log_sd 1, seed 0, neighbours 10, "
               "queries 100, pairs 20,000", "goal": {"items_only_s_at_most": 60.0},
               "machine": f"{platform.machine()}, {os.cpu_count()} cores, numpy {np.__version__}",
               "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "load_average_during": [load_before, os.getloadavg()[0]]}
    out.mkdir(parents=True, exist_ok=True)
    (out / "audit.json").write_text(json.dumps(section, indent=2) + "\n")
    (out / "audit.md").write_text(audit_markdown(section) + "\n")
    return section


def audit_markdown(section: dict) -> str:
    """The audit section as Markdown (``audit.md``, included by docs/audit.md)."""
    def pm(entry, key, digits=3):
        return f"{entry[key]:.{digits}f} +- {entry[key + '_se']:.{digits}f}"

    lines = ["# cossim audit: speed and the project's fits", "",
             f"Written by `python benchmarks/run_benchmarks.py --only audit` ({section['measured_at']}, "
             f"{section['machine']}, load average {section['load_average_during'][0]:.1f} -> "
             f"{section['load_average_during'][1]:.1f}); defaults: {section['defaults']}; "
             "+- is one standard error of the sampling of queries and pairs.", "",
             "| input | items p | users n | k | median s | item top-10 overlap | 5th percentile | rank correlation |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, row in section["speed"].items():
        users = f"{row['n_users']:,}" if row["n_users"] else "-"
        lines.append(f"| Gaussian, {name.replace('_', ' ')} | {row['n_items']:,} | {users} | {row['rank']} | "
                     f"{row['times']['median_s']:.1f} | {pm(row['items'], 'overlap_mean')} | "
                     f"{pm(row['items'], 'overlap_p05', 2)} | {pm(row['items'], 'rank_correlation')} |")
    lines += ["", "| fit | non-zero dimensions of k | predictions: largest relative change | item top-10 overlap (all items) | "
              "5th percentile | item rank correlation | user-user overlap | user-item overlap | "
              "embedding vs original-space overlap, as given | the same under random D |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, row in section["fits"].items():
        lines.append(
            f"| {name} | {row['active_rank']} of {row['rank']} | {row['predictions_max_relative_change']:.1e} | {pm(row['items'], 'overlap_mean')} "
            f"({row['items_exhaustive_overlap_mean']:.3f}) | {pm(row['items'], 'overlap_p05', 2)} | "
            f"{pm(row['items'], 'rank_correlation')} | {pm(row['users'], 'overlap_mean')} | "
            f"{pm(row['user_item'], 'overlap_mean')} | {pm(row['original_space_given'], 'overlap_mean')} | "
            f"{pm(row['original_space'], 'overlap_mean')} |")
    return "\n".join(lines)


# --- report ----------------------------------------------------------------------------------


def load_note(section: dict) -> str:
    """", load average a -> b" when the section recorded the machine's load."""
    if "load_average_before_after" not in section:
        return ""
    before, after = section["load_average_before_after"]
    return f", load average {before:.1f} -> {after:.1f} on {os.cpu_count()} cores"


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def markdown_report(results: dict) -> str:
    """The results as Markdown tables."""
    lines = [f"Machine: {results['machine']}. Medians of {results['repeats']} repeats; each section says "
             "when it was measured.", ""]
    if "solver" in results:
        s = results["solver"]
        lines += [
            f"**Solver** (X {s['shape'][0]:,} x {s['shape'][1]:,}, {s['nnz']:,} interactions, top k = {s['rank']}; "
            f"{s['measured']}{load_note(s)}; each BLAS thread count in a fresh process, contenders alternating)",
            "",
            "| BLAS threads | route | median s | speed-up of ours | max rel. error of sigma_1..k vs dense SVD |",
            "| --- | --- | --- | --- | --- |",
        ]
        for threads, run in s.get("by_threads", {"2": s}).items():
            t = run["times"]
            lines += [
                f"| {threads} | ours: Gram + eigh | {t['ours_gram_eigh']['median_s']:.3f} | 1 | {run['max_relative_error_vs_dense_svd']:.1e} |",
                f"| {threads} | numpy.linalg.svd (dense) | {t['numpy_dense_svd']['median_s']:.3f} | {run['speedup_vs_dense_svd']:.1f}x | 0 (reference) |",
                f"| {threads} | scipy.sparse.linalg.svds | {t['scipy_svds']['median_s']:.3f} | {run['speedup_vs_svds']:.1f}x | {run['svds_max_relative_error_vs_dense_svd']:.1e} |",
            ]
        lines += [
            "",
            "Goal >= 20x faster than dense SVD with agreement <= 1e-10: "
            + "; ".join(f"{verdict(run['speedup_vs_dense_svd'] >= 20 and run['max_relative_error_vs_dense_svd'] <= 1e-10)}"
                        f" at {threads} BLAS thread{'s' if threads != '1' else ''}"
                        for threads, run in s.get("by_threads", {"2": s}).items())
            + ". One thread is what rule `fit` runs with (Snakemake sets `OPENBLAS_NUM_THREADS` to a job's "
            "threads); with two threads on a loaded machine, OpenBLAS's threads wait on each other and on the "
            "other processes, which costs the small products of ours more than the dense SVD.",
            "",
        ]
    if "sampler" in results:
        s = results["sampler"]
        t = s["times"]
        law, control = s["same_law"], s["control_wrong_sampler"]
        lines += [
            f"**Sampler** ({s['n_users']:,} users, {s['n_items']:,} items, {s['interactions']:,} draws; {s['measured']}{load_note(s)})",
            "",
            "| sampler | median s | speed-up of ours |",
            "| --- | --- | --- |",
            f"| ours: i.i.d. rounds + Gumbel-top-k completion | {t['ours_vectorised']['median_s']:.3f} | 1 |",
            f"| naive per-user rng.choice(replace=False) | {t['naive_rng_choice_loop']['median_s']:.3f} | {s['speedup_vs_naive']:.1f}x |",
            "",
            f"Same law (two-sample chi-square, ours vs naive): item frequencies p = {law['item_frequency_pvalue']:.3f}, "
            f"user-cluster split p = {law['user_cluster_split_pvalue']:.3f} (total variation of item marginals "
            f"{law['total_variation_item_marginals']:.4f}). Control, a wrong sampler (draws with replacement, "
            f"deduplicated) against the naive one: p = {control['item_frequency_pvalue']:.1e} / "
            f"{control['user_cluster_split_pvalue']:.1e}.",
            "",
            f"Goal >= 10x faster than the naive loop: {verdict(s['speedup_vs_naive'] >= 10)}.",
            "",
        ]
    if "workflow" in results and "rebuild_over_one_process" in results["workflow"]:
        w = results["workflow"]
        t = {k: v["median_s"] for k, v in w["times"].items()}
        b = w["breakdown"]
        lines += [
            f"**One figure and the no-op** (Figure 1 at the default size, 2 cores; {w['measured']}{load_note(w)})",
            "",
            "| measurement | ours, median s | baseline | baseline, median s | ratio | goal |",
            "| --- | --- | --- | --- | --- | --- |",
            f"| `snakemake --cores 2 --forceall figure1` | {t['rebuild']:.1f} | the same work in one plain process: "
            f"simulate, solve both objectives, the five panels, PNG and PDF | {t['one_process']:.1f} | "
            f"{w['rebuild_over_one_process']:.2f}x | <= 2x: {verdict(w['rebuild_over_one_process'] <= 2)} |",
            f"| up-to-date `snakemake --cores 2 figure1` | {t['up_to_date']:.2f} | `snakemake --version` | "
            f"{t['snakemake_version']:.2f} | {w['up_to_date_over_snakemake_version']:.2f}x | <= 1.5x: "
            f"{verdict(w['up_to_date_over_snakemake_version'] <= 1.5)} |",
            "",
            "Where the rebuild's time goes (medians; job times from Snakemake's log, to the second):",
            "",
            "| part | s |",
            "| --- | --- |",
            f"| parsing the workflow and building the DAG (before the first job) | {b['parse_and_dag_s']:.1f} |",
            f"| interpreter start-up, per job | {b['python_startup_s']:.2f} |",
            f"| Snakemake's script preamble and the library's common imports, per job | {b['job_imports_s']:.2f} |",
            f"| `import papermill`, in the notebook job | {b['import_papermill_s']:.2f} |",
            f"| kernel start-up and execution of an empty notebook | {b['kernel_s']:.2f} |",
            f"| nbconvert to HTML of an empty notebook | {b['nbconvert_s']:.2f} |",
            f"| first job's start to last job's end | {b['span_s']:.1f} |",
            f"| job-seconds in that span | {b['job_s']:.1f} |",
            f"| core-seconds left idle in that span (waiting on the critical path) | {b['idle_core_s']:.1f} |",
            "",
            "| rule | jobs | job-seconds |",
            "| --- | --- | --- |",
            *[f"| `{rule}` | {entry['jobs']} | {entry['job_s']:.0f} |" for rule, entry in w["rules"].items()],
            "",
        ]
    if "full" in results:
        f = results["full"]
        t = {k: v["median_s"] for k, v in f["times"].items()}
        lines += [
            "**The whole default DAG** from scratch (`snakemake --cores 2`"
            + (f"; left out: {', '.join(f['left_out'])}" if f.get("left_out") else "")
            + f"; {f['measured']}{load_note(f)})",
            "",
            "| measurement | ours, s | baseline | baseline, s | ratio | goal |",
            "| --- | --- | --- | --- | --- | --- |",
            f"| whole default DAG | {t['full_run']:.0f} wall, {f['span']['job_s']:.0f} job-seconds | the one-process "
            f"Figure 1 (above) | {t['one_process']:.1f} | {f['full_run_over_one_process']:.1f}x | <= 25x: "
            f"{verdict(f['full_run_over_one_process'] <= 25 and not f.get('failed_rules'))} |",
            "",
            *([f"Incomplete: rule(s) {', '.join(f['failed_rules'])} failed (Snakemake ran on with --keep-going; "
               "the jobs downstream of them did not run), so the wall time is a lower bound.", ""]
              if f.get("failed_rules") else []),
            "| rule | jobs | job-seconds |",
            "| --- | --- | --- |",
            *[f"| `{rule}` | {entry['jobs']} | {entry['job_s']:.0f} |" for rule, entry in f["rules"].items()],
            "",
        ]
    if "scaling" in results:
        lines += [
            f"**Scaling** (simulate + solve + the five Figure 1 matrices; each case a fresh process; "
            f"{results['scaling']['measured']}{load_note(results['scaling'])})",
            "",
            "| users n | items p | interactions | solver | simulate s | solve s | Figure 1 s | total s | peak GiB | measured |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for c in results["scaling"]["cases"]:
            if "total_s" not in c:
                lines.append(f"| {c['n_users']:,} | {c['n_items']:,} | failed | | | | | | | |")
                continue
            lines.append(
                f"| {c['n_users']:,} | {c['n_items']:,} | {c['interactions']:,} | {c['solver']} | {c['simulate_s']:.1f} | "
                f"{c['solve_s']:.1f} | {c['figure1_matrices_s']:.1f} | {c['total_s']:.1f} | {c['peak_rss_gib']:.2f} | "
                f"{c.get('measured', '')} |"
            )
        projected = projection(results["scaling"]["cases"])
        run = next((c for c in results["scaling"]["cases"] if projected and "total_s" in c
                    and (c["n_users"], c["n_items"]) == (projected["n_users"], projected["n_items"])), None)
        if projected and run is None:
            lines.append(
                f"| {projected['n_users']:,} | {projected['n_items']:,} | {projected['interactions']:,} (projected) | "
                f"lanczos | | | | {projected['total_s']:.0f} (projected) | {projected['peak_rss_gib']:.1f} (projected) | |")
        lines += ["", f"Goal n = 2e6, p = 1e4 within 10 min and 8 GiB: "
                      f"{verdict(results['scaling']['largest_case_met'])}.", ""]
        if projected and run is not None:
            lines += [
                f"n = {projected['n_users']:,}: measured, {run['total_s']:.0f} s and {run['peak_rss_gib']:.1f} GiB "
                f"({run['measured']}); the projection from the n = {projected['from_users'][0]:,} and "
                f"{projected['from_users'][1]:,} rows (affine in the interactions) gives "
                f"{projected['total_s']:.0f} s and {projected['peak_rss_gib']:.1f} GiB.", ""]
        elif projected:
            lines += [
                f"n = {projected['n_users']:,}: not run, projected (affine in the interactions through the measured "
                f"n = {projected['from_users'][0]:,} and {projected['from_users'][1]:,} rows at p = "
                f"{projected['n_items']:,}). Its projected peak of {projected['peak_rss_gib']:.0f} GiB "
                + ("exceeds" if projected["peak_rss_gib"] > MACHINE_MEMORY_GIB else "is within")
                + f" this machine's {MACHINE_MEMORY_GIB:.0f} GiB.", ""]
    if "audit" in results:
        a = results["audit"]
        lines += [f"**Audit** (`cossim.audit`; {a['measured']}{load_note(a)}): see audit.md.", "",
                  audit_markdown(a).split("\n", 4)[4], ""]
    return "\n".join(lines)


def save_results(out: Path, results: dict) -> dict:
    """Merge ``results`` into ``out/benchmarks.json`` (sections and scaling sizes not rerun keep their
    latest results), rewrite ``benchmarks.md`` and the scaling plot, and return the merged results."""
    out.mkdir(parents=True, exist_ok=True)
    previous = out / "benchmarks.json"
    if previous.exists():
        earlier = json.loads(previous.read_text())
        if "scaling" in results and "scaling" in earlier:
            rerun = {(c["n_users"], c["n_items"]) for c in results["scaling"]["cases"]}
            kept = [c for c in earlier["scaling"]["cases"] if (c["n_users"], c["n_items"]) not in rerun]
            cases = sorted(kept + results["scaling"]["cases"], key=lambda c: (c["n_items"], c["n_users"]))
            results["scaling"] = {**results["scaling"], "cases": cases, "largest_case_met": largest_case_met(cases)}
        results = {**earlier, **results}
    previous.write_text(json.dumps(results, indent=2) + "\n")
    (out / "benchmarks.md").write_text(markdown_report(results))
    if "scaling" in results:
        plot_scaling(results["scaling"], out / "scaling.png")
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--repeats", type=int, default=3, help="repeats per measurement (median reported)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="directory of the JSON, Markdown and plot")
    parser.add_argument("--config", type=Path, default=None, help="config file (default: config/config.yaml)")
    parser.add_argument("--scaling-users", type=int, nargs="+", default=list(SCALING_USERS))
    parser.add_argument("--scaling-items", type=int, nargs="+", default=list(SCALING_ITEMS))
    parser.add_argument("--quick", action="store_true",
                        help="sections solver, sampler, workflow, full (one run) and scaling at p = 10,000 with "
                             "n = 2e5 and 2e6 only: about 7 minutes on 2 cores (the other results are kept)")
    parser.add_argument("--case", type=int, nargs=2, metavar=("N_USERS", "N_ITEMS"), help=argparse.SUPPRESS)
    parser.add_argument("--solver-case", type=int, metavar="REPEATS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    config = yaml.safe_load(args.config.read_text()) if args.config else default_config()
    if args.case:
        print(json.dumps(scaling_case(*args.case, config)))
        return 0
    if args.solver_case:
        print(json.dumps(bench_solver(config, args.solver_case)))
        return 0
    if args.quick:
        args.only = [name for name in args.only if name in QUICK_SECTIONS]
        args.scaling_users, args.scaling_items = list(QUICK_SCALING_USERS), list(QUICK_SCALING_ITEMS)
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                   f"numpy {np.__version__}",
        "repeats": args.repeats,
    }
    benches = {
        "solver": lambda: bench_solver_threads(args.config, args.repeats),
        "sampler": lambda: bench_sampler(config, args.repeats),
        "workflow": lambda: bench_workflow(config, args.repeats),
        "full": lambda: bench_full_run(config, 1 if args.quick else args.repeats),
        "scaling": lambda: bench_scaling(config, args.scaling_users, args.scaling_items),
        "audit": lambda: bench_audit(config, args.repeats, args.out),
    }
    failed = []
    for name in args.only:
        print(f"benchmark {name} ...", file=sys.stderr, flush=True)
        load_before = os.getloadavg()[0]
        try:
            section = benches[name]()
        except Exception as error:  # a failed section is reported, the others still run and are kept
            print(f"benchmark {name} failed: {error}", file=sys.stderr, flush=True)
            failed.append(name)
            continue
        section["measured"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        # other jobs on the machine slow both sides of a ratio, but every absolute time
        section["load_average_before_after"] = [load_before, os.getloadavg()[0]]
        results = save_results(args.out, {**results, name: section})
    results = save_results(args.out, results)
    print(markdown_report(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
