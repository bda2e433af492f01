"""Search mode as an index sees it: how many gold words a query could find.

    python bench/search_recall.py [--sets pku,msr,pd]   (default: pku,msr)

For each test sentence (its gold words joined), each system's tokens with their
offsets: default segmentation and search mode (`tokenize(mode="search")`) of
hanlex (default model), jieba and rjieba. Reports, over all gold words:
- span recall: the share of gold words that come out as a token with exactly
  their offsets (an index built from the tokens finds the word as a term);
- tokens per gold word: the index's size against one token per word.
Peers that are not installed are skipped.
"""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import machine, pd_test, sighan  # noqa: E402


def systems():
    import hanlex

    an = hanlex.Analyzer()
    out = {
        "hanlex": lambda t: [(x.start, x.end) for x in an.tokenize(t)],
        "hanlex search": lambda t: [(x.start, x.end) for x in an.tokenize(t, mode="search")],
    }
    try:
        import jieba

        jieba.setLogLevel(60)
        out["jieba"] = lambda t: [(a, b) for _, a, b in jieba.tokenize(t)]
        out["jieba search"] = lambda t: [(a, b) for _, a, b in jieba.tokenize(t, mode="search")]
    except ImportError:
        print("jieba: skipped (not installed)", file=sys.stderr)
    try:
        import rjieba

        out["rjieba search"] = lambda t: [(a, b) for _, a, b in rjieba.tokenize(t, mode="search")]
    except ImportError:
        print("rjieba: skipped (not installed)", file=sys.stderr)
    return out


def gold_sets(names):
    for name in names:
        if name == "pd":
            _, gold = pd_test()
            yield "PD 1998 held-out", [[w for w, _ in s] for s in gold]
        else:
            _, gold, _ = sighan(name)
            yield f"SIGHAN {name.upper()} test", gold


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="pku,msr")
    args = ap.parse_args()
    sys_fns = systems()
    print(f"Machine: {machine()}\n")
    print("| test set | system | gold words found (span recall) | tokens per gold word |")
    print("|---|---|---|---|")
    for label, gold in gold_sets(args.sets.split(",")):
        texts = ["".join(ws) for ws in gold]
        spans = []
        for ws in gold:
            pos, s = 0, set()
            for w in ws:
                s.add((pos, pos + len(w)))
                pos += len(w)
            spans.append(s)
        n_gold = sum(len(s) for s in spans)
        for name, fn in sys_fns.items():
            found = tokens = 0
            for text, want in zip(texts, spans):
                got = fn(text)
                tokens += len(got)
                found += len(want & set(got))
            print(f"| {label} | {name} | {100 * found / n_gold:.2f} | {tokens / n_gold:.3f} |")


if __name__ == "__main__":
    main()
