from __future__ import annotations

import numpy as np
import pytest
from conftest import random_texts

from hanlex import Model
from hanlex._core import features, hashindex, hashing
from hanlex.decoding import _regrouped as regrouped
from hanlex.decoding.tables import compile_model
from hanlex.pretokenize.plan import plan
from hanlex.text.normalize import codepoints

# a test-only compiled module, built when HANLEX_TEST_PROBES=1 (setup.py)
probes = pytest.importorskip("hanlex._core.probes")


def _batch(texts):
    p = plan(texts)
    seg = np.array(p.segments, dtype=np.int64).reshape(-1, 2)
    return (codepoints(p.text), np.ascontiguousarray(seg[:, 0]), np.ascontiguousarray(seg[:, 1]),
            p.mask)


def test_specialised_decoder_equals_generic(small_model, sample_sentences):
    dec, generic = compile_model(small_model), compile_model(small_model, generic=True)
    assert dec.bmes and not generic.bmes
    texts = random_texts(7, 300, sample_sentences[3].text) + [s.text for s in sample_sentences]
    cps, a, b, mask = _batch(texts)
    assert np.array_equal(dec.decode(cps, a, b, mask), generic.decode(cps, a, b, mask))
    # impossible constraints fall back to the unconstrained path, in both
    rng = np.random.default_rng(0)
    bad = rng.integers(0, 16, size=len(mask)).astype(np.uint8)
    assert np.array_equal(dec.decode(cps, a, b, bad), generic.decode(cps, a, b, bad))


def test_regrouped_table_equals_generic_on_every_template(small_model, sample_sentences):
    """A model whose features are every key the texts produce (all 25
    templates, raw-text statistics too, the bias key 1) with random weights:
    the regrouped fast path must give the generic path's labels exactly."""
    texts = random_texts(11, 400, sample_sentences[5].text) + [s.text for s in sample_sentences]
    cps, a, b, mask = _batch(texts)
    pairs = sorted({(int(x), int(y)) for x, y in zip(cps[:-1], cps[1:])})
    stats_keys = np.array(sorted({hashing.stat_key(x, y) for x, y in pairs}), dtype=np.uint64)
    rng = np.random.default_rng(5)
    # buckets 1..13 are real; 0, -1 and >= 14 never come from training and read as none
    stats_values = rng.integers(-1, 17, size=len(stats_keys)).astype(np.int32)
    stats = hashindex.HashIndex(stats_keys, stats_values)
    lex = compile_model(small_model).lexicon
    keys = np.unique(np.concatenate([features.extract_keys(codepoints(t), lex, small_model.lex_max,
                                                        stats).ravel() for t in texts if t]))
    keys = keys[keys != 0]
    keys = keys[rng.random(len(keys)) < 0.8]  # some features unseen in training
    assert 1 in keys.tolist()
    fields = {k: getattr(small_model, k) for k in ("tags", "transitions", "lexicon_keys",
                                                    "lexicon_flags", "lex_max")}
    m = Model(**fields, feature_keys=keys,
              weights=rng.normal(size=(len(keys), 4)).astype(np.float32),
              stats_keys=stats_keys, stats_values=stats_values)
    dec = compile_model(m)
    assert dec.bmes and dec.table.n_pairs > 0
    fast, generic = dec.decode(cps, a, b, mask), compile_model(m, generic=True).decode(cps, a, b, mask)
    assert np.array_equal(fast, generic)
    assert len(set(fast.tolist())) == 4  # the random weights exercise every label


