"""``Chapter``: everything a chapter notebook calls, so each notebook stays a thin list of calls.

    page = Chapter("findings", authority, data_dir)   # starts the page's read log, glues its facts
    page.banner()                                      # whose edition this is, if any
    page.show("table-7.1")                             # one exhibit
    page.data_used()                                   # the closing "data used" footer

The one ``authority`` parameter means a highlighted programme letter or a real English authority
(``roses.exhibits.local.params_for``); the book and every edition use this same class.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
from myst_nb import glue

from roses.core import readlog
from roses.core.errors import RosesError
from roses.core.origin import Origin
from roses.exhibits import authority as authority_exhibits
from roses.exhibits.audit import audit
from roses.exhibits.local import is_programme_letter, own_frame, params_for
from roses.exhibits.registry import Params, frame_csv, get
from roses.pages import blocks, claims, explorers
from roses.pages.facts import chapter_facts
from roses.pages.facts.report import report_findings
from roses.pages.render import HTML, render
from roses.records.releases import exhibit_record, is_result_fact, record_lines

GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`")  # {glue}`name`, {glue:text}`name`...
GLUE_DIRECTIVE = re.compile(r"^\s*(?:```|:::)\{glue(?::\w+)?\}\s+(\S+)", re.MULTILINE)


def prose_glue_names(notebook: Path) -> set[str] | None:
    """The names the notebook's markdown cells glue, or None if the notebook cannot be read."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return None
    text = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "markdown")
    return set(GLUE_ROLE.findall(text)) | set(GLUE_DIRECTIVE.findall(text))


