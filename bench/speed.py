"""Throughput of hanlex and its peers on the same text, side by side, in one run.

    python bench/speed.py [--input FILE] [--repeat 10] [--systems a,b,...] [--rounds N]

Default input: SIGHAN MSR test text repeated 10 times, held in memory. Each
system runs in its own subprocess (so load time and peak RSS are its own):
the text is read, the segmenter loaded (timed), warmed up on 100 lines, then
timed over the whole input, single-threaded (the median of --runs runs).
`hanlex*` rows use the default model: `cut` runs its embedded segmenter,
`hanlex-batch-2threads` calls `cut_many` from two threads (1,000-line batches shared out),
`hanlex-joint-batch` segments with the joint model instead, `hanlex-fast*` use the fast tier
(`Analyzer("fast")`), `*-pos*` tag,
`*-search*` cut for search engines (`--systems hanlex-search-batch,jieba-search,rjieba-search`).
HANLEX_USER_DICT=FILE gives the hanlex rows and jieba a user dictionary (one
`word [tag]` a line). THULAC's C++ binary joins when THULAC_BIN is set (its time includes reading/writing files and model load is
reported separately as 0; see BENCHMARKS.md).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from common import ICWB, machine  # noqa: E402

SYSTEMS = ["hanlex", "hanlex-pos", "hanlex-batch", "hanlex-batch-2threads", "hanlex-pos-batch", "hanlex-joint-batch",
           "hanlex-fast", "hanlex-fast-batch",
           "jieba", "jieba-posseg", "rjieba", "pkuseg",
           "thulac", "thulac-pos", "thulac-c++"]
# search-engine mode (words plus the dictionary words inside long ones); not in the default list
SEARCH_SYSTEMS = ["hanlex-search-batch", "jieba-search", "rjieba-search"]


def load(name):
    """(segment function over a list of lines, load seconds)."""
    t = time.perf_counter()
    if name.startswith("hanlex"):
        import hanlex
        # hanlex-joint-batch: segmentation decoded by the joint model instead of the segmenter
        # hanlex-fast*: the fast tier (HANLEX_FAST_MODEL=FILE: another file than the shipped one)
        model = ((os.environ.get("HANLEX_FAST_MODEL") or "fast") if name.startswith("hanlex-fast")
                 else os.environ.get("HANLEX_MODEL") or None)
        an = hanlex.Analyzer(model,
                             segmenter=name != "hanlex-joint-batch",
                             user_dict=os.environ.get("HANLEX_USER_DICT") or None)
        an.cut("预热")
        if name in ("hanlex", "hanlex-fast"):
            fn = lambda lines: [an.cut(l) for l in lines]  # noqa: E731
        elif name in ("hanlex-batch", "hanlex-joint-batch", "hanlex-fast-batch"):
            fn = lambda lines: [w for i in range(0, len(lines), 1000)  # noqa: E731
                                for w in an.cut_many(lines[i:i + 1000])]
        elif name == "hanlex-batch-2threads":  # cut_many from two threads, batches shared out
            from concurrent.futures import ThreadPoolExecutor
            pool = ThreadPoolExecutor(2)
            fn = lambda lines: [w for ws in pool.map(an.cut_many, [lines[i:i + 1000]  # noqa: E731
                                                                   for i in range(0, len(lines), 1000)])
                                for w in ws]
        elif name == "hanlex-search-batch":
            fn = lambda lines: [w for i in range(0, len(lines), 1000)  # noqa: E731
                                for w in an.cut_for_search_many(lines[i:i + 1000])]
        elif name == "hanlex-pos-batch":
            fn = lambda lines: [w for i in range(0, len(lines), 1000)  # noqa: E731
                                for w in an.tag_many(lines[i:i + 1000])]
        else:
            fn = lambda lines: [an.tag(l) for l in lines]  # noqa: E731
    elif name == "jieba":
        import jieba
        jieba.setLogLevel(60)
        jieba.initialize()
        if os.environ.get("HANLEX_USER_DICT"):  # the same user words, for a fair comparison
            jieba.load_userdict(os.environ["HANLEX_USER_DICT"])
        fn = lambda lines: [list(jieba.cut(l)) for l in lines]  # noqa: E731
    elif name == "jieba-search":
        import jieba
        jieba.setLogLevel(60)
        jieba.initialize()
        fn = lambda lines: [list(jieba.cut_for_search(l)) for l in lines]  # noqa: E731
    elif name == "rjieba-search":
        import rjieba
        fn = lambda lines: [rjieba.cut_for_search(l) for l in lines]  # noqa: E731
    elif name == "jieba-posseg":
        import jieba
        import jieba.posseg as pseg
        jieba.setLogLevel(60)
        jieba.initialize()
        fn = lambda lines: [[(p.word, p.flag) for p in pseg.cut(l)] for l in lines]  # noqa: E731
    elif name == "rjieba":
        import rjieba
        fn = lambda lines: [rjieba.cut(l) for l in lines]  # noqa: E731
    elif name == "pkuseg":
        import pkuseg
        seg = pkuseg.pkuseg()
        fn = lambda lines: [seg.cut(l) for l in lines]  # noqa: E731
    elif name in ("thulac", "thulac-pos"):
        time.clock = time.perf_counter  # thulac still calls time.clock
        import thulac
        th = thulac.thulac(seg_only=(name == "thulac"))
        fn = lambda lines: [th.cut(l) for l in lines]  # noqa: E731
    elif name == "thulac-c++":
        from common import run_binary
        binary = os.environ["THULAC_BIN"]
        model_dir = os.environ.get("THULAC_MODEL_DIR")
        cmd = [binary, "-seg_only"] + (["-model_dir", model_dir.rstrip("/") + "/"] if model_dir else [])
        fn = lambda lines: run_binary(cmd, lines)  # noqa: E731
    else:
        raise SystemExit(f"unknown system {name}")
    return fn, time.perf_counter() - t


def one(name, path, repeat, runs=1):
    lines = [l.strip() for l in open(path, encoding="utf-8-sig")] * repeat
    lines = [l for l in lines if l]
    chars = sum(len(l) for l in lines)
    nbytes = sum(len(l.encode("utf-8")) for l in lines)
    fn, load_s = load(name)
    fn(lines[:100])
    times = []
    for _ in range(runs):  # the median of a few runs: this shared machine is noisy
        t = time.perf_counter()
        fn(lines)
        times.append(time.perf_counter() - t)
    secs = sorted(times)[len(times) // 2]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"system": name, "chars": chars, "secs": secs, "cps": chars / secs,
                      "mbps": nbytes / secs / 1e6, "load": load_s, "rss_mb": rss}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", default=str(ICWB / "testing" / "msr_test.utf8"))
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument("--runs", type=int, default=3, help="timed runs per system (median reported)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run every system once per round, rounds one after another, and report "
                         "each system's median round: a slow spell of the machine then falls on all "
                         "systems alike instead of on the one running in it")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        return one(args.one, args.input, args.repeat, args.runs)
    rounds = f", {args.rounds} rounds (each system's median round)" if args.rounds > 1 else ""
    print(f"Machine: {machine()}\nInput: {args.input} x {args.repeat}, median of {args.runs} runs"
          f"{rounds}\n")
    names = [n for n in args.systems.split(",")
             if n != "thulac-c++" or os.environ.get("THULAC_BIN")]
    results: dict[str, list[dict]] = {n: [] for n in names}
    for _ in range(args.rounds):
        for name in names:
            r = subprocess.run([sys.executable, __file__, "--one", name, "--input", args.input,
                                "--repeat", str(args.repeat), "--runs", str(args.runs)],
                               capture_output=True, text=True)
            if r.returncode != 0:
                why = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed"
                print(f"{name}: skipped ({why})", file=sys.stderr)
                continue
            results[name].append(json.loads(r.stdout.strip().splitlines()[-1]))
    rows = [sorted(rs, key=lambda r: r["cps"])[len(rs) // 2] for rs in results.values() if rs]
    base = {r["system"]: r["cps"] for r in rows}
    print("| system | chars/s | MB/s | hanlex batch (same mode) / this | load s | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        mode = "pos" if "pos" in r["system"] else "search" if "search" in r["system"] else None
        ref = base.get({"pos": "hanlex-pos-batch", "search": "hanlex-search-batch"}.get(mode, "hanlex-batch"))
        ratio = f"{ref / r['cps']:.2f}x" if ref else "n/a"
        print(f"| {r['system']} | {r['cps']:,.0f} | {r['mbps']:.2f} | {ratio} | {r['load']:.2f} | "
              f"{r['rss_mb']:.0f} |")


if __name__ == "__main__":
    main()
