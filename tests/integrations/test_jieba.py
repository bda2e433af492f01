"""Adapters for code written for other tools (hanlex.integrations)."""
from __future__ import annotations

import io

import pytest

from hanlex import Analyzer
from hanlex.errors import ConfigError
from hanlex.integrations.jieba import Pair, Tokenizer
from hanlex.integrations.jieba.posseg import JIEBA_NAMES


@pytest.fixture(scope="module")
def plain():
    return Analyzer()


def test_jieba_calls_give_hanlex_words(plain):
    jieba = Tokenizer()
    text = "中华人民共和国成立了，我爱北京天安门"
    assert jieba.lcut(text) == plain.cut(text)
    assert list(jieba.cut(text, HMM=False)) == plain.cut(text)
    assert jieba.lcut_for_search(text) == list(jieba.cut_for_search(text)) == plain.cut_for_search(text)
    toks = list(jieba.tokenize(text))
    assert [w for w, _, _ in toks] == plain.cut(text)
    assert all(text[a:b] == w for w, a, b in toks)
    assert [w for w, _, _ in jieba.tokenize(text, mode="search")] == plain.cut_for_search(text)
    assert jieba.lcut(text.encode("utf-8")) == jieba.lcut(text.encode("gbk")) == plain.cut(text)
    # full mode: each word, and before it the dictionary words inside it, by start
    full = jieba.lcut(text, cut_all=True)
    assert sorted(full) == sorted(plain.cut_for_search(text))
    assert full.index("中华") < full.index("中华人民共和国") < full.index("人民")
    with pytest.raises(ValueError, match="unicode"):
        list(jieba.tokenize(text.encode("utf-8")))


def test_jieba_posseg_pairs(plain):
    jieba = Tokenizer()
    pairs = jieba.posseg.lcut("我爱北京")
    assert pairs == [Pair(w, JIEBA_NAMES.get(t, t)) for w, t in plain.tag("我爱北京")]
    word, flag = pairs[-1]
    assert (word, flag) == (pairs[-1].word, pairs[-1].flag) == ("北京", "ns")


def test_jieba_user_words(tmp_path, plain):
    text = "他喝蓝瓶咖啡，研究区块链技术和新冠肺炎"
    assert "蓝瓶咖啡" not in plain.cut(text)
    jieba = Tokenizer()
    d = tmp_path / "userdict.txt"
    d.write_text("\ufeff# mine\n蓝瓶咖啡 3 nz\n区块链技术 5\n\n新冠肺炎 n\n", encoding="utf-8")
    jieba.load_userdict(str(d))
    words = jieba.lcut(text)
    assert {"蓝瓶咖啡", "区块链技术", "新冠肺炎"} <= set(words)
    assert ("蓝瓶咖啡", "nz") in jieba.posseg.lcut(text) and ("新冠肺炎", "n") in jieba.posseg.lcut(text)
    assert "蓝瓶咖啡" not in Tokenizer().lcut(text)  # no state shared between tokenizers
    other = Tokenizer()
    other.load_userdict(io.StringIO("蓝瓶咖啡\n"))
    other.add_word("喝蓝", tag="v")
    assert other.lcut(text)[:3] == ["他", "喝", "蓝瓶咖啡"]  # overlapping user words: the longer
    assert other.lcut("喝蓝") == ["喝蓝"]
    with pytest.raises(ValueError, match="tag='nz'"):
        other.add_word("蓝瓶咖啡", "nz")  # jieba's second argument is the frequency
    other.add_word("蓝瓶咖啡", 5, "nz")
    assert ("蓝瓶咖啡", "nz") in other.posseg.lcut(text)
    third = Tokenizer()
    third.suggest_freq(("区块链", "技术"), True)
    third.load_userdict(io.BytesIO("新冠肺炎 9 n\n".encode("utf-8")))
    assert {"区块链", "技术", "新冠肺炎"} <= set(third.lcut(text))
    with pytest.raises(ValueError, match=r"dict.txt:2: expected"):
        bad = tmp_path / "dict.txt"
        bad.write_text("好词\n坏 词 多 列\n", encoding="utf-8")
        Tokenizer().load_userdict(bad)


def test_del_word_and_a_missing_dictionary_as_in_jieba(tmp_path, plain):
    jieba = Tokenizer()
    jieba.add_word("天安门上")
    assert "天安门上" in jieba.lcut("天安门上太阳升")
    jieba.del_word("天安门上")
    assert jieba.lcut("天安门上太阳升") == plain.cut("天安门上太阳升")
    with pytest.raises(FileNotFoundError):
        jieba.load_userdict(str(tmp_path / "missing.txt"))


def test_jieba_order_for_search(plain):
    """jieba gives the words inside a word before it, shorter first; hanlex's own
    order (by start offset, the word first) stays the default."""
    text = "中华人民共和国成立了"
    mine = Tokenizer().lcut_for_search(text)
    theirs = Tokenizer(search_order="jieba").lcut_for_search(text)
    assert sorted(mine) == sorted(theirs)
    assert mine[0] == "中华人民共和国"
    assert theirs.index("中华") < theirs.index("共和国") < theirs.index("中华人民共和国")


def test_jieba_calls_in_the_standard_asked_for(two_standard_model_file, sample_sentences):
    texts = [s.text for s in sample_sentences[:150]]
    joined = Analyzer(two_standard_model_file, standard="joined")
    jieba = Tokenizer(model=two_standard_model_file, standard="joined")
    assert jieba.analyzer.engine.standard == "joined"
    assert [jieba.lcut(t) for t in texts] == joined.cut_many(texts)
    assert [jieba.lcut(t) for t in texts] != Analyzer(two_standard_model_file).cut_many(texts)
    assert [jieba.posseg.lcut(t) for t in texts[:20]] == [
        [Pair(w, JIEBA_NAMES.get(f, f)) for w, f in joined.tag(t)] for t in texts[:20]]
    shipped = Analyzer().engine.standard  # the shipped model's default standard
    assert Tokenizer(standard=shipped).lcut("我爱北京天安门") == ["我", "爱", "北京", "天安门"]
    with pytest.raises(ConfigError, match="pku, joined"):
        Tokenizer(model=two_standard_model_file, standard="weibo")


def test_suggest_freq_with_a_tuple_keeps_only_that_pair_apart():
    """jieba's README example: each character of the tuple used to become a forced
    one-character word everywhere (中 国 科学院 ... 中 心)."""
    jieba = Tokenizer()
    assert jieba.suggest_freq(("中", "将"), True) == 0
    assert jieba.lcut("中国科学院在台中市设立中心") == ["中国", "科学院", "在", "台中市", "设立", "中心"]
    assert jieba.lcut("如果放到post中将出错。")[-4:-1] == ["中", "将", "出错"]
    assert jieba.suggest_freq("台中", True) == 1
    assert "台中" in jieba.lcut("「台中」正确应该不会被切开")
