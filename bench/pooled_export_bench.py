#!/usr/bin/env python3
"""Benchmark: a pooled export of 200,000 respondents, read, validated and counted end to end (issue 29).

One staff-survey file (item ids as headers, answers 1-5, a respondent id: roses's own layout, under
the 50 MB limit) in a data folder. Each step runs in a fresh process, so its peak memory is its own:
the process's peak resident set (VmHWM, imports included). Not ru_maxrss: Linux carries the parent's
peak over fork and exec, so a child of this script (about 380 MB after writing the export) would
report at least that, whatever it did.

(imports are not timed)
  read        readers.read_local (every cell checked, rows that are not respondents looked for)
  validate    `roses validate DIR` (every check of the folder)
  figure 6.4  the exhibit's frame from the folder: reading, scoring, disclosure control (counts and
              suppression over every authority-wave)

Goals: each step in seconds (under 60 s here, on a machine shared by several builds) and under 500 MB.
Rows are scaled too (--rows): time per row should not grow with the rows (linear scaling).
usage: .venv/bin/python bench/pooled_export_bench.py [--rows 200000] [--scaling]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from roses.survey import instruments

GOAL_SECONDS = 60
GOAL_MB = 500
STEPS = {  # step: (imports, not timed; the work, timed)
    "read": (
        "from roses.survey import instruments, readers",
        "r = readers.read_local(DATA, instruments.load('staff', DATA)); print(len(r.answers))",
    ),
    "validate": ("from roses.commands.cli import main", "assert main(['validate', str(DATA)]) == 0"),
    "figure 6.4": (
        "from roses.exhibits.local import frame",
        "print(len(frame('figure-6.4', data_dir=DATA)))",
    ),
}


def write_export(folder: Path, rows: int) -> Path:
    """``rows`` respondents answering every wave-4 staff question (a few left blank), as one CSV."""
    staff = instruments.load("staff")
    items = [i.id for i in staff.items if 4 in i.waves]
    generator = np.random.default_rng(29)
    answers = generator.integers(1, 6, size=(rows, len(items))).astype("int8").astype(str)
    answers[generator.random(answers.shape) < 0.03] = ""  # some questions not answered
    table = pd.DataFrame(answers, columns=items)
    table.insert(0, "Respondent ID", np.arange(1, rows + 1))
    path = folder / "surveys" / "staff" / "E" / "wave-4.csv"
    path.parent.mkdir(parents=True)
    table.to_csv(path, index=False)
    (folder / "surveys" / "invited.csv").write_text(f"survey,authority,wave,invited\nstaff,E,4,{rows * 2}\n")
    return path


def measure(step: str, folder: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MB (the process's own, VmHWM) of one step in a fresh process."""
    code = (
        "import time, warnings\nfrom pathlib import Path\nwarnings.simplefilter('ignore')\n"
        f"DATA = Path({str(folder)!r})\n{STEPS[step][0]}\nstart = time.perf_counter()\n{STEPS[step][1]}\n"
        "print('SECONDS', time.perf_counter() - start)\n"
        "print('MB', next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM')) / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{step} failed:\n{out.stderr[-3000:]}")
    figures = dict(line.split() for line in out.stdout.splitlines() if line.startswith(("SECONDS", "MB")))
    return float(figures["SECONDS"]), float(figures["MB"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--scaling", action="store_true", help="also 50k and 100k rows: seconds per 100k rows")
    args = parser.parse_args()
    sizes = [50_000, 100_000, args.rows] if args.scaling else [args.rows]
    print(
        f"pooled export ({', '.join(f'{n:,}' for n in sizes)} respondents; goal: each step < {GOAL_SECONDS} s, "
        f"< {GOAL_MB} MB peak resident memory of the step's own process)"
    )
    ok = True
    for rows in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            path = write_export(Path(tmp), rows)
            size = path.stat().st_size / 1e6
            print(f"  {rows:>9,} rows: file {size:.1f} MB (written in {time.perf_counter() - started:.1f} s)")
            for step in STEPS:
                seconds, mb = measure(step, Path(tmp))
                met = seconds < GOAL_SECONDS and mb < GOAL_MB
                ok &= met or rows != args.rows
                print(
                    f"    {step:<11} {seconds:6.1f} s  {mb:6.0f} MB  {seconds / rows * 1e5:5.1f} s per 100k rows"
                    f"  {'ok' if met else 'MISSED'}"
                )
    print(f"  pooled export goals {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
