import numpy as np

from .hashindex import HashIndex
from .regrouped import RegroupedTable

def decode_batch_bmes(text: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                      posmask: np.ndarray, table: RegroupedTable, lexicon: HashIndex | None,
                      lex_max: int, trans: np.ndarray, allowed: np.ndarray,
                      stats: HashIndex | None = None) -> np.ndarray: ...
