"""The feature templates: what a model looks at around each character.

The template ids are the compiled enum's (`_core/templates.pxd`); this module
says what each one looks at. The compiled extractor (`_core/features.pyx:
feature_keys`) computes template t's key as `fkey(t, ...)` over those values, the regrouped tables
(`decoding/_regrouped.pyx`) read the same features back from their keys, and the
pure-Python specification in tests/reference.py spells each one out; the tests
require all of them to give the same keys and rows, template by template.
"""
from __future__ import annotations

from .._core.constants import BOS, EOS, LEX_CAP, N_TEMPLATES, PAD, STAT_BUCKETS
from .._core.templates import GROUP_A, GROUP_B, GROUP_S, Template

DEFAULT_LEX_MAX = 8  # longest lexicon word looked up while decoding

#: what each template looks at (c = normalised char, k = class, Lb/Le/Lm =
#: longest lexicon word beginning at / ending at / covering c0, capped at
#: LEX_CAP); the ids are the compiled enum's (_core/templates.pxd)
DESCRIPTIONS = {
    Template.T_BIAS: "bias", Template.T_C_M2: "c-2", Template.T_C_M1: "c-1",
    Template.T_C0: "c0", Template.T_C_P1: "c+1", Template.T_C_P2: "c+2",
    Template.T_PAIR_M2: "c-2 c-1", Template.T_PAIR_M1: "c-1 c0", Template.T_PAIR_0: "c0 c+1",
    Template.T_PAIR_P1: "c+1 c+2", Template.T_SKIP: "c-1 c+1", Template.T_TRIGRAM: "c-1 c0 c+1",
    Template.T_CLASS: "k0", Template.T_CLASS_TRIGRAM: "k-1 k0 k+1",
    Template.T_CLASS_WINDOW: "k-2..k+2", Template.T_REPEAT: "repeat(c-1=c0, c0=c+1, c-1=c+1)",
    Template.T_LEX_BEGIN: "Lb", Template.T_LEX_END: "Le", Template.T_LEX_MID: "Lm",
    Template.T_LEX_ALL: "Lb Le Lm", Template.T_LEX_BEGIN_C0: "Lb c0",
    Template.T_LEX_END_C0: "Le c0",
    # raw-text statistics (only in models trained with them): association
    # bucket of the bigrams (c-1, c0) and (c0, c+1) in raw text
    Template.T_STAT_LEFT: "S(c-1 c0)", Template.T_STAT_RIGHT: "S(c0 c+1)",
    Template.T_STAT_BOTH: "S(c-1 c0) S(c0 c+1)",
}
#: template id -> what it looks at
TEMPLATES = tuple(DESCRIPTIONS[t] for t in Template)

__all__ = ["TEMPLATES", "DESCRIPTIONS", "Template", "GROUP_A", "GROUP_S", "GROUP_B",
           "DEFAULT_LEX_MAX", "N_TEMPLATES", "BOS", "EOS", "PAD", "LEX_CAP", "STAT_BUCKETS"]
