from typing_extensions import disjoint_base
import numpy as np

from ._decode import Weights
from .._core.hashindex import HashIndex, LabelCandidates
from ._regrouped import RegroupedTable
from ..pretokenize._scan import Scanner

@disjoint_base
class CompiledModel:
    weights: Weights
    lexicon: HashIndex | None
    stats: HashIndex | None
    features: HashIndex | None
    candidates: LabelCandidates | None
    table: RegroupedTable | None
    lex_max: int
    bmes: bool
    scanner: Scanner | None
    caches: list[object]
    @property
    def L(self) -> int: ...
    def __init__(self, weights: Weights, lexicon: HashIndex | None = None, lex_max: int = 0,
                 stats: HashIndex | None = None, candidates: LabelCandidates | None = None,
                 table: RegroupedTable | None = None, features: HashIndex | None = None,
                 scanner: Scanner | None = None) -> None: ...
    def decode(self, text: np.ndarray, starts: np.ndarray, ends: np.ndarray,
               posmask: np.ndarray, spaces: object = None, space_base: int = 0,
               pruned: np.ndarray | None = None) -> np.ndarray: ...
    def narrowed_masks(self, text: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                       posmask: np.ndarray, margin: float) -> np.ndarray: ...
    def cut(self, text: str) -> list[str] | None: ...
    def viterbi_rows(self, raw: np.ndarray, rows: np.ndarray, posmask: np.ndarray,
                     offset: np.ndarray | None = None) -> np.ndarray: ...
