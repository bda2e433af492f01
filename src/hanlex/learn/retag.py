"""Learning a standard's Retagger (model.retag): its own tags from the joint
model's PKU tags, on the standard's corpus.

An averaged multi-class perceptron over the Retagger's hashed features. Each
word is classified on its own (its neighbours' PKU tags are known, their own
tags are not needed), so a sentence is scored and corrected in one numpy step.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from ..model.retag import Retagger, feature_keys, word_values
from ..text.normalize import codepoints


def sentence_keys(sentences: Sequence[tuple[Sequence[str], Sequence[str]]],
                  tag_index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(feature keys of every word, n x templates; the index of each sentence's
    first word, then the total) of (words, PKU tags) sentences."""
    words = [w for ws, _ in sentences for w in ws]
    lengths = np.array([len(w) for w in words], dtype=np.int64)
    bounds = np.concatenate(([0], np.cumsum(lengths)))
    starts = np.cumsum([0] + [len(ws) for ws, _ in sentences])
    firsts = np.zeros(len(words), dtype=bool)
    firsts[starts[:-1][starts[:-1] < len(words)]] = True
    tags = np.array([tag_index.get(t, len(tag_index)) for _, ts in sentences for t in ts],
                    dtype=np.int64)
    cps = codepoints("".join(words))
    return feature_keys(word_values(cps, bounds, tags, firsts), len(words)), starts


def train_retagger(pku: Sequence[tuple[Sequence[str], Sequence[str]]], own: Sequence[Sequence[str]],
                   pku_tags: Sequence[str], epochs: int = 10, seed: int = 1, min_count: int = 1,
                   log: Callable[[str], None] = lambda s: None) -> Retagger:
    """A Retagger from sentences as (words, PKU tags) and their own tags."""
    tags = tuple(sorted({t for ts in own for t in ts}))
    gold = np.array([tags.index(t) for ts in own for t in ts], dtype=np.int64)
    keys, starts = sentence_keys(pku, {t: i for i, t in enumerate(pku_tags)})
    uniq, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    rows = inverse.reshape(keys.shape)
    rows = np.where(counts[rows] >= min_count, rows, -1)
    W = np.zeros((len(uniq) + 1, len(tags)), dtype=np.float64)  # the last row: no feature
    U = np.zeros_like(W)  # step-weighted updates, for the average
    rows = np.where(rows < 0, len(uniq), rows)
    step = 1
    rng = np.random.RandomState(seed)
    for epoch in range(1, epochs + 1):
        wrong = 0
        for s in rng.permutation(len(starts) - 1):
            a, b = starts[s], starts[s + 1]
            r = rows[a:b]
            pred = W[r].sum(axis=1).argmax(axis=1)
            bad = np.flatnonzero(pred != gold[a:b])
            if len(bad):
                wrong += len(bad)
                for k, sign in ((gold[a:b][bad], 1.0), (pred[bad], -1.0)):
                    cols = np.repeat(k, r.shape[1])
                    np.add.at(W, (r[bad].ravel(), cols), sign)
                    np.add.at(U, (r[bad].ravel(), cols), sign * step)
                W[-1] = U[-1] = 0  # features seen too rarely have no weights
            step += 1
        log(f"retagger: epoch {epoch}, {wrong} of {len(gold)} words wrong")
    averaged = (W - U / step)[:-1]
    keep = np.any(averaged != 0, axis=1)
    # half precision, as the file keeps them (the same predictions before saving and after)
    return Retagger(tags, uniq[keep], averaged[keep].astype(np.float16))
