"""Shared fixtures: the repository, a scratch copy of the workflow, and a Snakemake runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import yaml

from cossim.workspace import copy_workflow  # noqa: F401  (re-exported for the tests

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))


def run_snakemake(workdir: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run the venv's snakemake in ``workdir``; output captured as text."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    return subprocess.run(
        [SNAKEMAKE, *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout
    )


def load_small_config() -> dict:
    """The small test configuration (tests/small_config.yaml) as a dict."""
    return yaml.safe_load((REPO / "tests" / "small_config.yaml").read_text())


def configured_copy(destination: Path, config: dict) -> Path:
    """A copy of the workflow at ``destination`` whose config/config.yaml is ``config``."""
    workdir = copy_workflow(destination)
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return workdir


@pytest.fixture(scope="session")
def small_config() -> dict:
    """The small test configuration as a dict."""
    return load_small_config()


@pytest.fixture
def workflow_copy(tmp_path, small_config) -> Path:
    """A fresh copy of the workflow whose config/config.yaml is the small test config."""
    return configured_copy(tmp_path / "wf", small_config)


@pytest.fixture(scope="session")
def small_run(tmp_path_factory, small_config) -> Path:
    """One complete run of the default target on the small config, shared by the workflow tests."""
    workdir = configured_copy(tmp_path_factory.mktemp("run") / "wf", small_config)
    result = run_snakemake(workdir, "--cores", "2")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    return workdir


class OneCoreRun:
    """The default target on the small config with ``--cores 1``, started as soon as the tests are
    collected (:func:`pytest_collection_finish`), so that its two minutes on one core overlap the
    tests before the ones that compare it with ``small_run``.

    While it runs, a second ``snakemake`` is started in the same directory, once the first has
    started its first job; its outcome, and whether the first was still running, are kept.
    """

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.output = workdir.parent / "snakemake-output.txt"
        with self.output.open("w") as handle:  # a file, not a pipe nobody drains while tests run
            self.process = subprocess.Popen(
                [SNAKEMAKE, "--cores", "1"], cwd=workdir, env=dict(os.environ, PYTHONHASHSEED="0"),
                stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self.concurrent = None
        self.first_still_running = None
        self.watcher = threading.Thread(target=self._start_a_concurrent_invocation, daemon=True)
        self.watcher.start()

    @classmethod
    def start(cls, directory: Path, config: dict) -> OneCoreRun:
        return cls(configured_copy(directory / "elsewhere" / "wf", config))

    def _start_a_concurrent_invocation(self) -> None:
        first_job = self.workdir / "results" / "logs" / "small" / "data" / "simulate.log"
        deadline = time.monotonic() + 300
        while not first_job.exists() and self.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        self.concurrent = run_snakemake(self.workdir, "--cores", "1")
        self.first_still_running = self.process.poll() is None

    def finished(self) -> Path:
        """Wait for the run; its working directory once it succeeded."""
        self.process.wait(timeout=1200)
        self.watcher.join(timeout=300)
        assert self.process.returncode == 0, self.output.read_text()[-4000:]
        return self.workdir

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 9)
            self.process.wait()


EARLY_RUNS: dict[str, OneCoreRun] = {}


def pytest_collection_finish(session):
    """Start the one-core run now if a collected test uses it (fixture ``single_core_run``)."""
    if session.config.option.collectonly:
        return
    if any("single_core_run" in getattr(item, "fixturenames", ()) for item in session.items):
        directory = Path(tempfile.mkdtemp(prefix="cossim-one-core-"))
        EARLY_RUNS["single_core_run"] = OneCoreRun.start(directory, load_small_config())


def pytest_sessionfinish(session, exitstatus):
    for run in EARLY_RUNS.values():
        run.stop()
        shutil.rmtree(run.workdir.parents[1], ignore_errors=True)


@pytest.fixture(scope="session")
def one_core_run(tmp_path_factory, small_config) -> OneCoreRun:
    """The finished :class:`OneCoreRun` (started at collection, or now if it was not)."""
    run = EARLY_RUNS.get("single_core_run")
    if run is None:
        run = EARLY_RUNS["single_core_run"] = OneCoreRun.start(tmp_path_factory.mktemp("one-core"), small_config)
    run.finished()
    return run


@pytest.fixture(scope="session")
def single_core_run(one_core_run) -> Path:
    """The default target on the small config with --cores 1, in another directory than small_run."""
    return one_core_run.workdir
