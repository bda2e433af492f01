import numpy as np

from .hashindex import HashIndex

def extract_keys(raw: np.ndarray, lexicon: HashIndex | None, lex_max: int,
                 stats: HashIndex | None = None) -> np.ndarray: ...
def extract_rows_batch(segments: list[np.ndarray], features: HashIndex,
                       lexicons: list[tuple[HashIndex, int]], which: np.ndarray,
                       stats: HashIndex | None = None) -> list[np.ndarray]: ...
