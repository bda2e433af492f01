"""Turns a Model into ready-to-run compiled lookup tables and decodes with them."""
from __future__ import annotations

import numpy as np

from . import _core
from .features import N_TEMPLATES
from .lexicon import lexicon_index
from .model import Model, ModelFormatError

assert _core.N_TEMPLATES_C == N_TEMPLATES, "compiled core and features.py disagree"


class Decoder:
    """Read-only after construction, so one Decoder serves many threads."""

    def __init__(self, model: Model):
        self.model = model
        try:
            self.features = _core.HashIndex(np.ascontiguousarray(model.feature_keys, dtype=np.uint64))
            self.lexicon = lexicon_index(model.lexicon_keys, model.lexicon_flags)
            self.stats = (_core.HashIndex(np.ascontiguousarray(model.stats_keys, dtype=np.uint64),
                                          np.ascontiguousarray(model.stats_values, dtype=np.int32))
                          if len(model.stats_keys) else None)
        except ValueError as e:  # duplicate or zero keys: the file was damaged
            raise ModelFormatError(f"{model.path or 'model'} is corrupt ({e})") from None
        self.allowed = model.labels.allowed()
        self.weights = _core.Weights(
            np.ascontiguousarray(model.weights, dtype=np.float32),
            np.ascontiguousarray(model.joint_indptr, dtype=np.int64),
            np.ascontiguousarray(model.joint_labels, dtype=np.uint8),
            np.ascontiguousarray(model.joint_weights, dtype=np.float32),
            np.ascontiguousarray(model.transitions, dtype=np.float32), self.allowed)
        self.candidates = (_core.LabelCandidates(
            np.ascontiguousarray(model.cand_keys, dtype=np.uint64),
            np.ascontiguousarray(model.cand_masks, dtype=np.uint64),
            np.ascontiguousarray(model.class_masks, dtype=np.uint64))
            if len(model.cand_keys) else None)
        # segmentation-only models take the specialised path (same labels, faster)
        self.seg_table = None
        if not self.weights.joint and self.weights.L == 4 and self.candidates is None:
            self.seg_table = _core.SegTable(
                np.ascontiguousarray(model.feature_keys, dtype=np.uint64),
                np.ascontiguousarray(model.weights, dtype=np.float32))

    def decode(self, cps: np.ndarray, starts: np.ndarray, ends: np.ndarray,
               mask: np.ndarray) -> np.ndarray:
        """Labels for every character of `cps`; segments given by starts/ends."""
        if self.seg_table is not None:
            return _core.decode_batch_seg(cps, starts, ends, mask, self.seg_table, self.lexicon,
                                          self.model.lex_max, self.weights.trans,
                                          self.weights.allowed, self.stats)
        return self.decode_generic(cps, starts, ends, mask)

    def decode_generic(self, cps: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                       mask: np.ndarray) -> np.ndarray:
        """The path every model can take (the specialised one must agree with it)."""
        return _core.decode_batch(cps, starts, ends, mask, self.features, self.lexicon,
                                  self.model.lex_max, self.weights, self.candidates, self.stats)
