"""pytest plugin for ``roses verify``'s nbval run (``-p roses.site.nbval_kernel``): nbval's kernel is
started as roses starts its own (``roses.engine.execute.Kernel``). One that is not ready within
``READY_TIMEOUT`` is shut down and a fresh one, with new ports, is started once; nbval alone would
wait 60 s and fail the chapter (decision 24)."""

from __future__ import annotations

import sys

from roses.engine.compat import retry_nbval_kernel_start
from roses.engine.execute import READY_TIMEOUT


def _retrying(first: Exception) -> None:
    print(f"roses: {first}; starting another kernel", file=sys.stderr)


retry_nbval_kernel_start(lambda: READY_TIMEOUT, _retrying)
