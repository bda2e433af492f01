"""Segmentation accuracy of hanlex and its peers, side by side, in one run.

    python bench/accuracy.py [--model PATH] [--sets pku,msr,cityu,pd] [--hanlex-only] [--counts]
        [--traditional]

Peers run when importable (jieba, pkuseg, thulac). Peers trained on our
People's Daily split join when their paths are given:
  PKUSEG_PD_MODEL=DIR        pkuseg model dir from bench/train_peers.py
  THULAC_BIN=PATH            a THULAC `thulac` binary you built yourself
  THULAC_SEG_MODEL_DIR=DIR   model dir with cws_* trained by train_c on the split
                             (plus THULAC's auxiliary .dat files)
Prints a Markdown table: F, OOV recall (w.r.t. the set's training words;
for PD w.r.t. our training split) and the time to segment the set; --counts adds
F to four decimals and the correct / output word counts (a target such as F >= 96.0
must not be judged on a rounded figure). --traditional adds hanlex rows that read
Traditional characters as Simplified (Analyzer(traditional=True); for cityu).
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from common import default_peers, machine, pd_test, pd_train_words, run_binary, score, sighan  # noqa: E402


def systems(model_path, hanlex_only=False, traditional=False, standard=None):
    import hanlex

    for trad in (False, True) if traditional else (False,):
        an = hanlex.Analyzer(model_path, traditional=trad, standard=standard)
        tail = ", traditional=True" if trad else ""
        yield f"hanlex{tail}", lambda lines, an=an: [[w for w in ws if not w.isspace()]
                                                    for ws in an.cut_many(lines)]
        joint = hanlex.Analyzer(model_path, segmenter=False, traditional=trad, standard=standard)
        if getattr(an.engine, "use_segmenter", False):
            yield f"hanlex, joint model's segmentation (segmenter=False{tail})", \
                lambda lines, joint=joint: [[w for w in ws if not w.isspace()]
                                            for ws in joint.cut_many(lines)]
    if hanlex_only:
        return
    for name, fn in default_peers(("jieba", "pkuseg", "thulac")):
        yield name, fn
        if name.startswith("pkuseg") and os.environ.get("PKUSEG_PD_MODEL"):
            import pkuseg
            seg_pd = pkuseg.pkuseg(model_name=os.environ["PKUSEG_PD_MODEL"])
            yield "pkuseg (trained on PD split)", lambda lines: [seg_pd.cut(x) for x in lines]
    if os.environ.get("THULAC_BIN") and os.environ.get("THULAC_SEG_MODEL_DIR"):
        d = os.environ["THULAC_SEG_MODEL_DIR"].rstrip("/") + "/"
        cmd = [os.environ["THULAC_BIN"], "-seg_only", "-model_dir", d]
        yield "THULAC C++ (train_c on PD split)", lambda lines: [l.split() for l in run_binary(cmd, lines)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--sets", default="pku,pd")
    ap.add_argument("--hanlex-only", action="store_true", help="skip the peers")
    ap.add_argument("--standard", help="the model's standard to decode in (default: its default)")
    ap.add_argument("--traditional", action="store_true",
                    help="also hanlex reading Traditional characters as Simplified")
    ap.add_argument("--counts", action="store_true",
                    help="also F to 4 decimals and correct / output word counts")
    args = ap.parse_args()
    sets = {}
    for name in args.sets.split(","):
        if name == "pd":
            raw, gold = pd_test()
            sets["PD 1998 held-out 10%"] = (raw, [[w for w, _ in g] for g in gold], pd_train_words())
        else:
            sets[f"SIGHAN {name.upper()} test"] = sighan(name)
    print(f"Machine: {machine()}\n")
    header = "| system | " + " | ".join(f"{s}: F / OOV R / secs" for s in sets) + " |"
    print(header)
    print("|" + "---|" * (len(sets) + 1))
    for name, fn in systems(args.model, args.hanlex_only, args.traditional, args.standard):
        cells = []
        for raw, gold, words in sets.values():
            lines = [l for l in raw]
            t = time.perf_counter()
            pred = fn(lines)
            secs = time.perf_counter() - t
            try:
                s = score(gold, pred, words)
                cell = f"{100 * s.f:.2f} / {100 * s.oov_recall:.2f} / {secs:.1f}"
                if args.counts:
                    cell += f" (F {100 * s.f:.4f}: {s.correct:,} of {s.gold_words:,} correct, {s.pred_words:,} output)"
                cells.append(cell)
            except ValueError as e:
                cells.append(f"n/a ({str(e)[:40]})")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
