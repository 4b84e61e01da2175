"""``roses verify``: can a reviewer reproduce the book, and what produced it?

Five checks, one report; any difference fails it:

1. **Notebooks re-execute to the same key results.** Every chapter is copied to a temporary folder
   and run from a fresh kernel by nbval (``pytest --nbval-lax``). Cells marked
   ``# NBVAL_CHECK_OUTPUT`` (every chapter's last one prints each exhibit it shows and each fact its
   prose glues) get the output recorded by the last release (``data/releases/<version>.json``) as
   their expected output (``expect_release_outputs``; the notebooks keep no outputs, so nothing saved
   in a notebook can change the reference); a sanitize file masks volatile ids such as memory
   addresses. Any failing cell or differing key result fails the check.
2. **Two clean builds are byte-identical.** ``roses build --out`` into two temporary folders (run
   side by side, both with the same ``SOURCE_DATE_EPOCH``), then every file is compared.
3. **Every published value equals the release's.** Each exhibit's caption, headline and frame and
   each glued fact's text, computed here from this code and these data, is compared with the
   release; each difference is named with its old and new value (``releases.differences``).
4. **Same data as the release.** Each input file's sha256 is compared with the release's; a file
   changed, added or removed fails the check.
5. **What produced it.** The commit, the data files' checksums, the package versions against
   requirements.lock.

Recording a release (``roses release``) executes the chapters once and stores all of it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from roses.core.errors import RosesError
from roses.core.paths import REPO_ROOT
from roses.engine.execute import Kernel, execute
from roses.exhibits.registry import get as get_exhibit
from roses.pages.chapter import GLUE_ROLE, prose_glue_names
from roses.pages.facts import chapter_facts
from roses.records import provenance, releases

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
# nbval sanitize file: each section replaces a volatile pattern before outputs are compared.
SANITIZE = {
    "memory addresses": (r"0x[0-9a-fA-F]{6,}", "0xADDRESS"),
    "plotly div ids": (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID"),
}


@dataclass
class Check:
    """One line of the report: what was checked, whether it passed, and the details."""

    name: str
    passed: bool
    summary: str
    details: list[str] = field(default_factory=list)


# --- Chapters and their key-result cells ---------------------------------------------------------


def chapters(root: Path = REPO_ROOT) -> list[str]:
    """The notebook chapters in _toc.yml order (Markdown pages have nothing to execute)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [entry["file"] for entry in part.get("chapters", [])]
    return [Path(f).name for f in files if (root / f"{f}.ipynb").is_file()]


def check_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code" and CHECK_MARK in c.source]


def _text_outputs(outputs: list) -> list[dict]:
    """Keep only the text of a cell's outputs (enough to compare key tables, small to store)."""
    kept = []
    for out in outputs:
        if out.get("output_type") == "stream":
            kept.append({"output_type": "stream", "name": out["name"], "text": out["text"]})
        elif out.get("output_type") == "execute_result" and "text/plain" in out.get("data", {}):
            kept.append(
                {
                    "output_type": "execute_result",
                    "execution_count": None,
                    "metadata": {},
                    "data": {"text/plain": out["data"]["text/plain"]},
                }
            )
    return kept


def record_key_outputs(
    data_dir: Path | None = None, root: Path = REPO_ROOT, only: list[str] | None = None
) -> dict[str, dict]:
    """Execute every chapter with key-result cells; return ``{chapter: {cell id: outputs}}``. The
    chapters run as the book's do (``roses.engine.execute``), on one kernel of their own whose
    $ROSES_DATA is ``data_dir``."""
    env = dict(os.environ)
    if data_dir is not None:
        env["ROSES_DATA"] = str(Path(data_dir).resolve())
    recorded: dict[str, dict] = {}
    on: Kernel | None = None
    try:
        with tempfile.TemporaryDirectory(prefix="roses-key-outputs-") as folder:
            for chapter in only or chapters(root):
                notebook = nbformat.read(root / "book" / f"{chapter}.ipynb", as_version=4)
                if not check_cells(notebook):
                    continue
                on = on or Kernel(env=env)
                output = Path(folder) / f"{chapter}.ipynb"
                execute(notebook, output, {}, root / "book", on=on)
                executed = nbformat.read(output, as_version=4)
                recorded[chapter] = {c.id: _text_outputs(c.outputs) for c in check_cells(executed)}
    finally:
        if on is not None:
            on.shutdown()
    return recorded


