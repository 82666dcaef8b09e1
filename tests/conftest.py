"""Shared fixtures: the repository, a scratch copy of the workflow, and a Snakemake runner."""

from __future__ import annotations

import os
import subprocess
import sys
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


@pytest.fixture(scope="session")
def small_config() -> dict:
    """The small test configuration as a dict."""
    return yaml.safe_load((REPO / "tests" / "small_config.yaml").read_text())


@pytest.fixture
def workflow_copy(tmp_path, small_config) -> Path:
    """A fresh copy of the workflow whose config/config.yaml is the small test config."""
    workdir = copy_workflow(tmp_path / "wf")
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(small_config, sort_keys=False))
    return workdir


@pytest.fixture(scope="session")
def small_run(tmp_path_factory, small_config) -> Path:
    """One complete run of the default target on the small config, shared by the workflow tests."""
    workdir = copy_workflow(tmp_path_factory.mktemp("run") / "wf")
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(small_config, sort_keys=False))
    result = run_snakemake(workdir, "--cores", "2")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    return workdir
