"""Corpus readers and the prefetching batch iterator used for training.

Formats read (auto-detected per file):
- plain: one sentence per line, words separated by whitespace;
- tagged: `word/TAG` tokens, including People's Daily compound brackets
  `[中国/ns 政府/n]nt` (the bracket is dropped, the inner words kept);
- conllu: CoNLL-U (Universal Dependencies), one token a line in ten
  tab-separated columns, sentences ended by a blank line: the words are the
  FORM column, the tags the UPOS column.
"""
from __future__ import annotations

import os
import queue
import re
import threading
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from .files import compression, open_problem

_TAGGED = re.compile(r"^\[?(.+)/([A-Za-z]{1,6})(?:\][A-Za-z]{1,6})?$")
# a CoNLL-U token line: a word index (3), a multiword range (3-4) or an empty node (3.1)
_CONLLU_ROW = re.compile(r"^\d+(?:-\d+|\.\d+)?\t")


@dataclass(frozen=True)
class Sentence:
    words: tuple[str, ...]
    tags: tuple[str, ...] | None = None

    @property
    def text(self) -> str:
        return "".join(self.words)


class CorpusError(ValueError):
    """A training or evaluation file cannot be read as a corpus."""


def read_lines(path: str | os.PathLike) -> list[str]:
    """Lines of a UTF-8 file without line endings; a clear error on bad bytes."""
    data = _read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise CorpusError(f"{os.fspath(path)}: not valid UTF-8 at byte offset {e.start}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.splitlines()


def _read_bytes(path: str | os.PathLike) -> bytes:
    """A file's bytes, decompressed if it is gzip, bz2 or xz (told by its first bytes)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise CorpusError(open_problem(path, e)) from None
    found = compression(data[:10])
    if found is None:
        return data
    kind, module = found
    try:
        return module.decompress(data)
    except (OSError, EOFError, ValueError) as e:  # also zlib.error, lzma.LZMAError
        raise CorpusError(f"{os.fspath(path)}: damaged {kind} data ({e})") from None


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


def read_corpus(path: str | os.PathLike, fmt: str = "auto") -> list[Sentence]:
    """The sentences of a segmented corpus: its non-empty lines, or the
    sentences of a CoNLL-U file."""
    lines = read_lines(path)
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


T = TypeVar("T")
U = TypeVar("U")


class PrefetchIterator(Iterator[U]):
    """Yield transform(batch) for consecutive batches, computing the next ahead.

    The transform runs on a background thread; hanlex's featuriser releases
    the GIL, so preparing batch k+1 overlaps with learning from batch k.
    Exceptions raised by the transform surface in the consumer.
    """

    _DONE = object()

    def __init__(self, items: Iterable[T], batch_size: int,
                 transform: Callable[[list[T]], U], depth: int = 2):
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._finished = False
        self._thread = threading.Thread(
            target=self._run, args=(iter(items), batch_size, transform), daemon=True)
        self._thread.start()

    def _run(self, items: Iterator[T], batch_size: int, transform: Callable[[list[T]], U]) -> None:
        try:
            while not self._stop.is_set():
                batch = []
                for item in items:
                    batch.append(item)
                    if len(batch) == batch_size:
                        break
                if not batch:
                    break
                self._put((True, transform(batch)))
        except BaseException as e:  # handed to the consumer
            self._put((False, e))
        self._put(self._DONE)

    def _put(self, item: object) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def __iter__(self) -> "PrefetchIterator[U]":
        return self

    def __next__(self) -> U:
        if self._finished:
            raise StopIteration
        item = self._queue.get()
        if item is self._DONE:
            self._finished = True
            self._stop.set()
            raise StopIteration
        ok, value = item
        if not ok:
            self._finished = True
            self._stop.set()
            raise value
        return value

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


# ---------------------------------------------------------------- raw text

#: single-character punctuation: a word of its own, and a word boundary on both
#: sides (Li & Sun 2009). Dashes and ellipses are left out: People's Daily
#: writes "——" and "……" as two-character words.
PUNCTUATION = frozenset("，。！？；：、“”‘’（）《》【】「」『』〈〉,!?;:()")
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")


def punctuation_mask(text: str) -> "np.ndarray":
    """Partial labels of raw text: allowed word positions per character.

    A punctuation mark is a one-character word (S); the character after it
    begins a word (B or S) and the one before it ends a word (E or S). All
    other characters stay unconstrained. A mark inside a span the decoder
    keeps whole (the colon of 10:30 or of a URL, the comma of 1,299) is no
    label: it would teach the model the split decoding forbids.
    """
    import numpy as np

    from .pretokenize import spans

    n = len(text)
    mask = np.full(n, 15, dtype=np.uint8)
    inside = np.zeros(n, dtype=bool)
    for m in spans(text):
        if m.lastgroup != "ws":
            inside[m.start():m.end()] = True
    for i, ch in enumerate(text):
        if ch in PUNCTUATION and not inside[i]:
            mask[i] = 8
            if i > 0 and text[i - 1] not in PUNCTUATION:
                mask[i - 1] &= 4 | 8
            if i + 1 < n and text[i + 1] not in PUNCTUATION:
                mask[i + 1] &= 1 | 8
    return mask


def read_raw(paths: Sequence[str | os.PathLike], max_chars: int | None = None,
             max_len: int = 200, require_punctuation: bool = True) -> list[str]:
    """Raw sentences from text files (gzip, bz2, xz allowed), whitespace-free, cut at sentence ends.

    Only sentences with at least one punctuation mark inside carry any label,
    so the others are dropped unless require_punctuation is False. Stops
    after `max_chars` characters in all.
    """
    out: list[str] = []
    total = 0
    for path in paths:
        text = _read_bytes(path).decode("utf-8", "replace")
        for line in text.splitlines():
            for chunk in line.split():
                for sent in _SENTENCE_END.split(chunk):
                    if len(sent) < 4 or len(sent) > max_len:
                        continue
                    if (require_punctuation and not any(ch in PUNCTUATION for ch in sent[1:-1])
                            and sent[-1] not in PUNCTUATION):
                        continue
                    out.append(sent)
                    total += len(sent)
                    if max_chars is not None and total >= max_chars:
                        return out
    return out
