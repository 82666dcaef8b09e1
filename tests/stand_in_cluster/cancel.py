"""Cancel jobs of the local stand-in scheduler (like scancel): stop each job's process group."""

import contextlib
import os
import signal
import sys
from pathlib import Path

SPOOL = Path(".snakemake") / "stand-in-cluster"

if __name__ == "__main__":
    for job_id in sys.argv[1:]:
        with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError):
            os.killpg(int((SPOOL / job_id / "pid").read_text()), signal.SIGTERM)
