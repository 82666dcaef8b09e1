"""Job state for Snakemake's cluster-generic executor: running, success or failed (like squeue/sacct)."""

import os
import sys
from pathlib import Path

SPOOL = Path(".snakemake") / "stand-in-cluster"


def state(job_id: str) -> str:
    """success/failed once the job recorded its exit code; failed if its runner died; else running."""
    spool = SPOOL / job_id
    exitcode = spool / "exitcode"
    if exitcode.exists():
        return "success" if exitcode.read_text().strip() == "0" else "failed"
    try:
        os.kill(int((spool / "pid").read_text()), 0)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return "success" if exitcode.exists() and exitcode.read_text().strip() == "0" else "failed"
    return "running"


if __name__ == "__main__":
    print(state(sys.argv[1]))
