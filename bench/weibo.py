"""NLPCC-2016 Weibo: train on the Weibo train set, score its dev set.

    python bench/weibo.py [--config JSON] [--raw-chars N] [--holdout FRACTION]

--config: TrainConfig fields as JSON, e.g. '{"epochs": 15, "raw_ratio": 0.5}'
--raw-chars: first N characters of the CCTV raw text (punctuation labels +
    statistics unless the config turns them off); 0 = no raw text
--holdout: train on the first 1 - FRACTION of the train set and keep the best
    epoch on the rest (default 0: the whole train set, fixed epochs)
--save: also write the trained model to PATH
--tags-from MODEL: tag the train set with this joint model ('default' = the shipped
    one), its segmentation kept, and train a joint model (hanlex train --tags-from)
--tagset pku|thulac|upos: the tagset of those tags (hanlex train --tagset)
--lexicon FILE [FILE ...]: word lists as extra lexicon features (hanlex train --lexicon),
    e.g. the SIGHAN MSR training word list (an outside resource: NLPCC's open track)
--raw-words MODEL: also the words of all of the raw text as MODEL segments it (e.g. a
    model saved by an earlier run with --save, or 'default' = the shipped model's joint
    model; hanlex train --raw-words MODEL)
Prints one Markdown row: config, F / OOV recall (w.r.t. the train set's words), seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace

sys.path.insert(0, os.path.dirname(__file__))
from common import RAW, WEIBO, score  # noqa: E402

from hanlex import Analyzer, Model  # noqa: E402
from hanlex.io.corpus import read_corpus  # noqa: E402
from hanlex.learn.rawtext import read_raw  # noqa: E402
from hanlex.learn.recipes import raw_words, tags_from  # noqa: E402
from hanlex.learn.trainer import TrainConfig, train  # noqa: E402
from hanlex.lexicon.entries import read_wordlist  # noqa: E402
from hanlex.model import model_file  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="{}")
    ap.add_argument("--raw-chars", type=int, default=0)
    ap.add_argument("--holdout", type=float, default=0.0)
    ap.add_argument("--save")
    ap.add_argument("--tags-from", metavar="MODEL")
    ap.add_argument("--tagset", default="pku", choices=("pku", "thulac", "upos"))
    ap.add_argument("--lexicon", nargs="+", default=[])
    ap.add_argument("--raw-words", metavar="MODEL")
    args = ap.parse_args()
    cfg = TrainConfig(**json.loads(args.config))
    weibo = read_corpus(WEIBO / "nlpcc2016-word-seg-train.dat")
    words = {w for s in weibo for w in s.words}
    if args.tags_from:
        tagger = model_file(args.tags_from)
        weibo = tags_from(Model.load(tagger), weibo, tagset=args.tagset)
        cfg = replace(cfg, joint=True)
    dev = read_corpus(WEIBO / "nlpcc2016-wordseg-dev.dat")
    cut = int(len(weibo) * (1 - args.holdout))
    raw = read_raw([RAW], max_chars=args.raw_chars) if args.raw_chars else ()
    t = time.perf_counter()
    lexicon = [w for p in args.lexicon for w in read_wordlist(p)]
    if args.raw_words:
        lexicon += raw_words(Model.load(model_file(args.raw_words)),
                             read_raw([RAW], require_punctuation=False))
    model = train(weibo[:cut], weibo[cut:], cfg, raw=raw, lexicon=lexicon)
    if args.save:
        model.save(args.save)
    pred = [[w for w in ws if not w.isspace()] for ws in Analyzer(model).cut_many([s.text for s in dev])]
    s = score([list(s.words) for s in dev], pred, words)
    tagged = f" tags-from={args.tags_from} tagset={args.tagset}" if args.tags_from else ""
    tagged += f" lexicon={','.join(os.path.basename(p) for p in args.lexicon)}" if args.lexicon else ""
    tagged += f" raw-words={os.path.basename(args.raw_words)}" if args.raw_words else ""
    print(f"| {args.config} raw={args.raw_chars} holdout={args.holdout}{tagged} | "
          f"{100 * s.f:.2f} / {100 * s.oov_recall:.2f} | {time.perf_counter() - t:.0f} |")


if __name__ == "__main__":
    main()
