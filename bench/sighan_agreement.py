"""Check `hanlex eval` against the official SIGHAN-2005 scorer on real output.

    SIGHAN_SCORE=/path/to/icwb2-data/scripts/score python bench/sighan_agreement.py [--sets pku,msr]

The official Perl scorer is not part of this repository; point SIGHAN_SCORE at
your copy. For each set, segments the test text with the default model (and
with every-character-a-word, to exercise a very different output), scores it
with both tools and prints the figures side by side.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from common import ICWB, sighan  # noqa: E402

import hanlex  # noqa: E402
from hanlex.cli import main as hanlex_main  # noqa: E402


def official(score: str, words: Path, gold: Path, pred: Path) -> dict:
    out = subprocess.run(["perl", score, str(words), str(gold), str(pred)], capture_output=True,
                         text=True, check=True).stdout
    get = lambda key: float(re.search(rf"=== {key}:\s+([\d.]+)", out).group(1))  # noqa: E731
    true, test = get("TOTAL TRUE WORD COUNT"), get("TOTAL TEST WORD COUNT")
    correct = true - get("TOTAL DELETIONS") - get("TOTAL SUBSTITUTIONS")
    p, r = correct / test, correct / true
    return {"P": 100 * p, "R": 100 * r, "F": 100 * 2 * p * r / (p + r),
            "OOV R": 100 * get("OOV Recall Rate"), "IV R": 100 * get("IV Recall Rate")}


def ours(words: Path, gold: Path, pred: Path) -> dict:
    import contextlib
    import io
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        hanlex_main(["eval", str(gold), str(pred), "--words", str(words)])
    d = dict(l.split("\t") for l in buf.getvalue().splitlines())
    return {"P": float(d["precision"]), "R": float(d["recall"]), "F": float(d["F1"]),
            "OOV R": float(d["OOV recall"]), "IV R": float(d["IV recall"])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="pku,msr")
    args = ap.parse_args()
    score = os.environ.get("SIGHAN_SCORE")
    if not score:
        sys.exit("set SIGHAN_SCORE to the official scorer (icwb2-data/scripts/score)")
    an = hanlex.Analyzer()
    print("| set | output | tool | P | R | F | OOV R | IV R |\n|---|---|---|---|---|---|---|---|")
    for name in args.sets.split(","):
        raw, _, _ = sighan(name)
        words = ICWB / "gold" / f"{name}_training_words.utf8"
        gold = ICWB / "gold" / f"{name}_test_gold.utf8"
        outputs = {"hanlex": [" ".join(w for w in ws if not w.isspace()) for ws in an.cut_many(raw)],
                   "single chars": [" ".join(c for c in l if not c.isspace()) for l in raw]}
        for label, lines in outputs.items():
            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
            for tool, fig in (("official", official(score, words, gold, Path(f.name))),
                              ("hanlex eval", ours(words, gold, Path(f.name)))):
                print(f"| {name} | {label} | {tool} | " + " | ".join(f"{fig[k]:.2f}" for k in
                      ("P", "R", "F", "OOV R", "IV R")) + " |")
            os.unlink(f.name)


if __name__ == "__main__":
    main()
