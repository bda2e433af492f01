"""Tagging pruned by the segmenter (the default) against the exact joint decode.

    python bench/tag_pruning.py [--model default] [--rounds 3] [--max-lines 20000]

Accuracy of `tag_many` and `tag_many(exact=True)`: People's Daily held-out word F and
word+tag F, SIGHAN PKU word F (`--standard pku`, as bench/pos_accuracy.py and
bench/accuracy.py score them), NLPCC Weibo dev word F (`weibo`) and UD GSDSimp test word
and UPOS F (`ud`, as bench/standards.py); on every corpus of bench/output_digest.py, the share of
the exact decode's (word, tag) tokens the pruned one does not give; and the speed of
both over the SIGHAN MSR test text x 5 in 1,000-line batches (best of 3 per round,
rounds alternating, median round; --rounds 0 skips it).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import DATA, ICWB, WEIBO, best_throughput, machine, pd_test, score, sighan  # noqa: E402
from output_digest import batches, corpora  # noqa: E402


def tagged(an, lines, exact, tagset="pku"):
    return [p for b in batches(lines) for p in an.tag_many(b, tagset, exact=exact)]


def changed(a, b) -> tuple[int, int]:
    """(tokens of a not in b at the same offsets, tokens of a)."""
    miss = total = 0
    for x, y in zip(a, b):
        spans = set()
        pos = 0
        for w, t in y:
            spans.add((pos, w, t))
            pos += len(w)
        pos = 0
        for w, t in x:
            miss += (pos, w, t) not in spans
            total += 1
            pos += len(w)
    return miss, total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--max-lines", type=int, default=20000)
    args = ap.parse_args()
    from hanlex import Analyzer
    from hanlex.io.corpus import read_corpus
    from hanlex.io.files import read_lines

    pku = Analyzer(args.model, standard="pku")
    print(f"Machine: {machine()}; tag margin {pku.engine.tag_margin}\n")
    raw, gold = pd_test()
    praw, pgold, _ = sighan("pku")
    weibo = read_corpus(WEIBO / "nlpcc2016-wordseg-dev.dat")
    ud = read_corpus(DATA / "ud" / "UD_Chinese-GSDSimp" / "zh_gsdsimp-ud-test.conllu")
    in_weibo, in_ud = Analyzer(args.model, standard="weibo"), Analyzer(args.model, standard="ud")
    print("| decode | PD held-out word F | PD word+tag F | SIGHAN PKU word F | Weibo dev word F "
          "(`weibo`) | UD GSDSimp word F / UPOS F (`ud`) |\n|---|---|---|---|---|---|")
    for exact in (True, False):
        s = score(gold, [[(w, t) for w, t in p if not w.isspace()]
                         for p in tagged(pku, raw, exact)], tagged=True)
        ps = score(pgold, [[w for w, _ in p if not w.isspace()] for p in tagged(pku, praw, exact)])
        ws = score([list(x.words) for x in weibo],
                   [[w for w, _ in p if not w.isspace()]
                    for p in tagged(in_weibo, [x.text for x in weibo], exact)])
        us = score([list(zip(x.words, x.tags)) for x in ud],
                   [[(w, t) for w, t in p if not w.isspace()]
                    for p in tagged(in_ud, [x.text for x in ud], exact, "upos")], tagged=True)
        print(f"| {'exact' if exact else 'pruned (default)'} | {100 * s.f:.2f} | "
              f"{100 * s.f_joint:.2f} | {100 * ps.f:.2f} | {100 * ws.f:.2f} | "
              f"{100 * us.f:.2f} / {100 * us.f_joint:.2f} |")
    an = Analyzer(args.model)
    print("\n| corpus (default standard) | tokens | changed by pruning |\n|---|---|---|")
    all_miss = all_total = 0
    for name, lines in corpora(args.max_lines).items():
        miss, total = changed(tagged(an, lines, True), tagged(an, lines, False))
        all_miss, all_total = all_miss + miss, all_total + total
        print(f"| {name} | {total:,} | {miss:,} ({100 * miss / max(total, 1):.2f}%) |")
    print(f"| all | {all_total:,} | {all_miss:,} ({100 * all_miss / max(all_total, 1):.2f}%) |")
    if args.rounds <= 0:
        return
    lines = read_lines(ICWB / "testing" / "msr_test.utf8") * 5
    speeds: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.rounds):
        for exact in (True, False):
            speeds[exact].append(best_throughput(
                lambda b, e=exact: an.tag_many(b, exact=e), lines, 3))
    med = {k: statistics.median(v) for k, v in speeds.items()}
    print(f"\ntag_many chars/s: exact {med[True]:,.0f}, pruned {med[False]:,.0f} "
          f"({med[False] / med[True]:.2f}x), median of {args.rounds} alternating rounds")


if __name__ == "__main__":
    main()
