"""The hanlex engine: a Model's text analysis as the Analyzer runs it.

Per batch: pre-tokenisation (the spans kept whole, whitespace runs, the
segments to decode), the user's words as constraints on the positions a
character may take, decoding by the model's CompiledModel (the embedded
segmenter's for segmentation when there is one), and the tags that closed
spans and user words carry.
"""
from __future__ import annotations

import bisect
import mmap
import threading
from typing import Sequence

from .._numpy import np
from ..lexicon.userdict import UserDict
from ..model.fileformat import ModelFile
from ..model.labels import word_ends
from ..model.model import Model
from ..model.retag import feature_keys, word_values
from ..model.standards import check_standard, in_standard, segmenter_in
from ..model.stored import Outline
from ..pretokenize.plan import CLOSED_TAGS, fast_plan, scanner
from ..text.normalize import codepoints
from ..text.traditional import table as traditional_table
from ..text.traditional import to_simplified
from ._compiled import CompiledModel
from ._words import sub_words
from .tables import compile_model, compile_ready


class HanlexEngine:
    """A hanlex Model and its compiled tables, each built on first use
    (thread-safe) and shared by the Analyzers that with_user_dict derives.

    Given a model file rather than a Model, the engine reads its header alone
    (stored.Outline) and the Model's arrays only when something needs them:
    `cut` from tables the file stores ready needs none, nor numpy."""

    def __init__(self, model: "Model | ModelFile", segmenter: bool = True,
                 standard: str | None = None, words: Sequence[str] = ()):
        # soft lexicon words (Analyzer(lexicon=)): kept to rebuild the engine when unpickled
        self.lexicon_words = tuple(words)
        if isinstance(model, ModelFile) and self.lexicon_words:
            model = Model.from_file(model)
        self._file = model if isinstance(model, ModelFile) else None
        if self.lexicon_words:
            model = model.with_words(list(self.lexicon_words))
        self._full = None if self._file is not None else model
        self.outline = (Outline.of_file(self._file) if self._file is not None
                        else Outline.of_model(model))
        outline = self.outline
        # a model of several standards decodes in one of them (model.standards)
        self.standard = standard or outline.default_standard or outline.standard
        check_standard(self.standard, [outline.standard, *sorted(outline.standards)])
        self.use_segmenter = segmenter and outline.segmenter
        self.split_spans = frozenset(outline.split_spans_in(self.standard))
        self.whitespace_base = _whitespace_base(outline.tags)
        # the Model in the standard: made when first needed (`model`); the joint model's
        # weights in the standard are merged when tagging first needs them (`tagging_model`)
        self._model: Model | None = None
        self._merge = bool(outline.standards) or self.standard != outline.standard
        self._needs_merge = self._merge and self.use_segmenter
        self._lock = threading.RLock()
        self._joint: CompiledModel | None = None
        self._seg: CompiledModel | None = None
        self.for_segmentation()  # a damaged model fails here, not at the first call

    # ------------------------------------------------------------ what it is
    @property
    def full(self) -> Model:
        """The Model with every standard (read from the file on first use)."""
        if self._full is None:
            with self._lock:
                if self._full is None:
                    self._full = Model.from_file(self._file)
        return self._full

    @property
    def model(self) -> Model:
        """The Model in the engine's standard (see tagging_model for its weights)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    full = self.full
                    self._model = (in_standard(full, self.standard, joint=not self.use_segmenter)
                                   if self._merge else full)
        return self._model

    @property
    def retagger(self):
        """The standard's own tagger of the joint model's words (model.retag), or None."""
        own = self.full.standards.get(self.standard) if self.outline.joint else None
        return own.retagger if own is not None else None

    @property
    def tags(self) -> tuple[str, ...]:
        return self.outline.tags_in(self.standard)

    @property
    def joint(self) -> bool:
        """Whether the model tags (has POS tags)."""
        return self.outline.joint

    @property
    def path(self) -> str | None:
        if self._file is not None:
            return self._file.source if isinstance(self._file.buf, mmap.mmap) else None
        return self.full.path

    def source(self) -> str | bytes:
        """What load_engine takes back to make this engine again (pickling)."""
        return self.path if self.path is not None else self.full.to_bytes()

    def describe(self) -> list[tuple[str, str]]:
        """(name, value) lines for `hanlex info`."""
        return self.full.describe()

    # ------------------------------------------------------------ tables
    def compiled(self, tagging: bool) -> CompiledModel:
        """The joint model's tables (tagging), else those of the embedded
        segmenter when the engine uses it. Tables the file stores ready for
        `cut` (model.stored.ReadyTables) are read in place, not built."""
        if tagging or not self.use_segmenter:
            if self._joint is None:
                with self._lock:
                    if self._joint is None:
                        self._joint = self._ready() if not self.outline.joint else None
                        if self._joint is None:
                            self._joint = compile_model(self.tagging_model(),
                                                        scanner(self.split_spans))
            return self._joint
        if self._seg is None:
            with self._lock:
                if self._seg is None:
                    self._seg = self._ready()
                    if self._seg is None:
                        seg = self.model.segmenter
                        if seg.standards:  # merged for compiling, not kept: the tables are
                            seg = segmenter_in(seg, self.standard)
                        self._seg = compile_model(seg, scanner(self.split_spans))
        return self._seg

    def _ready(self) -> CompiledModel | None:
        """The cutting model's tables as the file stores them for this standard,
        or None (none stored, or the model was changed since: Model.ready)."""
        if not self.use_segmenter and self.outline.segmenter:
            return None  # the joint model cuts: its tables are not the stored ones
        return compile_ready(self.outline.ready, self.standard, scanner(self.split_spans))

    def tagging_model(self) -> Model:
        """The joint model in the engine's standard, its weights merged (once)."""
        model = self.model
        if self._needs_merge:
            with self._lock:
                if self._needs_merge:
                    merged = in_standard(self.full, self.standard)
                    merged.segmenter = model.segmenter  # compiled already: its view is kept
                    self._model, self._needs_merge = merged, False
        return self._model

    @property
    def tag_margin(self) -> float | None:
        """How far below its best path a word position may score in the embedded
        segmenter and still be considered by tagging (the segmenter's meta
        "tag_margin", chosen on dev text: learn.recipes.choose_tag_margin), or
        None: tagging considers every position (no segmenter, segmenter=False,
        or a model without a margin)."""
        if not self.use_segmenter or not self.for_segmentation().bmes:
            return None  # narrowing needs the segmenter's half table (segments_only)
        seg = self.tagging_model().segmenter
        m = seg.meta.get("tag_margin") if seg is not None else None
        if isinstance(m, bool) or not isinstance(m, (int, float)) or not m >= 0:
            return None  # a file's meta is only advice: anything else means exact
        return float(m)

    def for_segmentation(self) -> CompiledModel:
        return self.compiled(tagging=False)

    def gives_tags(self, tagging: bool) -> bool:
        """Whether the model that analyses (for tagging or not) gives tags (an
        embedded segmenter never does: stored.Outline checks)."""
        return self.outline.joint if tagging or not self.use_segmenter else False

    def one_text_cut(self, traditional: bool):
        """The compiled one-text path of cut() where it applies (text read as
        written, a segmentation-only decoder), else None."""
        if traditional:
            return None
        compiled = self.for_segmentation()
        return compiled if compiled.bmes else None

    # ------------------------------------------------------------ user words
    def user_tags(self, user: UserDict) -> UserDict:
        """User words with their tags in the model's (UserDict.in_tags); a
        segmentation-only model has no tags to check them against."""
        return user.in_tags(self.tags) if self.joint else user

    def user_tag(self, word: str, tag: str | None) -> str | None:
        """add_word's tag in the model's tags (None, with a warning, if it has none)."""
        if tag is None or not self.joint:
            return tag
        return UserDict([(word, tag)]).in_tags(self.tags).entries[word]

    # ------------------------------------------------------------ analysis
    def analyse(self, texts: Sequence[str], tagging: bool, user: UserDict,
                traditional: bool, exact: bool = False) -> tuple[str, np.ndarray, dict]:
        """The joined texts, their labels (a token ends at each E or S) and
        the spans whose tag is forced (closed spans, user words with a tag).
        Tagging, the joint model considers only the word positions the
        segmenter scores within its tag_margin of its best path (where that
        leaves a path with the tag dictionary's labels), unless `exact` or the
        model has no margin."""
        compiled = self.compiled(tagging)
        joint = self.gives_tags(tagging)
        p = fast_plan(list(texts), self.split_spans)
        joined, mask = p.text, p.mask
        if not joined:
            return joined, np.zeros(0, dtype=np.int32), {}
        cps = codepoints(joined)
        forced = self._closed_tags(p.closed) if joint else {}
        if len(user):
            words = user.constrain(cps, mask)  # sorted, never overlapping
            if forced and words:  # a closed span inside a user word is part of it
                starts = [a for a, _ in words]
                forced = {(a, b): t for (a, b), t in forced.items()
                          if not _inside(words, starts, a, b)}
            if user.tagged:  # the user words' own tags
                entries = user.entries
                forced.update({(a, b): entries[joined[a:b]] for a, b in words
                               if entries.get(joined[a:b]) is not None})
        seg = np.asarray(p.segments, dtype=np.int64).reshape(-1, 2)
        if traditional:
            cps = to_simplified(cps)  # user words above matched the text as written
        starts, ends = np.ascontiguousarray(seg[:, 0]), np.ascontiguousarray(seg[:, 1])
        margin = self.tag_margin if tagging and joint and not exact else None
        pruned = (self.for_segmentation().narrowed_masks(cps, starts, ends, mask, margin)
                  if margin is not None else None)
        labels = compiled.decode(cps, starts, ends, mask, p.spaces,
                                 self.whitespace_base if joint else 0, pruned)
        retagger = self.retagger if joint else None
        if retagger is not None:
            labels = self._retagged(retagger, cps, labels, [len(t) for t in texts])
        return joined, labels, forced

    def _retagged(self, retagger, cps: np.ndarray, labels: np.ndarray, lengths: list[int]
                  ) -> np.ndarray:
        """The labels with each word's PKU tag replaced by its standard's own."""
        text_bounds = np.cumsum([0] + lengths).astype(np.int64)
        bounds = np.concatenate(([0], word_ends(labels, text_bounds)))  # of the words
        firsts = np.isin(bounds[:-1], text_bounds[:-1])
        values = word_values(cps, bounds, labels[bounds[1:] - 1] >> 2, firsts)
        own = retagger.predict(feature_keys(values, len(bounds) - 1))
        return (np.repeat(own, np.diff(bounds)) << 2 | (labels & 3)).astype(labels.dtype)

    def _closed_tags(self, closed: dict) -> dict:
        tags = self.tags
        return {span: CLOSED_TAGS[kind] for span, kind in closed.items()
                if CLOSED_TAGS[kind] in tags}

    def sub_words(self, cps: np.ndarray, starts: np.ndarray, ends: np.ndarray, user: UserDict,
                  traditional: bool) -> np.ndarray:
        """(word index, start, end) rows of the dictionary words inside the words
        [starts, ends) of 3+ characters: the segmenting model's lexicon and the
        user's words."""
        lexicon = self.for_segmentation().lexicon
        if traditional:  # the model's words are Simplified, the user's as written
            sub = sub_words(to_simplified(cps), starts, ends, lexicon)
            if len(user):
                sub = np.unique(np.concatenate((sub, sub_words(cps, starts, ends, user.index))),
                                axis=0)
            return sub
        return sub_words(cps, starts, ends, lexicon, user.index if len(user) else None)

    def prepare_traditional(self) -> None:
        """Fail now, not at the first call, if OpenCC's table is missing."""
        traditional_table()


def _whitespace_base(tags: Sequence[str]) -> int:
    """The label base of whitespace tokens: the tag of symbols and punctuation
    ("w" in the PKU tagset, PUNCT in UPOS) when the model has one."""
    for tag in ("w", "PUNCT"):
        if tag in tags:
            return 4 * list(tags).index(tag)
    return 0


def _inside(spans: list[tuple[int, int]], starts: list[int], a: int, b: int) -> bool:
    """Whether [a, b) lies within one of the sorted, disjoint `spans`."""
    k = bisect.bisect_right(starts, a) - 1
    return k >= 0 and b <= spans[k][1]
