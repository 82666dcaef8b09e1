"""Profiles: every value carries a comment with its reason; source notebooks have no outputs."""

import nbformat
import pytest
import yaml
from conftest import REPO

PROFILES = sorted((REPO / "profiles").glob("*/config.yaml"))


@pytest.mark.parametrize("path", PROFILES, ids=lambda path: path.parent.name)
def test_every_profile_value_is_commented(path):
    lines = path.read_text().splitlines()
    for number, line in enumerate(lines):
        if line and not line.startswith((" ", "#")):  # a top-level key
            assert lines[number - 1].startswith("#"), f"{path.parent.name}: no comment above {line!r}"


def test_profiles_name_their_executors():
    profiles = {path.parent.name: yaml.safe_load(path.read_text()) for path in PROFILES}
    assert profiles["default"]["cores"] == "all"
    assert profiles["slurm"]["executor"] == "slurm"
    assert profiles["local-cluster"]["executor"] == "cluster-generic"
    assert set(profiles["slurm"]["default-resources"]) >= {"mem_mb", "runtime", "cpus_per_task"}


def test_source_notebooks_are_stored_without_outputs():
    for path in (REPO / "notebooks").glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, path.name
