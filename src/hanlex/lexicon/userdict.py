"""User dictionaries: words that must come out whole, enforced inside Viterbi.

Every occurrence of a dictionary word in the text becomes a closed span (its
characters are labelled B M... E or S), so the decoder can neither split it
nor merge it with a neighbour. Overlapping occurrences resolve to the longest
(then the leftmost). A word given with a tag keeps that tag. An occurrence
that would end inside a span the pretokenizer keeps whole is not the word
(`t.cn` in https://t.cn/x, `iPhone` in iPhone15), as a search for whole words
would not find it there; a span inside an occurrence becomes part of the word.
"""
from __future__ import annotations

import os
from typing import Iterable

import numpy as np

from ..decoding._words import longest_matches, take_disjoint
from ..errors import DictionaryError
from ..pretokenize.masks import boundaries, close_spans
from .compiled import compile_lexicon, lexicon_index
from .entries import read_entries


def check_word(word: str) -> None:
    if not isinstance(word, str) or not word or any(ch.isspace() for ch in word):
        raise DictionaryError(f"user dictionary word {word!r} is empty or contains whitespace")


class UserDict:
    """An immutable compiled word list; `with_words` returns an extended copy."""

    def __init__(self, entries: Iterable[tuple[str, str | None]] = (),
                 _base: "UserDict | None" = None):
        """entries: (word, tag) pairs, or lexicon.entries.Entry with where they were read."""
        self.entries: dict[str, str | None] = dict(_base.entries) if _base else {}
        self.where: dict[str, str] = dict(_base.where) if _base else {}  # word -> "file:line"
        added = []
        for entry in entries:
            word, tag = entry[0], entry[1]
            check_word(word)
            if word not in self.entries:
                added.append(word)
            self.entries[word] = tag
            if len(entry) > 2 and entry[2]:
                self.where[word] = entry[2]
        self.max_len = max((len(w) for w in self.entries), default=0)
        self.tagged = any(t is not None for t in self.entries.values())  # any word with a tag
        # the hashes of the base's words are reused, not computed again
        self._compiled = compile_lexicon(added, min_len=1, base=_base._compiled if _base else None)
        self.index = lexicon_index(*self._compiled, word_starts=False)  # not a feature lexicon

    @classmethod
    def load(cls, path: str | os.PathLike, encoding: str | None = None) -> "UserDict":
        """A dictionary file: `word [freq] [tag]` lines (lexicon.entries)."""
        return cls(read_entries(path, encoding=encoding))

    def without(self, words: Iterable[str]) -> "UserDict":
        """A copy without these words."""
        gone = set(words)
        return UserDict((w, t, self.where.get(w)) for w, t in self.entries.items()
                        if w not in gone)

    def check_tags(self, allowed: Iterable[str]) -> None:
        """Every tag must be one of `allowed` (a model's tags): a DictionaryError
        names the first that is not, where it was read, and the allowed tags."""
        allowed = set(allowed)
        for word, tag in self.entries.items():
            if tag is not None and tag not in allowed:
                where = self.where.get(word, f"user word {word!r}")
                raise DictionaryError(f"{where}: unknown tag {tag!r}; this model's tags are "
                                      f"{' '.join(sorted(allowed))}")

    def with_word(self, word: str, tag: str | None = None) -> "UserDict":
        return self.with_words([(word, tag)])

    def with_words(self, entries: Iterable[tuple[str, str | None]]) -> "UserDict":
        return UserDict(entries, _base=self)

    def __len__(self) -> int:
        return len(self.entries)

    def spans(self, cps: np.ndarray, mask: np.ndarray | None = None) -> list[tuple[int, int]]:
        """Non-overlapping occurrences, longest first, as (start, end); with a
        position mask, only those whose two ends it allows as word boundaries
        (the longest match at a start is the candidate there)."""
        starts, ends = self._span_arrays(cps, mask)
        return list(zip(starts.tolist(), ends.tolist()))

    def _span_arrays(self, cps: np.ndarray, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        none = np.zeros(0, dtype=np.int64)
        if not self.entries or len(cps) == 0:
            return none, none
        lengths = longest_matches(cps, self.index, self.max_len)
        if mask is not None:
            ok = boundaries(mask)
            starts = np.flatnonzero(lengths)
            lengths[starts[~(ok[starts] & ok[starts + lengths[starts]])]] = 0
        starts = np.flatnonzero(lengths).astype(np.int64)
        if starts.size == 0:
            return none, none
        ends = starts + lengths[starts]
        order = np.lexsort((starts, starts - ends)).astype(np.int64)  # longest first, then leftmost
        kept = take_disjoint(starts, ends, order, len(cps)).view(bool)
        return starts[kept], ends[kept]  # by start, as flatnonzero gave them

    def constrain(self, cps: np.ndarray, mask: np.ndarray) -> list[tuple[int, int]]:
        """Close every occurrence in `mask` whose ends it allows; returns the spans."""
        starts, ends = self._span_arrays(cps, mask)
        close_spans(mask, starts, ends)
        return list(zip(starts.tolist(), ends.tolist()))