# --- 1. nbval ----------------------------------------------------------------------------------


def expect_release_outputs(nb: nbformat.NotebookNode, chapter: str, release: dict | None) -> list[str]:
    """Give every key-result cell of ``nb`` the release's recorded output as its expected output,
    whatever outputs the notebook holds (a saved JupyterLab session cannot change the reference).

    A key cell the release has no output for expects a line saying so, and fails: a result that
    was never recorded is a difference too. Returns one note per such cell.
    """
    notes = []
    references = (release or {}).get("notebooks", {}).get(chapter, {})
    for cell in check_cells(nb):
        reference = references.get(cell.id)
        if reference is None:
            version = (release or {}).get("version", "(none recorded)")
            missing = f"(no output recorded for this key cell in release {version}: run roses release)\n"
            reference = [{"output_type": "stream", "name": "stdout", "text": missing}]
            notes.append(f"{chapter}.ipynb cell {cell.id}: no reference in release {version}")
        cell.outputs = [nbformat.from_dict(o) for o in reference]
        cell.execution_count = 1  # nbval ignores outputs of cells that look never run
    return notes


def prepare_notebooks(
    dest: Path, release: dict | None, root: Path = REPO_ROOT, only: list[str] | None = None
) -> list[str]:
    """Copy the chapters to ``dest`` with the release's key outputs as expected outputs
    (``expect_release_outputs``); returns its notes. ``only``: just these chapters."""
    notes = []
    for chapter in only or chapters(root):
        nb = nbformat.read(root / "book" / f"{chapter}.ipynb", as_version=4)
        notes += expect_release_outputs(nb, chapter, release)
        nbformat.write(nb, dest / f"{chapter}.ipynb")
    return notes


def write_sanitize_file(path: Path) -> Path:
    """nbval's format: ``[section]``, then ``regex: ...`` and ``replace: ...`` on consecutive lines."""
    blocks = [f"[{section}]\nregex: {regex}\nreplace: {replace}\n" for section, (regex, replace) in SANITIZE.items()]
    path.write_text("\n".join(blocks))
    return path


def nbval_command(folder: Path) -> list[str]:
    sanitize = write_sanitize_file(folder / "sanitize.cfg")
    (folder / "pytest.ini").write_text("[pytest]\naddopts =\n")  # not the repository's test settings
    notebooks = sorted(str(p) for p in folder.glob("*.ipynb"))
    return [
        sys.executable,
        "-m",
        "pytest",
        "--nbval-lax",
        "--nbval-current-env",
        "-p",
        "no:cacheprovider",
        "-p",
        "roses.site.nbval_kernel",
        "--nbval-sanitize-with",
        str(sanitize),
        "-c",
        str(folder / "pytest.ini"),
        "--rootdir",
        str(folder),
        "--junitxml",
        str(folder / "nbval.xml"),
        "-vv",
        *notebooks,
    ]


def read_nbval_results(folder: Path) -> Check:
    """Turn nbval's JUnit report into a Check naming each failing chapter and cell."""
    report = folder / "nbval.xml"
    if not report.exists():
        return Check("notebooks", False, "nbval did not run (see its log)", _tail(folder / "nbval.log"))
    cases = ElementTree.parse(report).getroot().iter("testcase")
    total, failures = 0, []
    for case in cases:
        total += 1
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is not None:
            failures.append(_describe_failure(folder, case, problem))
    chapters_run = len(list(folder.glob("*.ipynb")))
    if failures:
        return Check(
            "notebooks",
            False,
            f"{len(failures)} of {total} cells failed or differ ({chapters_run} chapter(s) re-executed)",
            failures,
        )
    return Check("notebooks", True, f"{chapters_run} chapter(s) re-executed from a fresh kernel, {total} cells ran")


