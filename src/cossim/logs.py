"""Logging for workflow scripts: everything a job prints goes to its rule's ``log:`` file."""

from __future__ import annotations

import contextlib
import logging
import sys


@contextlib.contextmanager
def logged_to(path):
    """Send stdout, stderr and the ``logging`` module to ``path`` for the duration of a job.

    An exception raised inside the block is logged with its traceback before it propagates,
    so the log always shows why a job failed.
    """
    with open(path, "w", encoding="utf-8") as handle:
        handler = logging.StreamHandler(handle)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        try:
            with contextlib.redirect_stdout(handle), contextlib.redirect_stderr(handle):
                yield logging.getLogger("cossim")
        except BaseException:
            logging.getLogger("cossim").exception("job failed")
            raise
        finally:
            root.removeHandler(handler)
            sys.stdout.flush()
