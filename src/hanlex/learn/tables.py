"""The tables fixed before learning starts: the feature index, which (feature,
label) pairs get joint weights, and the tag dictionary that prunes labels."""
from __future__ import annotations

from collections import Counter

import numpy as np

from .._core.constants import MASK_WORDS, N_CLASSES
from .._core.features import extract_keys, extract_rows_batch
from .._core.hashing import char_key
from ..text.normalize import char_class, normalize_text


def kept_keys(cps: np.ndarray, lexicon, lex_max: int, stats=None,
              dropped: tuple[int, ...] = ()) -> np.ndarray:
    """extract_keys, less the templates a model leaves out (`dropped`, template ids):
    their keys become 0, never a feature, so they get no weight and a decoder's
    table holds none of them (the fast tier's hashed templates)."""
    keys = extract_keys(cps, lexicon, lex_max, stats)
    if dropped:
        keys[:, list(dropped)] = 0
    return keys


def collect_keys(texts: list[np.ndarray], lexicons, which: np.ndarray, min_count: int,
                  stats=None, dropped: tuple[int, ...] = ()) -> np.ndarray:
    """Sorted unique keys seen at least min_count times (kept_keys: less `dropped`)."""
    uniq = np.zeros(0, dtype=np.uint64)
    counts = np.zeros(0, dtype=np.int64)
    chunk: list[np.ndarray] = []
    size = 0

    def merge():
        nonlocal uniq, counts, chunk, size
        if not chunk:
            return
        k, c = np.unique(np.concatenate(chunk).ravel(), return_counts=True)
        allk = np.concatenate([uniq, k])
        allc = np.concatenate([counts, c])
        uniq, inv = np.unique(allk, return_inverse=True)
        counts = np.bincount(inv, weights=allc).astype(np.int64)
        chunk, size = [], 0

    for j, cps in enumerate(texts):
        lex, lex_max = lexicons[which[j]]
        keys = kept_keys(cps, lex, lex_max, stats, dropped)
        chunk.append(keys)
        size += keys.size
        if size > 8_000_000:
            merge()
    merge()
    keys = uniq[counts >= min_count]
    return keys[keys != 0]  # 0 marks "no feature"


def joint_pairs(texts, golds, features, lexicons, folds: int, L: int, stats=None):
    """CSR (indptr, labels) of every (feature row, gold label) pair in training.

    Only these pairs get joint weights: a feature that never co-occurred with
    a label in gold data gets no weight for it (like CRFsuite's default).
    """
    chunk, merged, size = [], np.zeros(0, dtype=np.int64), 0

    def merge():
        nonlocal chunk, merged, size
        if chunk:
            merged = np.union1d(merged, np.unique(np.concatenate(chunk)))
            chunk, size = [], 0

    which = np.array([j % folds for j in range(len(texts))], dtype=np.int32)
    for start in range(0, len(texts), 512):
        rows_list = extract_rows_batch(texts[start:start + 512], features, lexicons,
                                             which[start:start + 512], stats)
        for rows, gold in zip(rows_list, golds[start:start + 512]):
            pairs = rows.astype(np.int64) * L + gold[:, None]
            chunk.append(pairs[rows >= 0])
            size += rows.size
        if size > 8_000_000:
            merge()
    merge()
    n = len(features)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(merged // L, minlength=n), out=indptr[1:])
    return indptr, (merged % L).astype(np.uint8)


def label_candidates(sentences, golds, L: int, min_count: int):
    """Tag dictionary: label bitsets of frequent characters and of char classes.

    A character keeps every position (B/M/E/S) of each tag it was seen with,
    not just the seen (position, tag) pairs: then a path of single-character
    words always exists, and training sees (and corrects) every position the
    decoder may choose.
    """
    counts: Counter = Counter()
    masks: dict[int, int] = {}
    class_bits = [0] * N_CLASSES
    for s, gold in zip(sentences, golds):
        for ch, lab in zip(normalize_text(s.text), gold.tolist()):
            c = ord(ch)
            counts[c] += 1
            tag_bits = 0xF << (4 * (lab >> 2))
            masks[c] = masks.get(c, 0) | tag_bits
            class_bits[char_class(c)] |= tag_bits
    full = (1 << L) - 1
    class_bits = [b or full for b in class_bits]
    chars = sorted(c for c in counts if counts[c] >= min_count)

    def words(bits: int) -> list[int]:
        return [(bits >> (64 * w)) & ((1 << 64) - 1) for w in range(MASK_WORDS)]

    keys = np.array([char_key(c) for c in chars], dtype=np.uint64)
    cand = np.array([words(masks[c]) for c in chars], dtype=np.uint64).reshape(-1, MASK_WORDS)
    cls = np.array([words(b) for b in class_bits], dtype=np.uint64)
    return keys, cand, cls
