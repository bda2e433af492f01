from __future__ import annotations

import random

import numpy as np
import pytest
from conftest import ALPHABET

import hanlex
from hanlex import Analyzer
from hanlex.io.corpus import Sentence
from hanlex.pretokenize.patterns import pattern, spans
from hanlex.pretokenize.plan import MAX_SPAN, plan, split_kinds
from hanlex.text.normalize import CLASS_NAMES, char_class


@pytest.mark.parametrize("text,whole", [
    ("请关注@人民日报 的消息", "@人民日报"),
    ("今天的话题是#春节回家#大家说说", "#春节回家#"),
    ("I love #python so much", "#python"),
    ("café au lait", "café"),
    ("e\u0301te\u0301 plage", "e\u0301te\u0301"),
    ("Москва和北京", "Москва"),
    ("今天气温-5℃", "-5"),
    ("最低－５℃左右", "－５"),
    ("下降−3.5%", "−3.5%"),
    ("好开心(`∀´)哈哈", "(`∀´)"),
    ("今天（＾▽＾）出发", "（＾▽＾）"),
    ("我超喜欢くまモン的", "くまモン"),
    ("去看ｺﾅﾝ吧", "ｺﾅﾝ"),
])
def test_atomic_words(text, whole):
    assert whole in hanlex.cut(text)


def test_split_kinds_follow_the_training_standard(sample_sentences):
    weibo_like = [Sentence(("@", "头条", "新闻", "：", "今天", "#", "早安", "#")) for _ in range(12)]
    assert split_kinds(weibo_like) == ("hashtag", "mention")
    assert split_kinds(weibo_like[:9]) == ()  # too little evidence: kept whole
    assert split_kinds([Sentence(("@人民日报", "：", "说"))] * 12) == ()
    assert split_kinds(sample_sentences) == ()  # People's Daily has no mentions


def test_brackets_without_a_face_are_not_a_text_face():
    from hanlex.pretokenize.patterns import spans
    assert [m.lastgroup for m in spans("（、）(1)（…）(-)（°）(一)(x)")] == ["number", "latin"]


def test_a_minus_in_a_range_is_not_a_sign():
    from hanlex.pretokenize.patterns import spans
    assert [m.group() for m in spans("第3-5名，温度-5度")] == ["3", "5", "-5"]
    # ranges after a percent sign, a date unit or a bracket
    assert [m.group() for m in spans("4月4日-4月10日，20%-30%，(1)-2")] == [
        "4", "4", "4", "10", "20%", "30%", "1", "2"]


@pytest.mark.parametrize("text,whole", [
    ("Llama-3.1-70B模型", "Llama-3.1-70B"),
    ("SK-II神仙水", "SK-II"),
    ("COVID-19疫情", "COVID-19"),
    ("A-5型", "A-5"),
    ("Wi-Fi信号", "Wi-Fi"),
    ("我国歼-20战机", "歼-20"),
    ("运-20B运输机", "运-20B"),
    ("北溪-2管道", "北溪-2"),
    ("“西方-2025”军演", "西方-2025"),
])
def test_a_hyphen_inside_a_name_joins_it(text, whole):
    # no boundary inside the name (the model may still join a unit after it: A-5型)
    a = text.index(whole)
    for words in (hanlex.cut(text), [w for w, _ in hanlex.tag(text)]):
        bounds = set(np.cumsum([len(w) for w in words]).tolist())
        assert not bounds & set(range(a + 1, a + len(whole))), words


@pytest.mark.parametrize("text,number", [
    ("温度-5℃", "-5"), ("增长-3.5%", "-3.5%"), ("降至-10点", "-10"), ("不低于-30基点", "-30"),
    ("为-0.7个百分点", "-0.7"), ("气温－５度", "－５"),
])
def test_a_minus_after_chinese_stays_a_sign_before_units_decimals_and_verbs(text, number):
    assert [m.group() for m in spans(text)] == [number]
    assert any(w.startswith(number) for w in hanlex.cut(text))  # -10点 is a time word


def test_a_sign_begins_its_word_in_both_scanners():
    """A sign read as a number's (not a range's or a name's hyphen) never
    continues a word from the character before: 气温|-5, 降至|－10."""
    from hanlex.pretokenize.masks import ALLOW_ANY, ALLOW_B, ALLOW_M
    from hanlex.pretokenize.plan import fast_plan
    texts = ["今天气温-5℃左右", "降至－10点", "增长−3.5%", "第3-5名", "A-5型"]
    for found in (plan(texts), fast_plan(texts)):
        def at(piece, i):
            return int(found.mask[found.text.index(piece) + i])
        assert [at("-5℃", 0), at("－10", 0), at("−3.5", 0)] == [ALLOW_B] * 3
        assert at("3-5", 1) == ALLOW_ANY and at("A-5", 1) == ALLOW_M


