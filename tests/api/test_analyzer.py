from __future__ import annotations

import pickle
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hanlex
from hanlex import Analyzer, Token

MIXED = st.lists(st.one_of(
    st.sampled_from(list("中国人民北京大学的了是在年月日一二三，。！？、　１２３ＡＢ")),
    st.characters(),
    st.sampled_from([" ", "\t", "\n", "\r\n", "\u3000", "😀", "👍🏽", "👨\u200d👩\u200d👧", "🇨🇳",
                     "e\u0301", "\x00", "\ud800", "http://a.cn/x", "a@b.com", "3.14%", "iPhone15",
                     "-5", "（", "(`∀´)", "@某人", "#话题#"]),
), max_size=40).map("".join)


@pytest.fixture(scope="module")
def an():
    return Analyzer()


def test_cut_basic(an):
    words = an.cut("我爱北京天安门")
    assert "".join(words) == "我爱北京天安门"
    assert "北京" in words and "天安门" in words


@pytest.mark.parametrize("segmenter", [True, False])
def test_year_typed_with_a_digit_zero_is_read_like_chinese_zero(segmenter):
    """二0一九年 must segment like 二〇一九年 (the zero is read as 〇), in both models."""
    an = Analyzer(segmenter=segmenter)
    for typed in ("二0一九年是不平凡的一年", "二０００年的春天", "公元二00一年九月"):
        chinese = typed.replace("0", "〇").replace("０", "〇")
        assert [len(w) for w in an.cut(typed)] == [len(w) for w in an.cut(chinese)]
        assert [len(w) for w, _ in an.tag(typed)] == [len(w) for w, _ in an.tag(chinese)]


@settings(max_examples=300, deadline=None)
@given(MIXED)
def test_lossless_and_offsets(text):
    an = hanlex.default_analyzer()
    toks = an.tokenize(text)
    assert "".join(t.word for t in toks) == text
    pos = 0
    for t in toks:
        assert t.start == pos and t.end > t.start
        assert text[t.start:t.end] == t.word
        pos = t.end
    assert pos == len(text)
    assert an.cut(text) == [t.word for t in toks]


@settings(max_examples=50, deadline=None)
@given(st.lists(MIXED, max_size=8))
def test_cut_many_equals_cut(texts):
    an = hanlex.default_analyzer()
    assert an.cut_many(texts) == [an.cut(t) for t in texts]


@settings(max_examples=300, deadline=None)
@given(MIXED)
def test_the_one_text_cut_path_equals_the_batch_path(text):
    """cut() of one text runs the compiled one-text path (CompiledModel.cut in
    decoding/_compiled.pyx) unless the text holds a combining mark; its words
    are cut_many's."""
    from hanlex.pretokenize.plan import _MARKS

    an = hanlex.default_analyzer()
    words = an._one_text.cut(text)
    assert (words is None) == bool(_MARKS.search(text))
    if words is not None:
        assert words == an.cut_many([text])[0]


SEARCH_TEXT = st.lists(st.one_of(MIXED, st.sampled_from(
    ["中华人民共和国", "北京大学生物系", "图书馆", "研究生", "中国人民银行"])), max_size=6).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(SEARCH_TEXT, max_size=5))
def test_search_mode_adds_dictionary_words_inside_long_words(texts):
    from reference import normalize_cps

    from hanlex.text.normalize import char_class, codepoints

    an = hanlex.default_analyzer()
    got = an.tokenize_many(texts, mode="search")
    assert [[t.word for t in toks] for toks in got] == an.cut_for_search_many(texts)
    for text, toks in zip(texts, got):
        words = an.tokenize(text)
        assert [t for t in toks if t.start == t.end] == []
        assert all(text[t.start:t.end] == t.word and t.tag is None for t in toks)
        # ordered by start, the longer first: offsets never go back (as indexers require)
        assert [(t.start, -t.end) for t in toks] == sorted((t.start, -t.end) for t in toks)
        spans = {(t.start, t.end) for t in words}
        assert spans <= {(t.start, t.end) for t in toks}
        for t in toks:
            if (t.start, t.end) in spans:
                continue
            outer = [w for w in words if w.start <= t.start and t.end <= w.end]
            assert len(outer) == 1 and len(outer[0].word) >= 3 and len(t.word) >= 2
            assert all(char_class(c) in (1, 5, 6) for c in normalize_cps(codepoints(t.word).tolist()))


def test_search_mode(an):
    assert an.cut("中华人民共和国成立了") == ["中华人民共和国", "成立", "了"]
    assert an.cut_for_search("中华人民共和国成立了")[:5] == ["中华人民共和国", "中华", "华人", "人民", "共和国"]
    user = Analyzer(user_dict=["区块链技术", "块链"])  # the longer user word is the one forced
    found = user.cut_for_search("区块链技术很火")
    rest = user.cut("区块链技术很火")[1:]  # the model's words after the forced one
    assert found[0] == "区块链技术" and found[-len(rest):] == rest
    assert "块链" in found and "技术" in found  # a user word, a model lexicon word
    assert "块链" not in an.cut_for_search("区块链技术很火")
    assert an.cut_for_search_many([]) == [] and an.cut_for_search("") == []
    with pytest.raises(ValueError, match="mode"):
        an.tokenize("你好", mode="fast")
    with pytest.raises(TypeError, match="cut_for_search"):
        an.cut_for_search_many("一句话")


