"""Punctuation as implicit annotation (Li & Sun 2009): partial labels from raw text."""
from __future__ import annotations

import gzip

import numpy as np
import pytest

from hanlex.evaluate import evaluate_model
from hanlex.learn.rawtext import punctuation_mask, read_raw
from hanlex.learn.trainer import TrainConfig, train

# a test-only compiled module, built when HANLEX_TEST_PROBES=1 (setup.py)
probes = pytest.importorskip("hanlex._core.probes")


def test_punctuation_mask():
    m = punctuation_mask("我们，他们。好")
    #                      我 们  ，  他 们  。 好
    assert m.tolist() == [15, 12, 8, 9, 12, 8, 9]
    assert punctuation_mask("——").tolist() == [15, 15]  # dashes stay free
    # a mark inside a span decoding keeps whole is no label (20:10, a URL's colon)
    assert punctuation_mask("晚20:10播，好").tolist() == [15] * 6 + [12, 8, 9]
    assert punctuation_mask("见http://a.cn").tolist() == [15] * 12
    assert punctuation_mask("5:好").tolist() == [12, 8, 9]


def test_read_raw_splits_sentences_and_reads_gzip(tmp_path):
    p = tmp_path / "raw.txt.gz"
    with gzip.open(p, "wt", encoding="utf-8") as f:
        f.write("# 20220101\n今天天气很好，我们去公园。明天下雨吗？没有标点的句子\n")
    sents = read_raw([str(p)])
    assert sents == ["今天天气很好，我们去公园。", "明天下雨吗？"]
    assert read_raw([str(p)], max_chars=5) == ["今天天气很好，我们去公园。"]


def test_training_with_raw_text_learns_constraints(sample_sentences):
    raw = [s.text for s in sample_sentences[100:]]
    m = train(sample_sentences[:100], config=TrainConfig(epochs=3, min_count=1, folds=3), raw=raw)
    assert m.meta["raw_sentences"] == len(raw)
    held = evaluate_model(m, sample_sentences[100:])
    base = train(sample_sentences[:100], config=TrainConfig(epochs=3, min_count=1, folds=3))
    # the raw sentences' characters now have features, and punctuation is cut
    assert len(m.feature_keys) > len(base.feature_keys)
    assert held.f > 0.6
    from hanlex import Analyzer
    for text in raw[:20]:
        words = Analyzer(m).cut(text)
        ends = set(np.cumsum([len(w) for w in words]).tolist())
        for i, ch in enumerate(text):
            if ch in "，。":
                assert (i == 0 or i in ends) and (i + 1) in ends  # boundaries around it


def test_raw_statistics_buckets():
    from hanlex.learn.rawtext import raw_statistics
    texts = ["中国人民银行", "中国人民", "人民中国"] * 5
    keys, values = raw_statistics(texts, min_count=3)
    assert len(keys) == len(values) == len(set(keys.tolist()))
    assert values.min() >= 1 and values.max() <= 13


def test_stats_model_round_trip_and_reference(sample_sentences, tmp_path):
    import reference

    from hanlex import Model
    from hanlex.text.normalize import codepoints
    raw = [s.text for s in sample_sentences[60:]] * 3
    m = train(sample_sentences[:60], config=TrainConfig(epochs=2, min_count=1, folds=3,
                                                      raw_labels=False, stats_min_count=2),
              raw=raw)
    assert len(m.stats_keys) > 0 and "raw_sentences" not in m.meta
    p = tmp_path / "s.hlx"
    m.save(p)
    again = Model.load(p)
    assert again.to_bytes() == m.to_bytes() and len(again.stats_keys) == len(m.stats_keys)
    from hanlex import Analyzer
    from hanlex.decoding.tables import compile_model
    dec = compile_model(again, generic=True)
    for s in sample_sentences[60:80]:
        cps = codepoints(s.text)
        fast = dec.decode(cps, np.array([0]), np.array([len(cps)]), np.full(len(cps), 15, np.uint8))
        assert fast.tolist() == reference.decode(cps.tolist(), again, [15] * len(cps))
    # the statistics templates actually fire
    rows = dec.decode  # noqa: F841
    r = probes.extract_rows(codepoints(sample_sentences[61].text), dec.features, dec.lexicon,
                           again.lex_max, dec.stats)
    assert (r[:, 22:25] >= 0).any()
    assert Analyzer(again).cut(sample_sentences[61].text)
    # a bucket outside 1..13 is never written by training: the file is damaged
    from hanlex import ModelFormatError
    bad = Model(**{k: getattr(m, k) for k in ("tags", "feature_keys", "weights", "transitions",
                                              "lexicon_keys", "lexicon_flags", "stats_keys",
                                              "lex_max")},
                stats_values=np.where(np.arange(len(m.stats_keys)) == 0, 14, m.stats_values))
    with pytest.raises(ModelFormatError, match=r"corrupt \(raw-statistics buckets span \d+\.\.14, expected 1\.\.13\)"):
        Model.from_bytes(bad.to_bytes())
