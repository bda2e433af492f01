from typing_extensions import disjoint_base
import numpy as np

@disjoint_base
class RegroupedTable:
    size: int
    n_hashed: int
    n_pairs: int
    n_chars: int
    half: bool
    def __init__(self, keys: np.ndarray, W: np.ndarray, stats: bool = True,
                 half: bool = False) -> None: ...
    def __len__(self) -> int: ...
    @staticmethod
    def from_stored(hslots: np.ndarray, hpairs: np.ndarray, uni: np.ndarray,
                    uni_chars: np.ndarray, dense: np.ndarray, bias: np.ndarray,
                    size: int) -> RegroupedTable: ...
    def stored(self) -> dict[str, np.ndarray]: ...

def float32_of_half(a: np.ndarray) -> np.ndarray: ...
def row_table_weights(n: int) -> np.ndarray: ...
