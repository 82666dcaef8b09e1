"""Profiles: every value carries a comment with its reason; source notebooks have no outputs."""

import nbformat
import pytest
import yaml
from conftest import REPO

# The profiles, and the stand-in scheduler's profile that only tests/test_cluster.py uses.
PROFILES = [*sorted((REPO / "profiles").glob("*/config.yaml")), REPO / "tests" / "stand_in_cluster" / "config.yaml"]


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
    assert profiles["stand_in_cluster"]["executor"] == "cluster-generic"
    assert set(profiles["slurm"]["default-resources"]) >= {"mem_mb", "runtime", "cpus_per_task"}
    assert not (REPO / "profiles" / "local-cluster").exists()


def test_the_slurm_profile_submits_the_sweeps_as_group_jobs():
    slurm = yaml.safe_load((REPO / "profiles" / "slurm" / "config.yaml").read_text())
    groups = dict(entry.split("=") for entry in slurm["groups"])
    components = dict(entry.split("=") for entry in slurm["group-components"])
    assert groups == {"simulate": "dataset", "import_interactions": "dataset", "fit": "dataset"}
    assert set(components) == {"dataset", "fidelity_sweep"} and all(int(n) > 1 for n in components.values())
    # a group job's width is limited per submitted job, not over the whole run
    assert "cpus_per_task=local" in slurm["set-resource-scopes"]
    assert any(entry.startswith("cpus_per_task=") for entry in slurm["resources"])
    rules = {name: (REPO / "workflow" / "rules" / f"{name}.smk").read_text() for name in ("recovery", "fidelity")}
    assert '"dataset"' in rules["recovery"].split("rule recovery_seed:")[1].split("\nrule ")[0]
    assert '"fidelity_sweep"' in rules["fidelity"].split("rule fidelity_reading:")[1].split("\nrule ")[0]


def test_source_notebooks_are_stored_without_outputs():
    for path in (REPO / "notebooks").glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, path.name
