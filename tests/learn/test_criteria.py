"""Corpora of two annotation standards in one model (learn.criteria)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from hanlex import Analyzer
from hanlex.io.corpus import Sentence
from hanlex.learn.trainer import TrainConfig, train

# criterion 0 writes names as surname + given name, criterion 1 whole
SPLIT = [Sentence(("江", "泽民", "说", "好")), Sentence(("我们", "去", "北京")),
         Sentence(("江", "泽民", "去", "北京"))]
WHOLE = [Sentence(("江泽民", "说", "好")), Sentence(("江泽民", "去", "北京", "了"))]


def test_the_model_decodes_in_criterion_zeros_standard():
    cfg = TrainConfig(epochs=4, min_count=1, folds=2)
    mixed = SPLIT * 10 + [replace(s, criterion=1) for s in WHOLE] * 30
    assert Analyzer(train(mixed, config=cfg)).cut("江泽民说好") == ["江", "泽民", "说", "好"]
    # as one corpus, the larger one's standard wins
    concat = SPLIT * 10 + WHOLE * 30
    assert Analyzer(train(concat, config=cfg)).cut("江泽民说好") == ["江泽民", "说", "好"]


def test_other_standards_still_teach_what_they_share():
    """A word only criterion 1's sentences have is learned for criterion 0 too."""
    cfg = TrainConfig(epochs=4, min_count=1, folds=2)
    new = [replace(Sentence(("他们", "喜欢", "元宇宙", "了")), criterion=1)] * 20
    model = train(SPLIT * 10 + new, config=cfg)
    assert Analyzer(model).cut("他们喜欢元宇宙了") == ["他们", "喜欢", "元宇宙", "了"]


def test_private_features_stay_out_of_the_shared_ones():
    """They are kept as the other standard's weights, keyed as the shared features."""
    from hanlex.learn.trainer import Trainer

    cfg = TrainConfig(epochs=2, min_count=1, folds=2)
    mixed = SPLIT * 5 + [replace(s, criterion=1) for s in WHOLE] * 5
    trainer = Trainer(mixed, config=cfg)
    assert set(trainer.criteria.rows) == set(range(15, 25))  # the criterion-1 sentences
    model = trainer.fit()
    assert len(trainer.criteria.keys) > 0 and np.abs(trainer.criteria.W).sum() > 0
    assert not np.isin(trainer.criteria.keys, model.feature_keys).any()
    assert np.isin(model.feature_keys, trainer.feature_keys).all()
    own = model.standards["standard1"]
    assert len(own.keys) and np.isin(own.keys, trainer.feature_keys).mean() > 0.5


def test_split_kinds_come_from_criterion_zero():
    """The Weibo corpus splits @mentions; the main standard's whole mentions stay whole."""
    cfg = TrainConfig(epochs=2, min_count=1, folds=2)
    weibo = [Sentence(("@", "头条", "新闻", "：", "说", "好"), criterion=1)] * 12
    main = [Sentence(("@人民日报", "：", "说", "好"))] * 12
    model = train(main + weibo, config=cfg)
    assert model.split_spans == ()
    assert "@头条新闻" in Analyzer(model).cut("@头条新闻：说好")


def test_the_saved_tag_dictionary_is_the_main_standards():
    """Training may take every corpus's tags for a character; the model keeps the
    main standard's, so borrowed tags do not widen (and slow) its Viterbi."""
    from hanlex.learn.trainer import Trainer

    main = [Sentence(("我们", "好"), ("r", "a"))] * 6
    other = [Sentence(("我们好",), ("n",), criterion=1)] * 6
    cfg = TrainConfig(epochs=2, min_count=1, folds=2, joint=True, cand_min_count=2)
    trainer = Trainer(main + other, config=cfg)
    model = trainer.fit()
    masks = dict(zip(model.cand_keys.tolist(), np.asarray(model.cand_masks).tolist()))
    wide = dict(zip(trainer.cand_keys.tolist(), np.asarray(trainer.cand_masks).tolist()))
    n_tag = model.tags.index("n")
    key = [k for k in masks if masks[k] != wide[k]]
    assert key  # 我, 们 and 好 were seen with n only in the other corpus
    for k in key:
        bits = sum(bin(w).count("1") for w in masks[k])
        assert bits < sum(bin(w).count("1") for w in wide[k])
        assert not (masks[k][(4 * n_tag) // 64] >> ((4 * n_tag) % 64)) & 0xF
    # the other standard keeps the labels its own corpus gives (我们好/n)
    other_masks = dict(zip(model.standards["standard1"].candidates[0].tolist(),
                           np.asarray(model.standards["standard1"].candidates[1]).tolist()))
    for k in key:
        assert other_masks[k] == wide[k]


def test_a_main_sentence_annotated_again_leaves_lexicon_and_features_alone():
    """People's Daily with names whole beside People's Daily: the copies teach
    their standard's private weights only; the lexicons, the feature index and
    the folds are those of the main corpus alone."""
    from hanlex.learn.trainer import Trainer

    main = SPLIT * 6 + [Sentence(("我们", "去", "上海"))] * 6
    copies = [replace(s, words=("江泽民",) + s.words[2:], criterion=1)
              for s in main if s.words[0] == "江"]
    cfg = TrainConfig(epochs=2, min_count=2, folds=3)
    alone, both = Trainer(main, config=cfg), Trainer(main + copies, config=cfg)
    assert set(both.reannotated) == set(range(len(main), len(main) + len(copies)))
    assert np.array_equal(alone.feature_keys, both.feature_keys)
    assert np.array_equal(alone.lex_keys, both.lex_keys)
    for copy, original in both.reannotated.items():
        assert both.which[copy] == both.which[original]
    model = both.fit()
    assert Analyzer(model).cut("江泽民去北京") == ["江", "泽民", "去", "北京"]
    assert Analyzer(model, standard="standard1").cut("江泽民去北京") == ["江泽民", "去", "北京"]
