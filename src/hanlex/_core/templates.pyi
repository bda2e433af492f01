import enum

class Template(enum.IntEnum):
    T_BIAS = 0
    T_C_M2 = 1
    T_C_M1 = 2
    T_C0 = 3
    T_C_P1 = 4
    T_C_P2 = 5
    T_PAIR_M2 = 6
    T_PAIR_M1 = 7
    T_PAIR_0 = 8
    T_PAIR_P1 = 9
    T_SKIP = 10
    T_TRIGRAM = 11
    T_CLASS = 12
    T_CLASS_TRIGRAM = 13
    T_CLASS_WINDOW = 14
    T_REPEAT = 15
    T_LEX_BEGIN = 16
    T_LEX_END = 17
    T_LEX_MID = 18
    T_LEX_ALL = 19
    T_LEX_BEGIN_C0 = 20
    T_LEX_END_C0 = 21
    T_STAT_LEFT = 22
    T_STAT_RIGHT = 23
    T_STAT_BOTH = 24

GROUP_A: tuple[int, ...]
GROUP_S: tuple[int, ...]
GROUP_B: tuple[int, ...]
