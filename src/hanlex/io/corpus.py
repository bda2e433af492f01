"""Corpus readers: segmented (and tagged) sentences from files.

Formats read (auto-detected per file):
- plain: one sentence per line, words separated by whitespace;
- tagged: `word/TAG` tokens, including People's Daily compound brackets
  `[中国/ns 政府/n]nt` (the bracket is dropped, the inner words kept);
- conllu: CoNLL-U (Universal Dependencies), one token a line in ten
  tab-separated columns, sentences ended by a blank line: the words are the
  FORM column, the tags the UPOS column.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from typing import Sequence

from ..errors import CorpusError
from .files import read_lines

_TAGGED = re.compile(r"^\[?(.+)/([A-Za-z]{1,6})(?:\][A-Za-z]{1,6})?$")
# a CoNLL-U token line: a word index (3), a multiword range (3-4) or an empty node (3.1)
_CONLLU_ROW = re.compile(r"^\d+(?:-\d+|\.\d+)?\t")


@dataclass(frozen=True)
class Sentence:
    words: tuple[str, ...]
    tags: tuple[str, ...] | None = None
    # the annotation standard it follows when corpora are mixed (learn.criteria):
    # 0 the one the model decodes in, 1.. others
    criterion: int = 0

    @property
    def text(self) -> str:
        return "".join(self.words)


def is_conllu(lines: Sequence[str]) -> bool:
    """Whether most of the first lines that are not comments are CoNLL-U token
    lines (a malformed one is then reported by parse_conllu)."""
    rows = [line for line in lines[:400] if line.strip() and not line.startswith("#")]
    return bool(rows) and sum(_CONLLU_ROW.match(r) is not None for r in rows) >= 0.5 * len(rows)


def detect_format(lines: Sequence[str], source: str = "corpus") -> str:
    """'conllu' when the first lines that are not comments are CoNLL-U token
    lines, 'tagged' when nearly every token of the first lines is word/TAG.

    Between half and nearly every token is neither: a tagged corpus with
    untagged tokens would be read as words such as `我/r`, so it is refused.
    Read as plain words, a CoNLL-U file would train on its index, lemma and
    comment columns.
    """
    if is_conllu(lines):
        return "conllu"
    total = tagged = 0
    untagged = None
    for n, line in enumerate(lines[:200], 1):
        for tok in line.split():
            total += 1
            if _TAGGED.match(tok):
                tagged += 1
            elif untagged is None:
                untagged = (n, tok)
    if total and tagged >= 0.95 * total:
        return "tagged"
    if total and tagged >= 0.5 * total:
        n, tok = untagged
        raise CorpusError(f"{source}: {100 * tagged // total}% of the tokens of its first lines are "
                          f"word/TAG, the rest not (line {n}: {tok!r}); tag every token, or "
                          "remove the tags for a words-only corpus")
    return "plain"


def parse_line(line: str, fmt: str) -> Sentence | None:
    toks = line.split()
    if not toks:
        return None
    if fmt == "plain":
        return Sentence(tuple(toks))
    words, tags = [], []
    for tok in toks:
        m = _TAGGED.match(tok)
        if m:
            words.append(m.group(1))
            tags.append(m.group(2))
        else:  # a stray untagged token: keep the word, tag unknown
            words.append(tok)
            tags.append("x")
    return Sentence(tuple(words), tuple(tags))


def parse_conllu(lines: Sequence[str], source: str = "corpus") -> list[Sentence]:
    """The sentences of CoNLL-U lines: FORM as words, UPOS as tags (none if a
    sentence has no UPOS). A multiword token is one word, its surface form,
    tagged as its first part; empty nodes have no text and are skipped."""
    out: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    multi_end = 0  # the last word index inside the current multiword token
    multi_start = -1

    def flush() -> None:
        if words:
            out.append(Sentence(tuple(words), None if "_" in tags else tuple(tags)))
        words.clear()
        tags.clear()

    for n, line in enumerate(lines, 1):
        if not line.strip():
            flush()
            multi_start, multi_end = -1, 0
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 10 or not _CONLLU_ROW.match(line):
            raise CorpusError(f"{source}:{n}: not a CoNLL-U token line (ten tab-separated "
                              f"columns, led by a word index): {line[:60]!r}")
        index, form, upos = cols[0], cols[1], cols[3]
        if "." in index:
            continue
        if "-" in index:
            multi_start, multi_end = (int(x) for x in index.split("-"))
            words.append(form)
            tags.append("_")
            continue
        if int(index) <= multi_end:
            if int(index) == multi_start:
                tags[-1] = upos
            continue
        words.append(form)
        tags.append(upos)
    flush()
    return out


def read_corpus(path: str | os.PathLike, fmt: str = "auto",
                encoding: str | None = None) -> list[Sentence]:
    """The sentences of a segmented corpus: its non-empty lines, or the
    sentences of a CoNLL-U file."""
    lines = read_lines(path, encoding)
    if fmt == "auto":
        fmt = detect_format(lines, os.fspath(path))
    if fmt == "conllu":
        return parse_conllu(lines, os.fspath(path))
    out = []
    for line in lines:
        s = parse_line(line, fmt)
        if s is not None:
            out.append(s)
    return out


def holdout_split(lines: Sequence[str], test_fraction: float = 0.1,
                  dev_fraction: float = 0.05) -> tuple[list[str], list[str], list[str]]:
    """The project's People's Daily split: non-empty lines; the last 10% is test.

    Dev is the last `dev_fraction` of what remains; train is the rest.
    """
    nonempty = [l for l in lines if l.strip()]
    n_test = int(round(len(nonempty) * test_fraction))
    rest, test = nonempty[:len(nonempty) - n_test], nonempty[len(nonempty) - n_test:]
    n_dev = int(round(len(rest) * dev_fraction))
    return rest[:len(rest) - n_dev], rest[len(rest) - n_dev:], test


def corpus_digest(sents: Sequence[Sentence]) -> str:
    """A short fingerprint of a corpus, recorded in the model."""
    h = hashlib.sha256()
    for s in sents:
        h.update((" ".join(s.words) + "\n").encode("utf-8"))
    return h.hexdigest()[:16]
