from typing_extensions import disjoint_base
import numpy as np

@disjoint_base
class ThulacTables:
    def __init__(self, dat: np.ndarray, weights: np.ndarray, trans: np.ndarray,
                 pre_ptr: np.ndarray, pre: np.ndarray, allowed_ptr: np.ndarray,
                 allowed: np.ndarray, is_allowed: np.ndarray) -> None: ...
    def decode(self, cps: np.ndarray, starts: np.ndarray, ends: np.ndarray,
               pocs: np.ndarray) -> np.ndarray: ...

def contains(dat: np.ndarray, word: str) -> bool: ...
def merge_words(cps: np.ndarray, ends: np.ndarray, firsts: np.ndarray, tags: np.ndarray,
                dat: np.ndarray, merged_tag: int, single_tag: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...
def clean(cps: np.ndarray, starts: np.ndarray, ends: np.ndarray, kinds: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]: ...
