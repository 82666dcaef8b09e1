"""Executing parameterised notebooks with papermill on this environment's own, private kernel.

A workflow must not depend on whichever ``python3`` kernel a machine happens to have
registered, so :func:`private_kernel` writes a kernel spec whose ``argv`` is the running
interpreter into a private directory that leads ``JUPYTER_PATH`` while a notebook runs.

A kernel must not be reachable by other users of a shared node either. Jupyter's default
transport binds five TCP ports on 127.0.0.1, which every local user can connect to (the
iopub port publishes every output unauthenticated, in plain text). :func:`private_kernel`
therefore gives papermill a kernel manager (:func:`ipc_kernel_manager`) that uses ZeroMQ's
``ipc`` transport: the kernel's five channels are Unix domain sockets in a directory made
per run by :func:`tempfile.mkdtemp` (mode 0700, so only this user can reach the sockets);
the kernel's command (:data:`KERNEL_LAUNCHER`) moves ipykernel's pipe for subprocess output,
otherwise a sixth TCP port, into that directory as well; and the connection file holding
the HMAC key is written there too, with mode 0600. The directory and everything in it are
removed when the notebook has run, whether it succeeded or failed. Nothing transport-specific
reaches the executed notebook, so its bytes and its HTML are those of a TCP run.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

KERNEL_NAME = "cossim-workflow"
# Names inside the private directory: the connection file and the stem of the five sockets
# (``ipc-1`` ... ``ipc-5``; jupyter_client appends ``-<n>`` to the stem).
CONNECTION_FILE = "kernel.json"
SOCKET_STEM = "ipc"
# ipykernel also listens for output from forked subprocesses of the kernel, on a TCP port of
# 127.0.0.1 whatever the transport; :data:`KERNEL_LAUNCHER` moves that pipe to this socket.
SUBPROCESS_PIPE = "iopub-pipe"
# A Unix socket's path must fit in ``sun_path`` (108 bytes on Linux, 104 on macOS, with the
# terminating NUL); a longer TMPDIR falls back to /tmp.
SOCKET_PATH_LIMIT = 100


class NotebookFailed(RuntimeError):
    """A notebook raised; the message points at the executed copy showing the error.

    Parameters
    ----------
    message : str
    """


# The kernel's command (``python -c``) takes ipykernel_launcher's own steps (the working
# directory leaves sys.path while ipykernel loads, and IPython puts it back; ``sys.argv[0]``
# is the launcher's file, as with ``-m``) and moves ipykernel's IOPub subprocess pipe (the
# version is pinned in envs/requirements.txt) from ``tcp://127.0.0.1:<random port>`` to a
# Unix socket in the private directory. Messages on that pipe are still authenticated by
# ipykernel's random 16-byte prefix. No ``{name}`` may appear below but ``{pipe}``:
# jupyter_client fills such fields of a kernel's argv.
KERNEL_LAUNCHER = """\
import sys
if sys.path and sys.path[0] == "":
    del sys.path[0]
import ipykernel_launcher
sys.argv[0] = ipykernel_launcher.__file__
import os
import zmq
from zmq.eventloop.zmqstream import ZMQStream
from ipykernel import iostream
PIPE = {pipe!r}
def _setup_pipe_in(self):
    self._pipe_uuid = os.urandom(16)
    pipe_in = self.socket.context.socket(zmq.PULL)
    pipe_in.linger = 0
    pipe_in.bind(PIPE)
    self._pipe_port = None
    self._pipe_in = ZMQStream(pipe_in, self.io_loop)
    self._pipe_in.on_recv(self._handle_pipe_msg)
def _setup_pipe_out(self):
    ctx = zmq.Context()
    pipe_out = ctx.socket(zmq.PUSH)
    pipe_out.linger = 3000
    pipe_out.connect(PIPE)
    return ctx, pipe_out
