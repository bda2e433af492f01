"""Segmentation of domains no model here was trained on: CIPS-SIGHAN 2010, peers in the same run.

    python bench/crossdomain.py [--model default] [--standard NAME] [--hanlex-only]

The adapted rows are `hanlex segment --adapt`'s: Analyzer.adapted on the domain's own
raw text (its words and bigram statistics, learn/domain.py), then `cut` and the joint
model on that text.

The four simplified-Chinese test sets (literature, computer, medicine, finance; a
PKU-like standard). Raw input is the gold with its spaces removed. This copy is
normalised (every digit run is `0`, every Latin run `X`, punctuation half width,
../shared/data/README.md), so removing the spaces glues neighbouring Latin words
(`X X` -> `XX`) that no segmenter can split again. Each cell therefore gives F over
all lines and, after the slash, over the lines without `0` or `X`. The last column is
SIGHAN-2005 PKU test, in domain: adapting on it must not cost it more than 0.1.
"""
from __future__ import annotations

import argparse
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import DATA, commit, default_peers, machine, score, sighan  # noqa: E402

from hanlex import Analyzer  # noqa: E402
from hanlex.model import model_file  # noqa: E402

DOMAINS = ("literature", "computer", "medicine", "finance")


def gold_lines(domain: str) -> list[list[str]]:
    path = DATA / "sighan2010-crossdomain" / f"{domain}.gold.txt"
    lines = [x.replace("\ufeff", "").split() for x in path.read_text(encoding="utf-8").splitlines()]
    return [x for x in lines if x]


def cell(gold: list[list[str]], pred: list[list[str]]) -> str:
    clean = [k for k, g in enumerate(gold) if not any(c in "0X" for w in g for c in w)]
    f_all = 100 * score(gold, pred).f
    f_clean = 100 * score([gold[k] for k in clean], [pred[k] for k in clean]).f
    return f"{f_all:.2f} / {f_clean:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="default")
    ap.add_argument("--standard", help="the hanlex standard to write (default: the model's)")
    ap.add_argument("--hanlex-only", action="store_true")
    args = ap.parse_args()
    golds = {d: gold_lines(d) for d in DOMAINS}
    raws = {d: ["".join(g) for g in golds[d]] for d in DOMAINS}
    pku_raw, pku_gold, _ = sighan("pku")
    an = Analyzer(model_file(args.model), standard=args.standard)
    systems = [(f"hanlex `cut` ({args.model}, standard {an.engine.standard})",
                lambda xs: [[w for w in ws if not w.isspace()] for ws in an.cut_many(xs)])]
    if an.engine.joint:
        systems.append((f"hanlex joint model (standard {an.engine.standard})",
                        lambda xs: [[w for w, _ in ws if not w.isspace()] for ws in an.tag_many(xs)]))
    systems.append((f"hanlex adapted (`segment --adapt`, standard {an.engine.standard})",
                    lambda xs: [[w for w in ws if not w.isspace()]
                                for ws in an.adapted(xs).cut_many(xs)]))
    if not args.hanlex_only:
        systems += list(default_peers())
    print(f"CIPS-SIGHAN 2010 cross-domain test sets; {machine()}\n")
    print("| system | " + " | ".join(f"{d} ({len(golds[d])} lines)" for d in DOMAINS)
          + " | PKU test (in domain) |")
    print("|---|" + "---|" * (len(DOMAINS) + 1))
    for name, segment in systems:
        pku = 100 * score(pku_gold, segment(pku_raw)).f
        print(f"| {name} | " + " | ".join(cell(golds[d], segment(raws[d])) for d in DOMAINS)
              + f" | {pku:.2f} |", flush=True)
    print(f"\n`python bench/crossdomain.py {' '.join(sys.argv[1:])}`, {commit()}, "
          f"{datetime.date.today()}, {machine()}")


if __name__ == "__main__":
    main()
