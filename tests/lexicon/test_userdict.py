"""User dictionaries are constraints inside Viterbi: words never split or merged."""
from __future__ import annotations

import pickle
import subprocess
import sys
import warnings

import pytest

from hanlex import Analyzer
from hanlex.errors import DictionaryError, DictionaryWarning
from hanlex.lexicon.userdict import UserDict


@pytest.fixture(scope="module")
def base():
    return Analyzer()


def _split_by_model(an, candidates):
    """(text, word) pairs where the model alone does not keep `word` whole."""
    out = []
    for text, word in candidates:
        if word not in an.cut(text):
            out.append((text, word))
    return out


CASES = [("他在区块链技术公司工作", "区块链技术"), ("我们去蓝瓶咖啡喝一杯", "蓝瓶咖啡"),
         ("韦小宝来到了丽春院", "丽春院"), ("这是一台洗碗机器人", "洗碗机器人"),
         ("欢迎参加深度学习研讨会", "深度学习研讨会")]


def test_words_the_model_splits_are_kept_whole(base):
    split = _split_by_model(base, CASES)
    assert split, "expected the model alone to split some of these words"
    an = Analyzer(user_dict=[w for _, w in split])
    for text, word in split:
        words = an.cut(text)
        assert word in words, words
        assert "".join(words) == text


def test_forced_word_is_never_merged(base):
    text = "中华人民共和国成立了"
    assert "人民" not in base.cut(text)
    an = Analyzer(user_dict=["人民"])
    words = an.cut(text)
    assert "人民" in words and "".join(words) == text


def test_longest_match_wins_on_overlap():
    ud = UserDict([("北京大", None), ("北京大学生", None), ("学生会", None)])
    from hanlex.text.normalize import codepoints
    assert ud.spans(codepoints("北京大学生会")) == [(0, 5)]
    an = Analyzer(user_dict=ud)
    assert an.cut("北京大学生会")[0] == "北京大学生"


def test_occurrence_inside_a_url_or_number_is_not_the_word(base):
    """t.cn inside a URL would contradict the URL's own constraint; the decoder
    then dropped every constraint of the segment, other user words included."""
    an = Analyzer(user_dict=["t.cn", "开抢", "iPhone", "0:3"])
    text = "今晚0点开抢，戳https://t.cn/x看"
    for pairs in (an.tag(text), [(w, None) for w in an.cut(text)]):
        words = [w for w, _ in pairs]
        assert "开抢" in words and "https://t.cn/x" in words, pairs
    assert dict(an.tag(text))["https://t.cn/x"] == "nx"
    assert dict(an.tag(text))["开抢"] != "w"
    assert "t.cn" in an.cut("去t.cn看")  # standing alone it is the word
    assert "iPhone15" in an.cut("买iPhone15了") and "iPhone" in an.cut("买iPhone了")
    assert "10:30" in an.cut("上午10:30到")  # 0:3 would end inside the time


def test_user_word_may_hold_a_whole_url(base):
    an = Analyzer(user_dict=[("看https://t.cn/x", "v")])
    assert an.tag("快看https://t.cn/x吧")[1] == ("看https://t.cn/x", "v")


def test_fullwidth_entry_matches_ascii_text():
    an = Analyzer(user_dict=["ＸＹＺ公司"])
    assert "XYZ公司" in an.cut("他在XYZ公司上班")


def test_entry_with_chinese_zero_matches_a_typed_digit_zero():
    an = Analyzer(user_dict=["二〇一九年度"])
    assert "二0一九年度" in an.cut("在二0一九年度报告中")
    assert "二０一九年度" in an.cut("在二０一九年度报告中")


def test_add_word_and_tags(base):
    an = Analyzer()
    text = "他喜欢吃螺蛳粉和臭豆腐"
    an.add_word("螺蛳粉", "n")
    an.add_word("臭豆腐")
    words = an.cut(text)
    assert "螺蛳粉" in words and "臭豆腐" in words
    if an.engine.joint:
        assert ("螺蛳粉", "n") in an.tag(text)
    assert "螺蛳粉" not in Analyzer().user_dict.entries  # no shared state


