"""Analyzer(lexicon=...): soft words the model weighs, beside the user dictionary's hard ones."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

from hanlex import Analyzer
from hanlex.errors import ConfigError

CLICK = "按钮,单击该按钮"  # computer-manual text: People's Daily's standard has no 单击


def test_a_lexicon_word_can_change_the_words_in_its_context():
    plain = Analyzer(standard="pku").cut(CLICK)
    assert "单击" not in plain
    assert Analyzer(standard="pku", lexicon=["单击"]).cut(CLICK) == ["按钮", ",", "单击", "该", "按钮"]
    tagged = Analyzer(standard="pku", lexicon=["单击"]).tag(CLICK)
    assert "单击" in [w for w, _ in tagged]


def test_a_lexicon_word_is_weighed_where_a_user_word_is_forced():
    assert Analyzer(lexicon=["京天"]).cut("我爱北京天安门") == ["我", "爱", "北京", "天安门"]
    assert "京天" in Analyzer(user_dict=["京天"]).cut("我爱北京天安门")


def test_the_words_join_the_lexicons_of_both_models(small_joint_model, small_model):
    from dataclasses import replace

    from hanlex.lexicon.compiled import compile_lexicon

    model = replace(small_joint_model, segmenter=small_model)
    added = model.with_words(["区块链", "元宇宙"])
    wanted, _ = compile_lexicon(["区块链", "元宇宙"])
    for m in (added, added.segmenter):
        assert np.isin(wanted, m.lexicon_keys).all()
        assert np.isin(model.lexicon_keys, m.lexicon_keys).all()
    assert not np.isin(wanted, model.lexicon_keys).all()  # the model itself is unchanged


def test_a_lexicon_pickles_as_its_words_and_reads_jieba_style_files(tmp_path):
    an = Analyzer(standard="pku", lexicon=["单击"])
    data = pickle.dumps(an)
    assert len(data) < 10_000  # the model's path and the words, not arrays
    back = pickle.loads(data)
    assert back.engine.lexicon_words == ("单击",) and back.cut(CLICK) == an.cut(CLICK)
    path = tmp_path / "words.txt"
    path.write_text("单击 10 v\n", encoding="utf-8")
    assert Analyzer(standard="pku", lexicon=path).cut(CLICK) == an.cut(CLICK)


def test_a_lexicon_needs_a_hanlex_model(thulac_dir):
    with pytest.raises(ConfigError, match="lexicon"):
        Analyzer(f"thulac:{thulac_dir}", lexicon=["单击"])
    with pytest.raises(ConfigError, match="lexicon"):
        Analyzer(Analyzer().engine, lexicon=["单击"])


def test_adapted_learns_the_words_of_texts_in_memory_and_keeps_the_settings():
    import random

    rng = random.Random(7)
    filler = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    texts = ["".join(rng.choice(filler) for _ in range(rng.randint(2, 6))) + "数位板"
             + "".join(rng.choice(filler) for _ in range(rng.randint(2, 6))) + "。" for _ in range(200)]
    base = Analyzer(standard="pku", user_dict=["区块链"])
    adapted = base.adapted(texts)
    assert "数位板" in adapted.engine.lexicon_words
    assert adapted.engine.standard == "pku" and "区块链" in adapted.user_dict.entries
    back = pickle.loads(pickle.dumps(adapted))
    assert back.engine.lexicon_words == adapted.engine.lexicon_words
    assert back.cut_many(texts[:20]) == adapted.cut_many(texts[:20])
