"""User dictionaries: words that must come out whole, enforced inside Viterbi.

Every occurrence of a dictionary word in the text becomes a closed span (its
characters are labelled B M... E or S), so the decoder can neither split it
nor merge it with a neighbour. Overlapping occurrences resolve to the longest
(then the leftmost). A word given with a tag keeps that tag. An occurrence
that would end inside a span the pretokenizer keeps whole is not the word
(`t.cn` in https://t.cn/x, `iPhone` in iPhone15), as a search for whole words
would not find it there; a span inside an occurrence becomes part of the word.

A split (`with_split`: jieba's `suggest_freq(("中", "将"), True)`) is the other
way round: wherever its string occurs, its pieces are kept apart (a word boundary
between them), and nothing else is forced: 中国 and 中心 stay whole, and 台中将
may still read 台中|将. A user word over the same place wins.
"""
from __future__ import annotations

import os
import warnings
from typing import Iterable

from .._numpy import np
from ..decoding._words import longest_matches, take_disjoint
from ..errors import DictionaryError, DictionaryWarning
from ..model.tagsets import user_tag
from ..pretokenize.masks import ALLOW_B, ALLOW_E, ALLOW_S, boundaries, close_spans
from .compiled import compile_lexicon, lexicon_index
from .entries import read_entries


def warn_unknown_tags(unknown: dict[str, str], allowed: Iterable[str]) -> None:
    """One warning for the tags (-> where each was first read) no model tag stands for."""
    tags = ", ".join(f"{t!r} ({where})" for t, where in list(unknown.items())[:5])
    more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
    warnings.warn(f"user words tagged {tags}{more} are kept without a tag: this model's tags "
                  f"are {' '.join(sorted(allowed))}", DictionaryWarning, stacklevel=4)


def check_word(word: str) -> None:
    if not isinstance(word, str) or not word or any(ch.isspace() for ch in word):
        raise DictionaryError(f"user dictionary word {word!r} is empty or contains whitespace")


