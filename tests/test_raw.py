"""Punctuation as implicit annotation (Li & Sun 2009): partial labels from raw text."""
from __future__ import annotations

import gzip

import numpy as np

from hanlex.corpus import punctuation_mask, read_raw
from hanlex.train import TrainConfig, evaluate_model, train


def test_punctuation_mask():
    m = punctuation_mask("我们，他们。好")
    #                      我 们  ，  他 们  。 好
    assert m.tolist() == [15, 12, 8, 9, 12, 8, 9]
    assert punctuation_mask("——").tolist() == [15, 15]  # dashes stay free


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
