from __future__ import annotations

from hanlex import Analyzer
from hanlex.lexicon.adaptation import written_as_known_words


def test_what_the_standard_writes_as_known_words_is_no_new_word():
    pku = Analyzer(standard="pku")
    words = ["开发人员", "一种", "轻松地", "反病毒", "反病毒软件", "单击", "狨猴"]
    # 开发|人员: two known words; 一|种 and 轻松|地: glue; 反病毒软件: 反病毒 + 软件
    assert written_as_known_words(pku, words) == [True, True, True, False, True, False, False]