def test_words_added_one_by_one_equal_a_list_given_at_once():
    words = [f"词{i}" for i in range(3000)] + ["螺蛳粉", "螺蛳"]
    one_by_one = Analyzer()
    for w in words:
        one_by_one.add_word(w, "nz" if w == "螺蛳粉" else None)
    at_once = Analyzer(user_dict=[(w, "nz" if w == "螺蛳粉" else None) for w in words])
    assert one_by_one.user_dict.entries == at_once.user_dict.entries
    a, b = one_by_one.user_dict, at_once.user_dict
    # the extended word list compiles as the whole one does
    assert all((x == y).all() for x, y in zip(a._compiled, b._compiled))
    text = "他吃了词2999和螺蛳粉，还有词12"
    assert one_by_one.cut(text) == at_once.cut(text) and "词2999" in at_once.cut(text)
    # a word added after analysing counts from the next call on
    one_by_one.add_word("他吃")
    assert one_by_one.cut(text)[0] == "他吃" and at_once.cut(text)[0] != "他吃"
    with pytest.raises(ValueError, match="whitespace"):
        one_by_one.add_word("a b")  # refused when added, not at the next call
    assert pickle.loads(pickle.dumps(one_by_one)).cut(text) == one_by_one.cut(text)


def test_add_word_from_many_threads():
    from concurrent.futures import ThreadPoolExecutor

    an = Analyzer()

    def work(k):
        for i in range(200):
            an.add_word(f"词{k}x{i}")
            if i % 50 == 0:
                an.cut("他吃了词1x3")
        return an.cut(f"他吃了词{k}x199")

    with ThreadPoolExecutor(4) as ex:
        outs = list(ex.map(work, range(4)))
    assert len(an.user_dict.entries) == 800
    assert all(f"词{k}x199" in out for k, out in enumerate(outs))


def test_pickle_keeps_user_words():
    an = Analyzer(user_dict=[("丽春院", "ns")])
    again = pickle.loads(pickle.dumps(an))
    assert again.user_dict.entries == {"丽春院": "ns"}
    assert again.cut("韦小宝来到了丽春院") == an.cut("韦小宝来到了丽春院")


