"""The feature templates: what a model looks at around each character.

This list is the specification. The compiled extractor
(`_core/features.pyx: feature_keys`) computes template t's key as
`fkey(t, ...)` over the arguments named here, the regrouped tables
(`_core/regrouped.pyx`) read the same features back from their keys, and the
pure-Python specification in tests/reference.py spells each one out; the tests
require all of them to give the same keys and rows, template by template.
"""
from __future__ import annotations

from .._core.constants import BOS, EOS, LEX_CAP, N_TEMPLATES, PAD, STAT_BUCKETS

DEFAULT_LEX_MAX = 8  # longest lexicon word looked up while decoding

#: id -> what the template looks at (c = normalised char, k = class,
#: Lb/Le/Lm = longest lexicon word beginning at / ending at / covering c0,
#: capped at LEX_CAP).
TEMPLATES = (
    "bias", "c-2", "c-1", "c0", "c+1", "c+2",
    "c-2 c-1", "c-1 c0", "c0 c+1", "c+1 c+2", "c-1 c+1",
    "c-1 c0 c+1",
    "k0", "k-1 k0 k+1", "k-2..k+2",
    "repeat(c-1=c0, c0=c+1, c-1=c+1)",
    "Lb", "Le", "Lm", "Lb Le Lm", "Lb c0", "Le c0",
    # raw-text statistics (only in models trained with them): association
    # bucket of the bigrams (c-1, c0) and (c0, c+1) in raw text
    "S(c-1 c0)", "S(c0 c+1)", "S(c-1 c0) S(c0 c+1)",
)
assert len(TEMPLATES) == N_TEMPLATES

#: templates whose joint (POS) weights the decoder sums first and caches per
#: tuple of rows: they take few distinct values (_core/decode.pyx); the
#: raw-statistics templates (group S) have a cache of their own
GROUP_A = (0, 12, 13, 14, 15, 16, 17, 18, 19)
GROUP_S = (22, 23, 24)
GROUP_B = tuple(t for t in range(N_TEMPLATES) if t not in GROUP_A + GROUP_S)

__all__ = ["TEMPLATES", "GROUP_A", "GROUP_S", "GROUP_B", "DEFAULT_LEX_MAX", "N_TEMPLATES", "BOS", "EOS",
           "PAD", "LEX_CAP", "STAT_BUCKETS"]
