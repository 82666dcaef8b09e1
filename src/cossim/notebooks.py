"""Executing parameterised notebooks with papermill on this environment's own kernel.

A workflow must not depend on whichever ``python3`` kernel a machine happens to have
registered, so :func:`private_kernel` writes a kernel spec whose ``argv`` is the running
interpreter into a temporary directory that leads ``JUPYTER_PATH`` while a notebook runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

KERNEL_NAME = "cossim-workflow"


class NotebookFailed(RuntimeError):
    """A notebook raised; the message points at the executed copy showing the error.

    Parameters
    ----------
    message : str
    """


@contextlib.contextmanager
def private_kernel(python: str = sys.executable):
    """Register a kernel named :data:`KERNEL_NAME` running ``python``, for this process only.

    Parameters
    ----------
    python : str
        Path of the interpreter (default: the running one).

    Yields
    ------
    str
        The kernel name, :data:`KERNEL_NAME`.
    """
    with tempfile.TemporaryDirectory(prefix="cossim-kernel-") as root:
        spec_dir = Path(root, "kernels", KERNEL_NAME)
        spec_dir.mkdir(parents=True)
        spec = {
            "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": f"Python ({python})",
            "language": "python",
            "metadata": {"debugger": False},
        }
        (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
        previous = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [root, previous]))
        try:
            yield KERNEL_NAME
        finally:
            if previous is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = previous


INJECTED_CELL_ID = "injected-parameters"


def strip_run_metadata(notebook_path, workdir=None) -> None:
    """Remove what differs between two executions of the same notebook, in place.

    papermill and the kernel stamp wall-clock times (per cell and per run), durations and
    absolute paths into an executed notebook, and papermill gives its injected-parameters
    cell a random id. Dropping these makes the same notebook with the same parameters give
    byte-identical ``.ipynb`` and HTML files; outputs, parameters and errors are kept.

    Parameters
    ----------
    notebook_path : str or Path
    workdir : str or Path, optional
        Directory that ``input_path`` is made relative to (default: the current one).
    """
    import nbformat

    workdir = Path(workdir or os.getcwd())
    notebook = nbformat.read(notebook_path, as_version=4)
    run = notebook.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "output_path"):
        run.pop(key, None)
    if "input_path" in run:
        source = Path(run["input_path"])
        run["input_path"] = str(source.relative_to(workdir)) if source.is_relative_to(workdir) else source.name
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        for key in ("start_time", "end_time", "duration"):
            cell.metadata.get("papermill", {}).pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = INJECTED_CELL_ID
    nbformat.write(notebook, notebook_path)


def portable_parameter(value, workdir=None):
    """``value`` with absolute paths inside ``workdir`` made relative to it (lists element-wise).

    A notebook's parameters are printed into the executed notebook; an absolute path there
    would make the same run in another clone or directory give different bytes.

    Parameters
    ----------
    value : object
        A parameter value; strings and lists or tuples of them are rewritten.
    workdir : str or Path, optional
        Default: the current directory.

    Returns
    -------
    object
        ``value`` itself, a relative POSIX path, or a list.
    """
    if isinstance(value, (list, tuple)):
        return [portable_parameter(item, workdir) for item in value]
    if isinstance(value, str) and os.path.isabs(value):
        workdir = Path(workdir or os.getcwd()).resolve()
        path = Path(value).resolve()
        if path.is_relative_to(workdir):
            return path.relative_to(workdir).as_posix()
    return value


def render_html(notebook_path, html_path) -> None:
    """Render an executed notebook to a stand-alone HTML page for reading, code left out.

    Prose, tables and figures are kept, with the code left out (the executed ``.ipynb`` keeps
    it); images are embedded.

    Parameters
    ----------
    notebook_path : str or Path
    html_path : str or Path
    """
    import nbformat
    from nbconvert import HTMLExporter

    from .io import atomic_path

    notebook = nbformat.read(notebook_path, as_version=4)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(notebook)
    with atomic_path(html_path) as temporary:
        temporary.write_text(body, encoding="utf-8")


def execute_notebook(source, executed, html, parameters: dict, failed_copy) -> None:
    """Run ``source`` with papermill, writing the executed notebook and its HTML rendering.

    Both outputs appear only when the run succeeds. On failure the executed notebook, with
    the error in its cells, is kept at ``failed_copy`` and :class:`NotebookFailed` names it.

    Parameters
    ----------
    source : str or Path
        The parameterised notebook.
    executed : str or Path
        Output path of the executed ``.ipynb``.
    html : str or Path
        Output path of the HTML rendering.
    parameters : dict
        papermill parameters.
    failed_copy : str or Path
        Where a failed run's executed notebook is kept.

    Raises
    ------
    NotebookFailed
        If a cell raised.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .io import atomic_path

    with private_kernel() as kernel, atomic_path(executed) as temporary:
        try:
            papermill.execute_notebook(
                str(source),
                str(temporary),
                parameters=parameters,
                kernel_name=kernel,
                cwd=os.getcwd(),
                progress_bar=False,
                log_output=True,
            )
        except PapermillExecutionError as error:
            Path(failed_copy).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(temporary, failed_copy)
            raise NotebookFailed(
                f"notebook {source} failed: {error.ename}: {error.evalue}\n"
                f"the executed notebook with the error is at {failed_copy}"
            ) from None
        strip_run_metadata(temporary)
        render_html(temporary, html)
