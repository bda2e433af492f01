"""Corpora of different annotation standards in one model.

People's Daily writes a name as surname and given name (江 泽民), the NLPCC
Weibo corpus writes it whole (李克强); each has other such habits. Trained as one
corpus, the model learns neither standard and loses accuracy on both (see
docs/lab/2026-12-02-modern-chinese-issue-22.md, section 1). Instead, every
feature of a sentence of criterion c > 0 fires twice
(Daumé 2007, "frustratingly easy domain adaptation"): as the shared feature,
and as a copy private to c. An error on such a sentence updates both, an error
on a criterion-0 sentence only the shared one, so the shared weights follow
criterion 0 where the standards disagree and learn from every corpus where
they agree; the private copies absorb what only criterion c does. The model
keeps them (`deltas`): decoding in standard c adds them to the shared weights
(Model.in_standard), decoding in criterion 0's standard uses the shared ones.

The private copies are position weights only (B/M/E/S per feature), added to a
sentence's scores as a per-position offset (`decoding._decode.viterbi_rows`).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .._core.hashindex import HashIndex
from .tables import kept_keys

_GOLDEN = 0x9E3779B97F4A7C15


def salt(c: int) -> np.uint64:
    """What criterion c's private copy of a feature key is XOR-ed with."""
    return np.uint64((c * _GOLDEN) & 0xFFFFFFFFFFFFFFFF)


class CriterionFeatures:
    """The private feature rows of the sentences of criteria > 0, and their weights.

    texts[j], lexicons[which[j]] as in the Trainer; `criteria[j]` each
    sentence's criterion. Keys seen fewer than `min_count` times get no weight, nor
    do the `dropped` templates' (tables.kept_keys).
    """

    def __init__(self, texts: Sequence[np.ndarray], criteria: Sequence[int],
                 lexicons: Sequence[tuple[HashIndex, int]], which: np.ndarray,
                 min_count: int, stats: HashIndex | None = None,
                 dropped: tuple[int, ...] = ()):
        self.rows: dict[int, np.ndarray] = {}
        keyed = []
        for j, c in enumerate(criteria):
            if c <= 0:
                continue
            lexicon, lex_max = lexicons[which[j]]
            keys = kept_keys(texts[j], lexicon, lex_max, stats, dropped)
            salted = np.where(keys != 0, keys ^ salt(c), np.uint64(0))
            keyed.append((j, salted))
        self.keys = np.zeros(0, dtype=np.uint64)
        self.owner = np.zeros(0, dtype=np.int32)  # the criterion of each private key
        if keyed:
            every = np.concatenate([k.ravel() for _, k in keyed])
            owners = np.concatenate([np.full(k.size, criteria[j], dtype=np.int32)
                                     for j, k in keyed])
            uniq, first, counts = np.unique(every, return_index=True, return_counts=True)
            kept = (counts >= min_count) & (uniq != 0)
            self.keys, self.owner = uniq[kept], owners[first[kept]]
        for j, salted in keyed:
            pos = np.searchsorted(self.keys, salted).clip(0, max(len(self.keys) - 1, 0))
            found = (len(self.keys) > 0) & (self.keys[pos] == salted) & (salted != 0)
            self.rows[j] = np.ascontiguousarray(np.where(found, pos, -1).astype(np.int32))
        self.W = np.zeros((len(self.keys), 4), dtype=np.float64)

    def __contains__(self, j: int) -> bool:
        return j in self.rows

    def deltas(self, W: np.ndarray) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """{criterion: (feature keys, n x 4 weights)}: what `W` (these private
        weights, averaged) adds to the shared features in each standard, keyed as
        the shared features are; rows that stayed 0 are left out."""
        out = {}
        for c in np.unique(self.owner).tolist():
            rows = np.flatnonzero((self.owner == c) & np.any(W != 0, axis=1))
            keys = self.keys[rows] ^ salt(c)
            order = np.argsort(keys)
            out[c] = (keys[order], W[rows[order]])
        return out

    def offset(self, j: int) -> np.ndarray:
        """n x 4: what sentence j's private features add to each word position."""
        rows = self.rows[j]
        return np.ascontiguousarray((self.W[rows.clip(0)] * (rows >= 0)[..., None]).sum(axis=1))
