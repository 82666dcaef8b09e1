"""Cluster safety: the small config through a stand-in cluster gives the local run's artifacts.

Every job runs as its own detached process in a private directory that holds the workflow
sources and only the job's declared inputs (tests/stand_in_cluster/submit.py), so a rule that
reads an undeclared file or relies on another job's memory fails or differs here. Only the
stand-in shows that: the real SLURM cluster of tests/test_slurm.py is one node that shares its
file system with the submitting Snakemake, so an undeclared input is simply there.
"""

import shutil

import nbformat
import pytest
import yaml
from conftest import REPO, configured_copy, copy_workflow, run_snakemake

pytestmark = pytest.mark.workflow

EXECUTED_NOTEBOOK_SUFFIXES = (".ipynb", ".html")
STAND_IN = REPO / "tests" / "stand_in_cluster"
PROFILE = "profiles/stand-in-cluster"
SPOOL = (".snakemake", "stand-in-cluster")


def with_stand_in(workdir):
    """``workdir`` with the stand-in scheduler's profile at profiles/stand-in-cluster/."""
    shutil.copytree(STAND_IN, workdir / PROFILE, ignore=shutil.ignore_patterns("__pycache__"))
    return workdir


def artifacts(workdir):
    """Every result file but logs and the job spool, relative to ``workdir``."""
    results = workdir / "results"
    return sorted(
        path.relative_to(workdir)
        for path in results.rglob("*")
        if path.is_file() and "logs" not in path.relative_to(results).parts
    )


def notebook_content(path):
    """Cell sources and outputs of an executed notebook, without timings and paths."""
    notebook = nbformat.read(path, as_version=4)
    return [(cell.cell_type, cell.source, cell.get("outputs", [])) for cell in notebook.cells]


@pytest.fixture(scope="module")
def cluster_run(tmp_path_factory, small_config):
    workdir = with_stand_in(configured_copy(tmp_path_factory.mktemp("cluster") / "wf", small_config))
    result = run_snakemake(workdir, "--profile", PROFILE)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    return workdir, result.stdout + result.stderr


def test_every_job_was_submitted_to_the_stand_in_scheduler(cluster_run):
    workdir, output = cluster_run
    spooled = list(workdir.joinpath(*SPOOL).iterdir())
    submitted = output.count("with external jobid")
    assert submitted >= 5 and len(spooled) == submitted
    assert all((job / "exitcode").read_text().strip() == "0" for job in spooled)


def test_cluster_artifacts_are_identical_to_a_local_run(cluster_run, small_run):
    workdir, _ = cluster_run
    assert artifacts(workdir) == artifacts(small_run)
    for path in artifacts(small_run):
        if path.name.endswith(EXECUTED_NOTEBOOK_SUFFIXES):
            continue
        assert (workdir / path).read_bytes() == (small_run / path).read_bytes(), path
    notebooks = [path for path in artifacts(small_run) if path.suffix == ".ipynb"]
    assert notebooks
    for path in notebooks:
        assert notebook_content(workdir / path) == notebook_content(small_run / path), path


def test_a_rule_reading_an_undeclared_file_fails_on_the_stand_in_cluster(cluster_run, tmp_path):
    """The stand-in scheduler really hides undeclared files: a rule mutated to read one fails."""
    workdir = tmp_path / "wf"
    shutil.copytree(cluster_run[0], workdir, symlinks=True)
    rules = workdir / "workflow" / "rules" / "figure1.smk"
    declared = '        item_table=DATA.at("items", dataset="{dataset}"),\n'
    assert declared in rules.read_text()
    rules.write_text(rules.read_text().replace(declared, "", 1))
    script = workdir / "workflow" / "scripts" / "figure1" / "matrices.py"
    script.write_text(script.read_text().replace("snakemake.input.item_table", '"results/data/small/items.csv"'))
    result = run_snakemake(
        workdir, "--profile", PROFILE, "--forcerun", "figure1_matrices", "results/small/figures/figure1.npz"
    )
    assert result.returncode != 0
    assert "Error in rule figure1_matrices" in result.stdout + result.stderr


def test_importing_own_data_on_the_stand_in_cluster_matches_a_local_import(tmp_path, small_config):
    """Rule import_interactions (not in the default target) is cluster-safe too."""
    example = REPO / "examples" / "own_data"
    config = {**small_config, **yaml.safe_load((example / "config.yaml").read_text())}
    targets = [f"results/data/example/{name}" for name in ("interactions.npz", "items.csv", "item_ids.csv")]
    runs = {}
    for mode, options in (("cluster", ["--profile", PROFILE]), ("local", ["--cores", "1"])):
        workdir = with_stand_in(copy_workflow(tmp_path / mode))
        shutil.copytree(example, workdir / "examples" / "own_data")
        (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
        result = run_snakemake(workdir, *options, *targets)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        runs[mode] = workdir
    assert len(list(runs["cluster"].joinpath(*SPOOL).iterdir())) == 1
    for target in targets:
        assert (runs["cluster"] / target).read_bytes() == (runs["local"] / target).read_bytes(), target
