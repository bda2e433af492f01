import numpy as np

class RegroupedTable:
    size: int
    n_hashed: int
    n_pairs: int
    n_chars: int
    def __init__(self, keys: np.ndarray, W: np.ndarray, stats: bool = True) -> None: ...
    def __len__(self) -> int: ...

def row_table_weights(n: int) -> np.ndarray: ...
