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
    how often each one follows a number."""

    keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    counts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    heads: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    tails: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    numbers: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))
    floor: int = 0  # counts at or below this may have been dropped

    def add(self, keys, counts, heads, tails, numbers) -> None:
        if not len(keys):  # a chunk without an n-gram this long
            return
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
            nxt[:max(len(codes) - n + 1, 0)] = codes[n - 1:]  # none in a text shorter than n
            ok = ok & (nxt > NUMBER)
            h = h * PRIME + nxt
            out.append((h.copy(), ok.copy()))
    return out


class WordCounter:
    """Counts n-grams of raw text chunk by chunk, in bounded memory.

    With `numbers`, a number just before an n-gram is one and the same left
    context each time: a number binds to what follows it (3亿元, 5人受伤, 12日称,
    a numeral and its measure), so 亿元 after 3 and after 5 has one neighbour, not
    two. Otherwise, and always after the n-gram (世卫组织3日, 震源深度10千米: a
    word ends there as before any other word), a number is a run's edge, a new
    context each time."""

    def __init__(self, max_len: int = 6, budget: int = 3_000_000, numbers: bool = False):
        self.max_len, self.budget, self.numbers = max_len, budget, numbers
        self.tables = [_Table() for _ in range(max_len + 2)]  # index n: n-grams
        self.chars = 0
        self._entropies: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # of the counts so far

    def add(self, text: str) -> None:
        self._entropies.clear()
        codes = _codes(text, self.numbers)
        self.chars += int(np.count_nonzero(codes > NUMBER))
        number = np.concatenate(([False], codes == NUMBER))  # number[i]: one just before i
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
            numbers = np.zeros((len(keys), int(self.numbers)), np.int64)
            if self.numbers:
                numbers[:, 0] = np.bincount(group.ravel(), number[where], len(keys))
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
        a number before it (if counted) as one context."""
        if n not in self._entropies:
            t, longer = self.tables[n], self.tables[n + 1]
            c = longer.counts.astype(np.float64)
            c_log_c = c * np.log(c)
            total = t.counts.astype(np.float64)
            out = []
            # a left context's (n+1)-gram ends in w, a right context's starts with it
            for side, links in enumerate((longer.tails, longer.heads)):
                at, hit = t.find(links)
                # float even when no context was seen (numpy gives int64 then)
                s = np.bincount(at[hit], c_log_c[hit], minlength=len(t.keys)).astype(np.float64)
                if side == 0 and t.numbers.shape[1]:
                    m = t.numbers[:, 0].astype(np.float64)
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
    words to leave out (those a model already has, or reads as a phrase), if given.

    A word is cohesive (positive PMI at every split), has contexts on both sides
    (a number before it counts as one context: `WordCounter`), is not two words
    side by side (`phrases`) and is not inside a longer word in most of its
    occurrences (`fragments`)."""
    counter = WordCounter(max_len, budget, numbers=True)
    for chunk in chunks:
        counter.add(chunk)
    strings = _strings(again, counter.candidates(min_count, max(50 * top, 10_000)))
    scored, passed = _scored(counter, list(strings.values()))
    inside = fragments(counter, scored, passed)
    words = [w for w, ok in zip(scored, passed) if ok and w.word not in inside]
    words.sort(key=lambda w: (-w.score, w.word))
    if known is not None and words:
        flags = known([w.word for w in words])
        words = [w for w, k in zip(words, flags) if not k]
    return words[:top], counter


def _scored(counter: WordCounter, words: Sequence[str], free: float = 1.5
            ) -> tuple[list[NewWord], np.ndarray]:
    """Each word scored, and whether it passes: cohesion (its smallest PMI over its
    two-part splits) and free contexts (its least free side) both above zero, and
    not a phrase."""
    count, left, right = counter.contexts(words)
    splits = np.array([len(w) - 1 for w in words], np.int64)
    heads, tails, head_count, head_right, tail_count, tail_left = _splits(counter, words)
    pmi = np.log(np.repeat(count, splits) * float(max(counter.chars, 1)) /
                 np.maximum(head_count.astype(np.float64) * tail_count, 1))
    cohesion = _per_word(pmi, splits, np.minimum, np.inf)
    joint = _joints(heads, tails, head_right, tail_left, free)
    phrase = _per_word(joint, splits, np.logical_or, False)
    least = np.minimum(left, right)
    score = np.log(np.maximum(count, 1)) * least * cohesion
    passed = (cohesion > 0) & (least > 0) & ~phrase & (count > 0)
    out = [NewWord(w, int(c), float(s), float(lf), float(r), float(h))
           for w, c, s, lf, r, h in zip(words, count, score, left, right, cohesion)]
    return out, passed


def _splits(counter: WordCounter, words: Sequence[str]):
    """Every two-part split of every word, in order: the heads, the tails, each
    head's count and right entropy, each tail's count and left entropy."""
    heads = [w[:k] for w in words for k in range(1, len(w))]
    tails = [w[k:] for w in words for k in range(1, len(w))]
    head_count, _, head_right = counter.contexts(heads, shortest=1)
    tail_count, tail_left, _ = counter.contexts(tails, shortest=1)
    return heads, tails, head_count, head_right, tail_count, tail_left


def _joints(heads, tails, head_right, tail_left, free: float) -> np.ndarray:
    """Whether each split joins two words: a head of two characters or more free on
    its right and a tail of two or more free on its left, both at least `free`."""
    long = np.array([len(h) > 1 and len(t) > 1 for h, t in zip(heads, tails)], bool)
    return long & (head_right >= free) & (tail_left >= free)


def _per_word(values: np.ndarray, splits: np.ndarray, ufunc, empty) -> np.ndarray:
    """`values` (one per split) reduced to one per word by `ufunc`, given each
    word's number of splits; `empty` for a word without any."""
    out = np.full(len(splits), empty, dtype=values.dtype)
    has = splits > 0
    if has.any():
        starts = np.concatenate(([0], np.cumsum(splits)[:-1]))[has]
        out[has] = ufunc.reduceat(values, starts)
    return out


