"""Notebook kernels are reachable by this user only: IPC sockets in a private directory, no TCP.

On a shared node every local user can connect to a port of 127.0.0.1, so a kernel on
Jupyter's default TCP transport (five ports, plus ipykernel's pipe for subprocess output)
can be listened to, and its iopub channel publishes every output. cossim.notebooks runs
each kernel over Unix sockets in a directory made per run with mode 0700 and removed
afterwards, with the connection file (and its HMAC key) in it, mode 0600.
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

import nbformat
import pytest
from conftest import run_snakemake

from cossim import notebooks
from cossim.notebooks import NotebookFailed, execute_notebook

TCP_WARNING = "Kernel is running over TCP without encryption"

# Run inside the kernel: what it is connected by, seen from the kernel itself and from the
# operating system (psutil reads /proc/<pid>/fd and /proc/net/{tcp,tcp6,udp,udp6,unix}).
INSPECT_KERNEL = r"""
import json, os, stat, psutil
from ipykernel.connect import get_connection_file
from ipykernel.kernelapp import IPKernelApp

app = IPKernelApp.instance()
connection_file = get_connection_file()
with open(connection_file) as handle:
    written = json.load(handle)
me = psutil.Process()
unix = sorted({c.laddr for c in me.net_connections(kind="unix") if c.laddr})


def described(path):
    info = os.lstat(path)
    return {"mode": stat.S_IMODE(info.st_mode), "uid": info.st_uid, "socket": stat.S_ISSOCK(info.st_mode),
            "dir": stat.S_ISDIR(info.st_mode)}


print(json.dumps({
    "pid": os.getpid(), "uid": os.getuid(),
    "app_transport": app.transport, "app_ip": app.ip,
    "kernel_session_key_set": bool(get_ipython().kernel.session.key),
    "connection_file": connection_file, "written": written,
    "connection_file_stat": described(connection_file),
    "unix_sockets": {path: described(path) for path in unix},
    "directories": {d: described(d) for d in sorted({os.path.dirname(p) for p in unix + [connection_file]})},
    "tcp_listening": [str(c) for c in me.net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN],
    "inet": [str(c) for c in me.net_connections(kind="inet")],
}))
"""

# Output of a forked child goes through ipykernel's subprocess pipe, which now is a Unix socket.
FORKED_OUTPUT = r"""
import os, sys
pid = os.fork()
if pid == 0:
    print("from the forked child", flush=True)
    sys.stdout.flush()
    os._exit(0)
os.waitpid(pid, 0)
"""


def tiny_notebook(path: Path, *cells: str) -> Path:
    """A notebook with a ``parameters`` cell (``answer = 0``) and ``cells``."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell("answer = 0", metadata={"tags": ["parameters"]})]
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in cells]
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def made_directories(monkeypatch):
    """Every directory that cossim.notebooks makes with tempfile.mkdtemp, in order."""
    made = []

    def recording_mkdtemp(*args, **kwargs):
        made.append(Path(real_mkdtemp(*args, **kwargs)))
        return str(made[-1])

    real_mkdtemp = tempfile.mkdtemp
    monkeypatch.setattr(notebooks.tempfile, "mkdtemp", recording_mkdtemp)
    return made


def stream_text(executed: Path, cell: int) -> str:
    return "".join(output.get("text", "") for output in nbformat.read(executed, as_version=4).cells[cell].outputs)


def test_kernel_talks_over_unix_sockets_in_a_private_directory_and_listens_on_no_tcp_port(
    tmp_path, made_directories, monkeypatch, capfd
):
    runtime = tmp_path / "jupyter-runtime"
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.chdir(tmp_path)
    source = tiny_notebook(tmp_path / "inspect.ipynb", INSPECT_KERNEL, FORKED_OUTPUT)
    executed, html = tmp_path / "inspect.out.ipynb", tmp_path / "inspect.html"

    execute_notebook(source, executed, html, {"answer": 42}, tmp_path / "failed.ipynb")

    seen = json.loads(stream_text(executed, 2))
    assert len(made_directories) == 1
    private = made_directories[0]
    # the kernel itself and its connection file say ipc, with socket paths in the private directory
    assert seen["app_transport"] == "ipc" and seen["written"]["transport"] == "ipc"
    assert seen["written"]["ip"] == seen["app_ip"] == str(private / notebooks.SOCKET_STEM)
    assert seen["kernel_session_key_set"] and seen["written"]["key"]
    # the connection file with the HMAC key is in the private directory, mode 0600, owned by us
    assert Path(seen["connection_file"]) == private / notebooks.CONNECTION_FILE
    assert seen["connection_file_stat"]["mode"] == 0o600 and seen["connection_file_stat"]["uid"] == os.getuid()
    # the kernel's sockets: the five channels and the subprocess pipe, all Unix sockets in it
    sockets = seen["unix_sockets"]
    expected = {str(private / f"{notebooks.SOCKET_STEM}-{seen['written'][f'{name}_port']}")
                for name in ("shell", "iopub", "stdin", "control", "hb")}
    expected.add(str(private / notebooks.SUBPROCESS_PIPE))
    assert set(sockets) == expected
    assert all(info["socket"] and info["uid"] == os.getuid() for info in sockets.values())
    # ... whose directory (the only one) is the private one: owned by us, nobody else may enter
    # (jupyter_client adds the sticky bit to a connection file's directory)
    assert list(seen["directories"]) == [str(private)]
    directory = seen["directories"][str(private)]
    assert directory["dir"] and directory["uid"] == os.getuid() == seen["uid"]
    assert directory["mode"] & 0o777 == 0o700
    # and the operating system shows no TCP port listening for this kernel, nor any inet socket
    assert seen["tcp_listening"] == [] and seen["inet"] == []
    # output of forked subprocesses still arrives, through the private pipe
    assert stream_text(executed, 3) == "from the forked child\n"
    assert TCP_WARNING not in capfd.readouterr().err
    # nothing went to Jupyter's runtime directory, and the private directory is gone
    assert not runtime.exists()
    assert not private.exists()


