"""Digests of what the default model outputs on every corpus here, to show a speed change
leaves the words and tags byte-identical.

    python bench/output_digest.py [-o digests.json] [--check digests.json] [--max-lines N]

For each corpus (the SIGHAN-2005 test texts, People's Daily held-out, NLPCC Weibo dev,
the UD test sets, the first 20,000 lines of the raw news), the SHA-256 of `cut_many`'s
words, `tag_many`'s (word, tag) pairs (and `tag_many(exact=True)`'s: tag_exact), per-line
`cut`'s words, `cut_for_search_many`'s words and `tokenize_many`'s offsets. --check compares against an earlier run's file
and exits 1 on any difference, naming it.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import DATA, ICWB, RAW, WEIBO, pd_test  # noqa: E402


def corpora(max_lines: int) -> dict[str, list[str]]:
    from hanlex.io.files import read_lines

    out = {}
    for name in ("pku", "msr", "as", "cityu"):
        path = ICWB / "testing" / f"{name}_test.utf8"
        if path.exists():
            out[f"sighan-{name}"] = list(read_lines(path))
    if (DATA / "peoples-daily-1998").exists():
        out["pd-heldout"] = pd_test()[0]
    dev = WEIBO / "nlpcc2016-wordseg-dev.dat"
    if dev.exists():
        out["weibo-dev"] = ["".join(line.split()) for line in read_lines(dev)]
    for conllu in sorted((DATA / "ud").glob("*/*test.conllu")):
        out[f"ud-{conllu.parent.name}"] = [line[len("# text = "):] for line in read_lines(conllu)
                                          if line.startswith("# text = ")]
    if RAW.exists():
        with gzip.open(RAW, "rt", encoding="utf-8") as f:
            out["raw-news"] = [line.rstrip("\n") for _, line in zip(range(max_lines), f)]
    return out


def digest(items) -> str:
    h = hashlib.sha256()
    for item in items:
        h.update(repr(item).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()[:16]


def batches(lines, size=1000):
    for i in range(0, len(lines), size):
        yield lines[i:i + size]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--output")
    ap.add_argument("--check")
    ap.add_argument("--max-lines", type=int, default=20000)
    args = ap.parse_args()
    from hanlex import Analyzer

    an = Analyzer()
    result = {}
    for name, lines in corpora(args.max_lines).items():
        result[name] = {
            "cut_many": digest(w for b in batches(lines) for w in an.cut_many(b)),
            "cut": digest(an.cut(line) for line in lines),
            "tag_many": digest(w for b in batches(lines) for w in an.tag_many(b)),
            "tag_exact": digest(w for b in batches(lines) for w in an.tag_many(b, exact=True)),
            "search": digest(w for b in batches(lines) for w in an.cut_for_search_many(b)),
            "tokens": digest([(t.start, t.end) for t in ts] for b in batches(lines)
                             for ts in an.tokenize_many(b)),
        }
        print(name, len(lines), result[name], flush=True)
    if args.output:
        with open(args.output, "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)
    if args.check:
        with open(args.check) as f:
            old = json.load(f)
        diff = [f"{c} {k}" for c in old for k in old[c] if result.get(c, {}).get(k) != old[c][k]]
        print("identical" if not diff else "DIFFERENT: " + ", ".join(diff))
        return 1 if diff else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
