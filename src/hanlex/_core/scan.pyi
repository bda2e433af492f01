import numpy as np

def scan_plan(texts: list[str], joined: str, may_start: np.ndarray, match: object,
              closed_kinds: frozenset[str], max_segment: int
              ) -> tuple[np.ndarray, list[tuple[int, int]], np.ndarray,
                         dict[tuple[int, int], str]] | None: ...
