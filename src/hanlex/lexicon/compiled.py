"""Word lists compiled into the hashed form the feature extractor looks up.

Each word contributes its own hash (flag 1) and the hashes of its proper
prefixes (flag 2), so the extractor can stop scanning as soon as no lexicon
word continues. Hashes are of normalised characters, like the features.
"""
from __future__ import annotations

from typing import Iterable

from .._core.hashindex import HashIndex
from .._core.hashing import prefix_hashes
from .._numpy import np
from ..text.normalize import codepoints


def compile_lexicon(words: Iterable[str], min_len: int = 2,
                    base: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(keys uint64, flags int32) for a word list, in sorted key order; with
    `base`, a compiled list the words are added to (its hashes are not recomputed)."""
    words = [w for w in words if len(w) >= min_len]
    keys, flags = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32)
    if words:
        offsets = np.cumsum([0] + [len(w) for w in words], dtype=np.int64)
        keys, full = prefix_hashes(codepoints("".join(words)), offsets)
        flags = np.where(full.view(bool), 1, 2).astype(np.int32)  # a word, or a prefix of one
    if base is not None:
        keys, flags = np.concatenate((base[0], keys)), np.concatenate((base[1], flags))
    unique, where = np.unique(keys, return_inverse=True)
    merged = np.zeros(len(unique), dtype=np.int32)
    np.bitwise_or.at(merged, where.ravel(), flags)
    return unique.astype(np.uint64), merged


def lexicon_index(keys: np.ndarray, flags: np.ndarray, word_starts: bool = True) -> HashIndex:
    """A compiled word list as the hash index the decoders look words up in;
    word_starts: with the table of word-initial characters the lexicon features'
    matcher reads (HashIndex.index_word_starts), which other lookups do not need."""
    index = HashIndex(np.ascontiguousarray(keys, dtype=np.uint64),
                      np.ascontiguousarray(flags, dtype=np.int32))
    if word_starts:
        index.index_word_starts()
    return index
