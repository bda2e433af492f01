"""Word lists compiled into the hashed form the feature extractor looks up.

Each word contributes its own hash (flag 1) and the hashes of its proper
prefixes (flag 2), so the extractor can stop scanning as soon as no lexicon
word continues. Hashes are of normalised characters, like the features.
"""
from __future__ import annotations

import os
from typing import Iterable

import numpy as np

from . import _core
from .features import codepoints


def compile_lexicon(words: Iterable[str], min_len: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """(keys uint64, flags int32) for a word list, in sorted key order."""
    return flag_arrays(lexicon_flags(words, min_len))


def lexicon_flags(words: Iterable[str], min_len: int = 2,
                  base: dict[int, int] | None = None) -> dict[int, int]:
    """hash -> flags of the words (and their prefixes), added to a copy of `base`."""
    flags = dict(base) if base else {}
    for w in words:
        if len(w) < min_len:
            continue
        hs = _core.word_hashes(codepoints(w)).tolist()
        for h in hs[:-1]:
            flags[h] = flags.get(h, 0) | 2
        flags[hs[-1]] = flags.get(hs[-1], 0) | 1
    return flags


def flag_arrays(flags: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    keys = np.array(sorted(flags), dtype=np.uint64)
    vals = np.array([flags[k] for k in keys.tolist()], dtype=np.int32)
    return keys, vals


def lexicon_index(keys: np.ndarray, flags: np.ndarray) -> _core.HashIndex:
    return _core.HashIndex(np.ascontiguousarray(keys, dtype=np.uint64),
                           np.ascontiguousarray(flags, dtype=np.int32))


def read_wordlist(path: str | os.PathLike) -> list[str]:
    """The words of a word list: the first field of each line (so jieba-style
    `word freq tag` dictionaries work too); blank lines and # comments skipped."""
    from .corpus import read_lines

    words = []
    for line in read_lines(path):
        parts = line.split(maxsplit=1)
        if parts and not parts[0].startswith("#"):
            words.append(parts[0])
    return words
