from __future__ import annotations

import pytest

from hanlex import Analyzer
from hanlex.model.tagsets import convert


def _words_only(sents):
    from hanlex.io.corpus import Sentence
    return [Sentence(s.words) for s in sents]


def test_tags_from_keeps_the_corpus_words_and_is_the_constrained_best_path(small_joint_model,
                                                                           sample_sentences):
    import numpy as np
    import reference

    from hanlex.learn.recipes import tags_from
    from hanlex.model.labels import LabelSet
    from hanlex.text.normalize import codepoints

    plain = _words_only(sample_sentences)
    tagged = tags_from(small_joint_model, plain, batch=7)  # batches that split the corpus
    assert [s.words for s in tagged] == [s.words for s in sample_sentences]
    tags = set(small_joint_model.tags)
    assert all(len(s.tags) == len(s.words) and set(s.tags) <= tags for s in tagged)
    # the model learned this corpus: its tags mostly come back
    agree = sum(a == b for g, p in zip(sample_sentences, tagged) for a, b in zip(g.tags, p.tags))
    assert agree / sum(len(s.words) for s in sample_sentences) > 0.9
    # each sentence: the pure-Python decoder's best path under the corpus's word positions
    for g, p in list(zip(sample_sentences, tagged))[:25]:
        pos = LabelSet().encode_words(g.words)
        labels = reference.decode(codepoints(g.text).tolist(), small_joint_model,
                                  [1 << x for x in pos])
        ends = np.cumsum([len(w) for w in g.words]) - 1
        assert [lab & 3 for lab in labels] == pos
        assert tuple(small_joint_model.tags[labels[e] >> 2] for e in ends) == p.tags


def test_tags_from_moves_no_boundary_the_tagger_would_draw_elsewhere(small_joint_model):
    from hanlex.io.corpus import Sentence
    from hanlex.learn.recipes import tags_from

    odd = [Sentence(("中", "共中", "央总书记")), Sentence(()), Sentence(("https://a.cn", "！"))]
    out = tags_from(small_joint_model, odd)
    assert [s.words for s in out] == [s.words for s in odd]
    assert out[1].tags == () and len(out[0].tags) == 3 and len(out[2].tags) == 2


def test_tags_from_trains_a_joint_model_from_words_only(small_joint_model, small_model,
                                                        sample_sentences):
    from hanlex.io.corpus import Sentence
    from hanlex.learn.recipes import tags_from
    from hanlex.learn.trainer import TrainConfig, train

    with pytest.raises(ValueError, match="joint"):
        tags_from(small_model, _words_only(sample_sentences))
    with pytest.raises(ValueError, match="unknown tagset"):
        tags_from(small_joint_model, _words_only(sample_sentences), tagset="ud2")
    by_length = train([Sentence(s.words, tuple("long" if len(w) > 1 else "one" for w in s.words))
                       for s in sample_sentences[:40]],
                      config=TrainConfig(epochs=1, min_count=1, folds=2, joint=True))
    assert len(tags_from(by_length, _words_only(sample_sentences[:5]))) == 5
    with pytest.raises(ValueError, match="neither PKU nor upos"):
        tags_from(by_length, _words_only(sample_sentences), tagset="upos")
    upos = tags_from(small_joint_model, _words_only(sample_sentences), tagset="upos")
    pku = tags_from(small_joint_model, _words_only(sample_sentences))
    assert [s.tags for s in upos] == [tuple(convert(t, "upos") for t in s.tags) for s in pku]
    upos_model = train(upos, config=TrainConfig(epochs=2, min_count=1, folds=3, joint=True))
    text = sample_sentences[3].text
    assert Analyzer(upos_model).tag(text, "upos") == Analyzer(upos_model).tag(text)
    assert {t for _, t in Analyzer(upos_model).tag(text, "upos")} - {"X"}
    with pytest.raises(ValueError, match="neither PKU nor"):
        Analyzer(by_length).tag(text, "upos")
    silver = tags_from(small_joint_model, _words_only(sample_sentences))
    m = train(silver, config=TrainConfig(epochs=3, min_count=1, folds=3, joint=True,
                                         cand_min_count=2))
    assert len(m.tags) > 5 and set(m.tags) <= set(small_joint_model.tags)
    words = Analyzer(m).tag(sample_sentences[3].text)
    assert "".join(w for w, _ in words) == sample_sentences[3].text
