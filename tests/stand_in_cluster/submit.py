"""Submit a Snakemake job script as if to a batch scheduler: print a job id and return at once.

The job runs later in a detached process (``python3 submit.py --run <spool>``) that
1. makes a private "node" directory: a copy of the working directory without results/ and
   .snakemake/ (the workflow sources and any user data, as on a shared software volume),
2. copies in only the job's declared input files (from the job script's properties),
3. runs the job script there, and
4. copies the job's declared outputs and logs back, then records the exit code.
A rule that reads a file it does not declare fails here, as it would on a cluster whose nodes do
not see the other jobs' results; a rule that relies on in-memory state of another job cannot pass.
Standard library only.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

SPOOL = Path(".snakemake") / "stand-in-cluster"
NOT_ON_NODE = {".snakemake", "results", ".venv", ".git", ".pytest_cache"}


def job_properties(jobscript: Path) -> dict:
    """The ``# properties = {...}`` line Snakemake writes into every job script."""
    for line in jobscript.read_text().splitlines():
        if line.startswith("# properties = "):
            return json.loads(line[len("# properties = ") :])
    raise SystemExit(f"{jobscript}: no '# properties' line")


def copy_path(source: Path, destination: Path) -> None:
    """Copy a file or directory, creating parent directories."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, destination, dirs_exist_ok=True)
    else:
        shutil.copy2(source, destination)


def inside(path: str, root: Path) -> Path | None:
    """``path`` relative to ``root`` if it lies inside it (relative paths do), else None."""
    candidate = Path(path)
    if not candidate.is_absolute():
        return candidate
    try:
        return candidate.resolve().relative_to(root)
    except ValueError:
        return None


def make_node(workdir: Path, node: Path, inputs: list[str]) -> None:
    """The private directory a job runs in: sources without results, plus the declared inputs."""
    node.mkdir(parents=True)
    for entry in workdir.iterdir():
        if entry.name not in NOT_ON_NODE:
            copy_path(entry, node / entry.name)
    for path in inputs:
        relative = inside(path, workdir)
        if relative is not None and (workdir / relative).exists():
            copy_path(workdir / relative, node / relative)


def job_logs(properties: dict, node: Path) -> list[str]:
    """The job's declared logs; a group job's properties list none, so every log its jobs wrote."""
    if "log" in properties:
        return properties["log"]
    logs = node / "results" / "logs"
    return [str(path.relative_to(node)) for path in logs.rglob("*") if path.is_file()] if logs.is_dir() else []


def group_results(properties: dict, node: Path, inputs: list[str]) -> list[str]:
    """Every result file a group job's jobs wrote on the node (not only those its properties list).

    A group job's properties name only the outputs no other job of the group reads; a file one
    of its jobs reads and a job outside the group reads too (a seed's scores, read by the seed's
    check in the group and by the tables after it) is left out. On a shared file system it is
    there anyway; the node copies back every new file under results/ to stand in for that.
    """
    if properties.get("type") != "group":
        return []
    given = {str(inside(path, node)) for path in inputs}
    results = node / "results"
    written = [str(path.relative_to(node)) for path in results.rglob("*") if path.is_file()] if results.is_dir() else []
    return [path for path in written if path not in given]


def run(spool: Path) -> None:
    """Run the spooled job in its node directory; copy outputs and logs back; write the exit code."""
    workdir = Path.cwd().resolve()
    spool = spool.resolve()
    jobscript = spool / "jobscript.sh"
    properties = job_properties(jobscript)
    node = spool / "node"
    # Snakemake leaves the inputs out of a job's properties when there are more than 100 (its
    # IO_PROP_LIMIT; the manifest reads every artifact): such a job gets all of results/, and
    # the stand-in cannot tell its undeclared reads from its declared ones.
    inputs = properties["input"] if properties.get("input") is not None else ["results"]
    make_node(workdir, node, inputs)
    script = jobscript.read_text()
    script = script.replace(f"cd {workdir} &&", f"cd {node} &&")
    script = script.replace(f"--snakefile '{workdir}/", f"--snakefile '{node}/")
    (spool / "node_jobscript.sh").write_text(script)
    with open(spool / "job.out", "w") as log:
        code = subprocess.call(["/bin/sh", str(spool / "node_jobscript.sh")], stdout=log, stderr=subprocess.STDOUT)
    produced = job_logs(properties, node) + ((properties.get("output") or []) if code == 0 else [])
    if code == 0:
        produced += group_results(properties, node, inputs)
    for path in produced:
        relative = inside(path, node)
        if relative is not None and (node / relative).exists():
            copy_path(node / relative, workdir / relative)
    shutil.rmtree(node, ignore_errors=True)
    (spool / "exitcode.tmp").write_text(f"{code}\n")
    os.replace(spool / "exitcode.tmp", spool / "exitcode")


def submit(jobscript: Path) -> str:
    """Spool the job script, start the detached runner, return the job id."""
    job_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    spool = SPOOL / job_id
    spool.mkdir(parents=True)
    shutil.copy2(jobscript, spool / "jobscript.sh")
    with open(spool / "runner.out", "w") as out:
        process = subprocess.Popen(
            [sys.executable, __file__, "--run", str(spool)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    (spool / "pid").write_text(f"{process.pid}\n")
    return job_id


if __name__ == "__main__":
    if sys.argv[1] == "--run":
        run(Path(sys.argv[2]))
    else:
        print(submit(Path(sys.argv[-1])))
