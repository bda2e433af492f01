import numpy as np

from .hashindex import HashIndex
from .regrouped import RegroupedTable

class SegmenterCut:
    def __init__(self, table: RegroupedTable, lexicon: HashIndex, lex_max: int,
                 trans: np.ndarray, allowed: np.ndarray, stats: HashIndex | None,
                 may_start: np.ndarray, marks: np.ndarray, match: object,
                 closed_kinds: frozenset[str], max_segment: int) -> None: ...
    def cut(self, text: str) -> list[str] | None: ...
