#!/usr/bin/env python3
"""Benchmark: score one million survey answers (respondent x item) for every survey exhibit.

Prints the time and peak memory of scoring (not of generating the answers). Goal: <= 2 s, <= 1 GB.
usage: .venv/bin/python bench/survey_bench.py [--answers N]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np
import pandas as pd

from roses.survey import data, instruments, scoring, synth
from roses.survey.model import tidy_answers


def million_answers(target: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The illustrative staff answers repeated (as new respondents) until there are ``target`` rows."""
    base = synth.staff()
    copies = int(np.ceil(target / len(base.answers)))
    step = int(base.answers["respondent"].max())
    parts = [base.answers.assign(respondent=base.answers["respondent"] + k * step) for k in range(copies)]
    answers = tidy_answers(pd.concat(parts, ignore_index=True).iloc[:target])
    waves = base.waves.assign(respondents=base.waves["respondents"] * copies, invited=base.waves["invited"] * copies)
    return answers, waves


def score_everything(answers: pd.DataFrame, waves: pd.DataFrame) -> int:
    """Everything the survey exhibits compute from answers: shares, SAQ, methods, group summaries."""
    inst = instruments.load("staff")
    groups = data.groups()
    status = scoring.reliability(waves)
    likert = [i.id for i in inst.items if i.scale == "agree"]
    shares = scoring.with_status(scoring.item_shares(answers, likert), status, ["pct_agree", "pct_disagree", "mean"])
    saq = scoring.with_status(scoring.saq_scores(answers, inst), status, ["scale_score", "percent_positive"])
    methods = scoring.with_status(scoring.method_means(answers, inst), status, ["mean"])
    frames = [
        scoring.summarise(shares, groups, ["item"], ["pct_agree", "pct_disagree", "mean"]),
        scoring.summarise(saq, groups, ["dimension"], ["scale_score", "percent_positive"]),
        scoring.summarise(methods, groups, ["method", "measure"], ["mean"], digits=2),
    ]
    return sum(len(f) for f in frames)


def peak_resident_mb() -> float:
    """This process's own peak resident memory (VmHWM). Not ru_maxrss: Linux carries a parent's peak
    over fork and exec, so under bench/run it would report at least bench/run's own."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    args = parser.parse_args()
    answers, waves = million_answers(args.answers)
    score_everything(answers.iloc[:1000], waves)  # warm up imports and caches
    start = time.perf_counter()
    rows = score_everything(answers, waves)
    seconds = time.perf_counter() - start
    tracemalloc.start()  # a second run for memory: tracing slows the code, so it is not timed
    score_everything(answers, waves)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = peak_resident_mb()
    print(
        f"survey scoring: {len(answers):,} answers -> {rows} result rows in {seconds:.2f} s "
        f"(goal <= 2 s); peak traced memory {peak / 1e6:.0f} MB, process peak RSS {rss:.0f} MB (goal <= 1 GB)"
    )


if __name__ == "__main__":
    main()
