"""Build the shipped default model in one command.

    python bench/build_default.py [-o src/hanlex/data/default.hlx] [--work work] [--dry-run]

Steps (each file goes to --work; nothing from ../shared is committed):
1. People's Daily 1998-01 split (bench/split_pd.py): train / dev / test (never trained on);
2. the training split with each person's name written whole (bench/pd_names.py): the
   corpus of the default standard, `hanlex`;
3. UD Chinese GSD's training split in the current release's UPOS (bench/ud_v2.py): the
   joint model learns its words with borrowed PKU tags (as Weibo's), and the `ud`
   standard's retagger its UPOS;
4. jieba's dictionary words seen 100+ times (bench/jieba_words.py), lexicon features;
5. raw text: the news, Weibo hot-search and Zhihu question files less their last
   HELD_OUT lines each (bench/names.py and bench/agreement.py read those), interleaved
   line by line so that any prefix of the mix holds all three kinds of text;
6. `hanlex train` with four standards: pku (People's Daily as annotated), hanlex (names
   whole; the default), weibo (NLPCC-2016), ud (UD GSD, CTB-derived words).

The Weibo and UD corpora's tags come from the model shipped at 54f5338, so this
build depends on that file (read with git show).
"""
from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from common import DATA, PD, ROOT, WEIBO  # noqa: E402

from hanlex.io.files import read_lines  # noqa: E402

HELD_OUT = 20_000  # last lines of each raw file that no build reads
RAW = {"news": DATA / "raw" / "xinwenlianbo" / "xinwenlianbo_20220924-20260822.txt.gz",
       "weibo": DATA / "raw" / "weibo-hot-search" / "weibo-hot-search_20201124-20260823.txt.gz",
       "zhihu": DATA / "raw" / "zhihu-hot-questions" / "zhihu-hot-questions_20201124-20250512.txt.gz"}
GSD_TRAIN = DATA / "ud" / "UD_Chinese-GSD-train" / "zh_gsd-train.conll"
TAGGER_COMMIT = "54f5338"  # the model whose tags the Weibo and UD corpora borrow
RAW_CHARS = 6_000_000      # raw characters for statistics and punctuation labels
UPTRAIN_CHARS = 6_000_000  # raw characters the joint model segments for the segmenter


def run(cmd: list[str], dry: bool) -> None:
    print("$ " + " ".join(shlex.quote(str(c)) for c in cmd), flush=True)
    if not dry:
        subprocess.run([str(c) for c in cmd], check=True)


def raw_mix(work: Path) -> Path:
    """The raw files less their held-out tails, interleaved line by line."""
    out = work / "raw" / "mix.txt"
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    parts = []
    for path in RAW.values():
        lines = [x for x in read_lines(path) if x.strip()]
        parts.append(lines[:-HELD_OUT])
    with open(out, "w", encoding="utf-8") as f:
        for k in range(max(map(len, parts))):
            for lines in parts:
                if k < len(lines):
                    f.write(lines[k] + "\n")
    return out


def prepare(work: Path, dry: bool) -> dict[str, Path]:
    """Steps 1-5: the corpora, word list and raw text a build reads, in --work."""
    py = sys.executable
    run([py, ROOT / "bench" / "split_pd.py", PD, work / "pd"], dry)
    run([py, ROOT / "bench" / "pd_names.py", work / "pd" / "train.txt",
         work / "pd" / "train-names.txt"], dry)
    run([py, ROOT / "bench" / "jieba_words.py", "--min-freq", "100", "-o",
         work / "jieba100.txt"], dry)
    tagger = work / "tagger.hlx"
    if not dry:
        tagger.write_bytes(subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{TAGGER_COMMIT}:src/hanlex/models/default.hlx"],
            check=True, capture_output=True).stdout)
    gsd = work / "ud" / "gsd-train-v2.conllu"
    (work / "ud").mkdir(parents=True, exist_ok=True)
    run([py, ROOT / "bench" / "ud_v2.py", GSD_TRAIN, gsd], dry)
    return {"pku": work / "pd" / "train.txt", "hanlex": work / "pd" / "train-names.txt",
            "weibo": WEIBO / "nlpcc2016-word-seg-train.dat", "ud": gsd,
            "dev": work / "pd" / "dev.txt", "jieba": work / "jieba100.txt", "tagger": tagger,
            "mix": raw_mix(work) if not dry else work / "raw" / "mix.txt"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--output", default=str(ROOT / "src" / "hanlex" / "data" / "default.hlx"))
    ap.add_argument("--work", default="work")
    ap.add_argument("--dry-run", action="store_true", help="print the commands only")
    args = ap.parse_args()
    work, py, t = Path(args.work), sys.executable, time.perf_counter()
    f = prepare(work, args.dry_run)
    mix = f["mix"]
    run([py, "-m", "hanlex", "train", f["pku"], "--name", "pku",
         "--standard", f"hanlex={f['hanlex']}", "--standard", f"weibo={f['weibo']}",
         "--standard", f"ud={f['ud']}", "--default-standard", "hanlex",
         "--tags-from", f["tagger"], "--dev", f["dev"], "-o", args.output,
         "--epochs", "10", "--raw", mix, "--raw-max-chars", str(RAW_CHARS), "--raw-words",
         "--lexicon", f["jieba"], "--joint-prune", "0.6", "--segmenter",
         "--segmenter-prune", "0.3", "--uptrain", mix, "--uptrain-max-chars", str(UPTRAIN_CHARS)],
        args.dry_run)
    print(f"built {args.output} in {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()
