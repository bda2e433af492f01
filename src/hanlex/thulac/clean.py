"""THULAC's preprocessing tables: which characters constrain the labels around them.

THULAC (its Python package, 0.2.2) drops every space after the first of a run,
and gives each kept character a constraint, a 4-bit set of the positions it may
take (1 B, 2 M, 4 E, 8 S): a space is a word of its own; punctuation and a set
of particles start a word; a title in 《》 of at most 10 ordinary characters is
one word. The compiled clean (_decode.pyx) applies the package's rules in
its order, with its quirks (the title's positions are counted without the
spaces inside it, and a character after punctuation may start a word but the
punctuation must end one); tests/thulac_engine/reference_clean.py is their
pure-Python reference.
"""
from __future__ import annotations

import numpy as np

# The code points THULAC treats as symbols: ASCII and CJK punctuation, and
# particles and function characters (的 了 吧 呢 ...) that it keeps apart.
OTHER = frozenset((
    65292, 12290, 65311, 65281, 65306, 65307, 8216, 8217, 8220, 8221, 12304, 12305, 12289, 12298,
    12299, 126, 183, 64, 124, 35, 65509, 37, 8230, 38, 42, 65288, 65289, 8212, 45, 43, 61, 44, 46,
    60, 62, 63, 47, 33, 59, 58, 39, 34, 123, 125, 91, 93, 92, 36, 94, 40, 41, 95, 9700, 9734, 9733,
    32, 12288, 21543, 32610, 21591, 21877, 30340, 20215, 23478, 21862, 26469, 21819, 20102, 22046,
    21737, 21671, 21679, 21872, 21949, 21527, 22043, 22172, 20040, 21738, 21602, 21584, 21542,
    21621, 21704, 19981, 20846, 33324, 21017, 36830, 32599, 32473, 22139, 21705, 38463, 21834,
    21571, 27448, 21703, 21568, 20063, 32822, 21727, 27428, 21589, 22114, 21606, 22050))
# Symbols that are always a word of their own.
SINGLE = frozenset((
    65292, 12290, 65311, 65281, 65306, 65307, 8216, 8217, 8220, 8221, 1230, 12304, 12305, 12289,
    12298, 12299, 64, 35, 65288, 65289, 34, 91, 93, 126, 47, 44, 58, 63, 9700, 9734, 9733, 8230, 39,
    33, 42, 43, 62, 40, 41, 59, 61, 32, 12288))
# Modal particles (么 呢 吧 啊 嘛), which start a word even after symbols.
MODAL = frozenset((20040, 21602, 21543, 21834, 21734))

SPACES = (32, 12288)
# The sets as a table by code point for the compiled clean (_decode.pyx),
# bit 1 OTHER, 2 SINGLE, 4 MODAL.
KINDS = np.zeros(max(OTHER | SINGLE | MODAL) + 1, dtype=np.uint8)
KINDS[list(OTHER)] |= 1
KINDS[list(SINGLE)] |= 2
KINDS[list(MODAL)] |= 4
TITLE_OPEN, TITLE_CLOSE = 12298, 12299  # 《 》
B, M, E, S = 1, 2, 4, 8
ANY = B | M | E | S
