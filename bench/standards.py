"""Each segmentation standard on its own test set, peers in the same run.

    python bench/standards.py [--model default] [--sets weibo,ud-dev,ud-test] [--hanlex-only]

- weibo: NLPCC-2016 Weibo dev, hanlex in its `weibo` standard (`cut`);
- ud-dev / ud-test: UD Chinese GSDSimp dev / test (choose on dev, report test), hanlex in
  its `ud` standard: words F of `cut` and of the joint model, and UPOS F of the joint
  model (its tags as the model names them in UPOS: the `ud` standard's own tags when it
  has them, else PKU tags mapped, `--tagset upos`).
A model without a standard is decoded in its default one. Peers (jieba, rjieba, pkuseg,
thulac) segment with their own default models; UPOS is hanlex's only.
"""
from __future__ import annotations

import argparse
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import DATA, WEIBO, commit, default_peers, machine, score  # noqa: E402

from hanlex import Analyzer  # noqa: E402
from hanlex.errors import ConfigError  # noqa: E402
from hanlex.io.corpus import read_corpus  # noqa: E402
from hanlex.model import model_file  # noqa: E402

GSD = DATA / "ud" / "UD_Chinese-GSDSimp"
SETS = {"weibo": ("weibo", WEIBO / "nlpcc2016-wordseg-dev.dat"),
        "ud-dev": ("ud", GSD / "zh_gsdsimp-ud-dev.conllu"),
        "ud-test": ("ud", GSD / "zh_gsdsimp-ud-test.conllu")}


def analyzer(model: str, standard: str) -> Analyzer:
    """The model in `standard`, or in its default one if it was not trained in it."""
    try:
        return Analyzer(model_file(model), standard=standard)
    except ConfigError:
        return Analyzer(model_file(model))


def hanlex_cells(an: Analyzer, sents, upos: bool) -> list[str]:
    texts = [s.text for s in sents]
    gold = [list(s.words) for s in sents]
    cut = [[w for w in ws if not w.isspace()] for ws in an.cut_many(texts)]
    cells = [f"{100 * score(gold, cut).f:.2f}"]
    if an.engine.joint:
        tagset = "upos" if upos and "NOUN" not in an.engine.tags else "pku"
        tagged = [[(w, t) for w, t in ws if not w.isspace()]
                  for ws in an.tag_many(texts, tagset=tagset)]
        cells.append(f"{100 * score(gold, [[w for w, _ in ws] for ws in tagged]).f:.2f}")
        if upos:
            s = score([list(zip(x.words, x.tags)) for x in sents], tagged, tagged=True)
            cells.append(f"{100 * s.f_joint:.2f}")
    return cells


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="default")
    ap.add_argument("--sets", default="weibo,ud-dev,ud-test")
    ap.add_argument("--hanlex-only", action="store_true")
    args = ap.parse_args()
    peers = [] if args.hanlex_only else list(default_peers())
    for name in args.sets.split(","):
        standard, path = SETS[name]
        sents = read_corpus(path)
        upos = standard == "ud"
        an = analyzer(args.model, standard)
        print(f"\n{name} ({path.name}, {len(sents)} sentences); hanlex in standard "
              f"{an.engine.standard!r}")
        print("| system | cut F | joint model F |" + (" UPOS F |" if upos else ""))
        print("|---|---|---|" + ("---|" if upos else ""))
        print(f"| hanlex ({args.model}) | " + " | ".join(hanlex_cells(an, sents, upos)) + " |")
        gold = [list(s.words) for s in sents]
        for row, seg in peers:
            print(f"| {row} | {100 * score(gold, seg([s.text for s in sents])).f:.2f} | | "
                  + ("|" if upos else ""))
    print(f"\n`python bench/standards.py --model {args.model}`, {commit()}, "
          f"{datetime.date.today()}, {machine()}")


if __name__ == "__main__":
    main()