def test_row_table_gives_the_hashed_lookups_rows(small_joint_model, sample_sentences):
    """Joint decoding reads feature rows from a regrouped table: for every
    template, with raw-text statistics too, the rows equal the hash index's."""
    texts = random_texts(12, 300, sample_sentences[7].text) + [s.text for s in sample_sentences]
    cps = [codepoints(t) for t in texts if t]
    pairs = sorted({(int(x), int(y)) for c in cps for x, y in zip(c[:-1], c[1:])})
    stats_keys = np.array(sorted({hashing.stat_key(x, y) for x, y in pairs}), dtype=np.uint64)
    stats = hashindex.HashIndex(stats_keys, np.random.default_rng(3).integers(
        -1, 17, size=len(stats_keys)).astype(np.int32))
    dec = compile_model(small_joint_model)
    keys = np.unique(np.concatenate(
        [features.extract_keys(c, dec.lexicon, small_joint_model.lex_max, stats).ravel() for c in cps]
        + [small_joint_model.feature_keys]))
    keys = keys[keys != 0]
    keys = keys[np.random.default_rng(4).random(len(keys)) < 0.8]
    index = hashindex.HashIndex(keys)
    table = regrouped.RegroupedTable(keys, regrouped.row_table_weights(len(keys)))
    for c in cps:
        assert np.array_equal(
            probes.regrouped_rows(c, table, dec.lexicon, small_joint_model.lex_max, stats),
            probes.extract_rows(c, index, dec.lexicon, small_joint_model.lex_max, stats))
    assert dec.table is not None and not dec.table.half  # and the joint decoder uses one


def test_feature_keys_read_back_into_their_templates():
    for t, x, y, z in [(0, 0, 0, 0), (3, 0x4E2D, 0, 0), (8, 0x4E2D, 0x110002, 0),
                       (11, 1, 2, 0x10FFFF), (19, 0x654, 0, 0)]:
        packed = probes.unmix(hashing.feature_key(t, x, y, z)) if (t, x, y, z) != (0, 0, 0, 0) else 0
        assert packed == (x | (y << 21) | (z << 42)) + t * 0x9E3779B97F4A7C15 & (2**64 - 1)


def test_joint_models_keep_the_generic_path(small_joint_model):
    assert not compile_model(small_joint_model).bmes


def test_half_weights_widen_exactly():
    """The segmenter's table keeps float16 weights and widens them while it
    adds: for every finite float16 value, one at a time and four at a time,
    the result is numpy's float16 -> float32 value, and narrowing gives the
    bits back (subnormals and -0 included)."""
    bits = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16)
    bits = bits[np.isfinite(bits.view(np.float16))]
    bits = bits[: len(bits) - len(bits) % 4]
    single, grouped, back = probes.half_conversions(bits)
    expected = bits.view(np.float16).astype(np.float32)
    assert np.array_equal(single.view(np.uint32), expected.view(np.uint32))
    assert np.array_equal(grouped, expected.astype(np.float64))
    assert np.array_equal(back, bits)


def test_float32_of_half_is_numpys_cast():
    """The decoder widens a model's float16 arrays in compiled code: every bit
    pattern (NaNs as NaN bits, infinities, subnormals, -0) gives numpy's
    float32, in the array's shape; other dtypes take numpy's cast."""
    bits = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16)
    for a in (bits.view(np.float16), bits[:4093].view(np.float16).reshape(-1, 1)[::1],
              bits[:4000].view(np.float16).reshape(1000, 4)):
        out = regrouped.float32_of_half(a)
        assert out.dtype == np.float32 and out.shape == a.shape and out.flags.c_contiguous
        expected = a.astype(np.float32)
        finite = np.isfinite(expected)
        assert np.array_equal(out[finite].view(np.uint32), expected[finite].view(np.uint32))
        assert np.array_equal(np.isnan(out), np.isnan(expected))
        assert np.array_equal(out[~finite & ~np.isnan(out)], expected[~finite & ~np.isnan(expected)])
    assert np.array_equal(regrouped.float32_of_half(np.arange(5, dtype=np.float64)), np.arange(5))
    assert regrouped.float32_of_half(np.zeros((0, 4), dtype=np.float16)).shape == (0, 4)


def test_a_half_table_refuses_weights_float16_cannot_hold():
    keys = np.array([hashing.feature_key(11, 0x4E2D, 0x6587, 0x5B57)], dtype=np.uint64)  # a hashed one
    regrouped.RegroupedTable(keys, np.full((1, 4), 0.5, dtype=np.float32), half=True)
    with pytest.raises(ValueError, match="float16"):
        regrouped.RegroupedTable(keys, np.full((1, 4), 0.1, dtype=np.float32), half=True)
