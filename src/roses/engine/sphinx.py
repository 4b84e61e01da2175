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

import yaml

from roses.core.errors import RosesError

DATA_LINK = "_data"  # the data folder, linked inside a book's source so paths stay relative


class BuildStopped(Exception):
    """Raised by a ``before_read`` hook to stop a Sphinx build that can no longer succeed."""


def _overrides() -> dict:
    return {
        "external_toc_path": "_toc.yml",
        "nitpicky": True,
        "latex_individualpages": False,
        # A new templates_path list per build: the themes append to it, and Sphinx's default is one
        # list for the whole process, so a second build in one process (roses build --watch, an
        # editions batch) saw a changed configuration and rewrote every page.
        "templates_path": [],
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
    # Sphinx loads in ~1 s: only when building.
    from jupyter_book.config import get_final_config  # noqa: PLC0415
    from jupyter_book.pdf import update_latex_documents  # noqa: PLC0415
    from sphinx.application import Sphinx  # noqa: PLC0415
    from sphinx.util.docutils import docutils_namespace, patch_docutils  # noqa: PLC0415

    log = io.StringIO()
    config, meta = get_final_config(
        user_yaml=source / "_config.yml", cli_config=_overrides(), sourcedir=source, use_external_toc=True
    )
    try:
        with patch_docutils(None), docutils_namespace():  # as jupyter-book's build_sphinx does
            app = Sphinx(
                srcdir=source,
                confdir=None,
                outdir=output / "html",
                doctreedir=output / ".doctrees",
                buildername="html",
                confoverrides=config,
                status=None,
                warning=log,
                freshenv=fresh,
                warningiserror=True,
                keep_going=True,
            )
            app.config.latex_documents = update_latex_documents(app.config.latex_documents, meta["latex_doc_overrides"])
            if app.config["use_multitoc_numbering"] and "numbered: true" in yaml.dump(
                app.config.external_site_map.as_json()
            ):
                app.setup_extension("sphinx_multitoc_numbering")
            if before_read is not None:
                app.builder.read_doc = _gated(app.builder.read_doc, before_read)
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


def _gated(read_doc, before_read):
    def read_when_ready(docname, *args, **kwargs):
        before_read(docname)
        return read_doc(docname, *args, **kwargs)

    return read_when_ready
