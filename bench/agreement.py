"""How often `cut` (the embedded segmenter) and `tag` (the joint model) agree on
words, over raw text no model was trained on.

    python bench/agreement.py [--model default] [--standard NAME] [--lines N]

Held-out lines: the last N lines of each raw file (the default build reads raw
text from the start of the news file, at most 4 M of its 10.5 M characters; the
Weibo and Zhihu files' last lines are the newest). Prints, per file, the F of
`cut`'s words against `tag`'s (1.0: every word the same) and the share of lines
on which they agree entirely, with a few lines where they differ.
"""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import DATA  # noqa: E402

from hanlex import Analyzer  # noqa: E402
from hanlex.io.files import read_lines  # noqa: E402
from hanlex.model import model_file  # noqa: E402

FILES = {"news": DATA / "raw" / "xinwenlianbo" / "xinwenlianbo_20220924-20260822.txt.gz",
         "weibo": DATA / "raw" / "weibo-hot-search" / "weibo-hot-search_20201124-20260823.txt.gz",
         "zhihu": DATA / "raw" / "zhihu-hot-questions" / "zhihu-hot-questions_20201124-20250512.txt.gz"}


def spans(words: list[str]) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w)))
        pos += len(w)
    return out


def agreement(analyzer: Analyzer, lines: list[str]) -> tuple[float, float, list[str]]:
    """(word F of cut against tag, share of lines alike, examples of lines that differ)."""
    cuts = analyzer.cut_many(lines)
    tags = [[w for w, _ in ws] for ws in analyzer.tag_many(lines)]
    same = both = a_n = b_n = alike = 0
    examples = []
    for c, t in zip(cuts, tags):
        a, b = spans(c), spans(t)
        same += len(a & b)
        a_n += len(a)
        b_n += len(b)
        alike += a == b
        if a != b and len(examples) < 8:
            examples.append(f"cut: {' '.join(c)}\n  tag: {' '.join(t)}")
        both += 1
    return 2 * same / (a_n + b_n), alike / both, examples


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="default")
    ap.add_argument("--standard")
    ap.add_argument("--lines", type=int, default=5000)
    args = ap.parse_args()
    analyzer = Analyzer(model_file(args.model), standard=args.standard)
    print(f"model {args.model}, standard {analyzer.engine.standard}, last {args.lines} lines of each file")
    for name, path in FILES.items():
        lines = [x for x in read_lines(path) if x.strip()][-args.lines:]
        f, alike, examples = agreement(analyzer, lines)
        print(f"| {name} | {100 * f:.2f} | {100 * alike:.1f} |")
        for e in examples[:3]:
            print("  " + e)


if __name__ == "__main__":
    main()
