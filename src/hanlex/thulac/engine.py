"""The THULAC engine: a THULAC models directory (or a converted file),
analysed as THULAC's Python package (0.2.2) does.

    Analyzer("thulac:/path/to/thulac/models")

Segmentation (cut) uses THULAC's segmentation model (cws_*), as
`thulac.thulac(seg_only=True)` does; tagging uses its joint model (model_c_*),
as `thulac.thulac()` does. The pipeline per line of text is the package's:
clean.py's constraints, the decoder (_decode.pyx), then its dictionary
passes in its order: the user's words (tag "uw"), place names (ns.dat, "ns"),
idioms (idiom.dat, "i"), punctuation (singlepun.dat, "w"). The package's time
word pass does nothing on Python 3 (it compares characters with code points),
so there is none here. Output is lossless: each word is a span of the text as
given (the spaces THULAC drops belong to the space word before them).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..errors import ConfigError, ModelFormatError
from ..text.normalize import codepoints
from . import PREFIX
from ._decode import ThulacTables, merge_words
from ._decode import clean as clean_batch
from .clean import KINDS
from .files import read_labels, read_t2s, read_trie, read_weights

SEGMENTER = ("cws_model.bin", "cws_dat.bin", "cws_label.txt")
JOINT = ("model_c_model.bin", "model_c_dat.bin", "model_c_label.txt")
DICTIONARIES = ("ns.dat", "idiom.dat", "singlepun.dat", "t2s.dat")
MAX_LENGTH = 50000  # longer lines are cut at sentence ends first, as the package does
_SENTENCE = re.compile(".*?[。？！；;!?]")


class ThulacDecoder:
    """One THULAC model (weights, feature trie, labels) ready to decode."""

    def __init__(self, transitions: np.ndarray, weights: np.ndarray, dat: np.ndarray,
                 lines: list[str]):
        self.transitions, self.weights, self.dat, self.lines = transitions, weights, dat, lines
        self.positions = np.array([int(line[0]) for line in lines], dtype=np.int8)
        self.tags = [line[1:-1] for line in lines]  # the package drops the last character
        self.tag_ids = np.zeros(len(lines), np.int32)  # into ThulacEngine.tags, set by it
        L = len(lines)
        # which label may follow which: inside a word (same tag) B->M|E, M->M|E, and
        # E|S -> B|S; across tags only an end before a start
        pre = [[i for i in range(L) if _may_follow(lines[i], lines[j])] for j in range(L)]
        self.pre_ptr = np.cumsum([0] + [len(p) for p in pre]).astype(np.int32)
        self.pre = np.array([i for p in pre for i in p], dtype=np.int32)
        # the labels each constraint allows, in label order; constraint 0 allows all
        allowed = [[i for i in range(L) if (1 << int(lines[i][0])) & (p or 15)] for p in range(16)]
        self.allowed_ptr = np.cumsum([0] + [len(a) for a in allowed]).astype(np.int32)
        self.allowed = np.array([i for a in allowed for i in a], dtype=np.int32)
        is_allowed = np.zeros((16, L), dtype=np.uint8)
        for p, labels in enumerate(allowed):
            is_allowed[p, labels] = 1
        self.tables = ThulacTables(dat, weights, transitions, self.pre_ptr, self.pre,
                                   self.allowed_ptr, self.allowed, is_allowed)

    @classmethod
    def from_directory(cls, directory: str, names: tuple[str, str, str]) -> "ThulacDecoder":
        weights = read_weights(os.path.join(directory, names[0]))
        dat = read_trie(os.path.join(directory, names[1]), "feature trie")
        lines = read_labels(os.path.join(directory, names[2]), weights.n_labels)
        return cls(weights.transitions, weights.features, dat, lines)

    def labels(self, cps: np.ndarray, starts: np.ndarray, ends: np.ndarray,
               pocs: np.ndarray) -> np.ndarray:
        return self.tables.decode(cps, starts, ends, pocs)


def _may_follow(a: str, b: str) -> bool:
    pa, pb = int(a[0]), int(b[0])
    if a[1:] == b[1:]:
        return (pa, pb) in {(0, 1), (0, 2), (1, 1), (1, 2), (2, 0), (2, 3), (3, 0), (3, 3)}
    return pa in (2, 3) and pb in (0, 3)


@dataclass
class _Batch:
    """Sentences (THULAC's pieces of lines) cleaned and laid end to end."""

    cps: np.ndarray  # int32 code points of the kept characters
    pocs: np.ndarray  # uint8 constraints
    starts: np.ndarray  # int64 sentence bounds in cps
    ends: np.ndarray
    origin: np.ndarray  # int64 offset in the joined input texts of each kept character
    sentence_end: np.ndarray  # int64 offset in the joined texts where each sentence ends


class ThulacEngine:
    """The models and dictionaries of a THULAC models directory (memory-mapped)."""

    def __init__(self, segmenter: ThulacDecoder | None, tagger: ThulacDecoder | None,
                 places: np.ndarray, idioms: np.ndarray, punctuation: np.ndarray,
                 t2s: np.ndarray, path: str):
        if segmenter is None and tagger is None:
            raise ModelFormatError(f"{path}: has no THULAC model")
        self.segmenter, self.tagger, self.joint = segmenter, tagger, tagger is not None
        self.places, self.idioms, self.punctuation = places, idioms, punctuation
        self.t2s = t2s  # (2, n): Traditional code points, then their Simplified ones
        order = np.argsort(t2s[0], kind="stable")
        self.t2s_from, self.t2s_to = t2s[0][order], t2s[1][order]
        self.path = path  # what Analyzer(...) takes back, when pickled
        tags = list(dict.fromkeys((tagger.tags if tagger else []) +
                                  (segmenter.tags if segmenter else [])))
        self.tags = tags + [t for t in ("ns", "i", "w", "uw") if t not in tags]
        self.tag_index = {t: i for i, t in enumerate(self.tags)}
        self.whitespace = self.tag_index["w"]
        # each decoder's labels' tags as indices into self.tags
        for d in (segmenter, tagger):
            if d is not None:
                d.tag_ids = np.array([self.tag_index[t] for t in d.tags], dtype=np.int32)

    @classmethod
    def from_directory(cls, directory: str | os.PathLike) -> "ThulacEngine":
        """The models and dictionaries of THULAC's models directory (thulac:DIR)."""
        directory = os.fspath(directory)
        if directory.startswith(PREFIX):
            directory = directory[len(PREFIX):]
        if not os.path.isdir(directory):
            raise ModelFormatError(f"{directory}: not a directory; thulac:DIR names THULAC's "
                                   "models directory (e.g. the thulac package's thulac/models)")
        have = set(os.listdir(directory))
        kinds = [names for names in (SEGMENTER, JOINT) if names[0] in have]
        if not kinds:
            raise ModelFormatError(f"{directory}: has neither {SEGMENTER[0]} nor {JOINT[0]}; "
                                   "not a THULAC models directory")
        for names in kinds + [DICTIONARIES]:
            missing = [n for n in names if n not in have]
            if missing:
                raise ModelFormatError(f"{os.path.join(directory, missing[0])}: missing; THULAC "
                                       f"needs it beside {names[0]}")

        def trie(name):
            return read_trie(os.path.join(directory, name))
        return cls(ThulacDecoder.from_directory(directory, SEGMENTER) if SEGMENTER in kinds
                   else None,
                   ThulacDecoder.from_directory(directory, JOINT) if JOINT in kinds else None,
                   trie("ns.dat"), trie("idiom.dat"), trie("singlepun.dat"),
                   read_t2s(os.path.join(directory, "t2s.dat")), PREFIX + directory)

    def __repr__(self) -> str:
        return f"ThulacEngine({self.path!r})"

    # ------------------------------------------------------------ the engine interface
    #: THULAC's models decode in THULAC's one standard
    standard = None

    def source(self) -> str:
        """What load_engine takes back to make this engine again (pickling)."""
        return self.path

    def describe(self) -> list[tuple[str, str]]:
        """(name, value) lines for `hanlex info`."""
        lines = [("engine", "thulac (analysed as THULAC's Python package does)"),
                 ("tags", " ".join(t for t in self.tags if t))]
        for name in ("segmenter", "tagger"):
            d = getattr(self, name)
            if d is not None:
                lines += [(f"{name} labels", str(len(d.lines))),
                          (f"{name} features", str(d.weights.shape[0]))]
        return lines

    def gives_tags(self, tagging: bool) -> bool:
        return tagging and self.joint

    def user_tags(self, user):
        """THULAC tags every user word "uw", whatever tag it was given."""
        return user

    def user_tag(self, word: str, tag: str | None) -> str | None:
        return tag

    def one_text_cut(self, traditional: bool) -> None:
        """No compiled one-text path: every call takes the pipeline."""
        return None

    def prepare_traditional(self) -> None:
        """THULAC reads Traditional text through its own t2s.dat."""

    def sub_words(self, cps, starts, ends, user, traditional):
        raise ConfigError("search mode finds sub-words in a hanlex model's word list, and "
                          "a THULAC model has none; convert it, or use the default mode")

    def analyse(self, texts: Sequence[str], tagging: bool, user, traditional: bool,
                exact: bool = False) -> tuple[str, np.ndarray, dict]:
        """The joined texts, hanlex's labels for them and no forced tags (THULAC
        tags user words itself; its decode is always exact)."""
        words = UserWords(user.entries) if len(user) else None
        return "".join(texts), self.labels(texts, tagging, words, traditional), {}

    # ------------------------------------------------------------ pipeline
    def _batch(self, texts: Sequence[str], simplified: bool) -> _Batch:
        joined = "".join(texts)
        cps = codepoints(joined).astype(np.int32, copy=False)
        starts, ends = [], []
        base = 0
        for text in texts:  # THULAC analyses each line apart, and cuts a long one
            for line in text.split("\n"):
                if len(line) < MAX_LENGTH:
                    starts.append(base)
                    ends.append(base + len(line))
                else:
                    offset = base
                    for piece in _pieces(line):
                        starts.append(offset)
                        ends.append(offset + len(piece))
                        offset += len(piece)
                base += len(line) + 1
            base -= 1  # no newline after a text's last line
        starts_a, ends_a = np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)
        kept, pocs, origin, stops = clean_batch(cps, starts_a, ends_a, KINDS)
        if simplified and len(self.t2s_from):
            # the last entry of a repeated code point wins, as in the package's dict
            at = np.maximum(np.searchsorted(self.t2s_from, kept, side="right") - 1, 0)
            kept = np.where(self.t2s_from[at] == kept, self.t2s_to[at], kept).astype(np.int32)
        begins = np.concatenate(([0], stops[:-1])).astype(np.int64)
        nonempty = stops > begins
        return _Batch(kept, pocs, begins[nonempty], stops[nonempty].astype(np.int64), origin,
                      ends_a[nonempty])

    def words(self, texts: Sequence[str], tagging: bool, user_words=None,
              simplified: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """THULAC's words of the texts as (starts, ends, tag indices into self.tags),
        offsets in the joined texts; a newline is in no word, and the spaces THULAC
        drops belong to the word before them."""
        decoder = self.tagger if tagging else self.segmenter or self.tagger
        if decoder is None:
            raise ConfigError("this THULAC directory has no joint model (model_c_*), so it "
                              "cannot tag; use cut, or add the model files")
        b = self._batch(texts, simplified)
        labels = decoder.labels(b.cps, b.starts, b.ends, b.pocs)
        last = np.zeros(len(b.cps), dtype=bool)
        last[b.ends[b.ends > 0] - 1] = True
        pos = decoder.positions[labels]
        if decoder is self.tagger:  # the joint package reads words off E and S
            is_end = last | (pos >= 2)
        else:  # the segmenting package reads them off B and S
            starts = pos % 3 == 0
            starts[b.starts[b.starts < len(starts)]] = True
            is_end = np.zeros(len(b.cps), dtype=bool)
            is_end[np.flatnonzero(starts)[1:] - 1] = True
            is_end |= last
        ends = np.flatnonzero(is_end).astype(np.int64) + 1
        tag_index = self.tag_index
        tags = decoder.tag_ids[labels[ends - 1]]
        firsts = np.searchsorted(ends, b.starts, side="right").astype(np.int64)
        firsts = np.append(firsts, len(ends))
        if user_words is not None:
            ends, firsts, tags = user_words.merge(b.cps, ends, firsts, tags, tag_index["uw"])
        for dat, tag, single in ((self.places, "ns", -1), (self.idioms, "i", -1),
                                 (self.punctuation, "w", tag_index["w"])):
            ends, firsts, tags = merge_words(b.cps, ends, firsts, tags, dat, tag_index[tag],
                                             single)
        # back to the texts as given: a word starts at its first kept character and
        # runs to where the next one was, or to its sentence's end
        if not len(ends):
            return np.zeros(0, np.int64), np.zeros(0, np.int64), tags
        begins = np.concatenate(([0], ends[:-1]))
        sentence = np.searchsorted(b.ends, ends, side="left")
        at_end = ends == b.ends[sentence]
        out = np.where(at_end, b.sentence_end[sentence],
                       b.origin[np.minimum(ends, len(b.cps) - 1)])
        return b.origin[begins], out.astype(np.int64), tags

    def labels(self, texts: Sequence[str], tagging: bool, user_words=None,
               simplified: bool = False) -> np.ndarray:
        """hanlex's character labels (position | tag << 2) for the joined texts;
        characters outside THULAC's words (newlines) are single whitespace words."""
        starts, ends, tags = self.words(texts, tagging, user_words, simplified)
        total = sum(len(t) for t in texts)
        labels = np.full(total, 3 | self.whitespace << 2, dtype=np.int32)  # S
        lengths = ends - starts
        where = np.repeat(starts, lengths) + (np.arange(lengths.sum()) -
                                              np.repeat(np.cumsum(lengths) - lengths, lengths))
        labels[where] = np.repeat(tags << 2, lengths) | 1  # M
        labels[starts] = (tags << 2) | 0  # B
        labels[ends - 1] = (tags << 2) | np.where(lengths == 1, 3, 2)  # E, or S
        return labels


def _pieces(line: str) -> list[str]:
    """A line of MAX_LENGTH characters or more, cut as the package cuts it:
    whole sentences gathered while they stay under MAX_LENGTH."""
    found = _SENTENCE.findall(line)
    pieces, count, total, last = [], 0, 0, 0
    for i, sentence in enumerate(found):
        if count + len(sentence) >= MAX_LENGTH:
            pieces.append("".join(found[last:i]))
            last, count = i, len(sentence)
        else:
            count += len(sentence)
        total += len(sentence)
    if len(line) - total + count >= MAX_LENGTH:
        pieces.append("".join(found[last:]))
        pieces.append(line[total:])
    else:
        pieces.append(line[total - count:])
    return pieces


class UserWords:
    """The user's words as THULAC uses them: after decoding, the longest run of
    words that spells one becomes one word tagged "uw" (the package's first
    dictionary pass, built from a word list instead of a trie file)."""

    def __init__(self, words):
        self.words = frozenset(w for w in words if w)
        self.prefixes = frozenset(w[:k] for w in self.words for k in range(1, len(w) + 1))

    def __len__(self) -> int:
        return len(self.words)

    def merge(self, cps: np.ndarray, ends: np.ndarray, firsts: np.ndarray, tags: np.ndarray,
              tag: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        text = cps.tobytes().decode("utf-32-le", errors="surrogatepass")
        out_ends, out_tags, out_firsts = [], [], []
        for s in range(len(firsts) - 1):
            out_firsts.append(len(out_ends))
            i, last = int(firsts[s]), int(firsts[s + 1])
            while i < last:
                start = int(ends[i - 1]) if i else 0
                run, best = text[start:ends[i]], -1
                if run in self.prefixes:
                    for j in range(i + 1, last):
                        run = text[start:ends[j]]
                        if run not in self.prefixes:
                            break
                        if run in self.words:
                            best = j
                if best >= 0:
                    out_ends.append(ends[best])
                    out_tags.append(tag)
                    i = best + 1
                else:
                    out_ends.append(ends[i])
                    out_tags.append(tags[i])
                    i += 1
        out_firsts.append(len(out_ends))
        return (np.array(out_ends, dtype=np.int64), np.array(out_firsts, dtype=np.int64),
                np.array(out_tags, dtype=np.int32))