class _Text:
    """A glued value whose text form is exactly the given string (shown without quotes)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


class ParameterError(RosesError):
    """A chapter run with an ``authority`` it cannot show (papermill ``-p authority ...``): a one-line
    message saying what to run, shown by IPython without a traceback (``_render_traceback_``)."""

    def _render_traceback_(self) -> list[str]:
        return [f"roses: {self}"]


def _check_authority(authority: str | None, data_dir: Path | None) -> None:
    """An ``authority`` that is neither a letter A-K nor an English authority stops at once, naming
    what to run (the resolver's own message lists close names)."""
    if not authority or is_programme_letter(authority):
        return
    from roses.national.readers import resolve_authority  # noqa: PLC0415 (only for a real authority)

    try:
        resolve_authority(authority, data_dir)
    except RosesError as error:
        raise ParameterError(
            f"{' '.join(str(error).split())} A programme edition takes a letter (papermill -p authority C); "
            "a real authority's edition is built with: roses edition NAME"
        ) from None


class Chapter:
    def __init__(self, name: str, authority: str | None = None, data_dir: str | Path | None = None):
        readlog.reset()
        self.name = name
        self.data_dir = Path(data_dir) if data_dir else None
        _check_authority(authority, self.data_dir)
        self.params = params_for(authority, self.data_dir)
        self.shown: list[str] = []  # the exhibits shown so far, in order (for key_results)
        if self.params.authority is None:
            self.texts = self.glue_facts()
        else:  # an authority edition's generated pages cite only the report's findings (report_<key>)
            self.texts = self.glue_report()

    def glue_facts(self) -> dict[str, str]:
        """Glue the chapter's facts that its prose uses (``{glue}`name```; every fact when the notebook
        is not in the working folder to read); returns the texts of all its facts."""

        texts, used = {}, prose_glue_names(Path(f"{self.name}.ipynb"))
        for name, fact in chapter_facts(self.name, self.data_dir).items():
            texts[name] = fact.text_for_prose()
            if used is None or name in used:  # each glue is an output the book reads: no unused ones
                glue(name, _Text(texts[name]), display=False)
        return texts

    def glued(self, name: str) -> _Text:
        """A glued fact's text, as ``{glue}`name``` shows it in the book. JupyterLab asks for it: there
        the prose's ``{glue}`` roles are read as ``{eval}`page.glued("name")``` (docs/jupyterlab.md)."""
        if not hasattr(self, "_glued_texts"):
            self._glued_texts = {n: f.text_for_prose() for n, f in chapter_facts(self.name, self.data_dir).items()}
        return _Text(self._glued_texts[name])

    def explorer(self, name: str):
        """An explorer (``roses.pages.explorers``): live ipywidgets with a kernel; in the book, the
        same explorer drawn from precomputed data by the page's own script.

        The indicator explorer names every English authority: it belongs to the public book only.
        Editions and books built from local files are leak-scanned for authority names (a programme
        edition must never hold a real name beside its letters), so they say where to find it."""
        if name == "indicators" and (self.params.highlight or self.params.authority or self.data_dir):
            return HTML(
                '<p class="roses-note">The indicator explorer, which names every English authority, '
                "is in the public book only; here, <code>roses data indicators --authority NAME</code> "
                "gives any authority's figures.</p>"
            )
        return explorers.show(name, self.data_dir)

    def glue_report(self) -> dict[str, str]:
        """Glue only the report's own findings (``report_<key>``): what an authority's page may cite."""

        texts = {}
        for name, fact in report_findings(self.data_dir).items():
            texts[name] = fact.text_for_prose()
            glue(name, _Text(texts[name]), display=False)
        return texts

    def show_edition(self, id: str) -> HTML:
        """One exhibit on a real authority's generated page: the authority exhibits
        (``roses.exhibits.authority``, whose frames are computed for the authority and carry their own
        origin) as they are, every other one as :meth:`show` shows it."""

        if self.params.authority is not None and id in authority_exhibits.ALL:
            return HTML(render(get(id), self.params))
        return self.show(id)

    def show(self, id: str) -> HTML:
        """One exhibit; on a real authority's page, cut to its own rows (national ones as they are)."""
        ex = get(id)
        self.shown.append(id)
        if self.params.authority is None:
            return HTML(render(ex, self.params))
        if ex.origin == Origin.NATIONAL:
            return HTML(render(ex, self.params))
        frame = own_frame(ex, self.params)
        if frame is None:  # a book chapter run for a real authority (papermill -p authority Derby)
            who = self.params.authority
            raise ParameterError(
                f"{ex.number} has nothing for {who}: the book's chapters show the programme (letters A-K); "
                f"{who}'s own edition is built with: roses edition {who}"
                + ("" if self.data_dir else " (add --data DIR for its own survey files)")
            )
        own = replace(ex, summary=_own_summary)
        try:
            return HTML(render(own, self.params, frame))
        except (KeyError, IndexError, ValueError, TypeError):
            # A comparison chart that cannot draw a single authority: the data table alone.
            return HTML(render(replace(own, chart=None), self.params, frame))

    def frame(self, id: str) -> pd.DataFrame:
        return get(id).frame(self.params)

    def banner(self) -> HTML | None:
        return blocks.banner(self.params)

    def data_used(self) -> HTML:
        return blocks.data_used(self.data_dir)

    def catalogue(self) -> HTML:
        return blocks.catalogue()

    def data_files(self) -> HTML:
        return blocks.data_files(self.data_dir)

    def packages(self) -> HTML:
        return blocks.packages()

    def changes(self, kind: str) -> HTML:
        return blocks.changes(kind, self.data_dir)

    def key_results(self, *ids: str) -> None:
        """Print key results (cells marked ``# NBVAL_CHECK_OUTPUT`` compare this output with the
        release): the given exhibits' CSVs; with no ids, the chapter's record as a release keeps it:
        every exhibit shown so far (caption, headline, size, digest, the values of a small frame) and
        the text of every fact its prose glues. An edition, or a book built from local files, prints
        nothing: neither is the book a release records (nbval and ``roses verify`` run the chapters
        with no ``data_dir``), and its pages are leak-scanned for what such a record could hold."""
        if not ids:
            if self.params.highlight or self.params.authority or self.data_dir:
                return
            for id in dict.fromkeys(self.shown):
                frame = self.frame(id)
                audit(id, frame)
                print("\n".join(record_lines(id, exhibit_record(get(id), self.params, frame))))
            used = prose_glue_names(Path(f"{self.name}.ipynb")) or set(self.texts)
            for name in sorted(used & set(self.texts)):
                if is_result_fact(name):  # not the facts about the build itself (commit, date, release)
                    print(f"fact {name}: {self.texts[name]}")
            return
        for id in ids:
            frame = self.frame(id)
            audit(id, frame)  # printed on no page, but checked like every published frame
            print(id)
            print(frame_csv(frame))

    def key_claims(self) -> None:
        """Print the generated claims (compared by nbval and ``roses verify``)."""
        print(claims.as_frame(self.data_dir)[["id", "holds", "evidence"]].to_csv(index=False))


def _own_summary(frame: pd.DataFrame, params: Params) -> str:
    """A real authority's own survey rows: say plainly what is shown (the exhibit's own summary
    compares groups and letters, which are not there)."""
    waves = sorted(frame["wave"].dropna().astype(int).unique()) if "wave" in frame else []
    when = f" (wave {', '.join(map(str, waves))})" if waves else ""
    hidden = int((frame["status"] == "c").sum()) if "status" in frame else 0
    note = f"; {hidden} results are suppressed (c) because they rest on fewer than ten respondents" if hidden else ""
    return f"{params.authority}'s own survey results{when}, from its local files{note}."