def test_private_directory_is_removed_when_the_notebook_fails(tmp_path, made_directories, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tiny_notebook(tmp_path / "fails.ipynb", "raise ValueError('on purpose')")
    with pytest.raises(NotebookFailed, match="on purpose"):
        execute_notebook(source, tmp_path / "x.ipynb", tmp_path / "x.html", {}, tmp_path / "failed.ipynb")
    assert len(made_directories) == 1 and not made_directories[0].exists()
    assert (tmp_path / "failed.ipynb").exists() and not (tmp_path / "x.ipynb").exists()


@contextlib.contextmanager
def tcp_kernel(python: str = sys.executable):
    """The kernel as it was before: the same spec with ipykernel_launcher, on the default TCP transport."""
    from jupyter_client import AsyncKernelManager

    with tempfile.TemporaryDirectory() as root:
        spec_dir = Path(root, "kernels", notebooks.KERNEL_NAME)
        spec_dir.mkdir(parents=True)
        spec = {
            "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": f"Python ({python})", "language": "python", "metadata": {"debugger": False},
        }
        (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
        previous = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [root, previous]))
        try:
            yield notebooks.KERNEL_NAME, AsyncKernelManager
        finally:
            if previous is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = previous


def test_executed_notebook_and_html_are_byte_identical_to_a_tcp_run(tmp_path, monkeypatch, capfd):
    monkeypatch.chdir(tmp_path)
    source = tiny_notebook(
        tmp_path / "show.ipynb",
        "print('answer', answer)\nanswer * 2",
        "from IPython.display import Markdown, display\ndisplay(Markdown('**bold** text'))",
        "import sys, os\nprint(sys.argv[0] == __import__('ipykernel_launcher').__file__, '' in sys.path, os.getcwd())",
    )
    execute_notebook(source, tmp_path / "ipc.ipynb", tmp_path / "ipc.html", {"answer": 21}, tmp_path / "f.ipynb")
    assert TCP_WARNING not in capfd.readouterr().err
    monkeypatch.setattr(notebooks, "private_kernel", tcp_kernel)
    execute_notebook(source, tmp_path / "tcp.ipynb", tmp_path / "tcp.html", {"answer": 21}, tmp_path / "f.ipynb")
    assert TCP_WARNING in capfd.readouterr().err  # the comparison really ran over TCP
    assert (tmp_path / "ipc.ipynb").read_bytes() == (tmp_path / "tcp.ipynb").read_bytes()
    assert (tmp_path / "ipc.html").read_bytes() == (tmp_path / "tcp.html").read_bytes()
    assert stream_text(tmp_path / "ipc.ipynb", 4) == f"True True {tmp_path}\n"


def test_the_kernel_manager_keeps_ipc_whatever_it_is_configured_with(tmp_path):
    from traitlets.config import Config

    manager_class = notebooks.ipc_kernel_manager(tmp_path)
    config = Config({"KernelManager": {"transport": "tcp", "ip": "127.0.0.1", "connection_file": "/tmp/k.json"}})
    manager = manager_class(kernel_name=notebooks.KERNEL_NAME, config=config, transport="tcp")
    assert manager.transport == "ipc" and manager.ip == str(tmp_path / notebooks.SOCKET_STEM)
    assert manager.connection_file == str(tmp_path / notebooks.CONNECTION_FILE)


def test_a_temporary_directory_too_long_for_unix_sockets_falls_back_to_tmp(tmp_path, monkeypatch):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(notebooks.tempfile, "tempdir", str(deep))
    with notebooks.private_directory() as root:
        assert root.parent == Path("/tmp") and stat.S_IMODE(root.stat().st_mode) == 0o700
    assert not root.exists() and list(deep.iterdir()) == []


@pytest.mark.workflow
def test_figure1_notebook_log_has_no_tcp_kernel_warning(workflow_copy, monkeypatch):
    scratch = Path(tempfile.mkdtemp(prefix="ks-", dir="/tmp"))  # short: the sockets' paths fit
    monkeypatch.setenv("TMPDIR", str(scratch))
    try:
        result = run_snakemake(workflow_copy, "--cores", "1", "figure1")
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
        log = (workflow_copy / "results" / "logs" / "small" / "figure1" / "notebook.log").read_text()
        assert "Executing notebook with kernel" in log
        assert TCP_WARNING not in log and TCP_WARNING not in result.stderr
        assert not [path for path in scratch.iterdir() if path.name.startswith("cossim-kernel-")]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
