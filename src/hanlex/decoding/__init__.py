"""Decoding with a hanlex model, Python and compiled parts side by side.

Python: `tables` turns a Model into a CompiledModel; `engine` is the
HanlexEngine the Analyzer runs (pre-tokenisation, user words, decoding,
whitespace).

Compiled, in data-path order: `_regrouped` (a model's feature rows regrouped by
template for few cache misses), `_decode` (candidate labels, emission scores and
Viterbi for any model over a ModelView), `_decode_bmes` (the same for
segmentation-only models, from a half-precision regrouped table), `_compiled`
(CompiledModel, which owns every table a decode reads and decodes a batch, one
text, or training's rows), `_words` (words out of labels, search-mode sub-words,
user-dictionary matches).
"""