def test_a_range_of_counted_things_is_no_series_name():
    assert [(m.lastgroup, m.group()) for m in spans("01星-06星")] == [
        ("number", "01"), ("number", "-06")]


def test_urls_run_over_non_ascii_paths_to_whitespace_or_closing_punctuation():
    for text, url in (("访问https://www.example.com/路径?q=中文&x=1 然后", "https://www.example.com/路径?q=中文&x=1"),
                      ("见https://zh.wikipedia.org/wiki/北京。好", "https://zh.wikipedia.org/wiki/北京"),
                      ("见http://a.cn/北京）好", "http://a.cn/北京")):
        assert url in hanlex.cut(text)
    assert "www.gov.cn" in hanlex.cut("请登录www.gov.cn了解")  # no path: Chinese ends it


def test_full_width_hashtags_stay_whole():
    assert "＃春节回家＃" in hanlex.cut("今天的话题是＃春节回家＃大家说说")
    assert [m.group() for m in spans("＃１＃和#a#")] == ["＃１＃", "#a#"]


def test_urls_written_in_full_width_stay_whole():
    """Text converted to full width writes URL punctuation in full width too
    (the PKU test set has www.people.com.cn／sports); a URL still ends at
    full-width punctuation that no letter or digit follows."""
    from hanlex.pretokenize.patterns import spans
    for url in ("www.people.com.cn／sports", "www.in－paku.go.jp", "ｗｗｗ．ａ．ｃｎ／ｘ",
                "ＨＴＴＰ：／／ａ．ｃｎ／ｘ？ｑ＝１"):
        assert [(m.lastgroup, m.group()) for m in spans(f"见{url}。")] == [("url", url)]
        assert url in hanlex.cut(f"网址{url}，欢迎")
    assert [m.group() for m in spans("见www.a.cn／？好，www.b.cn，abc")] == ["www.a.cn", "www.b.cn", "abc"]


def test_combining_mark_stays_with_its_base():
    text = "中\u0301文字\u20dd好"
    words = hanlex.cut(text)
    assert "".join(words) == text
    assert not any(w[0] in "\u0301\u20dd" for w in words)


def test_open_spans_at_once_equal_one_by_one():
    import random

    from hanlex.pretokenize.masks import open_span, open_spans

    rng = random.Random(3)
    for _ in range(200):
        n = rng.randint(0, 80)
        cuts = sorted(rng.sample(range(n + 1), min(n + 1, rng.randint(0, 12))))
        bounds = [x for a, b in zip(cuts[::2], cuts[1::2]) if b - a >= 2 for x in (a, b)]
        start = np.array([rng.randint(1, 15) for _ in range(n)], dtype=np.uint8)
        one, together = start.copy(), start.copy()
        for a, b in zip(bounds[::2], bounds[1::2]):
            open_span(one, a, b)
        open_spans(together, bounds)
        assert np.array_equal(one, together)


def test_a_long_run_is_never_cut_inside_a_number():
    from hanlex.pretokenize.plan import MAX_SEGMENT

    # no punctuation, so the run is cut hard near MAX_SEGMENT: the numbers'
    # constraints must already be in the mask when the cut is chosen
    text = ("１２３４５６７８９" + "字") * (3 * MAX_SEGMENT // 10)
    segments = plan([text]).segments
    assert len(segments) > 2
    assert segments[0][0] == 0 and segments[-1][1] == len(text)
    for (a, b), (c, _) in zip(segments, segments[1:]):
        assert b == c and text[b - 1] == "字"
    words = hanlex.cut(text)
    assert "".join(words) == text and "１２３４５６７８９" in words


def test_spans_equal_finditer():
    rng = random.Random(3)
    pool = ALPHABET + list("https://a.cn/x?q=1 a.b@c.com @某人 #话题# ３．１４％ 1,000.5 iPhone15 Ωμέγα"
                           "-５－−%日)（）(`∀´^_^)くまモン・ｺﾅﾝﾟ")
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        assert [m.span() + (m.lastgroup,) for m in spans(text)] == \
            [m.span() + (m.lastgroup,) for m in pattern().finditer(text)]
        split = frozenset({"mention", "hashtag"})
        assert [m.span() for m in spans(text, split)] == \
            [m.span() for m in pattern(split).finditer(text)]


def _same_plan(a, b):
    assert a.text == b.text
    assert np.array_equal(np.asarray(a.segments, dtype=np.int64).reshape(-1, 2),
                          np.asarray(b.segments, dtype=np.int64).reshape(-1, 2))
    assert a.spaces == b.spaces and a.closed == b.closed
    assert np.array_equal(a.mask, b.mask)


def test_compiled_scan_equals_plan():
    from hanlex.pretokenize.plan import MAX_SEGMENT, fast_plan

    rng = random.Random(5)
    pool = ALPHABET + list("https://a.cn/路径?q=1 a.b@c.com @某人 #话题# ＃话题＃ ３．１４％ 1,000.5 iPhone15 "
                           "歼-20 COVID-19 -５－−%日)（）(`∀´^_^)くまモン・ｺﾅﾝﾟ\u20dd\U000E0100\U0001F3FB")
    for _ in range(3000):
        texts = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
                 for _ in range(rng.randint(0, 4))]
        for split in (frozenset(), frozenset({"mention", "hashtag"})):
            _same_plan(plan(texts, split), fast_plan(texts, split))
    long_run = ["前言" + "１２３字" * MAX_SEGMENT, "后记"]  # cut at sentence marks: plan() does it
    _same_plan(plan(long_run), fast_plan(long_run))


