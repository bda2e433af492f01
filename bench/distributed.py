"""hanlex on Ray Data and Spark against `hanlex segment -j N`, on the same text.

    python bench/distributed.py [--repeat 10] [--workers 2] [--engines local,ray,spark]

The text is the raw news file (9.7 M characters), written --repeat times as plain
files under work/ (not committed: one file per copy, as large corpora come in many
files, so that Ray and Spark can spread the reading). Each engine runs in its own process:
- local: `hanlex segment -j N FILES -o OUT` (text output);
- ray: ray.init(num_cpus=N), then hanlex.integrations.ray.read_lines (or Ray's own
  read_text with HANLEX_RAY_READ_TEXT=1) -> hanlex.integrations.ray.segment ->
  write_parquet, N actors;
- spark: SparkSession local[N], then spark.read.text -> segment_udf -> write.parquet.
Startup (cluster start plus a tiny job, which loads the model in the workers) is
timed apart from the run on the whole file; throughput is characters per second of
that run. Peak RSS and peak USS (private memory: without the memory-mapped model's
pages and Ray's object store, which processes share) are sampled every 0.2 s for each
worker process (the hanlex workers, Ray's MapWorker actors, Spark's Python workers).
Needs psutil.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from common import RAW, ROOT, machine  # noqa: E402


def sample_rss(pid: int, match, stop: threading.Event, peaks: dict, uss: dict) -> None:
    """Peak RSS and peak USS (bytes: the private memory, without the pages shared with
    other processes, such as the memory-mapped model and Ray's object store) of every
    descendant of pid whose command line `match`es."""
    import psutil

    root = psutil.Process(pid)
    while not stop.is_set():
        try:
            procs = root.children(recursive=True)
        except psutil.Error:
            break
        for p in procs:
            try:
                if match(" ".join(p.cmdline())):
                    full = p.memory_full_info()
                    peaks[p.pid] = max(peaks.get(p.pid, 0), full.rss)
                    uss[p.pid] = max(uss.get(p.pid, 0), full.uss)
            except psutil.Error:
                continue
        stop.wait(0.2)


def run_ray(paths: list[str], out: str, workers: int) -> dict:
    import ray
    import ray.data

    from hanlex.integrations.ray import io_cpus, read_lines, segment

    t = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    segment(ray.data.from_items([{"text": "预热"}]), concurrency=workers).take_all()
    started = time.perf_counter() - t
    t = time.perf_counter()
    ds = (ray.data.read_text(paths, **io_cpus(ray.data.read_text))
          if os.environ.get("HANLEX_RAY_READ_TEXT") else read_lines(paths))
    done = segment(ds, concurrency=workers)
    done.write_parquet(out, **io_cpus(done.write_parquet))
    return {"startup_s": started, "run_s": time.perf_counter() - t}


def run_spark(paths: list[str], out: str, workers: int) -> dict:
    from pyspark.sql import SparkSession

    from hanlex.integrations.spark import segment_table, segment_udf

    t = time.perf_counter()
    spark = (SparkSession.builder.master(f"local[{workers}]").config("spark.ui.enabled", "false")
             .config("spark.driver.memory", "2g").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    seg = segment_udf()
    spark.createDataFrame([("预热",)] * workers, ["value"]).repartition(workers) \
        .withColumn("words", seg("value")).collect()
    started = time.perf_counter() - t
    t = time.perf_counter()
    df = spark.read.text(paths)
    if os.environ.get("HANLEX_SPARK_UDF"):
        df.withColumn("words", seg("value")).write.parquet(out)
    else:  # mapInArrow: Arrow batches in and out, no pandas in between
        segment_table(df, "value").write.parquet(out)
    return {"startup_s": started, "run_s": time.perf_counter() - t}


def run_local(paths: list[str], out: str, workers: int) -> dict:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "hanlex", "segment", "-j", str(workers), *paths,
                    "-o", out], check=True)
    return {"startup_s": None, "run_s": time.perf_counter() - t}


WORKERS = {"local": lambda c: "-m hanlex segment" in c,
           "ray": lambda c: "MapWorker" in c or "ray::" in c and "Segmenter" in c,
           "spark": lambda c: "pyspark.daemon" in c or "pyspark.worker" in c}


def measure(engine: str, paths: list[str], out: str, workers: int) -> dict:
    """Run one engine in a child process, sampling its workers' memory."""
    proc = subprocess.Popen([sys.executable, __file__, "--one", engine, "--out", out,
                             "--workers", str(workers), "--paths", *paths],
                            stdout=subprocess.PIPE)
    stop, peaks, uss = threading.Event(), {}, {}
    sampler = threading.Thread(target=sample_rss, args=(proc.pid, WORKERS[engine], stop, peaks, uss))
    sampler.start()
    stdout = proc.communicate()[0]
    stop.set()
    sampler.join()
    lines = [x for x in stdout.decode().splitlines() if x.startswith("RESULT ")]
    if not lines:
        raise RuntimeError(f"{engine} printed no result (exit {proc.returncode})")
    result = json.loads(lines[-1][len("RESULT "):])
    result["worker_rss_mb"] = sorted(round(v / 2**20) for v in peaks.values())
    result["worker_uss_mb"] = sorted(round(v / 2**20) for v in uss.values())
    return result


def prepare(repeat: int) -> tuple[list[str], int]:
    folder = ROOT / "work" / "distributed"
    folder.mkdir(parents=True, exist_ok=True)
    text = gzip.decompress(RAW.read_bytes()).decode("utf-8")
    text = text if text.endswith("\n") else text + "\n"
    paths = []
    for k in range(repeat):
        path = folder / f"raw_{k:02d}.txt"
        if not path.exists():
            path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths, repeat * len(text.replace("\n", ""))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--engines", default="local,ray,spark")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--paths", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        run = {"local": run_local, "ray": run_ray, "spark": run_spark}[args.one]
        print("RESULT " + json.dumps(run(args.paths, args.out, args.workers)), flush=True)
        return
    paths, chars = prepare(args.repeat)
    size = sum(os.path.getsize(p) for p in paths)
    print(f"Machine: {machine()}\nInput: {len(paths)} files, {size / 2**20:.0f} MB, {chars:,} "
          f"characters (excluding newlines), {args.workers} workers\n")
    print("| engine | run s | chars/s | vs local | startup s | worker peak RSS MB | "
          "worker peak USS MB |")
    print("|---|---|---|---|---|---|---|")
    base = None
    for engine in args.engines.split(","):
        out = str(ROOT / "work" / f"out_{engine}")
        subprocess.run(["rm", "-rf", out], check=True)
        r = measure(engine, paths, out, args.workers)
        speed = chars / r["run_s"]
        base = base or (speed if engine == "local" else None)
        ratio = f"{speed / base:.2f}x" if base else "n/a"
        start = f"{r['startup_s']:.1f}" if r["startup_s"] is not None else "-"
        print(f"| {engine} | {r['run_s']:.1f} | {speed:,.0f} | {ratio} | {start} | "
              f"{', '.join(map(str, r['worker_rss_mb']))} | "
              f"{', '.join(map(str, r['worker_uss_mb']))} |", flush=True)


if __name__ == "__main__":
    main()
