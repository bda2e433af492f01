"""Mixed-domain training: People's Daily + the NLPCC-2016 Weibo train set, scored
on every set the default model answers for.

    python bench/mixed.py [--variant pd|concat|criteria] [--raw-chars N] [--config JSON]
        [--save PATH] [--model PATH]

pd:       People's Daily train split only (the baseline);
concat:   People's Daily + the Weibo train set, tags borrowed from the shipped
          model (`tags_from`, its segmentation kept), one corpus;
criteria: the same, with each corpus's standard marked (`criterion` of a Sentence):
          see hanlex.learn.criteria; one model of two standards, pku and weibo, the
          Weibo dev set scored in weibo, the People's Daily sets in pku.
--model: score a saved model instead of training one.
--lexicon FILE...: word lists as lexicon features (hanlex train --lexicon).
Epochs are picked on People's Daily dev plus the last 5% of the Weibo train set
(never the Weibo dev set, which is only scored). Prints one Markdown row: Weibo dev F,
SIGHAN PKU test F, People's Daily held-out segmentation F and word+tag F, seconds.
"""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from common import DATA, PD, RAW, WEIBO, pd_test, score, sighan  # noqa: E402

from hanlex import Analyzer, Model  # noqa: E402
from hanlex.io.corpus import holdout_split, parse_line, read_corpus  # noqa: E402
from hanlex.io.files import read_lines  # noqa: E402
from hanlex.learn.rawtext import read_raw  # noqa: E402
from hanlex.learn.recipes import tags_from  # noqa: E402
from hanlex.learn.trainer import TrainConfig, train  # noqa: E402
from hanlex.lexicon.entries import read_wordlist  # noqa: E402
from hanlex.model import model_file  # noqa: E402


UD = DATA / "ud"
GSD_TRAIN = UD / "UD_Chinese-GSD-train" / "zh_gsd-train.conll"
GSD_DEV = UD / "UD_Chinese-GSDSimp" / "zh_gsdsimp-ud-dev.conllu"


def corpora(variant: str):
    train_lines, dev_lines, _ = holdout_split(read_lines(PD))
    pd_train = [parse_line(x, "tagged") for x in train_lines]
    pd_dev = [parse_line(x, "tagged") for x in dev_lines]
    if variant == "pd":
        return pd_train, pd_dev
    weibo = tags_from(Model.load(model_file("default")),
                      read_corpus(WEIBO / "nlpcc2016-word-seg-train.dat"))
    cut = len(weibo) - len(weibo) // 20
    if variant in ("criteria", "three"):
        weibo = [replace(s, criterion=1) for s in weibo]
    if variant == "symmetric":  # every corpus its own private weights, none the shared alone
        pd_train = [replace(s, criterion=1) for s in pd_train]
        weibo = [replace(s, criterion=2) for s in weibo]
    extra = []
    if variant == "three":  # UD GSD's words, PKU tags borrowed as for Weibo
        gsd = read_corpus(GSD_TRAIN)
        gsd = tags_from(Model.load(model_file("default")), [replace(s, tags=None) for s in gsd])
        extra = [replace(s, criterion=2) for s in gsd]
    return pd_train + weibo[:cut] + extra, pd_dev + weibo[cut:]


def scores(model) -> str:
    an = Analyzer(model, standard="pku") if "pku" in model.standards else Analyzer(model)
    cells = []
    dev = read_corpus(WEIBO / "nlpcc2016-wordseg-dev.dat")
    weibo = Analyzer(model, standard="weibo") if "weibo" in model.standards else an
    pred = [[w for w in ws if not w.isspace()] for ws in weibo.cut_many([s.text for s in dev])]
    cells.append(f"{100 * score([list(s.words) for s in dev], pred).f:.2f}")
    if "ud" in model.standards:
        ud = Analyzer(model, standard="ud")
        dev = read_corpus(GSD_DEV)
        gold = [list(s.words) for s in dev]
        for way in (ud.cut_many, lambda t: [[w for w, _ in ws] for ws in ud.tag_many(t)]):
            pred = [[w for w in ws if not w.isspace()] for ws in way([s.text for s in dev])]
            cells.append(f"{100 * score(gold, pred).f:.2f}")
    raw, gold, words = sighan("pku")
    pred = [[w for w in ws if not w.isspace()] for ws in an.cut_many(raw)]
    cells.append(f"{100 * score(gold, pred, words).f:.2f}")
    raw, gold = pd_test()
    pred = [[(w, t) for w, t in p if not w.isspace()] for p in an.tag_many(raw)]
    s = score(gold, pred, tagged=True)
    cells += [f"{100 * s.f:.2f}", f"{100 * s.f_joint:.2f}"]
    return " | ".join(cells)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--variant", default="concat", choices=("pd", "concat", "criteria", "three", "symmetric"))
    ap.add_argument("--raw-chars", type=int, default=0)
    ap.add_argument("--config", default="{}")
    ap.add_argument("--save")
    ap.add_argument("--model")
    ap.add_argument("--lexicon", nargs="+", default=[])
    args = ap.parse_args()
    t = time.perf_counter()
    if args.model:
        model = Model.load(args.model)
        name = os.path.basename(args.model)
    else:
        standards = {"criteria": ("pku", "weibo"), "three": ("pku", "weibo", "ud"),
                     "symmetric": ("shared", "pku", "weibo")}.get(args.variant, ("main",))
        cfg = TrainConfig(**{"joint": True, "joint_prune": 0.6, "standards": standards,
                             **json.loads(args.config)})
        sents, dev = corpora(args.variant)
        raw = read_raw([RAW], max_chars=args.raw_chars) if args.raw_chars else ()
        lexicon = [w for p in args.lexicon for w in read_wordlist(p)]
        model = train(sents, dev, cfg, raw=raw, lexicon=lexicon,
                      log=lambda m: print(m, file=sys.stderr, flush=True))
        if args.save:
            model.save(args.save)
        name = f"{args.variant} raw={args.raw_chars} {args.config}"
        if args.lexicon:
            name += " lexicon=" + ",".join(os.path.basename(p) for p in args.lexicon)
    print(f"| {name} | {scores(model)} | {time.perf_counter() - t:.0f} |", flush=True)


if __name__ == "__main__":
    main()
