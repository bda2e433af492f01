"""Write the words of jieba's dictionary seen at least N times, one per line: an outside
word list for `hanlex train --lexicon` (the default model's build uses N = 100).

    python bench/jieba_words.py [--min-freq 100] -o WORDS.txt

jieba (MIT licence) ships `dict.txt`: `word freq [tag]` lines from its authors' corpora.
Only words of 2+ characters are written. The list is not committed: it is made from the
jieba package pip installs (0.42.1 for the shipped model).
"""
from __future__ import annotations

import argparse
import os


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-freq", type=int, default=100)
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    try:
        import jieba
    except ImportError:
        raise SystemExit("jieba is not installed: pip install jieba") from None
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    words = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and len(parts[0]) >= 2 and int(parts[1]) >= args.min_freq:
                words.append(parts[0])
    with open(args.output, "w", encoding="utf-8") as f:
        f.write("\n".join(words) + "\n")
    print(f"{args.output}: {len(words)} words of jieba {jieba.__version__} seen >= "
          f"{args.min_freq} times")


if __name__ == "__main__":
    main()
