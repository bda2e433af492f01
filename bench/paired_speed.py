"""Decoding speed of two models, measured in alternating processes (this machine is noisy).

    python bench/paired_speed.py MODEL_A MODEL_B [--mode tag|cut|joint-cut] [--rounds 6]
        [--src SRC_A SRC_B]

Each round starts one process per model, A then B. A process loads its model,
warms up on 100 lines, then times `tag_many` (or `cut_many` with the model's
segmenter, `cut` line by line: line-cut, or `cut_many` with the joint model: joint-cut) over the SIGHAN MSR test text x 10
in batches of 1000 lines, three times, and reports the best. Prints each model's
range and median over the rounds, and the ratio of the medians.
--src: the folders holding the hanlex package A and B import (e.g. src/ of a
`git worktree` of an older commit, built in place), to compare two versions of
the code; MODEL may be 'default' for each one's shipped model.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import ICWB, best_throughput  # noqa: E402


def one(model: str, mode: str) -> float:
    from hanlex import Analyzer
    try:
        from hanlex.io.files import read_lines
        from hanlex.model import model_file
    except ImportError:  # --src of a version before the package had rooms
        from hanlex.corpus import read_lines

        from hanlex.analyzer import model_file

    an = Analyzer(model_file(model), segmenter=(mode in ("cut", "line-cut")))

    def per_line(texts):
        return [an.cut(t) for t in texts]
    run = {"tag": an.tag_many, "line-cut": per_line}.get(mode, an.cut_many)
    return best_throughput(run, read_lines(ICWB / "testing" / "msr_test.utf8") * 10, 3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="*", metavar="MODEL", help="two model files, A and B")
    ap.add_argument("--mode", choices=("tag", "cut", "line-cut", "joint-cut"), default="tag")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--src", nargs=2, metavar=("SRC_A", "SRC_B"),
                    help="import hanlex from these folders (compare two versions of the code)")
    ap.add_argument("--one", metavar="MODEL", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(one(args.one, args.mode))
        return
    if len(args.models) != 2:
        ap.error("give two model files")
    speeds: list[list[float]] = [[], []]
    srcs = args.src or [None, None]
    for _ in range(args.rounds):
        for m, src, xs in zip(args.models, srcs, speeds):
            env = dict(os.environ)
            if src:
                env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.path.abspath(src),
                                                                  env.get("PYTHONPATH")]))
            out = subprocess.run([sys.executable, __file__, "--mode", args.mode, "--one", m],
                                 capture_output=True, text=True, check=True, env=env).stdout
            xs.append(float(out))
    med = [statistics.median(xs) for xs in speeds]
    for m, src, xs, md in zip(args.models, srcs, speeds, med):
        print(f"{m}{f' ({src})' if src else ''}: {args.mode} chars/s {min(xs):,.0f}-{max(xs):,.0f}, median {md:,.0f}")
    print(f"median B / A: {med[1] / med[0]:.3f}")

if __name__ == "__main__":
    main()