def _describe_failure(folder: Path, case, problem) -> str:
    chapter = Path(case.get("classname", "")).name.removesuffix(".ipynb")
    name = case.get("name", "")
    where = f"{chapter}.ipynb {name}"
    try:
        nb = nbformat.read(folder / f"{chapter}.ipynb", as_version=4)
        cell = [c for c in nb.cells if c.cell_type == "code"][int(name.split()[-1])]
        keyed = CHECK_MARK in cell.source
        where = f"{chapter}.ipynb cell {cell.id}" + (" (key result)" if keyed else "")
        if keyed:
            return f"{where}: output differs from the release reference\n" + _diff(cell, problem)
    except (OSError, ValueError, IndexError):
        pass
    message = (problem.get("message") or problem.text or "").strip().splitlines()
    return f"{where}: " + " ".join(message[:3])[:400]


def _diff(cell, problem) -> str:
    """The changed lines of a key result, from the assertion diff nbval reports (run with -vv).

    In that diff (``reference == actual``) lines marked '+' are the release's and '-' today's.
    """
    text = re.sub(r"#x1B\[[0-9;]*m|\x1b\[[0-9;]*m", "", problem.text or "")
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("+ ") and not stripped.startswith("+ ' "):
            lines.append("    release: " + stripped[2:])
        elif stripped.startswith("- "):
            lines.append("    now:     " + stripped[2:])
    return "\n".join(lines[:16]) or "    (outputs differ; see the nbval log)"


def _tail(path: Path, lines: int = 15) -> list[str]:
    return path.read_text(errors="replace").splitlines()[-lines:] if path.exists() else []


# --- 2. two builds ---------------------------------------------------------------------------


def build_command(out: Path, data_dir: Path | None) -> list[str]:
    command = [sys.executable, "-m", "roses.commands.cli", "build", "--out", str(out)]
    return command + (["--data", str(data_dir)] if data_dir else [])


def compare_trees(a: Path, b: Path) -> list[str]:
    """Every file that is missing from one tree or differs in bytes, with the first differing line."""
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    problems = [f"only in the first build: {p}" for p in sorted(files_a - files_b)]
    problems += [f"only in the second build: {p}" for p in sorted(files_b - files_a)]
    for relative in sorted(files_a & files_b):
        one, two = (a / relative).read_bytes(), (b / relative).read_bytes()
        if one != two:
            at = next(i for i, (x, y) in enumerate(zip(one + b"\0", two + b"\1")) if x != y)
            snippet = one[max(0, at - 40) : at + 40].decode("utf-8", "replace").replace("\n", " ")
            problems.append(f"{relative} differs at byte {at}: ...{snippet}...")
    return problems


def read_build_results(folder: Path, codes: list[int]) -> Check:
    if any(codes):
        details = []
        for i, code in enumerate(codes, 1):
            if code:
                details += [f"build {i} failed (exit {code}); last lines of its log:"] + _tail(folder / f"build{i}.log")
        return Check("builds", False, "a clean build failed", details)
    html = [folder / f"build{i}" / "_build" / "html" for i in (1, 2)]
    differences = compare_trees(*html)
    count = sum(1 for p in html[0].rglob("*") if p.is_file())
    if differences:
        return Check("builds", False, f"two clean builds differ in {len(differences)} file(s)", differences[:20])
    return Check("builds", True, f"two clean builds, {count} files each, byte-identical")


# --- 3 and 4. data, packages, changes --------------------------------------------------------


def data_check(current: dict, release: dict | None, data_root: Path) -> Check:
    files = len(current["data"])
    if release is None:
        return Check("data", False, f"{files} data files in {data_root}; no release recorded to compare with")
    changes = releases.data_changes(release, current)
    details = [f"{row.file}: {row.status} since release {release['version']}" for row in changes.itertuples()]
    if len(changes):
        counts = changes["status"].value_counts()
        said = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        details.append("If the change is intended, record a new release: roses release --version NEW")
        return Check("data", False, f"data files differ from release {release['version']}: {said}", details)
    return Check(
        "data",
        True,
        f"{files} data files in {data_root}, none changed, added or removed since release {release['version']}",
    )


