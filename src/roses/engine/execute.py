"""Execute an edition's notebooks with papermill on one long-lived kernel per process.

Starting a kernel and importing pandas, plotly and roses costs more than running a chapter, and the
national files are parsed once per kernel (roses caches them). So each worker process keeps its
kernels (an editions worker one, the main book two side by side: ``kernel(index)``), each with one
client connected once, and papermill reuses them. Before every notebook a first cell, run by papermill
and dropped from the output, starts the notebook's read log, sets the working folder and deletes
every name the previous notebook made, so a chapter cannot lean on another's variables. (IPython's ``%reset -f`` would do it too, but it runs a
full garbage collection: half a second per notebook on a kernel holding the national files.) The
kernel dies with its process (ipykernel watches its parent), and is shut down at a normal exit.

Nothing a notebook writes to stderr is kept (``published_outputs``): warnings name input files and
quote their cells, so they go to the build's log at most, never to a page.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import json
import multiprocessing.util
import os
import queue
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import papermill
from jupyter_client.manager import KernelManager
from jupyter_client.provisioning import LocalProvisioner  # public: made to be subclassed

from roses.engine import compat, forkserver
from roses.engine.forkserver import LAUNCHER, ForkServer, ServerGone

ENGINE = "roses-persistent"
HIDE = "remove-cell"


compat.register_persistent_engine(ENGINE)  # papermill's nbclient engine, on a kernel kept alive


class ForkedProcess:
    """What jupyter_client's provisioner keeps of a kernel (a ``Popen``'s part it uses), for a process
    that is the server's child rather than ours."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # gone (the server reaped it): its exit status is the server's to know
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if timeout is not None and deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return code

    def send_signal(self, signum: int) -> None:
        # A kernel that has already exited (its fork server gone at exit) has nothing left to signal,
        # as subprocess.Popen.send_signal ignores a finished process.
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkedProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching the python3 kernel as a fork of ``server``. A
    kernelspec whose command is not this Python's ipykernel_launcher is launched the usual way."""

    server: ForkServer | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs):
        if self.server is None or cmd[:3] != [sys.executable, *LAUNCHER]:
            return await super().launch_kernel(cmd, **kwargs)
        env = kwargs.get("env") or dict(os.environ)
        cwd = str(kwargs.get("cwd") or Path.cwd())
        try:
            process = ForkedProcess(self.server.fork(cmd[3:], env, cwd))
        except ServerGone:
            return await super().launch_kernel(cmd, **kwargs)
        return compat.launched(self, process, cwd)


# A kernel answers kernel_info within a few seconds even on a loaded machine. Rarely one never does
# (ipykernel 7 can miss its first requests; two kernels can pick the same free port): after this
# long it is killed and a fresh one, with new ports, is started once (decision 24).
READY_TIMEOUT = 30.0


class KernelNotReady(RuntimeError):
    """The kernel died, or did not answer kernel_info in time, before it was ready."""


class Kernel:
    """One python3 kernel kept alive between notebooks; forked from ``server`` (started warm) if
    given. A kernel that is not ready within ``ready_timeout`` is replaced once by a fresh one."""

    def __init__(self, server: ForkServer | None = None, env: dict | None = None, ready_timeout: float = READY_TIMEOUT):
        try:
            self._start(server, env, ready_timeout)
        except KernelNotReady as first:
            print(f"roses: {first}; starting another kernel", file=sys.stderr)
            self._start(server, env, ready_timeout)

    def _start(self, server: ForkServer | None, env: dict | None, timeout: float) -> None:
        self.manager = KernelManager(kernel_name="python3")
        if server is not None:
            compat.use_provisioner(self.manager, ForkedProvisioner, server=server)
        self.manager.start_kernel(env=dict(os.environ) if env is None else env)  # None: as jupyter_client
        self.client = self.manager.client()  # used by one thread at a time
        self.client.start_channels()
        try:
            self._wait_until_ready(timeout)
        except KernelNotReady:
            self.shutdown()
            raise
        self.client.allow_stdin = False

    def _wait_until_ready(self, timeout: float) -> None:
        """jupyter_client's ``wait_for_ready`` less its last step, which waits for 0.2 s of silence on
        IOPub to drop stale messages: nbclient and ``execute_interactive`` read only the messages of
        their own requests. As there, the kernel is ready once it has answered kernel_info on the
        shell channel and IOPub has carried a message (so IOPub is connected)."""
        deadline = time.monotonic() + timeout
        while True:
            self.client.kernel_info()
            try:
                reply = self.client.get_shell_msg(timeout=1)
            except queue.Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    self.client.get_iopub_msg(timeout=0.2)
                except queue.Empty:
                    pass
                else:
                    compat.accept_kernel_info(self.client, reply)
                    return
            if not self.manager.is_alive():
                raise KernelNotReady("the kernel died before it was ready")
            if time.monotonic() > deadline:
                raise KernelNotReady(f"the kernel did not answer within {timeout:.0f} s")

    def alive(self) -> bool:
        return self.manager.is_alive()

    def shutdown(self) -> None:
        self.client.stop_channels()
        if self.manager.has_kernel:
            self.manager.shutdown_kernel(now=True)


_KERNELS: dict[int, Kernel] = {}