def test_whitespace_runs_are_their_own_tokens(an):
    words = an.cut("北京  上海\t\n广州")
    assert words[1] == "  " and words[3] == "\t\n"


@pytest.mark.parametrize("span", ["https://example.com/a/b?x=1&y=2", "someone@example.org",
                                  "3.14%", "１２３", "1,000.5", "10:30", "１８：２５:07", "3∶0",
                                  "2026-12-02", "iPhone15", "👨\u200d👩\u200d👧",
                                  "🇨🇳", "👍🏽"])
def test_atomic_spans_stay_whole(an, span):
    words = an.cut(f"我们看到{span}了")
    assert any(span in w for w in words), words
    if not span[0].isdigit() and span not in ("１２３",):
        assert span in words, words


def test_url_ends_before_an_emoji(an):
    assert an.cut("看https://t.cn/x😀") == ["看", "https://t.cn/x", "😀"]
    assert an.cut("https://t.cn/x👉🏽看")[:2] == ["https://t.cn/x", "👉🏽"]


def test_hashtags_and_programming_languages(an):
    assert "#双十一#" in an.cut("#双十一#今晚开抢")
    assert "#GPT4" in an.cut("聊聊#GPT4 模型")
    # a Chinese hashtag without its closing # has no end: left to the model
    assert all(len(w) < 4 for w in an.cut("参加#双十一今晚开抢") if w.startswith("#"))
    words = an.cut("学C#语言")  # the model decides whether 学 joins the Latin word
    assert words[-1] == "语言" and any(w.endswith("C#") for w in words)
    assert "C++" in an.cut("用C++编程") and "F#" in an.cut("C#和F#")


def test_module_level_functions():
    assert hanlex.cut("你好") == hanlex.default_analyzer().cut("你好")
    assert isinstance(hanlex.tokenize("你好")[0], Token)
    assert hanlex.cut_many(["你好", ""]) == [hanlex.cut("你好"), []]
    # the analyzer behind them is shared by every caller: it takes no words
    with pytest.raises(TypeError, match="with_user_dict"):
        hanlex.default_analyzer().add_word("你好吗")
    mine = hanlex.default_analyzer().with_user_dict(["好吗"])
    mine.add_word("你好吗")
    assert mine.cut("你好吗") == ["你好吗"] and hanlex.cut("你好吗") != ["你好吗"]


def test_empty_and_type_errors(an):
    assert an.cut("") == []
    assert an.tokenize("") == []
    with pytest.raises(TypeError, match="decode bytes"):
        an.cut(b"bytes")  # type: ignore[arg-type]
    for many in (an.cut_many, an.tokenize_many, an.tag_many):
        with pytest.raises(TypeError, match="list of strings"):
            many("一句话")


def test_pickle_is_cheap_and_equivalent(an, small_model, tmp_path):
    data = pickle.dumps(an)
    assert len(data) < 1000  # the path, not the arrays
    assert pickle.loads(data).cut("中华人民共和国成立了") == an.cut("中华人民共和国成立了")
    mem = Analyzer(small_model)  # no path: pickled as model bytes
    assert pickle.loads(pickle.dumps(mem)).cut("中国人民") == mem.cut("中国人民")


def test_threads_give_serial_output(an):
    texts = [f"第{i}次会议在北京召开，代表们讨论了{i}项议题。" * (1 + i % 5) for i in range(200)]
    serial = [an.cut(t) for t in texts]
    with ThreadPoolExecutor(8) as pool:
        parallel = list(pool.map(an.cut, texts))
    assert parallel == serial
    batches = [texts[i:i + 20] for i in range(0, 200, 20)]
    with ThreadPoolExecutor(8) as pool:
        out = [w for b in pool.map(an.cut_many, batches) for w in b]
    assert out == serial


def test_no_global_state_between_analyzers(small_model):
    a = Analyzer(small_model)
    b = Analyzer()
    text = "中共中央总书记发表新年讲话"
    before = a.cut(text)
    b.cut(text)
    assert a.cut(text) == before
    assert threading.active_count() >= 1


def _cut_in_worker(args):
    an, text = args
    return an.cut(text)


def test_works_in_a_multiprocessing_pool(an):
    import multiprocessing as mp
    texts = ["我爱北京天安门", "中共中央总书记发表新年讲话", "今天天气很好"]
    with mp.get_context("spawn").Pool(2) as pool:
        out = pool.map(_cut_in_worker, [(an, t) for t in texts])
    assert out == [an.cut(t) for t in texts]
