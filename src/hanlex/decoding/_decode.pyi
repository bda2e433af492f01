from typing_extensions import disjoint_base
import numpy as np

TEMPLATE_GROUPS: tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]

@disjoint_base
class Weights:
    W: np.ndarray
    jptr: np.ndarray
    jlab: np.ndarray
    jw: np.ndarray
    trans: np.ndarray
    allowed: np.ndarray
    jsub: np.ndarray | None
    L: int
    joint: bool
    free_starts: bool
    def __init__(self, W: np.ndarray, jptr: np.ndarray | None, jlab: np.ndarray | None,
                 jw: np.ndarray | None, trans: np.ndarray, allowed: np.ndarray,
                 jsub: np.ndarray | None = None) -> None: ...
    @staticmethod
    def for_half_table(trans: np.ndarray | memoryview, allowed: np.ndarray | memoryview) -> Weights: ...

@disjoint_base
class GroupCache:
    L: int
    def __init__(self, L: int) -> None: ...
