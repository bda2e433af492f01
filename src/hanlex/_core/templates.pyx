# cython: language_level=3
"""The feature templates' ids for Python (`Template`, from templates.pxd) and the
joint decoder's template groups."""

import enum

Template = enum.IntEnum("Template", [
    ("T_BIAS", T_BIAS),
    ("T_C_M2", T_C_M2),
    ("T_C_M1", T_C_M1),
    ("T_C0", T_C0),
    ("T_C_P1", T_C_P1),
    ("T_C_P2", T_C_P2),
    ("T_PAIR_M2", T_PAIR_M2),
    ("T_PAIR_M1", T_PAIR_M1),
    ("T_PAIR_0", T_PAIR_0),
    ("T_PAIR_P1", T_PAIR_P1),
    ("T_SKIP", T_SKIP),
    ("T_TRIGRAM", T_TRIGRAM),
    ("T_CLASS", T_CLASS),
    ("T_CLASS_TRIGRAM", T_CLASS_TRIGRAM),
    ("T_CLASS_WINDOW", T_CLASS_WINDOW),
    ("T_REPEAT", T_REPEAT),
    ("T_LEX_BEGIN", T_LEX_BEGIN),
    ("T_LEX_END", T_LEX_END),
    ("T_LEX_MID", T_LEX_MID),
    ("T_LEX_ALL", T_LEX_ALL),
    ("T_LEX_BEGIN_C0", T_LEX_BEGIN_C0),
    ("T_LEX_END_C0", T_LEX_END_C0),
    ("T_STAT_LEFT", T_STAT_LEFT),
    ("T_STAT_RIGHT", T_STAT_RIGHT),
    ("T_STAT_BOTH", T_STAT_BOTH),
])

GROUP_A = (T_BIAS, T_CLASS, T_CLASS_TRIGRAM, T_CLASS_WINDOW, T_REPEAT, T_LEX_BEGIN, T_LEX_END,
           T_LEX_MID, T_LEX_ALL)
GROUP_S = (T_STAT_LEFT, T_STAT_RIGHT, T_STAT_BOTH)
GROUP_B = tuple(t for t in range(N_TEMPLATES) if t not in GROUP_A + GROUP_S)
assert (len(GROUP_A), len(GROUP_S), len(GROUP_B)) == (N_GROUP_A, N_GROUP_S, N_GROUP_B)
