"""Joint segmentation + POS accuracy on the People's Daily held-out 10%, side by side.

    python bench/pos_accuracy.py [--model PATH]

Peers trained on the same split (PKU tagset) join when given:
  THULAC_BIN=PATH              a THULAC `thulac` binary you built yourself
  THULAC_JOINT_MODEL_DIR=DIR   model dir with model_c_* trained by train_c on the
                               split's word/TAG file (plus THULAC's auxiliary .dat files)
Peers with their own tagsets (jieba.posseg, THULAC's shipped model) are not
comparable on joint F and are left out.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from common import machine, pd_test, run_binary, score  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--standard", help="the model's standard to decode in (default: its default)")
    args = ap.parse_args()
    import hanlex

    raw, gold = pd_test()
    an = hanlex.Analyzer(args.model, standard=args.standard)
    systems = {"hanlex": lambda lines: [[(w, t) for w, t in p if not w.isspace()]
                                        for p in an.tag_many(lines)]}
    if os.environ.get("THULAC_BIN") and os.environ.get("THULAC_JOINT_MODEL_DIR"):
        d = os.environ["THULAC_JOINT_MODEL_DIR"].rstrip("/") + "/"
        cmd = [os.environ["THULAC_BIN"], "-model_dir", d]

        def thulac_cpp(lines):
            out = []
            for line in run_binary(cmd, lines):
                toks = [t.rsplit("_", 1) for t in line.split()]
                out.append([(t[0], t[1] if len(t) == 2 else None) for t in toks])
            return out
        systems["THULAC C++ (train_c on PD split)"] = thulac_cpp
    print(f"Machine: {machine()}\n\nPeople's Daily 1998-01, held-out last 10% "
          f"({sum(len(l) for l in raw)} characters)\n")
    print("| system | segmentation F | joint word+tag F | secs |\n|---|---|---|---|")
    for name, fn in systems.items():
        t = time.perf_counter()
        pred = fn(raw)
        secs = time.perf_counter() - t
        s = score(gold, pred, tagged=True)
        print(f"| {name} | {100 * s.f:.2f} | {100 * s.f_joint:.2f} | {secs:.1f} |", flush=True)


if __name__ == "__main__":
    main()
