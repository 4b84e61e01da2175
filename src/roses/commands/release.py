"""roses release: record a release snapshot (every exhibit's caption, headline and values, every glued fact, data
checksums, the key cells' outputs: format 2, docs in roses.records.releases).

One gate for every command that publishes (docs/disclosure.md): a release from a data folder is
refused wherever ``roses build`` would refuse that folder (a real authority's survey folder beside
the programme letters), its snapshot is leak-scanned as a built page is before it is written, and it
is written into the data folder (``DIR/releases/``), never into the repository, so no later build of
the repository can print an authority's results on its What changed page.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from roses import __version__
from roses.commands import add_data_option
from roses.core.errors import RosesError
from roses.core.paths import DATA_DIR, checked_data_dir


def scanned(snapshot: Path, data_dir: Path | None) -> Path:
    """``snapshot`` if the leak scan finds nothing in it (as in a built page), else LeakError."""
    from roses.editions import leaks

    terms = leaks.forbidden_terms(None, data_dir)
    hits = leaks.scan(snapshot.parent, terms)
    if hits:
        raise leaks.LeakError(f"the release snapshot {snapshot.name}", hits)
    return snapshot


def run(args: argparse.Namespace) -> int:
    from roses.editions.plan import refuse_real_authorities
    from roses.records import releases
    from roses.site.verify import record_release

    data = checked_data_dir(args.data)
    local = Path(data) if data is not None and Path(data).resolve() != DATA_DIR.resolve() else None
    if local is not None:
        refuse_real_authorities(local, "a release")  # the gate of `roses build`
    folder = local / "releases" if local is not None else releases.RELEASES_DIR
    version = args.version or __version__
    target = folder / f"{version}.json"
    if target.exists() and not args.force:
        raise RosesError(f"{target} already exists; choose a new --version or pass --force to replace it")
    with tempfile.TemporaryDirectory(prefix="roses-release-") as staging:
        written = record_release(version, data_dir=data, force=True, folder=Path(staging))
        scanned(written, local)
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(written, target)
    where = "the data folder" if local is not None else "the repository"
    print(
        f"roses: release snapshot {version} written to {where}; `roses verify` and the What changed page compare with it"
    )
    return 0


def register(sub) -> None:
    parser = sub.add_parser("release", help="record the current results as a release (data/releases/VERSION.json)")
    parser.add_argument("--version", help="release version (default: the package version)")
    add_data_option(parser, then="its release is written to DATA/releases/")
    parser.add_argument("--force", action="store_true", help="replace an existing snapshot of that version")
    parser.set_defaults(run=run)
