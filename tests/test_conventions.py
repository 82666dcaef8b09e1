"""Snakemake conventions: `snakemake --lint` is clean, `snakefmt --check` and `ruff check` pass,
and the conda environment names exactly the pinned pip requirements."""

import re
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO, SNAKEMAKE

BIN = Path(sys.executable).parent


def run(*command):
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)


def pins(lines):
    """``name==version`` lines as {normalised name: version}."""
    found = {}
    for line in lines:
        line = line.strip()
        if line and not line.startswith(("#", "-")):
            name, version = line.split("==")
            found[name.lower().replace("_", "-")] = version
    return found


def test_snakemake_lint_is_clean():
    result = run(SNAKEMAKE, "--lint")
    assert result.returncode == 0 and "Congratulations" in result.stdout + result.stderr, result.stdout + result.stderr


def test_snakefmt_check_passes():
    result = run(str(BIN / "snakefmt"), "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check_passes():
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_conda_environment_names_the_pinned_requirements():
    environment = yaml.safe_load((REPO / "envs" / "environment.yaml").read_text())
    pip_section = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    required = pins((REPO / "envs" / "requirements.txt").read_text().splitlines())
    assert pins(pip_section) == required
    python = next(item for item in environment["dependencies"] if isinstance(item, str) and item.startswith("python="))
    assert sys.version.startswith(python.split("=")[1])


def test_every_rule_declares_log_conda_and_measured_resources():
    for path in (REPO / "workflow" / "rules").glob("*.smk"):
        for block in path.read_text().split("\nrule ")[1:]:
            name = block.split(":")[0]
            if "localrule: True" in block:
                continue
            for directive in ("log:", "conda:", "mem_mb=", "runtime=", "cpus_per_task="):
                assert directive in block, f"rule {name} ({path.name}) lacks {directive}"


def test_every_report_caption_is_used_by_a_rule_and_every_used_caption_exists():
    rules = REPO / "workflow" / "rules"
    used = set()
    for path in rules.glob("*.smk"):
        used |= {(rules / name).resolve() for name in re.findall(r'caption="([^"]+)"', path.read_text())}
    captions = {path.resolve() for path in (REPO / "workflow" / "report").rglob("*.rst")} - {
        (REPO / "workflow" / "report" / "workflow.rst").resolve()
    }
    assert used == captions, (sorted(map(str, used - captions)), sorted(map(str, captions - used)))
