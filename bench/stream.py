"""Large-file behaviour of `hanlex segment`: wall time, peak RSS, -j scaling, cold start.

    python bench/stream.py [--mb 50] [--single-line-mb 100]

Builds inputs from the People's Daily held-out text (repeated): a file of
ordinary lines and a file that is one single line with no newline. Each
command runs under GNU time (/usr/bin/time); peak RSS is the hanlex process's
(for -j N the parent's, workers not included).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from common import machine, pd_test  # noqa: E402


def run(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of a command, measured by GNU time.

    Its own rusage would be wrong here: Linux carries a process's RSS high-water
    mark across exec, so a child forked from this (large) process looks large.
    """
    with tempfile.NamedTemporaryFile("r") as rep:
        t = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-o", rep.name, "-f", "%M"] + cmd, check=True)
        secs = time.perf_counter() - t
        return secs, int(rep.read().split()[-1]) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50)
    ap.add_argument("--single-line-mb", type=float, default=100)
    args = ap.parse_args()
    raw, _ = pd_test()
    block = ("\n".join(raw) + "\n").encode("utf-8")
    hanlex = [sys.executable, "-m", "hanlex.cli", "segment"]
    print(f"Machine: {machine()}\n\n| input | command | wall s | peak RSS MB |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        lines = Path(d) / "lines.txt"
        lines.write_bytes(block * max(1, int(args.mb * 1e6 / len(block))))
        single = Path(d) / "single.txt"
        flat = block.replace(b"\n", b"")
        single.write_bytes(flat * max(1, int(args.single_line_mb * 1e6 / len(flat))))
        outs = {}
        for j in (1, 2):
            out = Path(d) / f"out{j}.txt"
            secs, rss = run(hanlex + ["-j", str(j), str(lines), "-o", str(out)])
            outs[j] = out.read_bytes()
            print(f"| {lines.stat().st_size / 1e6:.0f} MB of lines | segment -j {j} | {secs:.1f} | {rss:.0f} |",
                  flush=True)
        print(f"| | -j 2 output identical to -j 1 | {outs[1] == outs[2]} | |")
        out = Path(d) / "single.out"
        secs, rss = run(hanlex + [str(single), "-o", str(out)])
        same = out.read_text(encoding="utf-8").replace(" ", "").rstrip("\n") == \
            single.read_text(encoding="utf-8")
        print(f"| {single.stat().st_size / 1e6:.0f} MB, one line | segment | {secs:.1f} | {rss:.0f} |")
        print(f"| | output joins back to the input | {same} | |")
    secs, rss = run([sys.executable, "-c", "import hanlex; hanlex.cut('我爱北京')"])
    print(f"| cold start | python -c \"import hanlex; hanlex.cut('我爱北京')\" | {secs:.2f} | {rss:.0f} |")


if __name__ == "__main__":
    main()
