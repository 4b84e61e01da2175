"""``roses verify``: can a reviewer reproduce the book, and what produced it?

Four checks, one report:

1. **Notebooks re-execute to the same key results.** Every chapter is copied to a temporary folder
   and run from a fresh kernel by nbval (``pytest --nbval-lax``). Cells marked
   ``# NBVAL_CHECK_OUTPUT`` (the key tables) get the output recorded by the last release
   (``data/releases/<version>.json``) as their expected output; a sanitize file masks volatile ids
   such as memory addresses. Any failing cell or differing key result fails the check.
2. **Two clean builds are byte-identical.** ``roses build --out`` into two temporary folders (run
   side by side, both with the same ``SOURCE_DATE_EPOCH``), then every file is compared.
3. **Same data as the release.** Each data file's sha256 is compared with the release's; a changed
   file fails the check (a file added or missing is reported, not failed: local and work-in-progress
   files come and go).
4. **What produced it, and what changed.** The commit, the data files' checksums, the package
   versions against requirements.lock, and the exhibits whose frames differ from the release.

Recording a release (``roses release``) executes the chapters once and stores the key outputs.
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
from nbclient import NotebookClient

from roses.core.errors import RosesError
from roses.core.paths import REPO_ROOT
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


def record_key_outputs(data_dir: Path | None = None, root: Path = REPO_ROOT) -> dict[str, dict]:
    """Execute every chapter with key-result cells; return ``{chapter: {cell id: outputs}}``."""

    recorded = {}
    for chapter in chapters(root):
        nb = nbformat.read(root / "book" / f"{chapter}.ipynb", as_version=4)
        if not check_cells(nb):
            continue
        with _data_env(data_dir):
            NotebookClient(
                nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(root / "book")}}
            ).execute()
        recorded[chapter] = {c.id: _text_outputs(c.outputs) for c in check_cells(nb)}
    return recorded


class _data_env:
    """Temporarily point $ROSES_DATA at ``data_dir`` (the kernels inherit it)."""

    def __init__(self, data_dir: Path | None):
        self.data_dir, self.before = data_dir, os.environ.get("ROSES_DATA")

    def __enter__(self):
        if self.data_dir is not None:
            os.environ["ROSES_DATA"] = str(Path(self.data_dir).resolve())

    def __exit__(self, *exc):
        if self.before is None:
            os.environ.pop("ROSES_DATA", None)
        else:
            os.environ["ROSES_DATA"] = self.before


# --- 1. nbval ----------------------------------------------------------------------------------


def prepare_notebooks(
    dest: Path, release: dict | None, root: Path = REPO_ROOT, only: list[str] | None = None
) -> list[str]:
    """Copy the chapters to ``dest`` with the release's key outputs as expected outputs.

    A marked cell with no recorded reference (added since the release) is run unchecked and named
    in the returned notes. ``only``: just these chapters (tests use it to stay quick).
    """
    notes = []
    references = (release or {}).get("notebooks", {})
    for chapter in only or chapters(root):
        nb = nbformat.read(root / "book" / f"{chapter}.ipynb", as_version=4)
        for cell in check_cells(nb):
            reference = references.get(chapter, {}).get(cell.id)
            if reference is None:
                cell.source = cell.source.replace(CHECK_MARK, "# (no reference recorded)")
                notes.append(f"{chapter}.ipynb cell {cell.id}: no reference in the release, run unchecked")
            else:
                cell.outputs = [nbformat.from_dict(o) for o in reference]
                cell.execution_count = 1  # nbval ignores outputs of cells that look never run
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
        return Check("data", True, f"{files} data files in {data_root}; no release recorded to compare with")
    changes = releases.data_changes(release, current)
    changed = changes[changes["status"] == "changed"]
    details = [f"{row.file}: {row.status} since release {release['version']}" for row in changes.itertuples()]
    if len(changed):
        details.append("If the change is intended, record a new release: roses release --version NEW")
        return Check(
            "data",
            False,
            f"{len(changed)} data file(s) differ from release {release['version']}: " + ", ".join(changed["file"]),
            details,
        )
    return Check(
        "data", True, f"{files} data files in {data_root}, none changed since release {release['version']}", details
    )


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


def changes_since_release(current: dict, release: dict | None) -> list[str]:
    if release is None:
        return ["no release recorded yet (record one with `roses release`)"]
    table = releases.exhibit_changes(release, current)
    if table.empty:
        return [f"no exhibit changed since release {release['version']}"]
    lines = []
    for row in table.itertuples():
        lines.append(f"{row.exhibit} ({row.status}): {row.title}")
        if row.status == "changed":
            lines += [f"    was: {row.old_headline}", f"    now: {row.new_headline}"]
    return lines


# --- The whole run -----------------------------------------------------------------------------


@dataclass
class Report:
    checks: list[Check]
    commit: str
    data_root: Path
    data_files: list[tuple[str, str]]
    changes: list[str]
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
        lines.append("  what changed since the last release:")
        lines += [f"    {c}" for c in self.changes]
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
) -> Report:
    """Run every check (the builds and nbval side by side) and return the report; ``only``: re-execute
    just these chapters."""
    if data_dir is not None and not Path(data_dir).is_dir():
        raise RosesError(f"{data_dir}: no such data folder")
    unknown = sorted(set(only or []) - set(chapters(root)))
    if unknown:
        raise RosesError(f"no chapter named {', '.join(unknown)}; the chapters are {', '.join(chapters(root))}")
    start = time.time()
    release = releases.latest()
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
        current = releases.snapshot(data_dir)  # computed while the kernels run
        codes = [job.wait() for job in jobs]
        checks = [read_nbval_results(books)]
        if builds:
            checks.append(read_build_results(folder, codes[1:]))
        data_root = provenance.resolve_data_dir(data_dir)
        checks += [data_check(current, release, data_root), package_check()]
        return Report(
            checks=checks,
            commit=provenance.git_commit(root),
            data_root=data_root,
            data_files=sorted(current["data"].items()),
            changes=changes_since_release(current, release),
            notes=notes,
            seconds=time.time() - start,
        )


def _start(command: list[str], log: Path, env: dict, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=open(log, "w"), stderr=subprocess.STDOUT, env=env, cwd=cwd)


def record_release(version: str, data_dir: Path | None = None, force: bool = False) -> Path:
    """Execute the chapters and write the release snapshot ``data/releases/<version>.json``."""
    target = releases.RELEASES_DIR / f"{version}.json"
    if target.exists() and not force:
        raise RosesError(f"{target} already exists; choose a new --version or pass --force to replace it")
    notebooks = record_key_outputs(data_dir)
    path = releases.write(releases.snapshot(data_dir, notebooks, version))
    if data_dir is None:  # the repository's own release: the notebooks carry its key outputs too
        store_key_outputs(notebooks)
    return path


def store_key_outputs(recorded: dict[str, dict], root: Path = REPO_ROOT) -> None:
    """Write the release's key outputs into the chapters' marked cells, so that a direct
    ``pytest --nbval-lax book/`` compares them (nbstripout keeps cells marked ``keep_output``)."""
    for chapter, cells in recorded.items():
        path = root / "book" / f"{chapter}.ipynb"
        nb = nbformat.read(path, as_version=4)
        for cell in check_cells(nb):
            cell.outputs = [nbformat.from_dict(o) for o in cells.get(cell.id, [])]
            cell.execution_count = 1 if cell.outputs else None  # nbval skips cells that look never run
            cell.metadata["keep_output"] = bool(cell.outputs)
        nbformat.write(nb, path)
