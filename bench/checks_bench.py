#!/usr/bin/env python3
"""Benchmark: checks that must stay quick however large their input (moved here from unit tests, which
assert behaviour only: a wall-clock threshold in a test fails on a busy machine and passes on a slow
regression that happens to fit).

Goals (CPU seconds, not wall time: other work on a busy machine does not count):
  rank statistics      every statistic for ten authorities (exact permutation tests)     <= 0.5 s
  leak scan, huge      terms from a 1.6 MB survey comment, then a scan of a 0.8 MB page     <= 30 s
  e-mail search        ``leaks.emails_in`` on 1.6 MB of text that almost matches          <= 3 s
(The leak scan's patterns were once quadratic: the huge comment took minutes.)
usage: .venv/bin/python bench/checks_bench.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from roses.editions import leaks
from roses.published import stats


def _cpu(call) -> float:
    start = time.process_time()
    call()
    return time.process_time() - start


def rank_statistics() -> float:
    stats._arrangements.cache_clear()
    scores = np.array([20, 19, 21, 18, 17, 15, 13, 11, 9, 10])
    judgments = np.array([4, 4, 4, 3, 2, 2, 2, 1, 2, 1])
    return _cpu(lambda: [stats.rank_association(scores, judgments, s) for s in stats.STATISTICS])


def huge_leak_scan() -> float:
    huge = "a." * 400_000 + "a@" * 200_000 + " jo@example.org"
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "local" / "surveys" / "staff" / "Derby" / "wave-3.csv"
        export.parent.mkdir(parents=True)
        export.write_text(f"Response ID,What is working well?\nR1,{huge}\n", encoding="utf-8")
        site = Path(folder) / "html"
        site.mkdir()
        (site / "index.html").write_text("<p>" + "b." * 400_000 + "</p>", encoding="utf-8")

        def run():
            terms = leaks.local_terms(Path(folder) / "local")
            leaks.scan(site, terms)

        return _cpu(run)


def main() -> None:
    for name, seconds, goal in (
        ("rank statistics (10 authorities)", rank_statistics(), 0.5),
        ("leak scan, 1.6 MB comment", huge_leak_scan(), 30),
        ("e-mail search, 1.6 MB", _cpu(lambda: leaks.emails_in("a." * 800_000)), 3),
    ):
        print(f"{name:36} {seconds:7.2f} s CPU   goal <= {goal} s   {'met' if seconds <= goal else 'MISSED'}")


if __name__ == "__main__":
    main()
