"""Logging for workflow scripts: everything a job prints goes to its rule's ``log:`` file."""

from __future__ import annotations

import contextlib
import logging
import os
import sys


@contextlib.contextmanager
def redirected_file_descriptors(handle):
    """Point the process's file descriptors 1 and 2 at ``handle`` (restored afterwards).

    ``contextlib.redirect_stdout`` only replaces Python's ``sys.stdout``; child processes, such
    as a notebook's kernel, write to the inherited descriptors, which this redirects too.

    Parameters
    ----------
    handle : file object
        An open file with a ``fileno()``.

    Yields
    ------
    None
    """
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    try:
        os.dup2(handle.fileno(), 1)
        os.dup2(handle.fileno(), 2)
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for descriptor in saved:
            os.close(descriptor)


@contextlib.contextmanager
def logged_to(path):
    """Send stdout, stderr and the ``logging`` module to ``path`` for the duration of a job.

    Child processes' output (a notebook kernel's) goes there too. An exception raised inside the
    block is logged with its traceback before it propagates, so the log always shows why a job
    failed.

    Parameters
    ----------
    path : str or Path
        The rule's ``log:`` file (overwritten).

    Yields
    ------
    logging.Logger
        The ``cossim`` logger.
    """
    with open(path, "w", encoding="utf-8", buffering=1) as handle, redirected_file_descriptors(handle):
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
