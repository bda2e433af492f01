"""Train hanlex and its peers on the same People's Daily split; time each.

    python bench/train_peers.py OUTDIR [--pkuseg-iter 10] [--thulac-iter 15]

Writes OUTDIR/{train,dev,test}.* in each tool's format, then trains
  hanlex                  (always; 10 epochs, the default model's command)
  pkuseg                  (when importable; pkuseg.train on the plain words)
  THULAC train_c          (when THULAC_TRAIN_C names a binary you built;
                           seg-only as cws_*, joint word/TAG as model_c_*)
and prints the training wall time of each. Models land in OUTDIR/<tool>.
For THULAC's `thulac` decoder, copy its auxiliary .dat files (from the
thulac Python package's models/ folder) beside the trained cws_* files.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from common import PD  # noqa: E402

from hanlex.io.corpus import holdout_split, parse_line  # noqa: E402
from hanlex.io.files import read_lines  # noqa: E402


def write_split(out: Path):
    train, dev, test = holdout_split(read_lines(PD))
    for name, lines in (("train", train), ("dev", dev), ("test", test)):
        sents = [parse_line(l, "tagged") for l in lines]
        (out / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (out / f"{name}.words").write_text(
            "\n".join(" ".join(s.words) for s in sents) + "\n", encoding="utf-8")
        (out / f"{name}.wt").write_text(
            "\n".join(" ".join(f"{w}/{t}" for w, t in zip(s.words, s.tags)) for s in sents) + "\n",
            encoding="utf-8")
        (out / f"{name}.seg_").write_text(
            "\n".join(" ".join(f"{w}_" for w in s.words) for s in sents) + "\n", encoding="utf-8")


def timed_run(cmd, **kw) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, **kw)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pkuseg-iter", type=int, default=10)
    ap.add_argument("--thulac-iter", type=int, default=15)
    ap.add_argument("--skip", default="", help="comma-separated tools to skip")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_split(out)
    skip = set(args.skip.split(","))
    results = {}
    if "hanlex" not in skip:
        results["hanlex (10 epochs)"] = timed_run(
            [sys.executable, "-m", "hanlex.cli", "train", str(out / "train.txt"), "--dev",
             str(out / "dev.txt"), "-o", str(out / "hanlex.hlx"), "--epochs", "10", "-q"])
    if "pkuseg" not in skip:
        try:
            import pkuseg  # noqa: F401
            code = ("import pkuseg,sys; pkuseg.train(sys.argv[1], sys.argv[2], sys.argv[3], "
                    "train_iter=int(sys.argv[4]))")
            (out / "pkuseg").mkdir(exist_ok=True)
            results[f"pkuseg ({args.pkuseg_iter} iterations)"] = timed_run(
                [sys.executable, "-c", code, str(out / "train.words"), str(out / "dev.words"),
                 str(out / "pkuseg"), str(args.pkuseg_iter)], stdout=subprocess.DEVNULL)
        except ImportError:
            print("pkuseg not installed: skipped", file=sys.stderr)
    train_c = os.environ.get("THULAC_TRAIN_C")
    if train_c and "thulac" not in skip:
        d = out / "thulac"
        d.mkdir(exist_ok=True)
        results[f"THULAC train_c seg-only ({args.thulac_iter} iterations)"] = timed_run(
            [train_c, "-s", "_", "-i", str(args.thulac_iter), str(out / "train.seg_"),
             str(d / "cws")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results[f"THULAC train_c joint ({args.thulac_iter} iterations)"] = timed_run(
            [train_c, "-i", str(args.thulac_iter), str(out / "train.wt"), str(d / "model_c")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elif "thulac" not in skip:
        print("THULAC_TRAIN_C not set: THULAC skipped", file=sys.stderr)
    print("| tool | training wall time (s) |\n|---|---|")
    for k, v in results.items():
        print(f"| {k} | {v:.0f} |")


if __name__ == "__main__":
    main()
