"""How many of a model's test errors does its own training corpus prescribe?

    python bench/annotation_conflicts.py pku [--model PATH] [--joint]
    python bench/annotation_conflicts.py weibo --model WEIBO_MODEL

Splits the test set into regions between the word boundaries that gold and
prediction share, and looks at each region where they disagree. The region's
string is looked up in the training corpus wherever it occurs as a run of whole
words (PKU: People's Daily train + dev of our split, width-normalised; Weibo:
its train set), and the region is classed by which segmentation the training
corpus uses more often: ours ("standard conflict": the test annotation departs
from the training corpus), the gold ("model error"), a tie, or neither/unseen.
Also prints the F the model would score if it followed the test's annotation in
the conflict regions: the ceiling a model that learns its training corpus
faithfully can reach on that test set.
"""
from __future__ import annotations

import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import PD, WEIBO, sighan  # noqa: E402

from hanlex import Analyzer  # noqa: E402
from hanlex.io.corpus import holdout_split, parse_line, read_corpus  # noqa: E402
from hanlex.io.files import read_lines  # noqa: E402
from hanlex.text.normalize import normalize_text  # noqa: E402

MAX_WORDS = 5  # longest run of training words indexed


def run_index(word_lines) -> dict[str, collections.Counter]:
    """string -> how often the training corpus writes it as each run of whole words."""
    index: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for words in word_lines:
        for i in range(len(words)):
            for n in range(1, min(MAX_WORDS, len(words) - i) + 1):
                run = words[i:i + n]
                index["".join(run)][" ".join(run)] += 1
    return index


def ends(words) -> list[int]:
    out, i = [], 0
    for w in words:
        i += len(w)
        out.append(i)
    return out


def regions(gold, pred):
    """(string, gold words, predicted words) of each region where they disagree."""
    text = "".join(gold)
    gb, pb = ends(gold), ends(pred)
    shared = sorted(set(gb) & set(pb) | {0})
    for a, b in zip(shared, shared[1:]):
        g = [x for x in gb if a < x <= b]
        p = [x for x in pb if a < x <= b]
        if g != p:
            cut = lambda xs: [text[x:y] for x, y in zip([a] + xs[:-1], xs)]  # noqa: E731
            yield text[a:b], cut(g), cut(p)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("set", choices=("pku", "weibo"))
    ap.add_argument("--model", help="model file (pku: default = the shipped model)")
    ap.add_argument("--joint", action="store_true", help="segment with the joint model")
    ap.add_argument("--examples", type=int, default=10)
    args = ap.parse_args()
    if args.set == "pku":
        train, dev, _ = holdout_split(read_lines(PD))
        ref = [[normalize_text(w) for w in parse_line(l, "tagged").words] for l in train + dev]
        raw, gold, _ = sighan("pku")
    else:
        if not args.model:
            ap.error("weibo needs --model (e.g. from bench/weibo.py --save)")
        ref = [list(s.words) for s in read_corpus(WEIBO / "nlpcc2016-word-seg-train.dat")]
        test = read_corpus(WEIBO / "nlpcc2016-wordseg-dev.dat")
        raw, gold = [s.text for s in test], [list(s.words) for s in test]
    index = run_index(ref)
    an = Analyzer(args.model, segmenter=not args.joint) if args.model else \
        Analyzer(segmenter=not args.joint)
    pred = [[w for w in ws if not w.isspace()] for ws in an.cut_many(raw)]

    n_gold = sum(map(len, gold))
    n_pred = sum(map(len, pred))
    correct = n_gold - sum(len(g) for gs, ps in zip(gold, pred) for _, g, _ in regions(gs, ps))
    classes = ("standard conflict (training corpus prescribes our output)",
               "model error (training corpus prescribes the gold)",
               "tie", "region not in the training corpus as whole words, or written a third way")
    count = collections.Counter()
    gold_words = collections.Counter()
    examples = collections.defaultdict(collections.Counter)
    conflict_pred_words = 0
    for gs, ps in zip(gold, pred):
        gs = [normalize_text(w) for w in gs]
        ps = [normalize_text(w) for w in ps]
        for text, g, p in regions(gs, ps):
            seen = index.get(text, {})
            ng, np_ = seen.get(" ".join(g), 0), seen.get(" ".join(p), 0)
            k = 3 if ng == np_ == 0 else 0 if np_ > ng else 1 if ng > np_ else 2
            count[k] += 1
            gold_words[k] += len(g)
            examples[k][f"{' '.join(g)} → {' '.join(p)}"] += 1
            if k == 0:
                conflict_pred_words += len(p)

    def f(c, p):
        return 200 * c / (n_gold + p)

    print(f"{args.set}: {n_gold} gold words, F {f(correct, n_pred):.2f}; "
          f"{sum(count.values())} regions where gold and prediction disagree")
    print("| class | regions | gold words in them | most frequent (gold → ours) |\n|---|---|---|---|")
    for k, name in enumerate(classes):
        ex = "; ".join(f"{e} x{n}" for e, n in examples[k].most_common(args.examples))
        print(f"| {name} | {count[k]} | {gold_words[k]} | {ex} |")
    ceiling_pred = n_pred - conflict_pred_words + gold_words[0]
    print(f"\nF if the conflict regions followed the test annotation: "
          f"{f(correct + gold_words[0], ceiling_pred):.2f}")


if __name__ == "__main__":
    main()
