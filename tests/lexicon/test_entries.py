"""The one reader of word lists and user dictionaries (jieba's `word [freq] [tag]`)."""
from __future__ import annotations

import pytest

from hanlex import Analyzer
from hanlex.errors import DictionaryError, HanlexError
from hanlex.lexicon.entries import Entry, parse_entries, read_wordlist
from hanlex.lexicon.userdict import UserDict


def test_jieba_lines_give_word_and_tag():
    lines = ["# a comment", "", "云计算 5 n", "蓝瓶咖啡 nz", "区块链 3", "元宇宙"]
    assert parse_entries(lines, "d.txt") == [Entry("云计算", "n", "d.txt:3"),
                                            Entry("蓝瓶咖啡", "nz", "d.txt:4"),
                                            Entry("区块链", None, "d.txt:5"),
                                            Entry("元宇宙", None, "d.txt:6")]


def test_extra_fields_name_the_file_and_line():
    with pytest.raises(DictionaryError, match=r"d.txt:2: expected 'word \[freq\] \[tag\]'"):
        parse_entries(["好 1 a", "坏 1 a b"], "d.txt")


def test_a_word_list_keeps_only_the_first_field(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("北京大学 3 nt extra columns\n# skipped\n\n人民\n", encoding="utf-8")
    assert read_wordlist(path) == ["北京大学", "人民"]


def test_user_dictionaries_read_jieba_files(tmp_path):
    path = tmp_path / "user.txt"
    path.write_text("蓝瓶咖啡 10 nz\n区块链技术 5\n", encoding="utf-8")
    ud = UserDict.load(path)
    assert ud.entries == {"蓝瓶咖啡": "nz", "区块链技术": None}
    assert "蓝瓶咖啡" in Analyzer(user_dict=path).cut("我喝蓝瓶咖啡")


def test_dictionary_errors_are_hanlex_errors(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("一 二 三 四\n", encoding="utf-8")
    with pytest.raises(HanlexError):
        UserDict.load(path)
