"""Measure each rule's peak memory and wall time, to declare its `resources:` from measurements.

Copies the workflow to a scratch directory, gives every rule a Snakemake ``benchmark:`` (max RSS of
the job's whole process tree, wall time), runs the default target there on one core, and prints
one line per job. Usage, from the repository root::

    .venv/bin/python tools/measure_resources.py [--config FILE] [--keep DIR]

The numbers in README ("Profiles") and in the rules' comments came from this on config/config.yaml.
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cossim.workspace import copy_workflow

REPO = Path(__file__).resolve().parents[1]
RULE = re.compile(r"^rule (?P<name>\w+):\n(?P<body>(?:(?:    .*)?\n)*)", re.MULTILINE)


LOG = re.compile(r"^    log:\n        (?P<expression>.+),\n", re.MULTILINE)


def with_benchmarks(text: str) -> str:
    """Give each non-local rule a ``benchmark:`` next to its log: the same path, under benchmarks/.

    The log expression (e.g. ``FIGURE1.log("check")``) carries the rule's wildcards, so the
    benchmark path, derived from it, carries them too.
    """

    def add(match: re.Match) -> str:
        body = match["body"]
        log = LOG.search(body)
        if "localrule: True" in body or log is None:
            return match[0]
        benchmark = (
            "    benchmark:\n"
            f"        ({log['expression']}).replace(\"results/logs/\", \"benchmarks/\").replace(\".log\", \".tsv\")\n"
        )
        return match[0].replace("    log:\n", benchmark + "    log:\n", 1)

    return RULE.sub(add, text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=REPO / "config" / "config.yaml")
    parser.add_argument("--keep", type=Path, help="run here and keep the directory")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="measure-"))
    copy_workflow(workdir, REPO)
    shutil.copy2(args.config, workdir / "config" / "config.yaml")
    for path in (workdir / "workflow" / "rules").glob("*.smk"):
        path.write_text(with_benchmarks(path.read_text()))
    snakemake = Path(sys.executable).with_name("snakemake")
    subprocess.run([str(snakemake), "--cores", "1"], cwd=workdir, check=True)
    print(f"{'job':<48}{'max_rss MB':>12}{'wall s':>10}")
    for table in sorted((workdir / "benchmarks").rglob("*.tsv")):
        with open(table, newline="") as handle:
            row = next(csv.DictReader(handle, delimiter="\t"))
        job = str(table.relative_to(workdir / "benchmarks").with_suffix(""))
        print(f"{job:<48}{float(row['max_rss']):>12.0f}{float(row['s']):>10.1f}")
    if args.keep is None:
        shutil.rmtree(workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
