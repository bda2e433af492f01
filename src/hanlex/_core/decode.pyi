import numpy as np

from .hashindex import HashIndex, LabelCandidates
from .regrouped import RegroupedTable

TEMPLATE_GROUPS: tuple[tuple[int, ...], tuple[int, ...]]

class Weights:
    W: np.ndarray
    jptr: np.ndarray
    jlab: np.ndarray
    jw: np.ndarray
    trans: np.ndarray
    allowed: np.ndarray
    L: int
    joint: bool
    def __init__(self, W: np.ndarray, jptr: np.ndarray | None, jlab: np.ndarray | None,
                 jw: np.ndarray | None, trans: np.ndarray, allowed: np.ndarray) -> None: ...

class GroupCache:
    L: int
    size: int
    def __init__(self, L: int) -> None: ...

def viterbi_rows(raw: np.ndarray, rows: np.ndarray, weights: Weights,
                 cands: LabelCandidates | None, posmask: np.ndarray,
                 offset: np.ndarray | None = None) -> np.ndarray: ...
def decode_batch(text: np.ndarray, starts: np.ndarray, ends: np.ndarray, posmask: np.ndarray,
                 features: HashIndex | None, lexicon: HashIndex | None, lex_max: int,
                 weights: Weights, cands: LabelCandidates | None, stats: HashIndex | None = None,
                 cache: GroupCache | None = None, rows: RegroupedTable | None = None
                 ) -> np.ndarray: ...
