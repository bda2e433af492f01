import array
import re
from typing import Callable

from typing_extensions import disjoint_base
import numpy as np

@disjoint_base
class Scanner:
    def __init__(self, may_start: np.ndarray | bytearray, marks: np.ndarray | array.array,
                 others_of: Callable[[], Callable[[str, int], re.Match[str] | None]],
                 url_of: Callable[[], Callable[[str, int], re.Match[str] | None]] | None,
                 closed_kinds: frozenset[str], max_segment: int) -> None: ...

def scan_plan(texts: list[str], joined: str, scanner: Scanner
              ) -> tuple[np.ndarray, list[tuple[int, int]], np.ndarray,
                         dict[tuple[int, int], str]] | None: ...
