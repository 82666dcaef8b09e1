"""Run many Snakemake command lines cheaply: import Snakemake once, fork once per command line.

Each command line goes through ``snakemake.cli.main``, the function the ``snakemake`` executable
calls, in a forked child process whose working directory, stdout and stderr are its own; only
Python's start-up and Snakemake's import (about a second each on a loaded machine) are shared.
Usage: ``python snakemake_batch.py WORKDIR CASES.json RESULTS.json`` where CASES.json is a list
of argument lists; RESULTS.json receives ``[{"returncode": int, "output": str}, ...]``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

import smart_open  # noqa: F401  (Snakemake imports it lazily when it reads a Snakefile)
import snakemake.api  # noqa: F401  (imported before forking, so that no child pays for it)
import snakemake.cli
import snakemake.workflow  # noqa: F401

import cossim.config  # noqa: F401  (imported by the workflow's common.smk)

snakemake.cli.get_argument_parser()  # loads every plugin registry once, before forking


def run_in_child(workdir: str, arguments: list[str]) -> dict:
    """Fork; the child runs ``snakemake <arguments>`` in ``workdir``; return its exit code and output."""
    with tempfile.TemporaryFile(mode="w+b") as capture:
        pid = os.fork()
        if pid == 0:  # child
            code = 1
            try:
                os.chdir(workdir)
                os.dup2(capture.fileno(), 1)
                os.dup2(capture.fileno(), 2)
                sys.argv = ["snakemake", *arguments]
                snakemake.cli.main(arguments)
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        capture.seek(0)
        return {"returncode": os.waitstatus_to_exitcode(status), "output": capture.read().decode(errors="replace")}


def main(workdir: str, cases_path: str, results_path: str) -> None:
    with open(cases_path, encoding="utf-8") as handle:
        cases = json.load(handle)
    results = [run_in_child(workdir, arguments) for arguments in cases]
    with open(results_path, "w", encoding="utf-8") as handle:
        json.dump(results, handle)


if __name__ == "__main__":
    main(*sys.argv[1:])
