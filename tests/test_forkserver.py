"""Kernels forked from the fork server (roses.engine.forkserver) are the kernels KernelManager would
have launched: same folder, environment, signals and outputs; and none outlives the process that
started it. A kernel stuck at start-up, forked or launched (or nbval's, in roses verify), is
replaced by a fresh one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import KernelManager

from roses.engine.execute import Kernel, execute
from roses.engine.forkserver import ForkServer

PROBE = [
    "import os, sys, signal\nprint(os.getcwd())",
    "print(os.path.basename(sys.argv[0]), os.environ.get('ROSES_PROBE'))",
    "print(type(get_ipython()).__name__, signal.getsignal(signal.SIGINT) is signal.default_int_handler)",
    "print(signal.getsignal(signal.SIGCHLD) == signal.SIG_DFL, os.getpgid(0) == os.getpid())",
    "import roses.pages.chapter\nprint(roses.pages.chapter.__name__)",
]


def _outputs(notebook: Path) -> list[str]:
    cells = nbformat.read(notebook, as_version=4).cells
    return ["".join(o.get("text", "") for o in c.outputs) for c in cells if c.cell_type == "code"]


def _gone(pid: int) -> bool:
    """No such process, or a zombie that only waits for its parent to read its status."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


def _wait_until_gone(*pids: int, seconds: float = 60) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not all(_gone(p) for p in pids):
        time.sleep(0.2)
    return [p for p in pids if not _gone(p)]


def test_a_forked_kernel_runs_a_notebook_as_a_launched_kernel_does(tmp_path, monkeypatch):
    notebook = tmp_path / "probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in PROBE]), notebook)
    server = ForkServer()
    monkeypatch.setenv("ROSES_PROBE", "set after the server started")  # the kernel's env is the launch's
    results, pids = {}, []
    try:
        for name, on in (("launched", Kernel()), ("forked", Kernel(server))):
            pids.append(on.manager.provisioner.pid)
            execute(notebook, tmp_path / f"{name}.ipynb", {}, tmp_path, on=on)
            results[name] = _outputs(tmp_path / f"{name}.ipynb")
            on.shutdown()
    finally:
        server.close()
    assert results["forked"] == results["launched"]
    assert results["forked"][:4] == [
        f"{tmp_path}\n",
        "ipykernel_launcher.py set after the server started\n",
        "ZMQInteractiveShell True\n",
        "True True\n",
    ]
    assert pids[1] != server.process.pid
    assert _wait_until_gone(*pids) == []


def test_no_kernel_outlives_the_build_that_started_it(tmp_path):
    """The build killed outright (no exit handlers): the server sees its stdin close, the kernel sees
    the server go."""
    script = (
        "import time\n"
        "from roses.engine.execute import Kernel\n"
        "from roses.engine.forkserver import ForkServer\n"
        "server = ForkServer()\n"
        "kernel = Kernel(server)\n"
        "print(server.process.pid, kernel.manager.provisioner.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    build = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        server_pid, kernel_pid = map(int, build.stdout.readline().split())
    finally:
        build.kill()
        build.wait()
    assert _wait_until_gone(server_pid, kernel_pid) == []


def test_a_kernel_starts_the_usual_way_when_the_server_has_stopped(tmp_path):
    server = ForkServer()
    server.close()
    kernel = Kernel(server)
    try:
        assert kernel.alive()
        assert kernel.manager.provisioner.process.__class__.__name__ == "Popen"
    finally:
        kernel.shutdown()


def test_an_interrupt_reaches_the_kernel_and_not_the_server(tmp_path):
    server = ForkServer()
    kernel = Kernel(server)
    try:
        # Interrupt once the cell is running: ipykernel ignores SIGINT between requests.
        request = kernel.client.execute("import time\nprint('sleeping', flush=True)\ntime.sleep(60)")
        while not (
            (m := kernel.client.get_iopub_msg(timeout=30))["msg_type"] == "stream"
            and m["parent_header"]["msg_id"] == request
        ):
            pass
        kernel.manager.interrupt_kernel()
        while (reply := kernel.client.get_shell_msg(timeout=30))["parent_header"]["msg_id"] != request:
            pass
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
        assert server.alive() and kernel.alive()
    finally:
        kernel.shutdown()
        server.close()


class _FirstKernelFrozen:
    """``KernelManager.start_kernel`` that stops (SIGSTOP) the first kernel it starts: alive, never
    answering, as a kernel stuck at start-up is."""

    def __init__(self, monkeypatch):
        self.pids: list[int] = []
        original = KernelManager.start_kernel

        def start_kernel(manager, **kwargs):
            original(manager, **kwargs)
            self.pids.append(manager.provisioner.pid)
            if len(self.pids) == 1:
                os.kill(manager.provisioner.pid, signal.SIGSTOP)
                manager.shutdown_wait_time = 0.5  # it cannot answer a shutdown request: kill it soon

        monkeypatch.setattr(KernelManager, "start_kernel", start_kernel)


def _answers(client) -> bool:
    reply = client.execute_interactive("print(6 * 7)", timeout=60, output_hook=lambda msg: None)
    return reply["content"]["status"] == "ok"


@pytest.mark.parametrize("forked", [False, True], ids=["launched", "forked"])
def test_a_kernel_that_never_answers_is_replaced_by_a_fresh_one(monkeypatch, capfd, forked):
    frozen = _FirstKernelFrozen(monkeypatch)
    server = ForkServer() if forked else None
    try:
        kernel = Kernel(server, ready_timeout=3)
        try:
            assert _answers(kernel.client)
            assert len(frozen.pids) == 2 and kernel.manager.provisioner.pid == frozen.pids[1]
        finally:
            kernel.shutdown()
    finally:
        if server is not None:
            server.close()
    assert _wait_until_gone(frozen.pids[0]) == []
    assert "did not answer within 3 s; starting another kernel" in capfd.readouterr().err


def test_roses_verify_replaces_an_nbval_kernel_that_never_answers(monkeypatch, capfd):
    import nbval.kernel

    from roses.site import nbval_kernel

    frozen = _FirstKernelFrozen(monkeypatch)
    monkeypatch.setattr(nbval_kernel, "READY_TIMEOUT", 3)
    manager, client = nbval.kernel.start_new_kernel(kernel_name=nbval.kernel.CURRENT_ENV_KERNEL_NAME)
    try:
        assert _answers(client)
        assert len(frozen.pids) == 2 and manager.provisioner.pid == frozen.pids[1]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert _wait_until_gone(frozen.pids[0]) == []
    assert "didn't respond in 3 seconds; starting another kernel" in capfd.readouterr().err
