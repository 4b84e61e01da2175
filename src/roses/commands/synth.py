"""roses synth [--seed N] [--out DIR] [--authority NAME]: write the illustrative survey responses as export files.

The book never needs these files (it generates the same data in memory); they show the layout an
authority's own exports take, and ``roses data ID --data DIR`` reads them back through the readers.

``--authority NAME`` writes example local files for one real English authority (default folder
``data/example-<NAME>``): its survey exports (the synthetic respondents of one programme authority,
filed under the real authority's folder), and a ``self_assessment.csv``. Every file is marked
synthetic (a ``.roses-synthetic`` file in each authority folder, a ``synthetic`` column in the
self-assessment), so an edition never badges them "Local data" or calls them the authority's own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

TEMPLATE = "D"  # the programme authority whose synthetic respondents an example for a real authority borrows
EXAMPLE_SCORES = (2, 3, 2, 2, 2, 1, 2, 2)  # a made-up self-assessment, in the order of the eight factors


def _for_authority(responses, folder: str):
    """One programme authority's synthetic responses, filed under a real authority's folder."""
    from roses.survey.model import Responses

    def mine(frame):
        frame = frame[frame["authority"] == TEMPLATE].copy()
        frame["authority"] = folder
        return frame.reset_index(drop=True)

    return Responses(
        responses.survey,
        mine(responses.answers),
        mine(responses.waves).assign(origin="illustrative"),
        mine(responses.comments),
    )


def run_authority(args: argparse.Namespace) -> int:
    from roses.exhibits.local import slug
    from roses.national.readers import user_authority
    from roses.published.self_assessment import FILE
    from roses.published.tables import FACTORS
    from roses.survey import export, instruments, synth
    from roses.survey.readers import SYNTHETIC_MARK

    name = user_authority(args.authority)
    if len(name) == 1:
        print(
            f"roses: error: '{name}' is a programme letter; its example files are what `roses synth` writes "
            "without --authority",
            file=sys.stderr,
        )
        return 2
    folder = slug(name)
    out = Path(args.out or f"data/example-{folder}")
    staff = _for_authority(synth.staff(args.seed), folder)
    parent = _for_authority(synth.parent(args.seed), folder)
    files = export.write_all([(staff, instruments.load("staff")), (parent, instruments.load("parent"))], out)
    for survey in ("staff", "parent"):
        mark = out / "surveys" / survey / folder / SYNTHETIC_MARK
        if mark.parent.is_dir():
            mark.write_text("Synthetic survey exports written by `roses synth --authority`; not real answers.\n")
    rows = ["factor,score,synthetic"] + [f"{f},{s},yes" for f, s in zip(FACTORS, EXAMPLE_SCORES)]
    (out / FILE).write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(
        f"roses: wrote {len(files)} example survey exports and {FILE} for {name} under {out} (synthetic: "
        f"the respondents of programme authority {TEMPLATE}'s illustrative data, made-up scores)"
    )
    print(
        f'roses: try `roses edition "{name}" --data {out}`; the files are marked synthetic, so the edition '
        "badges them illustrative, never as local data; keep them out of version control"
    )
    return 0


def run(args: argparse.Namespace) -> int:
    from roses.survey import export, instruments, synth

    if args.authority:
        return run_authority(args)
    out = Path(args.out or "data/illustrative")
    staff, parent = synth.staff(args.seed), synth.parent(args.seed)
    # All or nothing: the folder is built aside and renamed into place (see roses.survey.export).
    files = export.write_all([(staff, instruments.load("staff")), (parent, instruments.load("parent"))], out)
    print(f"roses: wrote {len(files)} illustrative survey exports (seed {args.seed}) under {out / 'surveys'}")
    print("roses: these are synthetic respondents, not real answers; keep them out of version control")
    return 0


def register(sub) -> None:
    from roses.survey import SEED

    parser = sub.add_parser("synth", help="write illustrative survey exports (synthetic respondents)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument(
        "--out",
        default=None,
        help="folder to write into (default data/illustrative; with --authority data/example-<NAME>)",
    )
    parser.add_argument(
        "--authority", help="write example local files for this English authority (name or DfE code), marked synthetic"
    )
    parser.set_defaults(run=run)
