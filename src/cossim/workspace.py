"""What a clone needs to run the workflow, and copying it elsewhere (tests, benchmarks, tools)."""

from __future__ import annotations

import shutil
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
# Everything the workflow reads at run time, results/ excluded: the rules and their notebooks,
# the library they import, configuration and profiles, the conda environment file the rules
# name, the published block levels that the Figure 1 and fidelity rules read, and the pages (with
# the committed benchmark results they show) that rule build_site makes the site of.
WORKFLOW_FILES = ("Snakefile", "workflow", "src", "notebooks", "config", "profiles", "envs", "data", "README.md",
                  "docs", "benchmarks")


def copy_workflow(destination: Path, repository: Path = REPOSITORY) -> Path:
    """Copy the workflow (not its results) from ``repository`` into ``destination``."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        source = Path(repository) / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
        else:
            shutil.copy2(source, destination / name)
    return destination
