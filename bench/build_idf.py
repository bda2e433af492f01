"""Build the word statistics jieba.analyse needs (hanlex.integrations.jieba.analyse).

    python bench/build_idf.py [-o src/hanlex/data/idf.tsv.gz] [--min-docs 3]

The documents are the lines of the build's raw text (bench/build_default.py's mix:
2022-2026 CCTV news, Weibo hot searches and Zhihu questions, less the held-out last
20,000 lines of each), segmented by the shipped model's `cut`. Written: one
`word<TAB>count<TAB>documents` line per word of 2+ characters with a Han character
that occurs in at least --min-docs lines, after a `# documents N` header. Only these
counts are shipped, never the text.
"""
from __future__ import annotations

import argparse
import gzip
import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from build_default import raw_mix  # noqa: E402

from hanlex import Analyzer  # noqa: E402


def is_word(w: str) -> bool:
    return len(w) >= 2 and any("\u4e00" <= ch <= "\u9fff" for ch in w) and not any(
        ch.isspace() for ch in w)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--output", default="src/hanlex/data/idf.tsv.gz")
    ap.add_argument("--work", default="work")
    ap.add_argument("--min-docs", type=int, default=3)
    args = ap.parse_args()
    lines = [x for x in raw_mix(Path(args.work)).read_text(encoding="utf-8").splitlines()
             if x.strip() and not x.startswith("# ")]  # "# 20220924": a date line, not text
    counts, docs = Counter(), Counter()
    an = Analyzer()
    for k in range(0, len(lines), 20_000):
        for words in an.cut_many(lines[k:k + 20_000]):
            words = [w for w in words if is_word(w)]
            counts.update(words)
            docs.update(set(words))
    kept = sorted((w for w in docs if docs[w] >= args.min_docs), key=lambda w: (-docs[w], w))
    with gzip.open(args.output, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(f"# documents {len(lines)}\n")
        f.writelines(f"{w}\t{counts[w]}\t{docs[w]}\n" for w in kept)
    print(f"{len(kept)} words from {len(lines)} lines -> {args.output} "
          f"({os.path.getsize(args.output)} bytes)")


if __name__ == "__main__":
    main()
