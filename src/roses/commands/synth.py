"""roses synth [--seed N] [--out DIR]: write the illustrative survey responses as export files.

The book never needs these files (it generates the same data in memory); they show the layout an
authority's own exports take, and ``roses data ID --data DIR`` reads them back through the readers.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from roses.survey import export, instruments, synth

    out = Path(args.out)
    staff, parent = synth.staff(args.seed), synth.parent(args.seed)
    # All or nothing: the folder is built aside and renamed into place (see roses.survey.export).
    files = export.write_all([(staff, instruments.load("staff")), (parent, instruments.load("parent"))], out)
    print(f"roses: wrote {len(files)} illustrative survey exports (seed {args.seed}) under {out / 'surveys'}")
    print("roses: these are synthetic respondents, not real answers; keep them out of version control")
    return 0


def register(sub) -> None:
    from roses.survey.synth import SEED

    parser = sub.add_parser("synth", help="write illustrative survey exports (synthetic respondents)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument("--out", default="data/illustrative", help="folder to write into (default data/illustrative)")
    parser.set_defaults(run=run)
