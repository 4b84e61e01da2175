#!/usr/bin/env python3
"""Fetch the plotly.js basic bundle matching the installed plotly package (``make plotly-js``).

Downloads ``plotly.js-basic-dist-min`` at that version from the npm registry, checks the
tarball against the registry's sha512 integrity, and writes the bundle and its licence beside this
script, each atomically. Run it after upgrading plotly in requirements.lock, then commit both files.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # src/, when run as a script
from roses.core.atomic import write_bytes  # noqa: E402
from roses.pages.plotlyjs import BUNDLE, LICENSE, PACKAGE, expected_version  # noqa: E402

REGISTRY = "https://registry.npmjs.org"


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def main() -> int:
    version = expected_version()
    meta = json.loads(fetch(f"{REGISTRY}/{PACKAGE}/{version}"))
    tarball = fetch(meta["dist"]["tarball"])
    algorithm, _, digest = meta["dist"]["integrity"].partition("-")
    if algorithm != "sha512" or base64.b64encode(hashlib.sha512(tarball).digest()).decode() != digest:
        print(f"{PACKAGE} {version}: the tarball does not match the registry's integrity", file=sys.stderr)
        return 1
    with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:
        for target, member in ((BUNDLE, f"package/{BUNDLE.name}"), (LICENSE, "package/LICENSE")):
            extracted = archive.extractfile(member)
            if extracted is None:
                print(f"{PACKAGE} {version}: {member} is not a file in the tarball", file=sys.stderr)
                return 1
            write_bytes(target, extracted.read())
    print(f"{BUNDLE} is now {PACKAGE} {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