def phrases(counter: WordCounter, words: Sequence[str], free: float = 1.5) -> list[bool]:
    """Whether each word is two words: it splits into a head free on its right
    and a tail free on its left, both at least `free` nats (习近平 | 指出, 王沪宁 |
    表示), where a word's parts are tied (联播 follows 新闻 nearly always, 薛祥 丁).
    Frequent phrases of news have free contexts outside and high cohesion inside,
    so the score alone ranks them among the words.

    Only parts of two characters or more are weighed. One character's contexts are
    free whatever it is: it is a morpheme of hundreds of words (穿 of 穿搭, 穿越,
    穿着; 人 of 打工人, 工人, 男人), so its branching entropy says how productive
    it is, not that it stands alone here; most words are two such morphemes (中国,
    直播, 穿搭) or a word and an affix (打工人, 元宇宙, 碳中和). Weighing them made
    nearly every such word a phrase. A word next to a one-character function word
    (他 | 强调, 进行 | 了) is as free at the joint as a word and its affix; counts
    cannot tell them apart (`hanlex words` asks the model's tags, cli/words.py)."""
    splits = np.array([len(w) - 1 for w in words], np.int64)
    heads, tails, _, head_right, _, tail_left = _splits(counter, words)
    joint = _joints(heads, tails, head_right, tail_left, free)
    return _per_word(joint, splits, np.logical_or, False).tolist()


def fragments(counter: WordCounter, scored: Sequence[NewWord], passed: Sequence[bool]
              ) -> set[str]:
    """The words (the `scored` strings that `passed`) inside a longer word in most of
    their occurrences: 近平 in 习近平, 委会 in 居委会, 村委会 and 奥委会.

    A string one character longer holds a word's occurrences when it is most of
    them (看待 in 何看待 in 如何看待), or when that character is bound to the word
    at least as tightly as the word's own parts are to each other (its PMI with the
    word at least the word's cohesion: 居 | 委会, 村 | 委会), not when it merely
    follows or precedes it as the next word does (习近平 | 在, 的 | 穿搭). A
    string's occurrences inside a word: all of them if it is a word (and not a
    fragment), else those the strings around it hold on one side (the larger
    side), so a fragment's share passes on (丽热 in 迪丽热 in 迪丽热巴). A word is
    a fragment when more than half of its occurrences lie inside words."""
    counts = {w.word: w.count for w in scored}
    cohesion = {w.word: w.cohesion for w in scored}
    words = {w.word for w, ok in zip(scored, passed) if ok}
    ends = sorted({c for w in counts for c in (w[0], w[-1])})
    char_count = dict(zip(ends, counter.contexts(ends, shortest=1)[0].tolist()))
    total = max(counter.chars, 1)
    held_by: tuple[dict[str, int], dict[str, int]] = ({}, {})  # by strings going on left, right
    out = set()
    for s in sorted(counts, key=len, reverse=True):
        held = min(max(held_by[0].get(s, 0), held_by[1].get(s, 0)), counts[s])
        if s in words and 2 * held > counts[s]:
            out.add(s)
        within = counts[s] if s in words and s not in out else held
        for side, part, extra in ((0, s[1:], s[0]), (1, s[:-1], s[-1])):
            if within and part in counts and (2 * counts[s] > counts[part] or math.log(
                    counts[s] * total / max(char_count[extra] * counts[part], 1)) >= cohesion[part]):
                held_by[side][part] = held_by[side].get(part, 0) + within
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
