"""Text before the model sees it: normalisation, pre-tokenisation, Traditional input.

text -> `pretokenize.plan` (segments to decode, spans kept whole, a position
mask) -> features read `normalize`d characters.
"""
