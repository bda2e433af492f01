"""Ablation of learning from raw text (issue 6), side by side, in one run.

    python bench/raw_ablation.py [--raw-max-chars 4000000] [--epochs 10] [--lexicon WORDS ...]

Trains segmentation-only models (to keep the run short) with and without the
punctuation partial labels of raw text (Li & Sun 2009), and scores:
  - SIGHAN PKU test and UD Chinese GSDSimp test (cross-domain), trained on the
    People's Daily split (train part; dev = PD dev);
  - NLPCC-2016 Weibo dev, trained on the whole Weibo train set for a fixed
    number of epochs (no dev carved out of it: that scored 0.1-0.15 F lower).
Decoding speed: `cut_many` over the PKU test text x 5, best of 5, for the PD model.
Raw text: the CCTV news transcripts in ../shared/data/raw/ (never a test set).
Raw-text statistics: association (PMI) buckets of character bigrams over the raw
text plus the training text, as features of (c-1, c0) and (c0, c+1).
Raw-text words (hanlex train --raw-words): the words of all of the raw text as
segmented by the models of an earlier row (the same corpus's), as lexicon features.
--lexicon: every model also gets these word lists as lexicon features
(hanlex train --lexicon; an outside resource, so an open-setting table).
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from common import DATA, PD, RAW, WEIBO, best_throughput, machine, score, sighan  # noqa: E402

from hanlex import Analyzer  # noqa: E402
from hanlex.io.corpus import Sentence, holdout_split, parse_line, read_corpus  # noqa: E402
from hanlex.io.files import read_lines  # noqa: E402
from hanlex.learn.rawtext import read_raw  # noqa: E402
from hanlex.learn.recipes import raw_words  # noqa: E402
from hanlex.learn.trainer import TrainConfig, train  # noqa: E402
from hanlex.lexicon.entries import read_wordlist  # noqa: E402


def evaluate(model, raw_lines, gold_lines, words):
    an = Analyzer(model)
    pred = [[w for w in ws if not w.isspace()] for ws in an.cut_many(raw_lines)]
    s = score(gold_lines, pred, words)
    return f"{100 * s.f:.2f} / {100 * s.oov_recall:.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw-max-chars", type=int, default=4_000_000)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--lexicon", nargs="+", default=[])
    args = ap.parse_args()
    lexicon = [w for p in args.lexicon for w in read_wordlist(p)]
    raw = read_raw([RAW], max_chars=args.raw_max_chars)
    print(f"Machine: {machine()}\nRaw: {len(raw)} sentences, {sum(map(len, raw))} chars"
          + (f"; word lists: {', '.join(args.lexicon)} ({len(set(lexicon))} words)" if lexicon else "")
          + "\n")

    tr, dv, _ = holdout_split(read_lines(PD))
    pd_train = [parse_line(l, "plain") for l in tr]
    pd_train = [Sentence(tuple(w.rsplit("/", 1)[0].lstrip("[") for w in s.words)) for s in pd_train]
    pd_dev = [Sentence(tuple(w.rsplit("/", 1)[0].lstrip("[") for w in parse_line(l, "plain").words))
              for l in dv]
    pd_words = {w for s in pd_train + pd_dev for w in s.words}
    pku_raw, pku_gold, pku_words = sighan("pku")
    ud = [list(s.words) for s in read_corpus(DATA / "ud" / "UD_Chinese-GSDSimp" / "zh_gsdsimp-ud-test.conllu")]
    weibo = read_corpus(WEIBO / "nlpcc2016-word-seg-train.dat")
    wb_test = read_corpus(WEIBO / "nlpcc2016-wordseg-dev.dat")
    wb_words = {w for s in weibo for w in s.words}

    print("| config | PKU test F / OOV R | UD GSDSimp test F / OOV R | Weibo dev F / OOV R "
          "| train s (PD + Weibo) | decoding chars/s (PD model) |")
    print("|---|---|---|---|---|---|")
    configs = (("baseline", False, False, False, None),
               ("+ punctuation partial labels", True, True, False, None),
               ("+ raw-text statistics", True, False, True, None), ("+ both", True, True, True, None),
               ("+ raw-text words (segmented by the baseline models)", False, False, False, "baseline"),
               ("+ both + raw-text words (segmented by the '+ both' models)", True, True, True,
                "+ both"))
    all_raw = read_raw([RAW], require_punctuation=False)
    models = {}
    for name, use_raw, labels, stats, words_from in configs:
        cfg = TrainConfig(epochs=args.epochs, raw_labels=labels, raw_stats=stats)
        t = time.perf_counter()
        lex_pd = lex_wb = lexicon
        if words_from:
            lex_pd = lexicon + raw_words(models[words_from][0], all_raw)
            lex_wb = lexicon + raw_words(models[words_from][1], all_raw)
        m_pd = train(pd_train, pd_dev, cfg, raw=raw if use_raw else (), lexicon=lex_pd)
        m_wb = train(weibo, (), cfg, raw=raw if use_raw else (), lexicon=lex_wb)
        models[name] = (m_pd, m_wb)
        secs = time.perf_counter() - t
        cells = [evaluate(m_pd, pku_raw, pku_gold, pku_words),
                 evaluate(m_pd, ["".join(s) for s in ud], ud, pd_words),
                 evaluate(m_wb, [s.text for s in wb_test], [list(s.words) for s in wb_test], wb_words)]
        cps = best_throughput(Analyzer(m_pd).cut_many, pku_raw * 5, 5)
        print(f"| {name} | " + " | ".join(cells) + f" | {secs:.0f} | {cps:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
