"""Turns a Model into ready-to-run compiled lookup tables and decodes with them."""
from __future__ import annotations

import numpy as np

from . import _core
from .features import N_TEMPLATES
from .lexicon import lexicon_index
from .model import Model

assert _core.N_TEMPLATES_C == N_TEMPLATES, "compiled core and features.py disagree"


class Decoder:
    """Read-only after construction, so one Decoder serves many threads."""

    def __init__(self, model: Model):
        self.model = model
        self.features = _core.HashIndex(np.ascontiguousarray(model.feature_keys, dtype=np.uint64))
        self.lexicon = lexicon_index(model.lexicon_keys, model.lexicon_flags)
        self.weights = np.ascontiguousarray(model.weights, dtype=np.float32)
        self.transitions = np.ascontiguousarray(model.transitions, dtype=np.float32)
        self.allowed = model.labels.allowed()

    def decode(self, cps: np.ndarray, starts: np.ndarray, ends: np.ndarray,
               mask: np.ndarray) -> np.ndarray:
        """Labels for every character of `cps`; segments given by starts/ends."""
        return _core.decode_batch(cps, starts, ends, mask, self.features, self.lexicon,
                                  self.model.lex_max, self.weights, self.transitions,
                                  self.allowed)
