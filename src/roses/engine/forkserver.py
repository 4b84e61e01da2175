"""Kernels that start warm: forked from a server process that has already imported roses.

A fresh python3 kernel spends about 2 s importing ipykernel, pandas, scipy, plotly and roses before a
chapter's first cell does any work, and the book's two kernels would each pay it. Here one server
process (``python -m roses.engine.forkserver``) imports all of it once, while the build does other
work, then forks one child per kernel asked for; each child becomes an ordinary ipykernel with the
connection file, environment and working folder jupyter_client chose (``ForkedProvisioner`` in
``roses.engine.execute``), so a notebook runs on the kernel ``KernelManager`` would have launched,
started 2 s sooner. ``roses build`` starts the server first thing, so its imports overlap the build's
own (papermill, Sphinx).

Only code is preloaded, never data: a chapter still opens every file it reads, so its read log (and
the incremental build that trusts it) is the same as on a kernel launched the usual way.

Lifetimes: the server exits when the process that started it goes (its stdin closes) or closes it;
each kernel watches the server (ipykernel's parent poller) and exits when it goes. The server ignores
SIGCHLD, so the kernels it forks never linger as zombies. Settings ipykernel reads from the environment
when it is imported were read in the server, whose environment is the build's: the kernel's own
environment (the build's, plus what jupyter_client adds) is set before ipykernel starts.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import traceback

from roses.engine import compat

# What a kernel and a chapter import before its first cell does any work: ipykernel's debugger (debugpy,
# 0.15 s) as the kernel starts; ``roses.pages.chapter`` loads every exhibit; myst-nb's glue and
# pandera's checks are imported later, by the first fact and the first read.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.debugger",
    "roses.pages.chapter",
    "myst_nb.ext.glue",
    "pandera.backends.pandas.builtin_checks",
)
LAUNCHER = ["-m", "ipykernel_launcher"]  # the python3 kernelspec's command: python -m ipykernel_launcher -f FILE


def serve() -> None:
    """The server's loop: preload, then fork a kernel for each request line ({"argv", "env", "cwd"})
    and answer with its pid, one line each."""
    if sys.path and sys.path[0] == "":  # as ipykernel_launcher does: the working folder is not a package root
        del sys.path[0]
    # jupyter_client sets this in every kernel's environment; debugpy reads it when imported (here)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    try:
        for module in PRELOAD:
            importlib.import_module(module)
    except Exception:  # noqa: BLE001 (broken code: kernels start the usual way, and a chapter reports the error)
        sys.exit(1)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernels are reaped as they exit
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the build, which stops us by closing stdin
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _become_kernel(request)
        with contextlib.suppress(OSError):  # the child does it too: whichever runs first, no signal misses
            os.setpgid(pid, pid)
        print(pid, flush=True)


def _become_kernel(request: dict) -> None:
    """In the forked child: take the kernel's own group, streams, environment and folder; run ipykernel."""
    try:
        os.setpgid(0, 0)  # signals to the kernel's group (interrupt, kill) never reach the server
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(2, 1)  # stdout is the server's answer pipe: the kernel's own output goes where stderr goes
        os.environ.clear()
        os.environ.update(request["env"])
        # Exit when the server exits (ipykernel read JPY_PARENT_PID at import, in the server: say it again).
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        argv = [*request["argv"], f"--IPKernelApp.parent_handle={os.getppid()}"]
        os.chdir(request["cwd"])
        launcher = importlib.util.find_spec("ipykernel_launcher")
        sys.argv = [str(launcher.origin if launcher else "ipykernel_launcher"), *argv]
        from ipykernel.kernelapp import launch_new_instance  # noqa: PLC0415 (preloaded: no cost)

        launch_new_instance(argv=argv)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # noqa: BLE001 (the child must never return into the server's loop)
        traceback.print_exc()
        code = 1
    compat.run_exit_handlers_and_exit(code)  # never back into the server's loop


class ServerGone(RuntimeError):
    """The server is not there to fork a kernel: launch it the usual way."""


class ForkServer:
    """The server process, started at once and used when its first kernel is asked for."""

    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "roses.engine.forkserver"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._lock = threading.Lock()
        self._ready = False

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """A new kernel process; returns its pid."""
        with self._lock:
            if not self._ready:
                if self.process.stdout.readline().strip() != "ready":
                    raise ServerGone("the kernel fork server could not import roses")
                self._ready = True
            try:
                self.process.stdin.write(json.dumps({"argv": argv, "env": env, "cwd": cwd}) + "\n")
                self.process.stdin.flush()
            except BrokenPipeError:
                raise ServerGone("the kernel fork server has stopped") from None
            answer = self.process.stdout.readline().strip()
            if not answer.isdigit():
                raise ServerGone("the kernel fork server has stopped")
            return int(answer)

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """Stop the server now (its kernels are their own process groups and outlive it until shut down;
        one left running exits when it sees the server gone)."""
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.kill()
            self.process.wait()


_STARTED: list[ForkServer] = []  # this process's server, once started


def start() -> None:
    """From now on, this process's new kernels are forked from a server that has imported roses: call
    it as early as possible, the server imports while the caller works. Idempotent."""
    if not _STARTED:
        _STARTED.append(server := ForkServer())
        atexit.register(server.close)  # registered before any kernel: runs after their shutdowns


def running() -> ForkServer | None:
    """This process's server, if it was started and is still running."""
    return next((server for server in _STARTED if server.alive()), None)


if __name__ == "__main__":
    serve()
