"""Shared helpers of the benchmark scripts: data paths, peers, scoring.

hanlex is imported inside the helpers, so that bench/paired_speed.py can time an
older version of the package (--src) with this file."""
from __future__ import annotations

import os
import platform
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("HANLEX_DATA", ROOT.parent / "shared" / "data"))
ICWB = DATA / "icwb2-data"
PD = DATA / "peoples-daily-1998" / "199801.txt"
RAW = DATA / "raw" / "xinwenlianbo" / "xinwenlianbo_20220924-20260822.txt.gz"  # CCTV news transcripts
WEIBO = DATA / "nlpcc2016-weibo" / "datasets"  # NLPCC-2016 Weibo train/dev


def sighan(name: str):
    """(raw lines, gold word lines, training word list) of a SIGHAN-2005 test set."""
    from hanlex.io.files import read_lines

    raw = [l for l in read_lines(ICWB / "testing" / f"{name}_test.utf8")]
    gold_file = ICWB / "gold" / f"{name}_test_gold.utf8"
    if not gold_file.exists():
        gold_file = ICWB / "gold" / f"{name}_testing_gold.utf8"  # AS names it so
    gold = [l.split() for l in read_lines(gold_file)]
    words = {l.strip() for l in read_lines(ICWB / "gold" / f"{name}_training_words.utf8") if l.strip()}
    return raw, gold, words


def pd_test():
    """(raw lines, gold (word, tag) lines) of the held-out last 10% of People's Daily."""
    from hanlex.io.corpus import holdout_split, parse_line
    from hanlex.io.files import read_lines

    _, _, test = holdout_split(read_lines(PD))
    sents = [parse_line(l, "tagged") for l in test]
    return [s.text for s in sents], [list(zip(s.words, s.tags)) for s in sents]


def pd_train_words() -> set[str]:
    from hanlex.io.corpus import holdout_split, parse_line
    from hanlex.io.files import read_lines

    train, dev, _ = holdout_split(read_lines(PD))
    return {w for l in train + dev for w in parse_line(l, "tagged").words}


def score(gold_lines, pred_lines, words=None, tagged=False):
    from hanlex.evaluate import score_spans

    g = [[(w, t) if tagged else (w, None) for w, t in (x if tagged else [(w, None) for w in x])]
         for x in gold_lines]
    p = [[(w, t) if tagged else (w, None) for w, t in (x if tagged else [(w, None) for w in x])]
         for x in pred_lines]
    return score_spans(g, p, words)


def commit() -> str:
    """The repository's current commit, short: for a result's provenance line."""
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def best_throughput(run: Callable[[list[str]], object], lines: list[str], repeats: int) -> float:
    """Characters per second of `run` over `lines` in batches of 1000 (warmed up; best of repeats)."""
    run(lines[:100])
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        for i in range(0, len(lines), 1000):
            run(lines[i:i + 1000])
        best = min(best, time.perf_counter() - t)
    return sum(map(len, lines)) / best


def run_binary(cmd: list[str], input_lines: list[str]) -> list[str]:
    """Run a peer's binary on a temp input file; return its output lines."""
    with tempfile.TemporaryDirectory() as d:
        src, dst = Path(d) / "in.txt", Path(d) / "out.txt"
        src.write_text("\n".join(input_lines) + "\n", encoding="utf-8")
        subprocess.run(cmd + ["-input", str(src), "-output", str(dst)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return dst.read_text(encoding="utf-8").splitlines()


def default_peers(names=("jieba", "rjieba", "pkuseg", "thulac")):
    """(row name, segment(lines) -> word lists) of the peers importable here, each with
    its own default model; whitespace-only words are dropped."""
    for name in names:
        try:
            if name == "jieba":
                import jieba
                jieba.setLogLevel(60)
                jieba.initialize()
                yield "jieba (HMM)", lambda xs: [[w for w in jieba.cut(x) if w.strip()] for x in xs]
            elif name == "rjieba":
                import rjieba
                yield "rjieba", lambda xs: [[w for w in rjieba.cut(x) if w.strip()] for x in xs]
            elif name == "pkuseg":
                import pkuseg
                seg = pkuseg.pkuseg()
                yield "pkuseg (its default model)", lambda xs, seg=seg: [seg.cut(x) for x in xs]
            elif name == "thulac":
                time.clock = time.perf_counter  # thulac still calls time.clock
                import thulac
                th = thulac.thulac(seg_only=True)
                yield "thulac (its default model)", \
                    lambda xs, th=th: [th.cut(x, text=True).split() for x in xs]
        except ImportError:
            continue
