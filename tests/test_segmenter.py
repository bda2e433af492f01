"""The fast segmentation path: specialised decoder, embedded segmenter, word slicing."""
from __future__ import annotations

import pickle
import random

import numpy as np
import pytest

from hanlex import Analyzer, Model, ModelFormatError, _core
from hanlex.decoder import Decoder
from hanlex.features import codepoints
from hanlex.model import HALF_MAX
from hanlex.pretokenize import PATTERN, pattern, plan, spans
from hanlex.train import TrainConfig, train_segmenter

from test_reference import ALPHABET, random_texts

TEXT = "中共中央总书记、国家主席江泽民发表新年讲话。"


@pytest.fixture(scope="module")
def joint_with_segmenter(small_joint_model, sample_sentences):
    seg = train_segmenter(small_joint_model, sample_sentences,
                          config=TrainConfig(epochs=3, min_count=1, folds=3),
                          uptrain=["我们在北京大学学习中文。", "他说：新年好！"])
    return Model(**{**{k: getattr(small_joint_model, k) for k in (
        "tags", "feature_keys", "weights", "transitions", "lexicon_keys", "lexicon_flags",
        "joint_indptr", "joint_labels", "joint_weights", "cand_keys", "cand_masks",
        "class_masks", "lex_max")}, "segmenter": seg})


def _batch(texts):
    joined, segs, _, mask, _ = plan(texts)
    seg = np.array(segs, dtype=np.int64).reshape(-1, 2)
    return (codepoints(joined), np.ascontiguousarray(seg[:, 0]), np.ascontiguousarray(seg[:, 1]),
            mask)


def test_specialised_decoder_equals_generic(small_model, sample_sentences):
    dec = Decoder(small_model)
    assert dec.seg_table is not None
    texts = random_texts(7, 300, sample_sentences[3].text) + [s.text for s in sample_sentences]
    cps, a, b, mask = _batch(texts)
    assert np.array_equal(dec.decode(cps, a, b, mask), dec.decode_generic(cps, a, b, mask))
    # impossible constraints fall back to the unconstrained path, in both
    rng = np.random.default_rng(0)
    bad = rng.integers(0, 16, size=len(mask)).astype(np.uint8)
    assert np.array_equal(dec.decode(cps, a, b, bad), dec.decode_generic(cps, a, b, bad))


def test_regrouped_table_equals_generic_on_every_template(small_model, sample_sentences):
    """A model whose features are every key the texts produce (all 25
    templates, raw-text statistics too, the bias key 1) with random weights:
    the regrouped fast path must give the generic path's labels exactly."""
    texts = random_texts(11, 400, sample_sentences[5].text) + [s.text for s in sample_sentences]
    cps, a, b, mask = _batch(texts)
    pairs = sorted({(int(x), int(y)) for x, y in zip(cps[:-1], cps[1:])})
    stats_keys = np.array(sorted({_core.stat_key(x, y) for x, y in pairs}), dtype=np.uint64)
    rng = np.random.default_rng(5)
    # buckets 1..13 are real; 0, -1 and >= 14 never come from training and read as none
    stats_values = rng.integers(-1, 17, size=len(stats_keys)).astype(np.int32)
    stats = _core.HashIndex(stats_keys, stats_values)
    lex = Decoder(small_model).lexicon
    keys = np.unique(np.concatenate([_core.extract_keys(codepoints(t), lex, small_model.lex_max,
                                                        stats).ravel() for t in texts if t]))
    keys = keys[keys != 0]
    keys = keys[rng.random(len(keys)) < 0.8]  # some features unseen in training
    assert 1 in keys.tolist()
    fields = {k: getattr(small_model, k) for k in ("tags", "transitions", "lexicon_keys",
                                                    "lexicon_flags", "lex_max")}
    m = Model(**fields, feature_keys=keys,
              weights=rng.normal(size=(len(keys), 4)).astype(np.float32),
              stats_keys=stats_keys, stats_values=stats_values)
    dec = Decoder(m)
    assert dec.seg_table is not None and dec.seg_table.n_pairs > 0
    fast, generic = dec.decode(cps, a, b, mask), dec.decode_generic(cps, a, b, mask)
    assert np.array_equal(fast, generic)
    assert len(set(fast.tolist())) == 4  # the random weights exercise every label


def test_row_table_gives_the_hashed_lookups_rows(small_joint_model, sample_sentences):
    """Joint decoding reads feature rows from a regrouped table: for every
    template, with raw-text statistics too, the rows equal the hash index's."""
    texts = random_texts(12, 300, sample_sentences[7].text) + [s.text for s in sample_sentences]
    cps = [codepoints(t) for t in texts if t]
    pairs = sorted({(int(x), int(y)) for c in cps for x, y in zip(c[:-1], c[1:])})
    stats_keys = np.array(sorted({_core.stat_key(x, y) for x, y in pairs}), dtype=np.uint64)
    stats = _core.HashIndex(stats_keys, np.random.default_rng(3).integers(
        -1, 17, size=len(stats_keys)).astype(np.int32))
    dec = Decoder(small_joint_model)
    keys = np.unique(np.concatenate(
        [_core.extract_keys(c, dec.lexicon, small_joint_model.lex_max, stats).ravel() for c in cps]
        + [small_joint_model.feature_keys]))
    keys = keys[keys != 0]
    keys = keys[np.random.default_rng(4).random(len(keys)) < 0.8]
    index = _core.HashIndex(keys)
    table = _core.SegTable(keys, _core.row_table_weights(len(keys)))
    for c in cps:
        assert np.array_equal(
            _core.regrouped_rows(c, table, dec.lexicon, small_joint_model.lex_max, stats),
            _core.extract_rows(c, index, dec.lexicon, small_joint_model.lex_max, stats))
    assert dec.row_table is not None  # and the joint decoder uses one