def test_bad_entries(tmp_path):
    with pytest.raises(ValueError, match="whitespace"):
        UserDict([("a b", None)])
    p = tmp_path / "d.txt"
    p.write_text("好 词 多余\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":1:"):
        UserDict.load(p)


def test_cli_user_dict(tmp_path, base):
    split = _split_by_model(base, CASES)
    d = tmp_path / "dict.txt"
    d.write_text("# my words\n" + "\n".join(f"{w} nz" for _, w in split) + "\n\n", encoding="utf-8")
    src = tmp_path / "in.txt"
    src.write_text("\n".join(t for t, _ in split) + "\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "hanlex.cli", "segment", "--user-dict", str(d),
                        str(src)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    for line, (_, word) in zip(r.stdout.splitlines(), split):
        assert word in line.split(" ")
    r = subprocess.run([sys.executable, "-m", "hanlex.cli", "segment", "--user-dict",
                        str(tmp_path / "missing.txt")], input="x", capture_output=True, text=True)
    assert r.returncode == 2 and "no such file" in r.stderr


def test_with_user_dict_shares_tables(base):
    an = base.with_user_dict(["丽春院"])
    assert an.engine is base.engine
    assert "丽春院" in an.cut("韦小宝来到了丽春院")
    assert len(base.user_dict) == 0


def test_spans_are_the_longest_first_disjoint_occurrences():
    import random

    from hanlex.text.normalize import codepoints

    rng = random.Random(4)
    alphabet = "北京大学生会人民中国的了"
    for _ in range(30):
        text = "".join(rng.choice(alphabet) for _ in range(300))
        words = {text[i:i + rng.randint(1, 6)] for i in rng.sample(range(300), 40)}
        ud = UserDict([(w, None) for w in words])
        # the specification, slowly: at each start its longest word; longest first, then
        # leftmost; keep each occurrence that overlaps none kept before
        cands = []
        for i in range(len(text)):
            best = max((len(w) for w in words if text.startswith(w, i)), default=0)
            if best:
                cands.append((i, i + best))
        taken, want = set(), []
        for a, b in sorted(cands, key=lambda s: (s[0] - s[1], s[0])):
            if not taken & set(range(a, b)):
                taken |= set(range(a, b))
                want.append((a, b))
        assert ud.spans(codepoints(text)) == sorted(want)


def test_jieba_dictionary_lines_everywhere(tmp_path, base):
    """`word`, `word tag`, `word freq`, `word freq tag`: a number is a frequency,
    never a tag (it used to become the tag '10')."""
    path = tmp_path / "jieba.txt"
    path.write_text("机器学习 10 n\n深度学习 10\n区块链 nz\n元宇宙\n", encoding="utf-8")
    an = Analyzer(user_dict=path)
    assert an.user_dict.entries == {"机器学习": "n", "深度学习": None, "区块链": "nz",
                                    "元宇宙": None}
    assert ("机器学习", "n") in an.tag("我学机器学习")


def test_jiebas_own_tags_are_mapped_to_the_models(tmp_path):
    """Lines of jieba's sample user dictionary: `easy_install 3 eng` was refused."""
    path = tmp_path / "userdict.txt"
    path.write_text("easy_install 3 eng\n李小福 2 nrt\n创新办 3 i\n云计算 5\n……… x\n",
                    encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none of these warns
        an = Analyzer(user_dict=path)
    assert an.user_dict.entries == {"easy_install": "nx", "李小福": "nr", "创新办": "i",
                                    "云计算": None, "………": "w"}
    assert ("李小福", "nr") in an.tag("李小福是创新办主任")
    an.add_word("石墨烯", 3, "nrfg")
    assert an.user_dict.entries["石墨烯"] == "nr"


def test_an_unknown_tag_warns_once_naming_where_and_keeps_the_word(tmp_path):
    path = tmp_path / "bad_tag.txt"
    path.write_text("元宇宙 nz\n云计算 5 zzz\n区块链 zzz\n", encoding="utf-8")
    with pytest.warns(DictionaryWarning, match=r"'zzz' \(.*bad_tag.txt:2\) are kept without a "
                                             r"tag: this model's tags are .* nz .*") as caught:
        an = Analyzer(user_dict=path)
    assert len(caught) == 1
    assert an.user_dict.entries == {"元宇宙": "nz", "云计算": None, "区块链": None}
    assert "云计算" in an.cut("发展云计算产业")
    with pytest.warns(DictionaryWarning, match="kept without a tag"):
        an.add_word("石墨烯", "qqq")
    assert an.user_dict.entries["石墨烯"] is None and an.cut("石墨烯材料")[0] == "石墨烯"


def test_del_word_gives_the_word_back_to_the_model(base):
    an = base.with_user_dict(["天安门上"])
    assert "天安门上" in an.cut("天安门上太阳升")
    an.del_word("天安门上")
    assert an.cut("天安门上太阳升") == base.cut("天安门上太阳升")


def test_jieba_entries_in_python_too():
    an = Analyzer(user_dict=["机器学习 10 n", ("深度学习", 5), ("区块链", 3, "nz"), "元宇宙"])
    an.add_word("云计算", 10)
    an.add_word("大模型", 10, "n")
    assert an.user_dict.entries == {"机器学习": "n", "深度学习": None, "区块链": "nz",
                                    "元宇宙": None, "云计算": None, "大模型": "n"}
    with pytest.raises(DictionaryError):
        Analyzer(user_dict=[("词", "n", "v")])


def test_a_split_keeps_its_pieces_apart_and_forces_nothing_else(base):
    text = "中国科学院在台中市设立中心。如果放到post中将出错。"
    an = base.with_user_dict([])
    assert "中将" in an.cut(text)
    an.add_split(("中", "将"))
    words = an.cut(text)
    assert words[-4:-1] == ["中", "将", "出错"]
    assert {"中国", "台中市", "中心"} <= set(words)  # one-character user words would break these
    assert an.cut_many([text]) == [words] and [w for w, _ in an.tag(text)][-4:-2] == ["中", "将"]
    again = pickle.loads(pickle.dumps(an))
    assert again.user_dict.splits == {"中将": (1,)} and again.cut(text) == words
    an.add_word("中将")  # the string as a word again: the split goes
    assert "中将" in an.cut(text) and not an.user_dict.splits
    an.add_split(("中", "将"))
    an.del_word("中将")
    assert an.cut(text) == base.cut(text)


def test_a_user_word_wins_over_a_split_across_it(base):
    an = base.with_user_dict(["放到post中将"])
    an.add_split(("中", "将"))
    assert "放到post中将" in an.cut("如果放到post中将出错。")


def test_command_line_says_an_unknown_tag_in_one_warning_line(tmp_path):
    path = tmp_path / "ud.txt"
    path.write_text("云计算 5 zzz\n区块链 zzz\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "hanlex", "segment", "--user-dict", str(path)],
                       input="发展云计算".encode("utf-8"), capture_output=True)
    assert r.returncode == 0 and r.stdout.decode("utf-8").split() == ["发展", "云计算"]
    lines = r.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1 and lines[0].startswith("hanlex: warning: user words tagged 'zzz'")
