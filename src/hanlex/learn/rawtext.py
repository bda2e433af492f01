"""Learning from raw text: Li & Sun's punctuation partial labels and bigram statistics.

Raw sentences enter training as partially labelled examples (`punctuation_mask`),
and their character-bigram association buckets become features of every model
trained with them (`raw_statistics`, templates 22-24).
"""
from __future__ import annotations

import os
import re
from typing import Sequence

import numpy as np

from .._core.chars import normalize_codepoints
from .._core.constants import STAT_BUCKETS
from .._core.hashing import stat_key
from ..io.encoding import decode_text
from ..io.files import read_bytes
from ..pretokenize.masks import ALLOW_ANY, ALLOW_B, ALLOW_E, ALLOW_S
from ..pretokenize.patterns import spans
from ..text.normalize import codepoints

#: single-character punctuation: a word of its own, and a word boundary on both
#: sides (Li & Sun 2009). Dashes and ellipses are left out: People's Daily
#: writes "——" and "……" as two-character words.
PUNCTUATION = frozenset("，。！？；：、“”‘’（）《》【】「」『』〈〉,!?;:()")
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")


def punctuation_mask(text: str) -> np.ndarray:
    """Partial labels of raw text: allowed word positions per character.

    A punctuation mark is a one-character word (S); the character after it
    begins a word (B or S) and the one before it ends a word (E or S). All
    other characters stay unconstrained. A mark inside a span the decoder
    keeps whole (the colon of 10:30 or of a URL, the comma of 1,299) is no
    label: it would teach the model the split decoding forbids.
    """
    n = len(text)
    mask = np.full(n, ALLOW_ANY, dtype=np.uint8)
    inside = np.zeros(n, dtype=bool)
    for m in spans(text):
        if m.lastgroup != "ws":
            inside[m.start():m.end()] = True
    for i, ch in enumerate(text):
        if ch in PUNCTUATION and not inside[i]:
            mask[i] = ALLOW_S
            if i > 0 and text[i - 1] not in PUNCTUATION:
                mask[i - 1] &= ALLOW_E | ALLOW_S
            if i + 1 < n and text[i + 1] not in PUNCTUATION:
                mask[i + 1] &= ALLOW_B | ALLOW_S
    return mask


def read_raw(paths: Sequence[str | os.PathLike], max_chars: int | None = None,
             max_len: int = 200, require_punctuation: bool = True,
             encoding: str | None = None) -> list[str]:
    """Raw sentences from text files (gzip, bz2, xz allowed), whitespace-free, cut at sentence ends.

    Only sentences with at least one punctuation mark inside carry any label,
    so the others are dropped unless require_punctuation is False. Stops
    after `max_chars` characters in all. Bytes that are not `encoding` (UTF-8
    unless a byte-order mark says otherwise) become U+FFFD: raw text is only
    evidence, and a stray byte in gigabytes of it should not stop training.
    """
    out: list[str] = []
    total = 0
    for path in paths:
        text = decode_text(read_bytes(path), os.fspath(path), encoding, errors="replace")
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


class BigramCounter:
    """Counts of normalised characters and of the bigrams inside each text, text by
    text: what `raw_statistics` scores. Memory grows with the number of distinct
    bigrams (a few million in any amount of Chinese), not with the text."""

    def __init__(self) -> None:
        self.chars = np.zeros(0x110003, dtype=np.int64)
        self.pairs = np.zeros(0, dtype=np.int64)  # a << 21 | b, sorted
        self.counts = np.zeros(0, dtype=np.int64)
        self.total = 0  # bigrams counted
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []
        self._pending_size = 0

    def add(self, text: str) -> None:
        """Count one text (bigrams across its newlines are not counted)."""
        cps = normalize_codepoints(codepoints(text)).astype(np.int64)
        uni = np.bincount(cps)
        if len(uni) > len(self.chars):
            self.chars = np.concatenate((self.chars, np.zeros(len(uni) - len(self.chars), np.int64)))
        self.chars[:len(uni)] += uni
        a, b = cps[:-1], cps[1:]
        ok = (a != 10) & (b != 10)
        pairs, counts = np.unique((a[ok] << 21) | b[ok], return_counts=True)
        self.total += int(ok.sum())
        self._pending.append((pairs, counts))
        self._pending_size += len(pairs)
        if self._pending_size > max(len(self.pairs), 1 << 20):  # amortised: merges stay O(n log n)
            self._merge()

    def _merge(self) -> None:
        if not self._pending:
            return
        pairs = np.concatenate([self.pairs] + [p for p, _ in self._pending])
        counts = np.concatenate([self.counts] + [c for _, c in self._pending])
        self.pairs, group = np.unique(pairs, return_inverse=True)
        self.counts = np.bincount(group, counts, len(self.pairs)).astype(np.int64)
        self._pending, self._pending_size = [], 0

    def statistics(self, min_count: int = 3) -> tuple[np.ndarray, np.ndarray]:
        """(keys, values), keys sorted: the association bucket of each bigram seen at
        least `min_count` times, 1 + clip(floor(PMI) + 2, 0, 12) (so
        1..STAT_BUCKETS - 1), PMI = log2 p(ab) / (p(a) p(b))."""
        self._merge()
        keep = self.counts >= min_count
        uniq, cnt = self.pairs[keep], self.counts[keep]
        ua, ub = uniq >> 21, uniq & ((1 << 21) - 1)
        pmi = np.log2(cnt * float(self.total) / (self.chars[ua] * self.chars[ub]).astype(np.float64))
        values = (1 + np.clip(np.floor(pmi).astype(np.int64) + 2, 0, STAT_BUCKETS - 2)).astype(np.int32)
        keys = np.array([stat_key(x, y) for x, y in zip(ua.tolist(), ub.tolist())],
                        dtype=np.uint64)
        order = np.argsort(keys)
        return keys[order], values[order]


def raw_statistics(texts: Sequence[str], min_count: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Association buckets of character bigrams in raw text: (keys, values), as
    `BigramCounter.statistics` scores them, for bigrams seen at least min_count times."""
    counter = BigramCounter()
    counter.add("\n".join(texts))
    return counter.statistics(min_count)
