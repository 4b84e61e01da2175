"""pytest plugin for ``roses verify``'s nbval run (``-p roses.site.nbval_kernel``): nbval's kernel is
started as roses starts its own (``roses.engine.execute.Kernel``). One that is not ready within
``READY_TIMEOUT`` is shut down and a fresh one, with new ports, is started once; nbval alone would
wait 60 s and fail the chapter (decision 24)."""

from __future__ import annotations

import sys

import nbval.kernel

from roses.engine.execute import READY_TIMEOUT

_nbval_start = nbval.kernel.start_new_kernel


def start_new_kernel(startup_timeout: float = 60, kernel_name: str = "python", **kwargs):
    """nbval's ``start_new_kernel``, tried a second time if the first kernel never answers."""
    try:
        return _nbval_start(startup_timeout=READY_TIMEOUT, kernel_name=kernel_name, **kwargs)
    except RuntimeError as first:  # nbval has already shut that kernel down
        print(f"roses: {first}; starting another kernel", file=sys.stderr)
        return _nbval_start(startup_timeout=startup_timeout, kernel_name=kernel_name, **kwargs)


nbval.kernel.start_new_kernel = start_new_kernel  # RunningKernel looks the name up in nbval.kernel
