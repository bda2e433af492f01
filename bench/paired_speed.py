"""Decoding speed of two models, measured in alternating processes (this machine is noisy).

    python bench/paired_speed.py MODEL_A MODEL_B [--mode tag|cut|joint-cut] [--rounds 6]

Each round starts one process per model, A then B. A process loads its model,
warms up on 100 lines, then times `tag_many` (or `cut_many` with the model's
segmenter, or with the joint model: joint-cut) over the SIGHAN MSR test text x 10
in batches of 1000 lines, three times, and reports the best. Prints each model's
range and median over the rounds, and the ratio of the medians.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from common import ICWB  # noqa: E402


def one(model: str, mode: str) -> float:
    from hanlex import Analyzer
    from hanlex.corpus import read_lines

    lines = read_lines(ICWB / "testing" / "msr_test.utf8") * 10
    an = Analyzer(model, segmenter=(mode == "cut"))
    run = an.tag_many if mode == "tag" else an.cut_many
    run(lines[:100])
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for i in range(0, len(lines), 1000):
            run(lines[i:i + 1000])
        best = min(best, time.perf_counter() - t)
    return sum(map(len, lines)) / best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs=2)
    ap.add_argument("--mode", choices=("tag", "cut", "joint-cut"), default="tag")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(one(args.models[0], args.mode))
        return
    speeds: dict[str, list[float]] = {m: [] for m in args.models}
    for _ in range(args.rounds):
        for m in args.models:
            out = subprocess.run([sys.executable, __file__, m, m, "--mode", args.mode, "--one"],
                                 capture_output=True, text=True, check=True).stdout
            speeds[m].append(float(out))
    med = {}
    for m, xs in speeds.items():
        med[m] = statistics.median(xs)
        print(f"{m}: {args.mode} chars/s {min(xs):,.0f}-{max(xs):,.0f}, median {med[m]:,.0f}")
    a, b = args.models
    print(f"median B / A: {med[b] / med[a]:.3f}")


if __name__ == "__main__":
    main()
