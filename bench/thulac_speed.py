"""THULAC's models three ways, on the same text in one run: hanlex `thulac:DIR`,
THULAC's Python package, and THULAC's C++ binary (when built locally).

    python bench/thulac_speed.py [--repeat 10] [--peer-joint-repeat 1]
    THULAC_BIN=/path/to/THULAC/thulac python bench/thulac_speed.py

The text is the SIGHAN MSR test input written --repeat times. Each engine runs
in its own process; peak RSS is that process's (ru_maxrss), load is the time
to the first result, characters/s counts the run after loading:
- hanlex: Analyzer("thulac:DIR").cut_many / tag_many in batches of 1,000 lines;
- thulac (pip): thulac(seg_only=True).cut / thulac().cut line by line. Its joint
  mode runs about a thousand characters a second, so it reads the text
  --peer-joint-repeat times (default once; its speed does not depend on it);
- THULAC's C++ `thulac` (THULAC_BIN, built from its public source; never
  committed): `-seg_only` or not, `-input`/`-output` files; its load time is
  measured on an empty input and taken off.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from common import machine, sighan  # noqa: E402


def models_dir() -> str:
    import thulac

    return os.path.join(os.path.dirname(thulac.__file__), "models")


def run_one(engine: str, mode: str, lines: list[str]) -> dict:
    t = time.perf_counter()
    if engine == "hanlex":
        from hanlex import Analyzer

        a = Analyzer("thulac:" + models_dir())
        run = a.cut_many if mode == "seg" else a.tag_many
        run(lines[:10])
        loaded = time.perf_counter() - t
        t = time.perf_counter()
        for i in range(0, len(lines), 1000):
            run(lines[i:i + 1000])
    else:
        time.clock = time.perf_counter  # thulac 0.2.2 still calls time.clock
        import thulac

        th = thulac.thulac(seg_only=(mode == "seg"))
        th.cut(lines[0])
        loaded = time.perf_counter() - t
        t = time.perf_counter()
        for line in lines:
            th.cut(line)
    return {"load_s": loaded, "run_s": time.perf_counter() - t}


def measure(engine: str, mode: str, path: str) -> dict:
    proc = subprocess.Popen([sys.executable, __file__, "--one", engine, "--mode", mode,
                             "--input", path], stdout=subprocess.PIPE)
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = [x for x in out.splitlines() if x.startswith("RESULT ")]
    if not lines:
        raise RuntimeError(f"{engine} {mode} printed no result (exit {proc.returncode})")
    result = json.loads(lines[-1][len("RESULT "):])
    result["rss_mb"] = usage.ru_maxrss / 1024
    return result


def binary(mode: str, path: str, exe: str) -> dict:
    flags = ["-seg_only"] if mode == "seg" else []
    with tempfile.TemporaryDirectory() as d:
        empty = os.path.join(d, "empty.txt")
        open(empty, "w").close()
        cmd = [exe, *flags, "-model_dir", models_dir() + "/", "-output", os.path.join(d, "o")]
        t = time.perf_counter()
        subprocess.run(cmd + ["-input", empty], check=True, stderr=subprocess.DEVNULL)
        load = time.perf_counter() - t
        t = time.perf_counter()
        p = subprocess.Popen(cmd + ["-input", path], stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(p.pid, 0)
        total = time.perf_counter() - t
    return {"load_s": load, "run_s": max(total - load, 1e-9), "rss_mb": usage.ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--peer-joint-repeat", type=int, default=1)
    ap.add_argument("--one")
    ap.add_argument("--mode")
    ap.add_argument("--input")
    args = ap.parse_args()
    if args.one:
        lines = open(args.input, encoding="utf-8").read().splitlines()
        print("RESULT " + json.dumps(run_one(args.one, args.mode, lines)), flush=True)
        return
    lines = sighan("msr")[0]
    exe = os.environ.get("THULAC_BIN")
    print(f"Machine: {machine()}\nInput: MSR test x {args.repeat} ({len(lines) * args.repeat:,} "
          f"lines, {sum(map(len, lines)) * args.repeat:,} characters)\n")
    print("| mode | engine | input | characters/s | vs thulac (pip) | vs THULAC C++ | load s | "
          "peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        for mode in ("seg", "joint"):
            rows = {}
            for engine in ("hanlex", "thulac", "c++"):
                k = args.peer_joint_repeat if engine == "thulac" and mode == "joint" else args.repeat
                path = os.path.join(d, f"msr_x{k}.txt")
                if not os.path.exists(path):
                    with open(path, "w", encoding="utf-8") as f:
                        f.write("\n".join(lines * k) + "\n")
                if engine == "c++":
                    if not exe:
                        continue
                    r = binary(mode, path, exe)
                else:
                    r = measure(engine, mode, path)
                r["speed"] = sum(map(len, lines)) * k / r["run_s"]
                r["input"] = f"MSR x {k}"
                rows[engine] = r
            for engine, r in rows.items():
                py = r["speed"] / rows["thulac"]["speed"]
                cpp = f"{r['speed'] / rows['c++']['speed']:.2f}x" if "c++" in rows else "n/a"
                print(f"| {mode} | {engine} | {r['input']} | {r['speed']:,.0f} | {py:.1f}x | {cpp} | "
                      f"{r['load_s']:.2f} | {r['rss_mb']:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
