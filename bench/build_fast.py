"""Build the shipped fast tier (`Analyzer("fast")`) in one command.

    python bench/build_fast.py [--from src/hanlex/data/default.hlx] [-o src/hanlex/data/fast.hlx]
                               [--work work] [--keep-templates] [--no-lexicon] [--prune 1.5]

A segmentation-only model distilled from the default model by the recipe behind
`hanlex train --segmenter --uptrain` (`learn.recipes.train_segmenter`): the
default's four corpora in its four standards, words only, plus 6 M raw characters
as the default's joint model segments them. What makes it fast:
- no c-1 c+1 and c-1 c0 c+1 templates: the two a segmenter's table still looks up
  by hash per character (the rest sit in per-character rows, dense arrays or the
  prefetched pair table), so their table is empty and stays in cache;
- a small lexicon: the corpora's own words and jieba's 31,115 frequent words, not the
  default's 192,000 raw-text words (198,696 lexicon keys instead of 333,215);
- few features: those whose largest weight is below 1.5x the mean are dropped (117,239
  of some 500,000 kept, for 0.01 F on SIGHAN PKU), a smaller file and smaller tables.
Without any lexicon (--no-lexicon) it lost 1.3 dev F: the lexicon stays.
The inputs are build_default.py's (steps 1-5); nothing from ../shared is committed.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from build_default import ROOT, UPTRAIN_CHARS, prepare  # noqa: E402

from hanlex._core.templates import Template  # noqa: E402
from hanlex.io.corpus import read_corpus  # noqa: E402
from hanlex.learn.rawtext import read_raw  # noqa: E402
from hanlex.learn.recipes import train_segmenter  # noqa: E402
from hanlex.learn.trainer import TrainConfig  # noqa: E402
from hanlex.lexicon.entries import read_wordlist  # noqa: E402
from hanlex.model.model import Model  # noqa: E402

#: what the fast tier leaves out: the two templates a half table still hashes
FAST_DROPPED = (Template.T_SKIP, Template.T_TRIGRAM)
LEXICON_TEMPLATES = (Template.T_LEX_BEGIN, Template.T_LEX_END, Template.T_LEX_MID, Template.T_LEX_ALL,
                     Template.T_LEX_BEGIN_C0, Template.T_LEX_END_C0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="source", default=str(ROOT / "src" / "hanlex" / "data" / "default.hlx"),
                    help="the joint model to distil (its standards are the fast tier's)")
    ap.add_argument("-o", "--output", default=str(ROOT / "src" / "hanlex" / "data" / "fast.hlx"))
    ap.add_argument("--work", default="work")
    ap.add_argument("--keep-templates", action="store_true",
                    help="all templates (measures what dropping the hashed ones costs)")
    ap.add_argument("--no-lexicon", action="store_true",
                    help="no lexicon templates and no lexicon (measures what the lexicon costs)")
    ap.add_argument("--prune", type=float, default=1.5,
                    help="drop features whose largest weight is below this fraction of the mean")
    ap.add_argument("--epochs", type=int, default=10)
    args = ap.parse_args()
    t = time.perf_counter()
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    f = prepare(Path(args.work), dry=False)
    source = Model.load(args.source)
    names = list(source.standards) or [source.standard]
    # criterion 0 is the source's main standard, the others in its order
    order = [source.standard] + [n for n in names if n != source.standard]
    sents = []
    for criterion, name in enumerate(order):
        sents += [replace(s, tags=None, criterion=criterion) for s in read_corpus(f[name])]
    dev = read_corpus(f["dev"])
    lexicon = read_wordlist(f["jieba"])
    uptrain = read_raw([f["mix"]], max_chars=UPTRAIN_CHARS, require_punctuation=False)
    dropped = () if args.keep_templates else FAST_DROPPED
    if args.no_lexicon:
        dropped += LEXICON_TEMPLATES
        lexicon = []
    cfg = TrainConfig(epochs=args.epochs, standards=tuple(order), segmenter_prune=args.prune,
                      dropped_templates=dropped)
    seg = train_segmenter(source, sents, dev, cfg, log=log, uptrain=uptrain, lexicon=lexicon)
    seg.default_standard = source.default_standard
    if args.no_lexicon:  # nothing reads it: decoding skips the matcher
        seg = replace(seg, lexicon_keys=seg.lexicon_keys[:0], lexicon_flags=seg.lexicon_flags[:0])
    seg.meta.update(distilled_from=os.path.basename(args.source), tier="fast")
    seg.save(args.output)
    print(f"built {args.output} in {time.perf_counter() - t:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
