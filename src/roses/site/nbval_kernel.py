"""pytest plugin for every nbval run of the chapters: ``roses verify``'s (``-p roses.site.nbval_kernel``)
and a direct ``pytest --nbval-lax book/`` (``book/conftest.py`` imports it). Two jobs:

- **The expected outputs come from the release, never from the notebook.** Each key-result cell
  (``# NBVAL_CHECK_OUTPUT``) of a chapter is given the output the last release recorded
  (``roses.site.verify.expect_release_outputs``) before it runs, whatever the notebook file holds: a
  JupyterLab session that saved outputs into a notebook cannot change what nbval compares with.
- **A kernel that never answers is replaced.** nbval's kernel is started as roses starts its own
  (``roses.engine.execute.Kernel``): one not ready within ``READY_TIMEOUT`` is shut down and a fresh
  one, with new ports, is started once; nbval alone would wait 60 s and fail the chapter (decision 24).
"""

from __future__ import annotations

import sys

from roses.engine.compat import retry_nbval_kernel_start
from roses.engine.execute import READY_TIMEOUT


def _retrying(first: Exception) -> None:
    print(f"roses: {first}; starting another kernel", file=sys.stderr)


retry_nbval_kernel_start(lambda: READY_TIMEOUT, _retrying)


def pytest_collection_modifyitems(session, config, items) -> None:
    """Give the key-result cells of every collected chapter the release's outputs (see above)."""
    cells = [item for item in items if hasattr(item, "cell") and hasattr(item.parent, "nb")]
    if not cells:
        return
    from roses.records.releases import latest  # noqa: PLC0415 (only for notebook runs)
    from roses.site.verify import chapters, expect_release_outputs  # noqa: PLC0415

    release, names = latest(), set(chapters())
    for notebook in {id(item.parent): item.parent for item in cells}.values():
        chapter = notebook.path.stem
        if chapter in names:
            expect_release_outputs(notebook.nb, chapter, release)  # the items share these cell objects
