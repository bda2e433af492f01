"""Tagging pruned by the embedded segmenter (the default `tag`) and the exact joint decode."""
from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import reference
from conftest import random_texts

from hanlex import Analyzer
from hanlex.decoding._decode import Weights
from hanlex.decoding.tables import compile_model, grouped_by_position
from hanlex.learn.recipes import TAG_MARGINS, choose_tag_margin
from hanlex.pretokenize.plan import plan
from hanlex.text.normalize import codepoints


def _segments(text):
    p = plan([text])
    seg = np.array(p.segments, dtype=np.int64).reshape(-1, 2)
    return (codepoints(p.text), np.ascontiguousarray(seg[:, 0]),
            np.ascontiguousarray(seg[:, 1]), p.mask)


@pytest.fixture
def model(joint_with_segmenter):
    """A copy whose segmenter's meta a test may change."""
    return copy.deepcopy(joint_with_segmenter)


@pytest.mark.parametrize("margin", [0.0, 3.0, 30.0, math.inf])
def test_narrowed_masks_equal_the_reference(joint_with_segmenter, sample_sentences, margin):
    seg = joint_with_segmenter.segmenter
    dec = compile_model(seg)
    texts = [s.text for s in sample_sentences[40:55]]
    texts += random_texts(7, 25, "".join(texts))
    for text in texts:
        cps, starts, ends, mask = _segments(text)
        mask = mask.copy()
        mask[::7] &= 0b1001  # some characters already constrained, as user words do
        fast = dec.narrowed_masks(cps, starts, ends, mask, margin)
        for a, b in zip(starts.tolist(), ends.tolist()):
            slow = reference.narrowed(cps[a:b].tolist(), seg, mask[a:b].tolist(), margin)
            assert fast[a:b].tolist() == slow, text


def test_narrowing_keeps_the_best_path_within_the_mask(joint_with_segmenter, sample_sentences):
    dec = compile_model(joint_with_segmenter.segmenter)
    text = "".join(s.text for s in sample_sentences[60:64])
    cps, starts, ends, mask = _segments(text)
    labels = dec.decode(cps, starts, ends, mask)
    tight = dec.narrowed_masks(cps, starts, ends, mask, 0.0)
    loose = dec.narrowed_masks(cps, starts, ends, mask, math.inf)
    inside = np.zeros(len(cps), dtype=bool)
    for a, b in zip(starts, ends):
        inside[a:b] = True
    assert ((tight & mask) == tight).all()  # never a position the mask forbids
    assert all((tight[i] >> labels[i]) & 1 for i in np.flatnonzero(inside))
    assert ((loose & tight) == tight).all() and ((loose & mask) == loose).all()
    assert (loose[inside] & 15).sum() > (tight[inside] & 15).sum()  # an infinite margin keeps more
    counts = [bin(int(x) & 15).count("1") for x in tight[inside]]
    assert sum(counts) < 1.2 * len(counts)  # margin 0: about one position each


def test_tag_is_exact_without_a_margin_and_pruned_with_one(model, sample_sentences):
    texts = [s.text for s in sample_sentences[20:60]]
    model.segmenter.meta.pop("tag_margin", None)
    an = Analyzer(model)
    assert an.engine.tag_margin is None
    exact = an.tag_many(texts, exact=True)
    assert an.tag_many(texts) == exact
    model.segmenter.meta["tag_margin"] = 1e9  # keeps every position: the same decode
    assert Analyzer(model).engine.tag_margin == 1e9
    assert Analyzer(model).tag_many(texts) == exact
    model.segmenter.meta["tag_margin"] = 0.0  # the segmenter's positions only
    pruned = Analyzer(model)
    tagged, cut = pruned.tag_many(texts), pruned.cut_many(texts)
    # the segmenter's words, or (no path with the tag dictionary's labels) the exact decode
    assert all([w for w, _ in t] == c or t == e for t, c, e in zip(tagged, cut, exact))
    assert sum([w for w, _ in t] == c for t, c in zip(tagged, cut)) > len(texts) / 2
    assert pruned.tag_many(texts, exact=True) == exact
    assert Analyzer(model, segmenter=False).engine.tag_margin is None  # joint for everything


@pytest.mark.parametrize("bad", ["100", -1.0, float("nan"), True, None, [1]])
def test_a_margin_that_is_not_a_number_means_exact(model, bad):
    model.segmenter.meta["tag_margin"] = bad
    assert Analyzer(model).engine.tag_margin is None


