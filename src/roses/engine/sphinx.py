"""Run Sphinx in-process as ``jupyter-book build`` does: the main book and every edition build here.

The build runs Sphinx in-process with jupyter-book's configuration, the steps of jupyter-book's own
``build_sphinx`` (what ``jupyter-book build`` calls), so a process pays for importing Sphinx, the theme
and myst-nb once, not once per build. Execution is off: the notebooks were executed already
(``roses.engine.execute``), so nothing runs twice.
"""

from __future__ import annotations

import io
import traceback
from pathlib import Path

from roses.core.errors import RosesError
from roses.engine import compat

DATA_LINK = "_data"  # the data folder, linked inside a book's source so paths stay relative


class BuildStopped(Exception):
    """Raised by a ``before_read`` hook to stop a Sphinx build that can no longer succeed."""


def overrides() -> dict:
    """What the build changes in jupyter-book's configuration (its command line's options, and one fix)."""
    return {
        "external_toc_path": "_toc.yml",
        "nitpicky": True,
        "latex_individualpages": False,
        **compat.own_templates_path(),
    }


def build_html(source: Path, output: Path, fresh: bool = True, before_read=None) -> Path:
    """Sphinx build of ``source`` into ``output/html`` as ``jupyter-book build`` makes it (its
    configuration, its steps), with warnings as errors and execution off; returns that folder.

    ``fresh=False`` keeps Sphinx's environment in ``output/.doctrees``: only pages whose source changed
    are read and written again (the main book's incremental build). ``before_read(docname)``, if
    given, is called before Sphinx reads each page and returns once the page may be read: the main
    book starts Sphinx while its chapters are still executing. It raises ``BuildStopped`` to give up.

    Sphinx's messages go to a log of this build only (never the process's streams, which the
    chapters running meanwhile are using); its last lines are in the error if the build fails."""
    log = io.StringIO()
    try:
        with compat.jupyter_book_sphinx(source, output, overrides(), log, fresh) as app:
            if before_read is not None:
                compat.gate_reads(app, before_read)
            app.build(False, [])
            failed = app.statuscode != 0
    except BuildStopped:
        raise
    except Exception:  # noqa: BLE001 (an extension's error: reported with the log, as Sphinx would)
        log.write(traceback.format_exc())
        failed = True
    if failed:
        tail = "\n".join(log.getvalue().strip().splitlines()[-15:])
        raise RosesError(f"the book build failed in {source}:\n{tail}")
    return output / "html"