# --- 3. every published value -----------------------------------------------------------------


def glued_facts(
    data_dir: Path | None = None, root: Path = REPO_ROOT, only: list[str] | None = None
) -> dict[str, dict[str, str]]:
    """``{chapter: {name: text}}``: the text of every fact each chapter's prose glues, as the book shows
    it (the facts about the build itself left out: ``releases.BUILD_FACTS``)."""
    facts = {}
    for chapter in only or chapters(root):
        used = prose_glue_names(root / "book" / f"{chapter}.ipynb") or set()
        texts = {n: f.text_for_prose() for n, f in chapter_facts(chapter, data_dir).items()}
        facts[chapter] = {n: texts[n] for n in sorted(used) if n in texts and releases.is_result_fact(n)}
    return facts


def sentence(chapter: str, name: str, root: Path = REPO_ROOT, width: int = 200) -> str | None:
    """The prose around ``{glue}`name``` in the chapter (its sentence, shortened), for a report."""
    try:
        nb = nbformat.read(root / "book" / f"{chapter}.ipynb", as_version=4)
    except (OSError, ValueError):
        return None
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for match in GLUE_ROLE.finditer(cell.source):
            if match.group(1) == name:
                start = max(cell.source.rfind(". ", 0, match.start()) + 2, match.start() - width // 2, 0)
                end = cell.source.find(". ", match.end())
                end = min(end + 1 if end >= 0 else len(cell.source), match.end() + width // 2)
                return " ".join(cell.source[start:end].split())
    return None


def results_check(current: dict, release: dict | None, only: list[str] | None = None) -> Check:
    """Every exhibit's caption, headline and values and every glued fact, against the release."""
    if release is None:
        return Check("results", False, "no release recorded to compare with (record one with roses release)")
    if only:  # the chosen chapters' exhibits and facts only
        release = {**release, "facts": {c: v for c, v in release.get("facts", {}).items() if c in only}}
        release["exhibits"] = {k: v for k, v in release["exhibits"].items() if _chapter_of(k) in only}
        current = {**current, "exhibits": {k: v for k, v in current["exhibits"].items() if _chapter_of(k) in only}}
    differences = releases.exhibit_differences(release, current)
    differences += releases.fact_differences(release, current, sentence)
    problems = releases.format_problems(release)
    exhibits, facts = len(current["exhibits"]), sum(map(len, current["facts"].values()))
    if differences or problems:
        changed = sum(d.kind == "exhibit" for d in differences), sum(d.kind == "fact" for d in differences)
        details = problems + [line for d in differences for line in d.text()]
        details.append("If the change is intended, record a new release: roses release --version NEW")
        return Check(
            "results",
            False,
            f"{changed[0]} of {exhibits} exhibits and {changed[1]} of {facts} glued facts differ from release "
            f"{release['version']}" + ("; " + problems[0].split(":")[0] if problems else ""),
            details,
        )
    return Check(
        "results",
        True,
        f"{exhibits} exhibits (captions, headlines, values) and {facts} glued facts as in release {release['version']}",
    )


def _chapter_of(exhibit_id: str) -> str | None:
    try:
        return get_exhibit(exhibit_id).chapter
    except KeyError:
        return None


# --- 5. what produced it -----------------------------------------------------------------------


def package_check() -> Check:
    table = provenance.packages()
    wrong = table[~table["matches"]]
    if len(wrong):
        return Check(
            "packages",
            False,
            f"{len(wrong)} of {len(table)} installed packages differ from requirements.lock",
            [f"{r.package}: locked {r.locked}, installed {r.installed}" for r in wrong.itertuples()],
        )
    return Check("packages", True, f"{len(table)} packages installed exactly as pinned in requirements.lock")


# --- The whole run -----------------------------------------------------------------------------


@dataclass
class Report:
    checks: list[Check]
    commit: str
    data_root: Path
    data_files: list[tuple[str, str]]
    notes: list[str]
    seconds: float

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def text(self) -> str:
        lines = [
            f"roses verify: {'PASSED' if self.passed else 'FAILED'} ({self.seconds:.0f} s)",
            f"  code: commit {self.commit}",
        ]
        for check in self.checks:
            lines.append(f"  [{'ok' if check.passed else 'FAIL'}] {check.name}: {check.summary}")
            lines += [f"        {d}" for d in check.details]
        lines += [f"  note: {n}" for n in self.notes]
        lines.append(f"  data files used ({self.data_root}), sha256:")
        lines += [f"    {sha}  {name}" for name, sha in self.data_files]
        if not self.passed:
            failed = ", ".join(c.name for c in self.checks if not c.passed)
            lines.append(f"roses verify: FAILED: {failed} (details above)")
        return "\n".join(lines)


def run(
    data_dir: Path | None = None,
    builds: bool = True,
    keep: Path | None = None,
    root: Path = REPO_ROOT,
    only: list[str] | None = None,
    release: dict | None = None,
) -> Report:
    """Run every check (the builds and nbval side by side) and return the report; ``only``: re-execute
    and compare just these chapters; ``release``: compare with this snapshot (default: the latest)."""
    if data_dir is not None and not Path(data_dir).is_dir():
        raise RosesError(f"{data_dir}: no such data folder")
    unknown = sorted(set(only or []) - set(chapters(root)))
    if unknown:
        raise RosesError(f"no chapter named {', '.join(unknown)}; the chapters are {', '.join(chapters(root))}")
    start = time.time()
    release = release if release is not None else releases.latest()
    with tempfile.TemporaryDirectory(prefix="roses-verify-") as tmp:
        folder = Path(keep) if keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        books = folder / "notebooks"
        books.mkdir(exist_ok=True)
        notes = prepare_notebooks(books, release, root, only)
        env = dict(os.environ, SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", str(int(start))))
        if data_dir is not None:
            env["ROSES_DATA"] = str(Path(data_dir).resolve())
        jobs = [_start(nbval_command(books), books / "nbval.log", env, cwd=books)]
        if builds:
            jobs += [
                _start(build_command(folder / f"build{i}", data_dir), folder / f"build{i}.log", env, cwd=root)
                for i in (1, 2)
            ]
        # computed while the kernels run
        current = releases.snapshot(data_dir, facts=glued_facts(data_dir, root, only))
        codes = [job.wait() for job in jobs]
        checks = [read_nbval_results(books)]
        if builds:
            checks.append(read_build_results(folder, codes[1:]))
        data_root = provenance.resolve_data_dir(data_dir)
        checks += [results_check(current, release, only), data_check(current, release, data_root), package_check()]
        return Report(
            checks=checks,
            commit=provenance.git_commit(root),
            data_root=data_root,
            data_files=sorted(current["data"].items()),
            notes=notes,
            seconds=time.time() - start,
        )


def _start(command: list[str], log: Path, env: dict, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=open(log, "w"), stderr=subprocess.STDOUT, env=env, cwd=cwd)


def record_release(
    version: str,
    data_dir: Path | None = None,
    force: bool = False,
    folder: Path = releases.RELEASES_DIR,
    only: list[str] | None = None,
) -> Path:
    """Execute the chapters and write the release snapshot ``<folder>/<version>.json`` (``only``: just
    these chapters' key outputs and facts; tests use it to stay quick)."""
    target = folder / f"{version}.json"
    if target.exists() and not force:
        raise RosesError(f"{target} already exists; choose a new --version or pass --force to replace it")
    notebooks = record_key_outputs(data_dir, only=only)
    record = releases.snapshot(data_dir, notebooks, version, facts=glued_facts(data_dir, only=only))
    return releases.write(record, folder)