def test_feature_keys_read_back_into_their_templates():
    for t, x, y, z in [(0, 0, 0, 0), (3, 0x4E2D, 0, 0), (8, 0x4E2D, 0x110002, 0),
                       (11, 1, 2, 0x10FFFF), (19, 0x654, 0, 0)]:
        packed = _core.unmix(_core.feature_key(t, x, y, z)) if (t, x, y, z) != (0, 0, 0, 0) else 0
        assert packed == (x | (y << 21) | (z << 42)) + t * 0x9E3779B97F4A7C15 & (2**64 - 1)


def test_joint_models_keep_the_generic_path(small_joint_model):
    assert Decoder(small_joint_model).seg_table is None


def test_spans_equal_finditer():
    rng = random.Random(3)
    pool = ALPHABET + list("https://a.cn/x?q=1 a.b@c.com @某人 #话题# ３．１４％ 1,000.5 iPhone15 Ωμέγα"
                           "-５－−%日)（）(`∀´^_^)くまモン・ｺﾅﾝﾟ")
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        assert [m.span() + (m.lastgroup,) for m in spans(text)] == \
            [m.span() + (m.lastgroup,) for m in PATTERN.finditer(text)]
        split = frozenset({"mention", "hashtag"})
        assert [m.span() for m in spans(text, split)] == \
            [m.span() for m in pattern(split).finditer(text)]


def test_words_of_texts_join_back():
    texts = ["", "ab", "c", "", "def"]
    # a b c are single words, "de" ends at e, "f" never ends: still a word
    labels = np.array([3, 3, 3, 0, 2, 0], dtype=np.int32)
    out = _core.words_of_texts("".join(texts), labels, texts)
    assert out == [[], ["a", "b"], ["c"], [], ["de", "f"]]
    with pytest.raises(ValueError):
        _core.words_of_texts("abc", labels, ["abc"])


def test_cut_uses_the_segmenter_and_tag_the_joint_model(joint_with_segmenter, tmp_path):
    m = joint_with_segmenter
    p = tmp_path / "m.hlx"
    m.save(p)
    loaded = Model.load(p)
    assert loaded.segmenter is not None and not loaded.segmenter.joint
    assert loaded.to_bytes() == m.to_bytes()
    texts = random_texts(11, 100, TEXT) + [TEXT]
    an = Analyzer(loaded)
    only_seg = Analyzer(loaded.segmenter)
    joint = Analyzer(loaded, segmenter=False)
    assert an.cut_many(texts) == only_seg.cut_many(texts)
    assert [[t.word for t in ts] for ts in an.tokenize_many(texts)] == only_seg.cut_many(texts)
    assert an.tag_many(texts) == joint.tag_many(texts)
    assert joint.cut_many(texts) == [[w for w, _ in ps] for ps in joint.tag_many(texts)]
    for a in (an, joint):
        assert pickle.loads(pickle.dumps(a)).cut_many(texts) == a.cut_many(texts)
    assert all("".join(ws) == t for ws, t in zip(an.cut_many(texts), texts))


def test_damaged_segmenter_is_reported(joint_with_segmenter, tmp_path):
    data = bytearray(joint_with_segmenter.to_bytes())
    blob = joint_with_segmenter.segmenter._arrays()["weights"].tobytes()
    at = bytes(data).rfind(blob[:64])
    assert at > 0
    data[at + 3] ^= 0x55
    p = tmp_path / "d.hlx"
    p.write_bytes(bytes(data))
    with pytest.raises(ModelFormatError, match="segmenter/"):
        Model.load(p)


def test_half_precision_is_what_is_saved(small_model, tmp_path):
    assert small_model.weights.dtype == np.float16
    big = Model(tags=small_model.tags, feature_keys=small_model.feature_keys,
                weights=small_model.weights.astype(np.float32) * 4096,
                transitions=small_model.transitions * 4096,
                lexicon_keys=small_model.lexicon_keys, lexicon_flags=small_model.lexicon_flags)
    assert np.isfinite(big.weights.astype(np.float32)).all()
    assert float(np.abs(big.weights.astype(np.float32)).max()) < HALF_MAX
    assert Analyzer(big).cut_many(random_texts(5, 50, TEXT)) == \
        Analyzer(small_model).cut_many(random_texts(5, 50, TEXT))


def test_word_lists_leave_the_gc_state_as_it_was():
    """split_texts defers cyclic GC while it builds its lists; it must restore it."""
    import gc

    was = gc.isenabled()
    try:
        for state in (False, True):
            (gc.enable if state else gc.disable)()
            assert Analyzer().cut_many(["我爱北京", "北京"]) == [["我", "爱", "北京"], ["北京"]]
            assert gc.isenabled() is state
            with pytest.raises(ValueError):
                _core.words_of_texts("abc", np.zeros(2, dtype=np.int32), ["abc"])
            assert gc.isenabled() is state
    finally:
        (gc.enable if was else gc.disable)()