iostream.IOPubThread._setup_pipe_in = _setup_pipe_in
iostream.IOPubThread._setup_pipe_out = _setup_pipe_out
from ipykernel import kernelapp
kernelapp.launch_new_instance()
"""


def _socket_paths_fit(directory: str) -> bool:
    """Whether the longest socket path in ``directory`` fits in a Unix socket address."""
    longest = max(f"{SOCKET_STEM}-99", SUBPROCESS_PIPE, key=len)
    return len(os.fsencode(os.path.join(directory, longest))) <= SOCKET_PATH_LIMIT


@contextlib.contextmanager
def private_directory(prefix: str = "cossim-kernel-"):
    """A fresh directory that only this user can enter, removed with all its contents on exit.

    Made by :func:`tempfile.mkdtemp` (mode 0700, owned by the running user) in the temporary
    directory, or in ``/tmp`` if that one's path is too long for the Unix sockets put in it.

    Parameters
    ----------
    prefix : str
        Start of the directory's name.

    Yields
    ------
    Path
        The directory.
    """
    root = tempfile.mkdtemp(prefix=prefix)
    if not _socket_paths_fit(root) and os.path.isdir("/tmp"):
        os.rmdir(root)
        root = tempfile.mkdtemp(prefix=prefix, dir="/tmp")
    try:
        if not _socket_paths_fit(root):
            raise RuntimeError(f"private kernel directory {root} is too long a path for Unix sockets")
        info = os.lstat(root)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            raise RuntimeError(f"private kernel directory {root} is not a directory private to this user")
        yield Path(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def ipc_kernel_manager(directory):
    """A kernel manager class whose kernels talk over Unix sockets in ``directory`` only.

    papermill passes it on to nbclient (``kernel_manager_class``), which makes one instance
    per notebook. Whatever configuration it is given, its transport is ``ipc``, its sockets
    are ``<directory>/ipc-<n>`` and its connection file is ``<directory>/kernel.json``
    (written by jupyter_client with mode 0600).

    Parameters
    ----------
    directory : str or Path
        A private directory, as made by :func:`private_directory`.

    Returns
    -------
    type
        A subclass of :class:`jupyter_client.AsyncKernelManager`.
    """
    from jupyter_client import AsyncKernelManager

    directory = Path(directory)

    class PrivateIPCKernelManager(AsyncKernelManager):
        """An :class:`~jupyter_client.AsyncKernelManager` pinned to IPC sockets in a private directory."""

        def __init__(self, **kwargs):
            kwargs.update(
                transport="ipc",
                ip=str(directory / SOCKET_STEM),
                connection_file=str(directory / CONNECTION_FILE),
                cache_ports=False,
            )
            super().__init__(**kwargs)

    return PrivateIPCKernelManager


@contextlib.contextmanager
def private_kernel(python: str = sys.executable):
    """Register a kernel named :data:`KERNEL_NAME` running ``python``, reachable by this user only.

    The kernel spec, the connection file and the kernel's sockets all live in one
    :func:`private_directory`, removed on exit.

    Parameters
    ----------
    python : str
        Path of the interpreter (default: the running one).

    Yields
    ------
    tuple of (str, type)
        The kernel name, :data:`KERNEL_NAME`, and the kernel manager class to hand to
        papermill (``kernel_manager_class``), from :func:`ipc_kernel_manager`.
    """
    with private_directory() as root:
        spec_dir = Path(root, "kernels", KERNEL_NAME)
        spec_dir.mkdir(parents=True)
        launcher = KERNEL_LAUNCHER.format(pipe=f"ipc://{root / SUBPROCESS_PIPE}")
        spec = {
            "argv": [python, "-c", launcher, "-f", "{connection_file}"],
            "display_name": f"Python ({python})",
            "language": "python",
            "metadata": {"debugger": False},
        }
        (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
        previous = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(root), previous]))
        try:
            yield KERNEL_NAME, ipc_kernel_manager(root)
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
    cell a random id; and a cell's printed text arrives in as many stream outputs as the
    kernel happened to flush, which depends on timing (:func:`coalesced_outputs`). Dropping
    and merging these makes the same notebook with the same parameters give byte-identical
    ``.ipynb`` and HTML files; outputs, parameters and errors are kept.

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
        if "outputs" in cell:
            cell.outputs = coalesced_outputs(cell.outputs)
    nbformat.write(notebook, notebook_path)


def coalesced_outputs(outputs: list) -> list:
    """A cell's outputs with each run of consecutive stream outputs of one stream merged into one.

    Parameters
    ----------
    outputs : list of nbformat.NotebookNode
        The outputs of one code cell, in order.

    Returns
    -------
    list of nbformat.NotebookNode
        The same outputs, where consecutive ``stream`` outputs of the same ``name`` (stdout,
        stderr) are one output whose text is theirs joined: what the cell printed, however
        the kernel split it into messages.
    """
    merged = []
    for output in outputs:
        last = merged[-1] if merged else None
        if last is not None and output.output_type == "stream" == last.output_type and output.name == last.name:
            last.text += output.text
        else:
            merged.append(output)
    return merged


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


OFFLINE_TEMPLATE = (
    "{%- extends 'lab/index.html.j2' -%}"
    "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}"
    "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}"
)
"""nbconvert's JupyterLab page without the scripts it loads from a CDN (require.js, MathJax,
Mermaid): our notebooks use none of them, and a page must open offline."""


def html_exporter():
    """The HTML exporter of :func:`render_html`: code and prompts left out, images embedded, and
    nothing loaded from the network (:data:`OFFLINE_TEMPLATE`).

    Importing nbconvert and what its first rendering loads (templates, filters, lexers) takes about
    0.6 s; :func:`execute_notebook` does it in a thread while the kernel runs the notebook, by
    rendering an empty notebook (whose page is discarded).

    Returns
    -------
    nbconvert.HTMLExporter
    """
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        extra_loaders=[jinja2.DictLoader({"offline.html.j2": OFFLINE_TEMPLATE})],
        template_file="offline.html.j2",
    )
    exporter.from_notebook_node(nbformat.v4.new_notebook())
    return exporter


def render_html(notebook_path, html_path, exporter=None) -> None:
    """Render an executed notebook to a stand-alone HTML page for reading, code left out.

    Prose, tables and figures are kept, with the code left out (the executed ``.ipynb`` keeps
    it); images are embedded.

    Parameters
    ----------
    notebook_path : str or Path
    html_path : str or Path
    exporter : nbconvert.HTMLExporter, optional
        :func:`html_exporter`'s, made beforehand; a new one by default.
    """
    import nbformat

    from .io import atomic_path

    notebook = nbformat.read(notebook_path, as_version=4)
    body, _ = (exporter or html_exporter()).from_notebook_node(notebook)
    with atomic_path(html_path) as temporary:
        temporary.write_text(body, encoding="utf-8")


def execute_notebook(source, executed, html, parameters: dict, failed_copy) -> None:
    """Run ``source`` with papermill, writing the executed notebook and its HTML rendering.

    Both outputs appear only when the run succeeds. On failure the executed notebook, with
    the error in its cells, is kept at ``failed_copy`` and :class:`NotebookFailed` names it.
    The kernel runs on :func:`private_kernel`: IPC sockets in a private directory, never TCP.

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
    from concurrent.futures import ThreadPoolExecutor

    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .io import atomic_path

    with ThreadPoolExecutor(max_workers=1) as pool, private_kernel() as (kernel, manager), \
            atomic_path(executed) as temporary:
        # nbconvert loads while this process waits on the kernel (the result is the same exporter)
        exporter = pool.submit(html_exporter)
        try:
            papermill.execute_notebook(
                str(source),
                str(temporary),
                parameters=parameters,
                kernel_name=kernel,
                kernel_manager_class=manager,
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
        render_html(temporary, html, exporter.result())
