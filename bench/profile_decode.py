"""A steady decode loop to profile (`perf record -g python bench/profile_decode.py cut`).

    python bench/profile_decode.py cut|tag [--passes N] [--model PATH]

Loads the default model (or PATH), warms up, then runs `cut_many` (or `tag_many`) over the SIGHAN
MSR test text x 10 in batches of 1,000 lines, N times, and prints the seconds.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from common import ICWB  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("cut", "tag"))
    ap.add_argument("--passes", type=int, default=None, help="default: 3 for cut, 1 for tag")
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    from hanlex import Analyzer

    with open(ICWB / "testing" / "msr_test.utf8", encoding="utf-8-sig") as f:
        lines = [line.strip() for line in f] * 10
    an = Analyzer(args.model)
    an.cut("预热")
    run = an.cut_many if args.mode == "cut" else an.tag_many
    passes = args.passes or (3 if args.mode == "cut" else 1)
    t = time.perf_counter()
    for _ in range(passes):
        for i in range(0, len(lines), 1000):
            run(lines[i:i + 1000])
    print(f"{args.mode}: {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