class UserDict:
    """An immutable compiled word list; `with_words` returns an extended copy."""

    def __init__(self, entries: Iterable[tuple[str, str | None]] = (),
                 _base: "UserDict | None" = None,
                 splits: "dict[str, tuple[int, ...]] | None" = None):
        """entries: (word, tag) pairs, or lexicon.entries.Entry with where they were read.
        splits: string -> the offsets inside it where a word must end (with_split)."""
        self.entries: dict[str, str | None] = dict(_base.entries) if _base else {}
        self.where: dict[str, str] = dict(_base.where) if _base else {}  # word -> "file:line"
        self.splits: dict[str, tuple[int, ...]] = dict(_base.splits if _base else splits or {})
        added = []
        for entry in entries:
            word, tag = entry[0], entry[1]
            check_word(word)
            if word not in self.entries:
                added.append(word)
            self.entries[word] = tag
            self.splits.pop(word, None)  # a word added whole is no longer kept apart
            if len(entry) > 2 and entry[2]:
                self.where[word] = entry[2]
        self.max_len = max((len(w) for w in self.entries), default=0)
        self.tagged = any(t is not None for t in self.entries.values())  # any word with a tag
        # compiled when first looked up (an empty dictionary, as most Analyzers have,
        # never is: a cold start's first cut needs no numpy); the hashes of the
        # base's words are reused, not computed again
        self._added, self._base = added, _base
        self._index: tuple | None = None
        self._split_index = None
        self._split_max = max((len(w) for w in self.splits), default=0)
        if _base is not None:  # compiled now, so that the base need not be kept
            self._tables()
            self._base = None

    @property
    def _compiled(self) -> tuple[np.ndarray, np.ndarray]:
        return self._tables()[0]

    @property
    def index(self):
        """The words' hash index (a HashIndex; not a feature lexicon)."""
        return self._tables()[1]

    def _tables(self) -> tuple:
        if self._index is None:  # two threads may both compile: the same tables
            base = self._base._compiled if self._base is not None else None
            compiled = compile_lexicon(self._added, min_len=1, base=base)
            if self.splits:  # set before _index, which tells other threads all is ready
                self._split_index = lexicon_index(*compile_lexicon(self.splits),
                                                  word_starts=False)
            self._index = (compiled, lexicon_index(*compiled, word_starts=False))
        return self._index

    def __reduce__(self):
        """Pickles as its words and splits; the tables are compiled again."""
        entries = [(w, t, self.where.get(w)) for w, t in self.entries.items()]
        return (UserDict, (entries, None, self.splits))

    @classmethod
    def load(cls, path: str | os.PathLike, encoding: str | None = None) -> "UserDict":
        """A dictionary file: `word [freq] [tag]` lines (lexicon.entries)."""
        return cls(read_entries(path, encoding=encoding))

    def without(self, words: Iterable[str]) -> "UserDict":
        """A copy without these words (or splits of these strings)."""
        gone = set(words)
        return UserDict(((w, t, self.where.get(w)) for w, t in self.entries.items()
                         if w not in gone),
                        splits={w: c for w, c in self.splits.items() if w not in gone})

    def with_split(self, pieces: Iterable[str]) -> "UserDict":
        """A copy that keeps `pieces` apart wherever their string occurs (and no
        longer has that string as a word)."""
        pieces = [p for p in pieces]
        for p in pieces:
            check_word(p)
        if len(pieces) < 2:
            raise DictionaryError(f"a split needs two pieces or more, not {pieces!r}")
        joined = "".join(pieces)
        cuts = tuple(int(k) for k in np.cumsum([len(p) for p in pieces[:-1]]))
        out = self.without([joined])
        return UserDict(((w, t, out.where.get(w)) for w, t in out.entries.items()),
                        splits={**out.splits, joined: cuts})

    def in_tags(self, allowed: Iterable[str]) -> "UserDict":
        """This dictionary with its tags in `allowed` (a model's tags): jieba's names
        for PKU tags are mapped (eng -> nx, x -> w, nrt -> nr, ...; model.tagsets.JIEBA),
        and a word whose tag is none of them is kept untagged, with one warning."""
        allowed = list(allowed)
        mapped, unknown = {}, {}
        for word, tag in self.entries.items():
            if tag is not None:
                mapped[word] = user_tag(tag, allowed)
                if mapped[word] is None:
                    unknown.setdefault(tag, self.where.get(word, f"user word {word!r}"))
        if unknown:
            warn_unknown_tags(unknown, allowed)
        if all(mapped[w] == t for w, t in self.entries.items() if t is not None):
            return self
        return UserDict(((w, mapped.get(w, t), self.where.get(w)) for w, t in self.entries.items()),
                        splits=self.splits)

    def with_word(self, word: str, tag: str | None = None) -> "UserDict":
        return self.with_words([(word, tag)])

    def with_words(self, entries: Iterable[tuple[str, str | None]]) -> "UserDict":
        return UserDict(entries, _base=self)

    def __len__(self) -> int:
        return len(self.entries) + len(self.splits)

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
        """Close every occurrence in `mask` whose ends it allows, then keep the
        pieces of every split apart where the mask still lets them; returns the
        closed spans."""
        starts, ends = self._span_arrays(cps, mask)
        close_spans(mask, starts, ends)
        if self.splits and len(cps):
            self._tables()
            self._split(cps, mask)
        return list(zip(starts.tolist(), ends.tolist()))

    def _split(self, cps: np.ndarray, mask: np.ndarray) -> None:
        lengths = longest_matches(cps, self._split_index, self._split_max)
        for start in np.flatnonzero(lengths).tolist():
            found = "".join(map(chr, cps[start:start + int(lengths[start])].tolist()))
            cuts = self.splits.get(found)
            for k in cuts or ():  # None: matched as normalised characters, not as written
                left, right = mask[start + k - 1] & (ALLOW_E | ALLOW_S), mask[start + k] & (ALLOW_B | ALLOW_S)
                if left and right:  # not inside a user word or a span kept whole
                    mask[start + k - 1], mask[start + k] = left, right

