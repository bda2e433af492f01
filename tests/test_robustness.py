"""Real-world text: long lines in bounded pieces, marks, mentions, empty input."""
from __future__ import annotations

import subprocess
import sys

import pytest

import hanlex
from hanlex.cli import CLIError, _iter_input_pieces, _iter_input_units
from hanlex.corpus import Sentence
from hanlex.pretokenize import plan, split_kinds
from hanlex.train import TrainConfig, train


def test_long_line_is_cut_only_at_safe_places(tmp_path):
    text = "我们今天去北京大学参观，然后去天安门广场。" * 200
    p = tmp_path / "long.txt"
    p.write_text(text + "\n第二行\n", encoding="utf-8")
    pieces = list(_iter_input_pieces([str(p)], "strict", read_bytes=64))
    assert len(pieces) > 10
    assert "".join(t for t, _ in pieces) == text + "第二行"
    assert [e for _, e in pieces].count(True) == 2
    for t, ends in pieces:
        if not ends:
            assert t[-1] in "，。"  # never inside a word


def test_line_without_safe_place_is_still_bounded(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("字" * 5000, encoding="utf-8")
    pieces = list(_iter_input_pieces([str(p)], "strict", read_bytes=64))
    assert max(len(t) for t, _ in pieces) <= 4 * 64 + 64
    assert "".join(t for t, _ in pieces) == "字" * 5000


def test_invalid_utf8_offset_in_long_line(tmp_path):
    p = tmp_path / "bad.txt"
    data = ("中" * 100).encode("utf-8") + b"\xff" + "文\n".encode("utf-8")
    p.write_bytes(data)
    with pytest.raises(CLIError, match="byte offset 300"):
        list(_iter_input_pieces([str(p)], "strict", read_bytes=64))
    pieces = list(_iter_input_pieces([str(p)], "replace", read_bytes=64))
    assert "".join(t for t, _ in pieces) == "中" * 100 + "\ufffd文"


def test_split_multibyte_char_across_reads(tmp_path):
    p = tmp_path / "mb.txt"
    text = "一二三四五六七八九十，" * 50 + "😀" * 30
    p.write_text(text, encoding="utf-8")
    for size in (7, 13, 64):
        pieces = list(_iter_input_pieces([str(p)], "strict", read_bytes=size))
        assert "".join(t for t, _ in pieces) == text


def _units_as_pieces(units):
    """The (text, ends_line) pieces a unit stream stands for (lines split as
    the segment command splits them)."""
    for unit in units:
        if unit[0] == "lines":
            for line in unit[3].decode("utf-8").split("\n")[:-1]:
                yield line.rstrip("\r"), True
        else:
            yield unit[1], unit[2]


@pytest.mark.parametrize("data", [
    "\ufeff第一行\r\n\r\n第三行\r\r\n最后一行，没有换行".encode("utf-8"),
    ("开头\n" + "很长的一行，真的很长。" * 40 + "\n短行\n" * 30 + "尾巴").encode("utf-8"),
    "字".encode("utf-8") * 300,
    b"",
    b"\n\n\n",
    ("😀好\n" * 200).encode("utf-8"),
])
def test_units_stand_for_the_same_pieces(tmp_path, data):
    """The segment command reads whole-line byte blocks (so -j workers decode
    them); they must come to exactly the pieces of the line reader."""
    p = tmp_path / "in.txt"
    p.write_bytes(data)
    for size in (16, 64, 1 << 20):
        units = list(_iter_input_units([str(p), str(p)], "strict", read_bytes=size))
        assert list(_units_as_pieces(units)) == \
            list(_iter_input_pieces([str(p), str(p)], "strict", read_bytes=size))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_invalid_utf8_keeps_every_line_before_it(tmp_path, jobs):
    p = tmp_path / "bad.txt"
    p.write_bytes("好的\n".encode("utf-8") * 5000 + b"ab\xe4\xb8\n" + "后面\n".encode("utf-8"))
    r = subprocess.run([sys.executable, "-m", "hanlex.cli", "segment", "-j", jobs, str(p)],
                       capture_output=True)
    assert r.returncode == 2
    assert b"byte offset 35002" in r.stderr and b"Traceback" not in r.stderr
    assert r.stdout == "好 的\n".encode("utf-8") * 5000


def test_cli_long_line_output_equals_text(tmp_path):
    text = "新华社北京一月一日电，今天是新年的第一天。" * 3000
    p = tmp_path / "long.txt"
    p.write_text(text + "\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "hanlex.cli", "segment", str(p)],
                       capture_output=True, text=True)
    assert r.returncode == 0
    assert r.stdout.count("\n") == 1
    assert r.stdout.replace(" ", "").strip() == text


def test_empty_file_and_empty_lines(tmp_path):
    p = tmp_path / "e.txt"
    p.write_bytes(b"")
    r = subprocess.run([sys.executable, "-m", "hanlex.cli", "segment", str(p)],
                       capture_output=True)
    assert r.returncode == 0 and r.stdout == b""
    p.write_bytes(b"\n\n\n")
    r = subprocess.run([sys.executable, "-m", "hanlex.cli", "segment", str(p)],
                       capture_output=True)
    assert r.stdout == b"\n\n\n"


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


def test_a_model_of_a_splitting_standard_leaves_mentions_to_the_model(sample_sentences, tmp_path):
    weibo_like = [Sentence(("@", "头条", "新闻", "：", "今天", "#", "早安", "#")) for _ in range(12)]
    model = train(list(sample_sentences) + weibo_like, config=TrainConfig(epochs=3, min_count=1, folds=3))
    assert model.split_spans == ("hashtag", "mention")
    p = tmp_path / "m.hlx"
    model.save(p)
    loaded = hanlex.Model.load(p)
    assert loaded.split_spans == ("hashtag", "mention")
    info = subprocess.run([sys.executable, "-m", "hanlex.cli", "info", "--model", str(p)],
                          capture_output=True, text=True)
    assert info.returncode == 0 and "split spans\thashtag mention\n" in info.stdout
    _, _, _, mask, closed = plan(["请关注@头条新闻 #早安#"], frozenset(loaded.split_spans))
    assert closed == {} and mask.tolist() == [15] * len(mask)
    words = hanlex.Analyzer(loaded).cut("@头条新闻：今天#早安#")
    assert words[0] == "@" and "#早安#" not in words
    header = model.to_bytes().replace(b'"split_spans": ["hashtag", "mention"]', b'"split_spans": ["hashtag", "mentiox"]')
    with pytest.raises(hanlex.ModelFormatError, match="span kinds"):
        hanlex.Model.from_bytes(header, verify=False)


def test_brackets_without_a_face_are_not_a_text_face():
    from hanlex.pretokenize import spans
    assert [m.lastgroup for m in spans("（、）(1)（…）(-)（°）(一)(x)")] == ["number", "latin"]


def test_a_minus_in_a_range_is_not_a_sign():
    from hanlex.pretokenize import spans
    assert [m.group() for m in spans("第3-5名，A-5型，温度-5度")] == ["3", "5", "A", "5", "-5"]
    # ranges after a percent sign, a date unit or a bracket
    assert [m.group() for m in spans("4月4日-4月10日，20%-30%，(1)-2")] == [
        "4", "4", "4", "10", "20%", "30%", "1", "2"]


def test_urls_written_in_full_width_stay_whole():
    """Text converted to full width writes URL punctuation in full width too
    (the PKU test set has www.people.com.cn／sports); a URL still ends at
    full-width punctuation that no letter or digit follows."""
    from hanlex.pretokenize import spans
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


def test_closed_spans_get_sensible_tags():
    an = hanlex.default_analyzer()
    if not an.model.joint:
        pytest.skip("needs a tagging model")
    tags = dict(an.tag("访问https://a.cn/x或发邮件a@b.com😀"))
    assert tags["https://a.cn/x"] == "nx" and tags["a@b.com"] == "nx" and tags["😀"] == "w"


def test_open_spans_at_once_equal_one_by_one():
    import random

    import numpy as np

    from hanlex.pretokenize import open_span, open_spans

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
    from hanlex.pretokenize import MAX_SEGMENT

    # no punctuation, so the run is cut hard near MAX_SEGMENT: the numbers'
    # constraints must already be in the mask when the cut is chosen
    text = ("１２３４５６７８９" + "字") * (3 * MAX_SEGMENT // 10)
    joined, segments, _, mask, _ = plan([text])
    assert len(segments) > 2
    assert segments[0][0] == 0 and segments[-1][1] == len(text)
    for (a, b), (c, _) in zip(segments, segments[1:]):
        assert b == c and text[b - 1] == "字"
    words = hanlex.cut(text)
    assert "".join(words) == text and "１２３４５６７８９" in words