def test_the_margin_is_the_smallest_that_keeps_dev_accuracy(model, sample_sentences):
    dev = sample_sentences[100:150]
    margin = choose_tag_margin(model, dev)
    meta = model.segmenter.meta
    if margin is None:
        assert "tag_margin" not in meta
        return
    assert margin in TAG_MARGINS and meta["tag_margin"] == margin
    pruned, exact = meta["tag_margin_dev"], meta["tag_exact_dev"]
    assert exact[0] - pruned[0] <= 0.02 + 0.005 and exact[1] - pruned[1] <= 0.02 + 0.005
    smaller = [m for m in TAG_MARGINS if m < margin]
    if smaller:  # the next smaller margin loses more than the tolerance
        meta["tag_margin"] = smaller[-1]
        an = Analyzer(model)
        texts = [s.text for s in dev]
        assert an.tag_many(texts) != an.tag_many(texts, exact=True)


def test_rows_grouped_by_position_keep_every_weight(small_joint_model):
    m = small_joint_model
    jptr = np.ascontiguousarray(m.joint_indptr, dtype=np.int64)
    jlab = np.ascontiguousarray(m.joint_labels, dtype=np.uint8)
    jw = np.asarray(m.joint_weights, dtype=np.float32)
    glab, gw, sub = grouped_by_position(jptr, jlab, jw)
    for r in range(len(jptr) - 1):
        a, e = jptr[r], jptr[r + 1]
        assert sorted(zip(jlab[a:e], jw[a:e])) == sorted(zip(glab[a:e], gw[a:e]))
        q = glab[a:e] & 3
        assert (np.diff(q) >= 0).all()
        for pos in range(4):
            assert sub[r, pos] == (q < pos).sum()
    W = np.asarray(m.weights, dtype=np.float32)
    T = np.asarray(m.transitions, dtype=np.float32)
    Weights(W, jptr, glab, gw, T, m.labels.allowed(), sub)  # accepted
    bad = sub.copy()
    row = int(np.argmax(np.diff(jptr)))
    bad[row, 1:] = 0  # every entry claimed by position B
    with pytest.raises(ValueError, match="grouped by position"):
        Weights(W, jptr, glab, gw, T, m.labels.allowed(), bad)
    with pytest.raises(ValueError):
        Weights(W, jptr, glab, gw, T, m.labels.allowed(), sub[:-1])


def test_pruned_decoding_falls_back_to_the_unpruned_one(joint_with_segmenter, sample_sentences):
    """Where no path with the tag dictionary's labels survives the narrowed masks
    (level 0), the segment is decoded as if unpruned: the relaxed levels must not
    see every narrowed character as forced and drop its tag dictionary."""
    m = joint_with_segmenter
    joint, seg = compile_model(m), compile_model(m.segmenter)
    texts = [s.text for s in sample_sentences[80:100]]
    texts += random_texts(9, 40, "".join(texts))
    fell_back = pruned_apart = 0
    for text in texts:
        cps, starts, ends, mask = _segments(text)
        pruned = seg.narrowed_masks(cps, starts, ends, mask, 0.0)
        fast = joint.decode(cps, starts, ends, mask, pruned=pruned)
        for a, b in zip(starts.tolist(), ends.tolist()):
            raw, failed = cps[a:b].tolist(), []
            slow = reference.decode(raw, m, mask[a:b].tolist(), pruned[a:b].tolist(), failed)
            assert fast[a:b].tolist() == slow, text
            exact = reference.decode(raw, m, mask[a:b].tolist())
            if failed:  # no path under the narrowed masks: decoded as if unpruned
                fell_back += 1
                assert slow == exact
            pruned_apart += slow != exact
    assert fell_back > 0 and pruned_apart > 0
    cps, starts, ends, mask = _segments(texts[0])
    pruned = seg.narrowed_masks(cps, starts, ends, mask, 0.0)
    with pytest.raises(ValueError, match="pruned masks"):
        joint.decode(cps, starts, ends, mask, pruned=pruned[:-1])
    with pytest.raises(ValueError, match="joint model"):
        seg.decode(cps, starts, ends, mask, pruned=pruned)


def test_weights_refuse_row_groups_that_do_not_fit(small_joint_model):
    m = small_joint_model
    W = np.asarray(m.weights, dtype=np.float32)
    T = np.asarray(m.transitions, dtype=np.float32)
    n = len(W)
    # no joint weights: the groups are dropped, not read
    w = Weights(W, None, None, None, T, m.labels.allowed(), np.zeros((n, 4), np.uint8))
    assert w.jsub is None
    jptr = np.ascontiguousarray(m.joint_indptr, dtype=np.int64)
    jlab, jw, sub = grouped_by_position(jptr, np.ascontiguousarray(m.joint_labels, np.uint8),
                                        np.asarray(m.joint_weights, np.float32))
    bad = jptr.copy()
    bad[1] = bad[-1] + 100  # a row running past the joint weights
    with pytest.raises(ValueError):
        Weights(W, bad, jlab, jw, T, m.labels.allowed(), sub)
