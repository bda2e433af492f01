"""Tokens with tags together, and a streaming API in bounded memory (issue 23)."""
from __future__ import annotations

import itertools

import pytest

import hanlex
from hanlex import Analyzer
from hanlex.errors import ConfigError


@pytest.fixture(scope="module")
def an():
    return hanlex.default_analyzer()


def test_tokenize_with_pos_gives_offsets_and_the_tags_of_tag(an):
    text = "我爱北京天安门， GPT-4 发布了"
    toks = an.tokenize(text, pos=True)
    assert [(t.word, t.tag) for t in toks] == an.tag(text)
    assert all(text[t.start:t.end] == t.word for t in toks)
    assert [t.tag for t in an.tokenize("我爱北京", pos=True, tagset="upos")] == [
        tag for _, tag in an.tag("我爱北京", tagset="upos")]


def test_pos_tokens_need_a_joint_model_and_no_search_mode(an, small_model):
    with pytest.raises(ConfigError):
        Analyzer(small_model).tokenize("我爱北京", pos=True)
    with pytest.raises(ConfigError):
        an.tokenize("中华人民共和国", mode="search", pos=True)


def test_pipe_yields_one_result_per_text_in_order(an):
    texts = ["我爱北京", "", "  ", "天安门上太阳升"] * 7
    assert list(an.pipe(texts, batch_size=3)) == an.cut_many(texts)
    assert list(an.pipe(texts, batch_size=5, pos=True)) == an.tag_many(texts)
    assert list(an.pipe(iter(texts), batch_size=4, tokens=True)) == an.tokenize_many(texts)
    tagged = list(an.pipe(texts, batch_size=2, pos=True, tokens=True))
    assert [[(t.word, t.tag) for t in ts] for ts in tagged] == an.tag_many(texts)


def test_pipe_reads_its_input_lazily(an):
    """An endless stream: results come batch by batch, never reading far ahead."""
    read = []

    def endless():
        for n in itertools.count():
            read.append(n)
            yield f"第{n}句话"

    first = list(itertools.islice(an.pipe(endless(), batch_size=10), 25))
    assert len(first) == 25 and len(read) <= 30


def test_pipe_checks_its_arguments_at_once(an, small_model):
    with pytest.raises(ValueError):
        an.pipe(["x"], batch_size=0)
    with pytest.raises(TypeError):
        an.pipe("一个字符串")
    with pytest.raises(ConfigError):
        Analyzer(small_model).pipe(["x"], pos=True)