def kernel(index: int = 0) -> Kernel:
    """This process's kernel number ``index`` (the main book runs two side by side), started on first
    use and again if it died; kept for the next notebook and the next build (its caches stay warm)."""
    if index not in _KERNELS or not _KERNELS[index].alive():
        _KERNELS[index] = started = Kernel(forkserver.running())
        atexit.register(started.shutdown)
        # Worker processes of multiprocessing skip atexit; their finalisers still run.
        multiprocessing.util.Finalize(started, started.shutdown, exitpriority=10)
    return _KERNELS[index]


def shutdown_kernels() -> None:
    """Shut down this process's kernels now (before it replaces itself: atexit would not run)."""
    for started in _KERNELS.values():
        started.shutdown()
    _KERNELS.clear()


PREPARE_TAG = "roses-prepare"
# IPython's own names (In, Out, _ih, get_ipython...) are in user_ns_hidden; dunders belong to Python.
_PREPARE = """\
def _roses_prepare(shell, cwd):
    import os
    import roses.core.readlog
    roses.core.readlog.reset()  # this notebook's own read log, even if it never imports roses
    os.chdir(cwd)
    for name in [n for n in shell.user_ns if n not in shell.user_ns_hidden and not n.startswith("__")]:
        del shell.user_ns[name]
    shell.user_ns["Out"].clear()
    shell.user_ns.update({{"_": "", "__": "", "___": ""}})
_roses_prepare(get_ipython(), {cwd!r})
"""


def with_prepare_cell(notebook: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
    """A copy of ``notebook`` that first forgets the previous notebook's names and works in ``cwd``."""
    prepared = copy.deepcopy(notebook)
    cell = nbformat.v4.new_code_cell(_PREPARE.format(cwd=str(cwd)))
    cell.metadata["tags"] = [PREPARE_TAG]
    prepared.cells.insert(0, cell)
    return prepared


def hide_injected(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Tag papermill's injected-parameters cell ``remove-cell`` so the book never shows it, and make
    the notebook the same whatever ran before it on the shared kernel: papermill gives the injected
    cell a random id, and the kernel's execution counts run on from the previous notebook."""
    count = 0
    for cell in notebook.cells:
        tags = cell.metadata.setdefault("tags", [])
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"
            if HIDE not in tags:
                tags.append(HIDE)
        if cell.get("cell_type") == "code" and cell.get("execution_count") is not None:
            count += 1
            cell["execution_count"] = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count
    return notebook


STDERR_MIME = "application/vnd.jupyter.stderr"


def published_outputs(notebook: nbformat.NotebookNode, removed: list[str] | None = None) -> nbformat.NotebookNode:
    """Drop what a page must never show: stderr streams (warnings quote input files: a title row above a
    header, a path), outputs of mime type stderr, and error tracebacks. stdout and rich outputs stay.
    The text removed is appended to ``removed`` (for the user's terminal, never for a page)."""
    removed = [] if removed is None else removed
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") != "stdout":
                removed.append(str(output.get("text", "")))
                continue
            if output.get("output_type") == "error":
                removed.append(f"{output.get('ename')}: {output.get('evalue')}")
                continue
            if output.get("output_type") in ("display_data", "execute_result"):
                text = output.get("data", {}).pop(STDERR_MIME, None)
                if text:
                    removed.append(str(text))
                if not output.get("data"):
                    continue
            kept.append(output)
        cell["outputs"] = kept
    return notebook


def execute(
    notebook: Path | nbformat.NotebookNode,
    output: Path,
    parameters: dict,
    cwd: Path,
    timeout: int = 300,
    on: Kernel | None = None,
) -> list[str]:
    """Run ``notebook`` with ``parameters`` into ``output`` (papermill), on kernel ``on`` (default: this
    process's kernel).

    Returns what the notebook wrote to stderr (warnings): removed from ``output``, for the terminal only.
    """
    on = on or kernel()
    source = nbformat.read(notebook, as_version=4) if isinstance(notebook, (str, Path)) else notebook
    executed = papermill.execute_notebook(
        with_prepare_cell(source, cwd),
        None,
        parameters=parameters,
        engine_name=ENGINE,
        km=on.manager,
        kc=on.client,
        kernel_name="python3",
        progress_bar=False,
        execution_timeout=timeout,
        cwd=str(cwd),
    )
    executed.cells = [c for c in executed.cells if PREPARE_TAG not in c.metadata.get("tags", [])]
    for cell in executed.cells:  # papermill's own bookkeeping; not part of the published notebook
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    executed.metadata.pop("papermill", None)
    removed: list[str] = []
    nbformat.write(hide_injected(published_outputs(executed, removed)), output)
    return [text for text in removed if text.strip()]


_READ_LOG = (
    "import json, roses.core.readlog as _r; "
    "print(json.dumps(sorted({{str(p) for root in {roots!r} for p in _r.files_under(root)}})))"
)


def read_files(*roots: Path, on: Kernel | None = None) -> list[Path]:
    """The files under ``roots`` that the last notebook run on kernel ``on`` (default: this process's
    kernel) read: its read log."""
    client = (on or kernel()).client
    printed: list[str] = []

    def collect(message: dict) -> None:
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    reply = client.execute_interactive(
        _READ_LOG.format(roots=[str(Path(r).resolve()) for r in roots]), output_hook=collect, timeout=60
    )
    if reply["content"]["status"] != "ok":
        raise RuntimeError("could not read the kernel's read log")
    return [Path(p) for p in json.loads("".join(printed))]
