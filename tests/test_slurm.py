"""profiles/slurm on a real SLURM cluster: slurmctld, slurmd and slurmdbd (MariaDB) on this machine.

The cluster is tools/slurm/cluster.sh's single node (Slurm 22.05 from Debian), the executor is
snakemake-executor-plugin-slurm 2.8.0 (envs/requirements-slurm.txt). The module brings the
cluster up if it is not running, and tears it down afterwards; that needs root and apt (or the
packages installed). Where the machine does not allow it the tests skip with the reason, and
with COSSIM_SLURM_REQUIRED=1 (``make slurm-test``, CI) they fail instead.

Every command has a timeout. A Snakemake that outlives its timeout is killed with its process
group and the SLURM jobs of its run are cancelled, so a hung status query cannot hang the tests.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import REPO, SNAKEMAKE, configured_copy, run_snakemake

pytestmark = pytest.mark.workflow

CLUSTER = REPO / "tools" / "slurm" / "cluster.sh"
PLUGIN_REQUIREMENTS = REPO / "envs" / "requirements-slurm.txt"
# The plugin goes into the venv's own folder, on PYTHONPATH of the SLURM runs only: the rest of the
# test session (and its MANIFEST's package list) keeps the environment of envs/requirements-test.txt.
PLUGIN_DIR = Path(sys.prefix) / "slurm-plugin"
# The account and partition tools/slurm/cluster.sh sets up, filled into the profile's two
# commented slurm_ lines as docs/cluster.md tells a user to.
ACCOUNT, PARTITION = "cossim", "main"
# The plugin waits 40 s after a job finished before it asks again; one job here takes 5-8 s.
STATUS_OPTIONS = ("--slurm-init-seconds-before-status-checks", "10")
SUBMITTED = re.compile(r"submitted with SLURM jobid (\d+)")
RUN_ID = re.compile(r"SLURM run ID: (\S+)")


def unavailable(reason: str):
    """Skip (or, where the SLURM test is required, fail) with a one-line reason."""
    if os.environ.get("COSSIM_SLURM_REQUIRED") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def slurm(*command: str, timeout: int = 30) -> str:
    """Output of a SLURM client command (sinfo, squeue, sacct, scancel), with a timeout."""
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True).stdout


def install_plugin() -> None:
    """The pinned SLURM plugin in PLUGIN_DIR (once per venv and pin)."""
    stamp = PLUGIN_DIR / "requirements-slurm.txt"
    if stamp.exists() and stamp.read_text() == PLUGIN_REQUIREMENTS.read_text():
        return
    shutil.rmtree(PLUGIN_DIR, ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--target", str(PLUGIN_DIR), "-r", str(PLUGIN_REQUIREMENTS)],
        capture_output=True, text=True, timeout=600,
    )
    if result.returncode != 0:
        unavailable(f"SLURM test: cannot install {PLUGIN_REQUIREMENTS.name} with pip: {last_line(result.stderr)}")
    stamp.write_text(PLUGIN_REQUIREMENTS.read_text())


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


@dataclass
class Cluster:
    env: dict


@pytest.fixture(scope="module")
def cluster():
    """The one-node cluster, brought up here unless it already runs (then left running)."""
    if not sys.platform.startswith("linux"):
        unavailable("SLURM test: needs Linux")
    if os.geteuid() != 0:
        unavailable("SLURM test: needs root (tools/slurm/cluster.sh runs the SLURM daemons as root)")
    status = subprocess.run(["bash", str(CLUSTER), "status"], capture_output=True, text=True, timeout=60)
    started_here = status.returncode != 0
    if started_here:
        up = subprocess.run(["bash", str(CLUSTER), "up"], capture_output=True, text=True, timeout=900)
        if up.returncode != 0:
            subprocess.run(["bash", str(CLUSTER), "down"], capture_output=True, timeout=180)
            unavailable(f"SLURM test: no SLURM cluster: {last_line(up.stderr)}")
    try:
        install_plugin()
        env = dict(os.environ, PYTHONHASHSEED="0")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PLUGIN_DIR), os.environ.get("PYTHONPATH")]))
        yield Cluster(env=env)
    finally:
        if started_here:
            subprocess.run(["bash", str(CLUSTER), "down"], capture_output=True, timeout=180)


def slurm_workflow(directory: Path, small_config: dict) -> Path:
    """A copy of the workflow on the small config whose profiles/slurm names the test account."""
    workdir = configured_copy(directory, small_config)
    profile = workdir / "profiles" / "slurm" / "config.yaml"
    text = profile.read_text()
    for key, value in (("slurm_account", ACCOUNT), ("slurm_partition", PARTITION)):
        placeholder = f'  # {key}: "<your {key.removeprefix("slurm_")}>"\n'
        assert placeholder in text, f"profiles/slurm/config.yaml: no line {placeholder!r} to fill in"
        text = text.replace(placeholder, f'  {key}: "{value}"\n')
    profile.write_text(text)
    return workdir


@dataclass
class ClusterRun:
    """One `snakemake --profile profiles/slurm` in its own process group, output in a file."""

    workdir: Path
    targets: tuple
    cluster: Cluster
    options: tuple = ()
    env: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None
    timed_out: bool = False
    seconds: float = 0.0

    def start(self) -> ClusterRun:
        self.log = self.workdir / "snakemake-slurm.log"
        # targets first: options such as --forcerun take every word up to the next option
        command = [SNAKEMAKE, *self.targets, "--profile", "profiles/slurm", *STATUS_OPTIONS, *self.options]
        self.started = time.monotonic()
        with open(self.log, "w") as out:
            self.process = subprocess.Popen(
                command, cwd=self.workdir, env={**self.cluster.env, **self.env}, stdout=out,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )
        return self

    def wait(self, timeout: float) -> ClusterRun:
        """Wait for the end; past ``timeout`` kill the process group. Then cancel the run's jobs."""
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.timed_out = True
            self.signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:  # the plugin may ignore SIGTERM while it polls
                self.signal(signal.SIGKILL)
                self.process.wait(timeout=30)
        finally:
            self.seconds = time.monotonic() - self.started
            self.cancel_leftovers()
        return self

    def signal(self, number: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, number)

    @property
    def output(self) -> str:
        return self.log.read_text()

    @property
    def run_id(self) -> str | None:
        match = RUN_ID.search(self.output)
        return match.group(1) if match else None

    @property
    def job_ids(self) -> list[str]:
        return SUBMITTED.findall(self.output)

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    def queued(self) -> list[str]:
        """``jobid|state`` of this run's jobs that squeue still lists."""
        if self.run_id is None:
            return []
        return slurm("squeue", "-h", "--name", self.run_id, "-o", "%i|%T").split()

    def cancel_leftovers(self) -> None:
        """scancel whatever this run left queued or running (its jobs are named by its run id)."""
        if self.run_id is not None and self.queued():
            slurm("scancel", "--name", self.run_id)
            wait_until(lambda: not self.queued(), 60)

    def report(self, label: str) -> str:
        line = f"{label}: SLURM run {self.run_id}, job ids {' '.join(self.job_ids) or '(none)'}"
        print(f"\n[slurm] {line} ({self.seconds:.0f} s)")
        return line

    def tail(self) -> str:
        return self.output[-6000:]


