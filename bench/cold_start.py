"""Cold start: a fresh Python process that imports a segmenter and cuts one text.

    python bench/cold_start.py [--runs 5] [--systems hanlex,rjieba,jieba]

Each run starts one process per system, in turn (alternating, so that a noisy
moment of the machine falls on every system alike), and times the whole process
from outside: interpreter start, import, model load and the first `cut`. Two
texts: Chinese only, and Chinese with Latin letters and digits (hanlex compiles
its span pattern when it first meets one of those). Prints the median and range
of each system and each one's median over rjieba's. Peak RSS from
resource.getrusage of the children.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from common import commit, machine  # noqa: E402

TEXTS = {"chinese": "今天天气很好，我们去北京大学看看。",
         "mixed": "GPT-4 在 2024 年发布，今天天气很好。"}
PROGRAMS = {"hanlex": "import hanlex; hanlex.cut({text!r})",
            "rjieba": "import rjieba; rjieba.cut({text!r})",
            "jieba": "import jieba; jieba.setLogLevel(60); jieba.lcut({text!r})"}


def one(system: str, text: str) -> tuple[float, int]:
    """(wall seconds, peak RSS KB) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", PROGRAMS[system].format(text=text)], check=True)
    wall = time.perf_counter() - t
    return wall, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--systems", default="hanlex,rjieba,jieba")
    args = ap.parse_args()
    systems = args.systems.split(",")
    print(f"`python bench/cold_start.py --runs {args.runs} --systems {args.systems}` · "
          f"commit {commit()} · {time.strftime('%Y-%m-%d')} · {machine()}\n")
    print("| text | system | median s | range s | vs rjieba |")
    print("|---|---|---|---|---|")
    for name, text in TEXTS.items():
        times: dict[str, list[float]] = {s: [] for s in systems}
        for _ in range(args.runs):
            for s in systems:
                times[s].append(one(s, text)[0])
        base = statistics.median(times["rjieba"]) if "rjieba" in times else None
        for s in systems:
            med = statistics.median(times[s])
            ratio = f"{med / base:.2f}x" if base else "-"
            print(f"| {name} | {s} | {med:.3f} | {min(times[s]):.3f}-{max(times[s]):.3f} "
                  f"| {ratio} |")


if __name__ == "__main__":
    main()
