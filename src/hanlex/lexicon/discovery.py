"""New words of raw text, found without a model: frequency, free contexts on both
sides (branching entropy) and cohesion (pointwise mutual information).

A string such as 习近平 that occurs thousands of times, with many different
characters before and after it, and whose parts occur together far more often
than chance, is a word candidate, wherever a model would cut it.

Counting: the Han runs of the text, a chunk at a time, as 64-bit polynomial
hashes of every n-gram up to max_len + 1 characters (numpy, no Python string per
n-gram), merged into one sorted table per length. Memory stays bounded: when a
table outgrows `budget` entries, its rarest entries are dropped (lossy counting:
a dropped n-gram seen again later is undercounted by at most what was dropped,
and the floor is reported). A second pass recovers the strings of the best
candidates by their hashes, and scores them exactly.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

import numpy as np

from ..text.normalize import codepoints

PRIME = np.uint64(0x100000001B3)  # FNV's 64-bit prime: the hash is sum c_i P^(n-1-i) mod 2^64
HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2FA1F))
DIGITS = ((0x30, 0x39), (0xFF10, 0xFF19))
NUMBER = np.uint64(1)  # the code of a digit, when numbers are counted as one context


@dataclass(frozen=True)
class NewWord:
    word: str
    count: int
    score: float
    left_entropy: float
    right_entropy: float
    cohesion: float  # the smallest PMI (natural log) over the word's two-part splits


@dataclass
class _Table:
    """Counts of the n-grams of one length, by hash (keys sorted), with the hash
    of each one's first n-1 and last n-1 characters, and (if numbers are counted)
    how often each one follows and precedes a number."""

    keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    counts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    heads: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    tails: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    numbers: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))
    floor: int = 0  # counts at or below this may have been dropped

    def add(self, keys, counts, heads, tails, numbers) -> None:
        keys = np.concatenate((self.keys, keys))
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        first = np.concatenate(([True], keys[1:] != keys[:-1]))
        group = np.cumsum(first) - 1
        self.counts = np.bincount(group, np.concatenate((self.counts, counts))[order]
                                  ).astype(np.int64)
        held = self.numbers if len(self.keys) else np.zeros((0, numbers.shape[1]), np.int64)
        numbers = np.concatenate((held, numbers))[order]
        self.numbers = np.zeros((len(self.counts), numbers.shape[1]), np.int64)
        for j in range(numbers.shape[1]):
            self.numbers[:, j] = np.bincount(group, numbers[:, j], len(self.counts))
        self.heads = np.concatenate((self.heads, heads))[order][first]
        self.tails = np.concatenate((self.tails, tails))[order][first]
        self.keys = keys[first]

    def prune(self, budget: int) -> None:
        """Drop the rarest entries until at most budget // 2 remain."""
        if len(self.keys) <= budget:
            return
        cut = int(np.partition(self.counts, len(self.counts) - budget // 2)[
            len(self.counts) - budget // 2])
        keep = self.counts > cut
        self.floor = max(self.floor, cut)
        self.keys, self.counts = self.keys[keep], self.counts[keep]
        self.heads, self.tails = self.heads[keep], self.tails[keep]
        self.numbers = self.numbers[keep]

    def find(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(where each key is in the table, whether it is there at all)."""
        if not len(self.keys):
            return np.zeros(len(keys), np.int64), np.zeros(len(keys), bool)
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return at, self.keys[at] == keys


def _in(cps: np.ndarray, ranges) -> np.ndarray:
    out = np.zeros(len(cps), bool)
    for lo, hi in ranges:
        out |= (cps >= lo) & (cps <= hi)
    return out


def _codes(text: str, numbers: bool = False) -> np.ndarray:
    """Code points of text, 0 for every character that is not Han (a digit is NUMBER
    if `numbers`)."""
    cps = codepoints(text)
    codes = np.where(_in(cps, HAN), cps, 0).astype(np.uint64)
    if numbers:
        codes[_in(cps, DIGITS)] = NUMBER
    return codes


def _hashes(codes: np.ndarray, longest: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """For n = 1..longest: (hash of the n-gram starting at each position, whether
    that n-gram lies inside one Han run)."""
    out, h = [], np.zeros(len(codes), np.uint64)
    ok = np.ones(len(codes), bool)
    with np.errstate(over="ignore"):
        for n in range(1, longest + 1):
            nxt = np.zeros(len(codes), np.uint64)
            nxt[:len(codes) - n + 1] = codes[n - 1:]
            ok = ok & (nxt > NUMBER)
            h = h * PRIME + nxt
            out.append((h.copy(), ok.copy()))
    return out


class WordCounter:
    """Counts n-grams of raw text chunk by chunk, in bounded memory.

    With `numbers`, a run of digits next to an n-gram is one and the same context
    each time (a number is a number: 3亿元 and 5亿元 give 亿元 the same left
    neighbour); otherwise it is a run's edge, a new context each time."""

    def __init__(self, max_len: int = 6, budget: int = 3_000_000, numbers: bool = False):
        self.max_len, self.budget, self.numbers = max_len, budget, numbers
        self.tables = [_Table() for _ in range(max_len + 2)]  # index n: n-grams
        self.chars = 0
        self._entropies: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # of the counts so far

    def add(self, text: str) -> None:
        self._entropies.clear()
        codes = _codes(text, self.numbers)
        self.chars += int(np.count_nonzero(codes > NUMBER))
        number = np.concatenate(([False], codes == NUMBER, [False]))  # padded both sides
        hashes = _hashes(codes, self.max_len + 1)
        for n in range(1, self.max_len + 2):
            h, ok = hashes[n - 1]
            where = np.flatnonzero(ok)
            keys, first, group, counts = np.unique(h[where], return_index=True,
                                                   return_inverse=True, return_counts=True)
            pos = where[first]
            if n > 1:
                heads = hashes[n - 2][0][pos]
                tails = hashes[n - 2][0][pos + 1]
            else:
                heads = tails = np.zeros(len(keys), np.uint64)
            sides = (number[where], number[where + n + 1]) if self.numbers else ()
            numbers = np.zeros((len(keys), len(sides)), np.int64)
            for j, side in enumerate(sides):  # a number just before, just after
                numbers[:, j] = np.bincount(group.ravel(), side, len(keys))
            table = self.tables[n]
            table.add(keys, counts.astype(np.int64), heads, tails, numbers)
            table.prune(self.budget)

    def candidates(self, min_count: int, limit: int) -> dict[int, set[int]]:
        """The `limit` best n-grams of 2..max_len characters seen at least min_count
        times, by count and free contexts, as {length: hashes}."""
        lengths, keys, scores = [], [], []
        for n in range(2, self.max_len + 1):
            t = self.tables[n]
            idx = np.flatnonzero(t.counts >= min_count)
            if not len(idx):
                continue
            left, right = self.entropies(n)
            lengths.append(np.full(len(idx), n))
            keys.append(t.keys[idx])
            scores.append(np.log(t.counts[idx]) * np.minimum(left, right)[idx])
        if not keys:
            return {}
        lengths, keys = np.concatenate(lengths), np.concatenate(keys)
        best = np.argsort(-np.concatenate(scores), kind="stable")[:limit]
        out: dict[int, set[int]] = {}
        for n, key in zip(lengths[best].tolist(), keys[best].tolist()):
            out.setdefault(n, set()).add(key)
        return out

    def entropies(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Left and right branching entropy of each n-gram in table n: contexts seen
        in the (n+1)-gram counts; a Han run's edge counts as a new context each time,
        a number (if counted) as one context."""
        if n not in self._entropies:
            t, longer = self.tables[n], self.tables[n + 1]
            c = longer.counts.astype(np.float64)
            c_log_c = c * np.log(c)
            total = t.counts.astype(np.float64)
            out = []
            # a left context's (n+1)-gram ends in w, a right context's starts with it
            for side, links in enumerate((longer.tails, longer.heads)):
                at, hit = t.find(links)
                s = np.bincount(at[hit], c_log_c[hit], minlength=len(t.keys))
                if t.numbers.shape[1]:
                    m = t.numbers[:, side].astype(np.float64)
                    s += m * np.log(np.maximum(m, 1))
                out.append(np.log(total) - s / total)
            self._entropies[n] = (out[0], out[1])
        return self._entropies[n]

    def contexts(self, words: Sequence[str], shortest: int = 2
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(count, left entropy, right entropy) of each word of shortest..max_len
        Han characters (count 0 for any other word, or one not counted)."""
        count = np.zeros(len(words), np.int64)
        left = np.zeros(len(words))
        right = np.zeros(len(words))
        by_len: dict[int, list[int]] = {}
        for i, w in enumerate(words):
            if shortest <= len(w) <= self.max_len:
                by_len.setdefault(len(w), []).append(i)
        for n, idx in by_len.items():
            codes = _codes("\n".join(words[i] for i in idx))
            h, ok = _hashes(codes, n)[n - 1]
            starts = np.arange(len(idx)) * (n + 1)  # each word, then its line end
            keys, valid = h[starts], ok[starts]
            at, hit = self.tables[n].find(keys)
            hit &= valid
            where = np.array(idx)[hit]
            count[where] = self.tables[n].counts[at[hit]]
            lh, rh = self.entropies(n)
            left[where], right[where] = lh[at[hit]], rh[at[hit]]
        return count, left, right

    def count(self, word: str) -> int:
        """How often `word` (Han characters only) was counted."""
        n = len(word)
        if not 1 <= n <= self.max_len + 1:
            return 0
        at, hit = self.tables[n].find(_hashes(_codes(word), n)[n - 1][0][:1])
        return int(self.tables[n].counts[at[0]]) if hit[0] else 0


def _strings(texts: Iterable[str], wanted: dict[int, set[int]]) -> dict[tuple[int, int], str]:
    """The strings of the wanted (length -> hashes) n-grams, found again in texts."""
    found: dict[tuple[int, int], str] = {}
    need = sum(len(v) for v in wanted.values())
    longest = max(wanted) if wanted else 0
    for text in texts:
        codes = _codes(text)
        hashes = _hashes(codes, longest)
        for n, keys in wanted.items():
            h, ok = hashes[n - 1]
            hit = np.flatnonzero(ok & np.isin(h, np.fromiter(keys, np.uint64, len(keys))))
            for i in hit:
                k = (n, int(h[i]))
                if k not in found:
                    found[k] = "".join(map(chr, codes[i:i + n].tolist()))
        if len(found) >= need:
            break
    return found


def discover(chunks: Iterable[str], again: Iterable[str], min_count: int = 10, top: int = 200,
             max_len: int = 6, budget: int = 3_000_000, known=None
             ) -> tuple[list[NewWord], WordCounter]:
    """The `top` new words of the text that `chunks` yields (and `again` yields a
    second time, to recover their strings), best first. `known(words)` marks the
    words to leave out (those a model already has), if given."""
    counter = WordCounter(max_len, budget)
    for chunk in chunks:
        counter.add(chunk)
    strings = _strings(again, counter.candidates(min_count, max(50 * top, 10_000)))
    total = max(counter.chars, 1)
    words = []
    for (n, key), word in strings.items():
        t = counter.tables[n]
        i = int(np.searchsorted(t.keys, np.uint64(key)))
        count = int(t.counts[i])
        left, right = (float(e[i]) for e in counter.entropies(n))
        cohesion = min(math.log(count * total / max(counter.count(word[:k]) *
                                                     counter.count(word[k:]), 1))
                       for k in range(1, n))
        free = min(left, right)
        if cohesion <= 0 or free <= 0:
            continue
        words.append(NewWord(word, count, math.log(count) * free * cohesion, left, right, cohesion))
    words = [w for w, p in zip(words, phrases(counter, [w.word for w in words])) if not p]
    words.sort(key=lambda w: (-w.score, w.word))
    if known is not None and words:
        flags = known([w.word for w in words])
        words = [w for w, k in zip(words, flags) if not k]
    return words[:top], counter


def phrases(counter: WordCounter, words: Sequence[str], free: float = 1.5) -> list[bool]:
    """Whether each word is two words: it splits into a head free on its right
    and a tail free on its left, both at least `free` nats (习近平 | 指出, 他 | 强调,
    同比 | 增长), where a word's parts are tied (联播 follows 新闻 nearly always,
    薛祥 丁). Frequent phrases of news have free contexts outside and high cohesion
    inside, so the score alone ranks them among the words."""
    heads = [w[:k] for w in words for k in range(1, len(w))]
    tails = [w[k:] for w in words for k in range(1, len(w))]
    _, _, head_right = counter.contexts(heads, shortest=1)
    _, tail_left, _ = counter.contexts(tails, shortest=1)
    out, i = [], 0
    for w in words:
        n = len(w) - 1
        out.append(bool(((head_right[i:i + n] >= free) & (tail_left[i:i + n] >= free)).any()))
        i += n
    return out


def chunks_of(lines: Iterator[str], size: int = 2_000_000) -> Iterator[str]:
    """Lines joined into chunks of about `size` characters (lines stay apart)."""
    buf, n = [], 0
    for line in lines:
        buf.append(line)
        n += len(line) + 1
        if n >= size:
            yield "\n".join(buf)
            buf, n = [], 0
    if buf:
        yield "\n".join(buf)