def run_on_cluster(cluster: Cluster, workdir: Path, *targets: str, timeout: float, options=(), env=None):
    """Run ``targets`` through profiles/slurm; the finished ClusterRun."""
    return ClusterRun(workdir, targets, cluster, options=tuple(options), env=env or {}).start().wait(timeout)


def wait_until(condition, seconds: float, interval: float = 0.5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def alive(pid: str) -> bool:
    """Whether process ``pid`` runs (a zombie, killed but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def sacct_states(job_ids: list[str]) -> dict[str, str]:
    """SLURM's accounting record (slurmdbd) of each job: COMPLETED, FAILED, CANCELLED by 0, ..."""
    out = slurm("sacct", "-X", "-n", "-P", "-o", "JobIDRaw,State", "-j", ",".join(job_ids))
    return dict(line.split("|", 1) for line in out.splitlines() if "|" in line)


def results(workdir: Path) -> list[Path]:
    """Every result file but logs, relative to ``workdir``."""
    base = workdir / "results"
    return sorted(
        path.relative_to(workdir)
        for path in base.rglob("*")
        if path.is_file() and "logs" not in path.relative_to(base).parts
    )


@pytest.fixture(scope="module")
def figure1_on_slurm(cluster, tmp_path_factory, small_config):
    """Target figure1 (data, fits, Figure 1, its check, comparison and papermill notebook) via sbatch."""
    workdir = slurm_workflow(tmp_path_factory.mktemp("slurm") / "wf", small_config)
    run = run_on_cluster(cluster, workdir, "figure1", timeout=600)
    run.report("figure1")
    assert not run.timed_out and run.returncode == 0, run.tail()
    return workdir, run


@pytest.fixture(scope="module")
def figure1_locally(tmp_path_factory, small_config):
    workdir = configured_copy(tmp_path_factory.mktemp("local") / "wf", small_config)
    result = run_snakemake(workdir, "--cores", "2", "figure1", timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return workdir


def test_every_job_of_figure1_went_through_sbatch(figure1_on_slurm):
    workdir, run = figure1_on_slurm
    states = sacct_states(run.job_ids)
    assert len(run.job_ids) >= 5 and set(states) == set(run.job_ids)
    assert set(states.values()) == {"COMPLETED"}, states
    submitted = set(re.findall(r"slurm_logs/((?:rule|group)_\w+)", run.output))
    # data and fits of the data set went as one group job; every other rule as its own job
    assert any(name.startswith("group_dataset") for name in submitted), submitted
    assert {"rule_figure1_matrices", "rule_check_figure1", "rule_figure1_notebook"} <= submitted, submitted


def test_artifacts_through_slurm_are_identical_to_a_local_run(figure1_on_slurm, figure1_locally):
    workdir, _ = figure1_on_slurm
    assert results(workdir) == results(figure1_locally)
    names = {path.name for path in results(workdir)}
    assert {"figure1.png", "figure1.ipynb", "figure1.html"} <= names, names
    for path in results(workdir):
        assert (workdir / path).read_bytes() == (figure1_locally / path).read_bytes(), path


def test_a_failing_job_is_reported_as_failed_with_its_log(cluster, figure1_on_slurm, tmp_path):
    workdir = tmp_path / "wf"
    shutil.copytree(figure1_on_slurm[0], workdir, symlinks=True)
    script = workdir / "workflow" / "scripts" / "figure1" / "matrices.py"
    working = '    log.info("panels: %s", ", ".join(panels))\n'
    assert working in script.read_text()
    script.write_text(script.read_text().replace(working, '    raise RuntimeError("deliberate failure")\n'))
    run = run_on_cluster(
        cluster, workdir, "results/small/figures/figure1.npz", options=("--forcerun", "figure1_matrices"), timeout=300
    )
    run.report("failing job")
    assert not run.timed_out and run.returncode == 1, run.tail()
    output = run.output
    assert "Error in rule figure1_matrices" in output, run.tail()
    assert "results/logs/small/figure1/matrices.log" in output, run.tail()
    assert "deliberate failure" in (workdir / "results/logs/small/figure1/matrices.log").read_text()
    # the profile's `retries: 1`: submitted twice, both recorded by SLURM as FAILED
    assert len(run.job_ids) == 2, run.tail()
    assert set(sacct_states(run.job_ids).values()) == {"FAILED"}
    for job_id in run.job_ids:
        assert f"SLURM-job '{job_id}' failed, SLURM status is: 'FAILED'" in output, run.tail()


def test_ctrl_c_cancels_the_queued_and_running_jobs(cluster, tmp_path, small_config):
    workdir = slurm_workflow(tmp_path / "wf", small_config)
    # four data sets, one group job each: more than the node runs at once, so some wait in the queue
    targets = [f"results/data/small-seed{seed}/interactions.npz" for seed in range(101, 105)]
    run = ClusterRun(workdir, tuple(targets), cluster, options=("--group-components", "dataset=1")).start()
    try:
        wait_until(lambda: run.process.poll() is not None or len(run.queued()) >= 3, 120)
        queued = run.queued()
        assert len(queued) >= 3 and any(job.endswith("|PENDING") for job in queued), (queued, run.tail())
        run.signal(signal.SIGINT)  # what Ctrl-C sends to the terminal's foreground process group
        run.process.wait(timeout=120)
        assert wait_until(lambda: not run.queued(), 60), run.queued()
    finally:
        run.wait(timeout=30)
    run.report("Ctrl-C")
    assert run.returncode != 0 and not run.timed_out, run.tail()
    assert len(run.job_ids) == 4, run.tail()
    assert wait_until(lambda: all(s.startswith("CANCELLED") for s in sacct_states(run.job_ids).values()), 30)


def test_a_hung_status_query_cannot_hang_the_test(cluster, tmp_path, small_config):
    workdir = slurm_workflow(tmp_path / "wf", small_config)
    fake = tmp_path / "bin"
    fake.mkdir()
    # a status query that never answers, and says which process it is
    (fake / "sacct").write_text(f"#!/bin/sh\necho $$ >> {tmp_path}/hung\nexec sleep 600\n")
    (fake / "sacct").chmod(0o755)
    env = {"PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"}
    # the first status query starts 10 s after the submission (STATUS_OPTIONS) and never returns
    run = run_on_cluster(cluster, workdir, "results/data/small-seed201/interactions.npz", timeout=18, env=env)
    run.report("hung sacct")
    assert run.timed_out and run.seconds < 18 + 5 + 30 + 60, (run.seconds, run.tail())
    assert run.run_id is not None and not run.queued()
    hung = (tmp_path / "hung").read_text().split()
    assert hung and wait_until(lambda: not any(alive(pid) for pid in hung), 10)  # killed with the run
