"""Turns a Model into ready-to-run compiled lookup tables and decodes with them."""
from __future__ import annotations

import threading

import numpy as np

from .._core.cut import SegmenterCut
from .._core.decode import GroupCache, Weights, decode_batch
from .._core.decode_bmes import decode_batch_bmes
from .._core.hashindex import HashIndex, LabelCandidates
from .._core.regrouped import RegroupedTable, float32_of_half, row_table_weights
from ..errors import ModelFormatError
from ..lexicon.compiled import lexicon_index
from ..text.pretokenize import scanner
from .model import Model


class Decoder:
    """Read-only after construction (tables built later are built once, under a
    lock), so one Decoder serves many threads."""

    def __init__(self, model: Model):
        self.model = model
        self._lock = threading.Lock()
        self._caches: list = []  # free GroupCaches of the joint path
        self._features: HashIndex | None = None
        self._cut: SegmenterCut | None = None
        self.allowed = model.labels.allowed()
        self.split_spans = frozenset(model.split_spans)  # span kinds the model's standard splits
        self.transitions = np.ascontiguousarray(model.transitions, dtype=np.float32)
        try:
            self.lexicon = lexicon_index(model.lexicon_keys, model.lexicon_flags)
            self.stats = (HashIndex(np.ascontiguousarray(model.stats_keys, dtype=np.uint64),
                                    np.ascontiguousarray(model.stats_values, dtype=np.int32))
                          if len(model.stats_keys) else None)
            self._keys = _checked_keys(model.feature_keys)
            # segmentation-only models take the specialised path (same labels,
            # faster); the generic tables are then built only if asked for
            self.bmes_table = None
            if not model.joint and not len(model.joint_labels) and not len(model.cand_keys):
                self.bmes_table = RegroupedTable(
                    self._keys, float32_of_half(model.weights),
                    stats=self.stats is not None, half=True)
                self._generic = None
            else:
                self._generic = self._generic_tables()
        except ValueError as e:  # duplicate or zero keys, shapes that do not fit: damaged file
            raise ModelFormatError(f"{model.path or 'model'} is corrupt ({e})") from None
        model.release_pages()  # the tables hold what decoding reads

    def _generic_tables(self):
        m = self.model
        weights = Weights(
            float32_of_half(m.weights),
            np.ascontiguousarray(m.joint_indptr, dtype=np.int64),
            np.ascontiguousarray(m.joint_labels, dtype=np.uint8),
            float32_of_half(m.joint_weights),
            self.transitions, self.allowed)
        candidates = (LabelCandidates(
            np.ascontiguousarray(m.cand_keys, dtype=np.uint64),
            np.ascontiguousarray(m.cand_masks, dtype=np.uint64),
            np.ascontiguousarray(m.class_masks, dtype=np.uint64))
            if len(m.cand_keys) else None)
        # joint decoding reads feature rows from a regrouped table (fewer
        # hashed lookups); it gives exactly `features`' rows
        rows = (RegroupedTable(self._keys, row_table_weights(len(self._keys)),
                               stats=self.stats is not None)
                if weights.joint else None)
        return weights, candidates, rows

    @property
    def features(self) -> HashIndex:
        """Feature key -> row, as a hash index: built on first use, since the
        decoders read the regrouped tables instead (training and tests use it)."""
        if self._features is None:
            with self._lock:
                if self._features is None:
                    self._features = HashIndex(self._keys)
        return self._features

    @property
    def weights(self) -> Weights:
        return self.generic()[0]

    @property
    def candidates(self) -> "LabelCandidates | None":
        return self.generic()[1]

    @property
    def row_table(self) -> "RegroupedTable | None":
        return self.generic()[2]

    def generic(self):
        """(weights, label candidates, row table) of the generic path."""
        if self._generic is None:
            with self._lock:
                if self._generic is None:
                    self._generic = self._generic_tables()
        return self._generic

    def one_text_cut(self) -> "SegmenterCut | None":
        """The compiled one-text path of cut() (_core/cut.pyx), for a
        segmentation-only model; built on first use."""
        if self.bmes_table is None:
            return None
        if self._cut is None:
            with self._lock:
                if self._cut is None:
                    self._cut = SegmenterCut(
                        self.bmes_table, self.lexicon, self.model.lex_max, self.transitions,
                        self.allowed, self.stats, *scanner(self.split_spans))
        return self._cut

    def decode(self, cps: np.ndarray, starts: np.ndarray, ends: np.ndarray,
               mask: np.ndarray) -> np.ndarray:
        """Labels for every character of `cps`; segments given by starts/ends."""
        if self.bmes_table is not None:
            return decode_batch_bmes(cps, starts, ends, mask, self.bmes_table, self.lexicon,
                                          self.model.lex_max, self.transitions, self.allowed,
                                          self.stats)
        return self.decode_generic(cps, starts, ends, mask)

    def decode_generic(self, cps: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                       mask: np.ndarray) -> np.ndarray:
        """The path every model can take (the specialised one must agree with it)."""
        weights, candidates, rows = self.generic()
        if not weights.joint:
            return decode_batch(cps, starts, ends, mask, self.features, self.lexicon,
                                      self.model.lex_max, weights, candidates, self.stats)
        # a joint model's group-A sums carry over between calls; each call
        # borrows a cache of its own (list pop/append are atomic)
        try:
            cache = self._caches.pop()
        except IndexError:
            cache = GroupCache(weights.L)
        try:
            return decode_batch(cps, starts, ends, mask, None, self.lexicon,
                                      self.model.lex_max, weights, candidates, self.stats, cache,
                                      rows)
        finally:
            self._caches.append(cache)


def _checked_keys(keys: np.ndarray) -> np.ndarray:
    """The feature keys as contiguous uint64, refused if a damaged file left a
    zero or duplicate key: the regrouped tables store most keys in rows, not
    hash slots, so they cannot notice that themselves (saved keys are sorted,
    so the check is one comparison pass)."""
    keys = np.ascontiguousarray(keys, dtype=np.uint64)
    if len(keys) and not keys.all():
        raise ValueError("key 0 is reserved")
    if len(keys) > 1 and not (keys[1:] > keys[:-1]).all() and len(np.unique(keys)) != len(keys):
        raise ValueError("duplicate feature keys")
    return keys
