"""hanlex with `thulac:DIR` against THULAC's Python package, line by line.

    python bench/thulac_agreement.py [--sets pku,msr,weibo] [--modes seg,joint] [--model M.hlx]

For each set's input lines (SIGHAN-2005 PKU and MSR test inputs, NLPCC-2016
Weibo dev sentences) and each mode (seg: thulac(seg_only=True) against
Analyzer.cut_many; joint: thulac() against Analyzer.tag_many), counts the lines
whose words (and, joint, tags) are the same. Whitespace words are left out on
both sides: THULAC keeps only the first space of a run, hanlex keeps the run.
THULAC's outputs are cached in work/thulac/ (joint mode runs at a few thousand
characters per second); delete that folder to recompute them. Needs thulac.
Differing lines are written to work/thulac/<set>_<mode>.diff.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from common import ROOT, WEIBO, machine, sighan  # noqa: E402

CACHE = ROOT / "work" / "thulac"


def inputs(name: str) -> list[str]:
    if name == "weibo":
        from hanlex.io.corpus import read_corpus

        return [s.text for s in read_corpus(WEIBO / "nlpcc2016-wordseg-dev.dat")]
    return sighan(name)[0]


def models_dir() -> str:
    import thulac

    return os.path.join(os.path.dirname(thulac.__file__), "models")


def thulac_output(name: str, mode: str, lines: list[str]) -> list[list]:
    """THULAC's [word, tag] pairs per line, cached."""
    path = CACHE / f"{name}_{mode}.jsonl"
    if path.exists():
        out = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
        if len(out) == len(lines):
            return out
    import time as _time

    _time.clock = _time.perf_counter  # thulac 0.2.2 still calls time.clock
    import thulac

    t = thulac.thulac(seg_only=(mode == "seg"))
    start = time.perf_counter()
    out = [t.cut(line) for line in lines]
    print(f"  thulac {mode} on {name}: {sum(map(len, lines)) / (time.perf_counter() - start):,.0f} "
          "characters/s", flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in out),
                    encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="pku,msr,weibo")
    ap.add_argument("--modes", default="seg,joint")
    ap.add_argument("--model", help="a model file converted by `hanlex convert thulac:DIR` "
                    "(default: thulac:DIR of the thulac package)")
    args = ap.parse_args()
    from hanlex import Analyzer

    analyzer = Analyzer(args.model or "thulac:" + models_dir())
    print(f"Machine: {machine()}\n")
    print("| set | mode | lines | identical | differing |")
    print("|---|---|---|---|---|")
    for name in args.sets.split(","):
        lines = inputs(name)
        for mode in args.modes.split(","):
            theirs = thulac_output(name, mode, lines)
            if mode == "seg":
                ours = [[[w, ""] for w in ws] for ws in analyzer.cut_many(lines)]
            else:
                ours = [[[w, t] for w, t in ws] for ws in analyzer.tag_many(lines)]
            diff = []
            for k, (a, b) in enumerate(zip(ours, theirs)):
                a = [x for x in a if x[0].strip()]
                b = [x for x in b if x[0].strip()]
                if mode == "seg":
                    a, b = [x[0] for x in a], [x[0] for x in b]
                if a != b:
                    diff.append((k, a, b))
            CACHE.mkdir(parents=True, exist_ok=True)
            with open(CACHE / f"{name}_{mode}.diff", "w", encoding="utf-8") as f:
                for k, a, b in diff:
                    f.write(f"line {k + 1}\n  hanlex: {a}\n  thulac: {b}\n")
            print(f"| {name} | {mode} | {len(lines):,} | {len(lines) - len(diff):,} | "
                  f"{len(diff):,} |", flush=True)


if __name__ == "__main__":
    main()
