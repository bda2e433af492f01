# cython: language_level=3
"""The feature templates' ids: the one list every compiled module and Python read.

templates.pyx hands them to Python as the IntEnum `Template`
(`hanlex.model.templates` describes each one from it). Template t's key is
`fkey(t, ...)` (hashing.pxd) over the values its name says: c = normalised
character at an offset (M2 = -2, P1 = +1), k = character class, LEX = longest
lexicon word beginning at / ending at / covering the character, STAT =
raw-text association bucket of a bigram.
"""

cdef enum:  # plain ints: they index rows of keys
    T_BIAS = 0
    T_C_M2 = 1           # c-2
    T_C_M1 = 2           # c-1
    T_C0 = 3             # c0
    T_C_P1 = 4           # c+1
    T_C_P2 = 5           # c+2
    T_PAIR_M2 = 6        # c-2 c-1
    T_PAIR_M1 = 7        # c-1 c0
    T_PAIR_0 = 8         # c0 c+1
    T_PAIR_P1 = 9        # c+1 c+2
    T_SKIP = 10          # c-1 c+1
    T_TRIGRAM = 11       # c-1 c0 c+1
    T_CLASS = 12         # k0
    T_CLASS_TRIGRAM = 13  # k-1 k0 k+1
    T_CLASS_WINDOW = 14  # k-2 .. k+2
    T_REPEAT = 15        # c-1 = c0, c0 = c+1, c-1 = c+1
    T_LEX_BEGIN = 16     # Lb
    T_LEX_END = 17       # Le
    T_LEX_MID = 18       # Lm
    T_LEX_ALL = 19       # Lb Le Lm
    T_LEX_BEGIN_C0 = 20  # Lb c0
    T_LEX_END_C0 = 21    # Le c0
    T_STAT_LEFT = 22     # S(c-1 c0)
    T_STAT_RIGHT = 23    # S(c0 c+1)
    T_STAT_BOTH = 24     # S(c-1 c0) S(c0 c+1)

cdef enum:
    N_TEMPLATES = T_STAT_BOTH + 1
    # the joint decoder's template groups (decode.pyx): group A's sums are cached
    # per tuple of rows (few distinct values), group S's apart, group B's added one by one
    N_GROUP_A = 9
    N_GROUP_S = 3
    N_GROUP_B = 13
