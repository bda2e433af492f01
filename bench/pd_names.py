"""People's Daily with each person's name written as one word: the corpus of the
default model's own standard (DESIGN.md, "Standards").

People's Daily 1998 writes a Chinese name as surname + given name, both `nr`
(`江/nr 泽民/nr`); every other segmenter and most users write `江泽民`. This
writes the training split's sentences again with each such name joined (tag nr),
only those that change, to be trained as a standard of their own beside the
original (`hanlex train TRAIN --name pku --standard hanlex=OUT`): those copies
correct only that standard's private weights (learn.trainer).

A run of adjacent `nr` tokens of at most 4 characters in all is one name (李 鹏,
江 泽民, 欧阳 明高, 陈 方 安生); a longer run is a list of names, joined two by
two (杜 中武 孙 传刚 -> 杜中武 孙传刚) where each pair is a surname of 1-2 and a
given name of 1-2 characters. Single `nr` tokens (克林顿, or 江 alone before a
title) stay as they are.

    python bench/pd_names.py work/pd/train.txt work/pd/train-names.txt
"""
from __future__ import annotations

import sys

from hanlex.io.corpus import Sentence, read_corpus

FULL_NAME = 4  # the most characters of a Chinese name written in one run of nr tokens


def joined_run(words: list[str]) -> list[str]:
    """One run of adjacent nr tokens as names (see the module docstring)."""
    if len(words) < 2:
        return words
    if sum(map(len, words)) <= FULL_NAME:
        return ["".join(words)]
    out: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and len(words[i]) <= 2 and len(words[i + 1]) <= 2:
            out.append(words[i] + words[i + 1])
            i += 2
        else:
            out.append(words[i])
            i += 1
    return out


def names_whole(s: Sentence) -> Sentence:
    """The sentence with its names joined (the same sentence if it has none)."""
    words: list[str] = []
    tags: list[str] = []
    run: list[str] = []
    for w, t in zip(s.words, s.tags or ()):
        if t == "nr":
            run.append(w)
            continue
        for name in joined_run(run):
            words.append(name)
            tags.append("nr")
        run = []
        words.append(w)
        tags.append(t)
    for name in joined_run(run):
        words.append(name)
        tags.append("nr")
    return Sentence(tuple(words), tuple(tags))


def main() -> None:
    src, out = sys.argv[1], sys.argv[2]
    originals = read_corpus(src)
    lines = [" ".join(f"{w}/{t}" for w, t in zip(n.words, n.tags))
             for n, o in ((names_whole(o), o) for o in originals) if n.words != o.words]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{out}: {len(lines)} of {len(originals)} sentences with names joined")


if __name__ == "__main__":
    main()