def test_scan_table_is_the_may_start_class():
    from hanlex.pretokenize.patterns import _MAY_START, may_start_table

    table = may_start_table()
    assert all(bool(table[c]) == bool(_MAY_START.match(chr(c))) for c in range(0x10000))


# ------------------------------------------------------------ issue 36: rules the README promises

def test_a_url_with_a_chinese_host_and_path_is_one_token():
    url = "https://例子.中国/路径/文件?查询=值#片段"
    assert [(m.lastgroup, m.group()) for m in spans(url)] == [("url", url)]


@pytest.mark.parametrize("text, url", [
    ("见https://example.com/path看看", "https://example.com/path"),  # Latin, then Chinese
    ("见https://example.com/北京/abc看看", "https://example.com/北京/abc"),
    ("请看https://a.com/x?q=中国&p=1 好", "https://a.com/x?q=中国&p=1"),
    ("www.people.com.cn／sports，好", "www.people.com.cn／sports"),
])
def test_a_url_ends_where_its_path_segment_changes_script(text, url):
    assert [m.group() for m in spans(text) if m.lastgroup == "url"] == [url]


def test_latin_runs_longer_than_a_segment_stay_whole():
    an = Analyzer()
    assert [len(w) for w in an.cut("x" * 5000)] == [5000]
    assert an.cut("我" + "b" * 3000 + "你") == ["我", "b" * 3000, "你"]
    # past MAX_SPAN a run is cut, to keep decoding memory bounded
    assert [len(w) for w in an.cut("y" * (MAX_SPAN + 10))][0] == MAX_SPAN


@pytest.mark.parametrize("text, run", [("韩国人说안녕하세요然后走了", "안녕하세요"),
                                       ("我们去泰国说สวัสดีครับ然后回家", "สวัสดีครับ"),
                                       ("维吾尔文ئۇيغۇرچە好", "ئۇيغۇرچە")])
def test_runs_of_other_scripts_are_one_word(text, run):
    an = Analyzer()
    assert run in an.cut(text) and (run, "nx") in an.tag(text)


def test_a_combining_accent_reads_as_its_precomposed_letter():
    an = Analyzer()
    assert an.cut("e\u0301字母") == ["e\u0301", "字母"]  # was one word
    assert an.cut("\u00e9字母") == ["\u00e9", "字母"]


def test_every_cjk_extension_is_han():
    han = CLASS_NAMES.index("han")
    for c in (0x3400, 0x20000, 0x2A6A5, 0x2B740, 0x30EDE, 0x31350, 0x323AF):  # A, B, C-F, G, H
        assert char_class(c) == han, hex(c)
    assert [m.group() for m in spans("@王𠀀明 你好")] == ["@王𠀀明", " "]


def test_the_scanner_s_matcher_matches_as_the_pattern_does():
    """matcher() compiles the URL alternative apart and tries it only where a URL
    can begin: the same match as pattern() at every position, with and without
    the kinds a standard splits."""
    from conftest import random_texts

    from hanlex.pretokenize.patterns import matcher
    from hanlex.pretokenize.plan import fast_plan

    texts = random_texts(3, 300, "https://例子.中国/路径 www.a.com/x看 ｗｗｗ．ｂ．ｃｎ a@b.cn #话题# @某人 GPT-4 12.5%")
    texts += ["见https://zh.wikipedia.org/wiki/北京市看看", "ftp://x.y/z?q=1#f 和 WWW.X.ORG"]
    for split in (frozenset(), frozenset({"url"}), frozenset({"url", "email"}), frozenset({"emoji"})):
        whole, parts = pattern(split).match, matcher(split)
        for t in texts:
            for pos in range(len(t)):
                a, b = whole(t, pos), parts(t, pos)
                assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup)), (t, pos)
        _same_plan(plan(texts, split), fast_plan(texts, split))  # the scanner's own URL check
