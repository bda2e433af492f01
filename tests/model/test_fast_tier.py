"""The shipped fast tier (`Analyzer("fast")`, `--model fast`): a second, segmentation-only
model distilled from the default by bench/build_fast.py."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hanlex import Analyzer
from hanlex._core.features import extract_keys
from hanlex._core.templates import Template
from hanlex.errors import ConfigError
from hanlex.lexicon.compiled import lexicon_index
from hanlex.model.model import Model, model_file, shipped_model_path
from hanlex.text.normalize import codepoints

TEXT = "中共中央总书记、国家主席江泽民发表新年讲话，王沪宁在小红书上说：打工人也关心元宇宙。"


@pytest.fixture(scope="module")
def fast():
    return Analyzer("fast")


def test_the_name_fast_loads_the_shipped_fast_tier():
    assert model_file("fast") == shipped_model_path("fast")
    assert os.path.exists(shipped_model_path("fast"))
    assert model_file("./fast") == "./fast"  # a file of that name is a path
    m = Model.load(model_file("fast"))
    assert m.meta["tier"] == "fast" and m.segmenter is None
    assert len(m.tags) == 1  # segmentation only
    default = Model.load(model_file("default"))
    assert m.default_standard == default.default_standard
    assert set(m.standards) | {m.standard} == set(default.standards) | {default.standard}


def test_the_fast_tier_has_no_hashed_template_weights():
    m = Model.load(model_file("fast"))
    empty = lexicon_index(np.zeros(0, np.uint64), np.zeros(0, np.int32))
    keys = extract_keys(codepoints(TEXT * 3), empty, 8)
    for t in (Template.T_SKIP, Template.T_TRIGRAM):
        assert not np.isin(keys[:, t], m.feature_keys).any()
        for s in m.standards.values():
            assert not np.isin(keys[:, t], s.keys).any()
    assert np.isin(keys[:, Template.T_PAIR_M1], m.feature_keys).any()
    assert len(m.feature_keys) < len(Model.load(model_file("default")).segmenter.feature_keys) / 4


def test_the_fast_tier_segments_like_the_default_on_plain_news(fast):
    words = fast.cut(TEXT)
    assert "".join(words) == TEXT
    default = Analyzer().cut(TEXT)
    same = len(set(words) & set(default))
    assert same >= 0.9 * len(default)
    for w in ("江泽民", "国家", "主席", "小红书", "元宇宙", "打工人"):
        assert w in words


def test_the_fast_tier_writes_every_standard_of_the_default(fast):
    assert fast.cut("江泽民") == ["江泽民"]
    assert Analyzer("fast", standard="pku").cut("江泽民") == ["江", "泽民"]
    assert "".join(Analyzer("fast", standard="weibo").cut(TEXT)) == TEXT


def test_the_fast_tier_has_no_tags_and_says_what_to_use(fast):
    with pytest.raises(ConfigError, match=r"Analyzer\(\)"):
        fast.tag("你好")


def test_user_words_hold_in_the_fast_tier():
    an = Analyzer("fast", user_dict=["总书记、国家"])
    assert "总书记、国家" in an.cut(TEXT)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("中国人民北京大学的了是在，。 a1😀@#\u3000\x00")
                                        ), max_size=40))
def test_the_fast_tier_is_lossless(text):
    fast = Analyzer("fast")
    toks = fast.tokenize(text)
    assert "".join(t.word for t in toks) == text
    assert fast.cut_many([text, text]) == [fast.cut(text)] * 2


def test_the_command_line_takes_model_fast(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(TEXT + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "hanlex", "segment", "--model", "fast", str(src)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.replace(" ", "") == TEXT + "\n"
    assert out.stdout.split() == Analyzer("fast").cut(TEXT)
