from __future__ import annotations

import pytest

from hanlex.errors import CorpusError
from hanlex.io.corpus import detect_format, holdout_split, parse_conllu, parse_line, read_corpus


def conllu_row(i, form, upos="_"):
    return f"{i}\t{form}\t{form}\t{upos}\t_\t_\t0\t_\t_\t_"


def test_peoples_daily_brackets():
    s = parse_line("[中国/ns  政府/n]nt  今天/t  宣布/v  ，/w", "tagged")
    assert s.words == ("中国", "政府", "今天", "宣布", "，")
    assert s.tags == ("ns", "n", "t", "v", "w")


def test_format_detection():
    assert detect_format(["迈向/v  充满/v  希望/n"]) == "tagged"
    assert detect_format(["迈向  充满  希望", "km/h  是  单位"]) == "plain"
    # a tagged corpus with untagged tokens is refused, not read as words like 我/r
    with pytest.raises(CorpusError, match=r"66% .*line 2: '爱'"):
        detect_format(["我/r", "爱 北京/ns"], "t.txt")
    assert parse_line("km/h 是", "plain").words == ("km/h", "是")


def test_conllu_words_and_tags(tmp_path):
    lines = ["# sent_id = 1", "# text = 我们去了。",
             "1-2\t我们\t_\t_\t_\t_\t_\t_\t_\t_",  # a multiword token: one word
             conllu_row(1, "我", "PRON"), conllu_row(2, "们", "PART"), conllu_row(3, "去", "VERB"),
             conllu_row("3.1", "去"),  # an empty node: no text
             conllu_row(4, "了", "AUX"), conllu_row(5, "。", "PUNCT"), "",
             "# text = 好", conllu_row(1, "好"), ""]  # no UPOS: words only
    assert detect_format(lines) == "conllu"
    first, second = parse_conllu(lines)
    assert first.words == ("我们", "去", "了", "。")
    assert first.tags == ("PRON", "VERB", "AUX", "PUNCT")
    assert second.words == ("好",) and second.tags is None
    path = tmp_path / "c.conllu"
    path.write_text("\n".join(lines[:-1]), encoding="utf-8")  # no blank line at the end
    assert read_corpus(path) == [first, second]
    # read as plain words it would train on the index and lemma columns
    lines[5] = "3\t去\tVERB"
    with pytest.raises(CorpusError, match=r"x.conllu:6: not a CoNLL-U token line"):
        parse_conllu(lines, "x.conllu")


def test_holdout_split_uses_nonempty_lines_and_last_tenth():
    lines = [f"l{i}" if i % 3 else "" for i in range(300)]
    nonempty = [l for l in lines if l]
    train, dev, test = holdout_split(lines)
    assert test == nonempty[-20:]
    assert train + dev + test == nonempty
    assert len(dev) == 9


def test_read_corpus_errors(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff")
    with pytest.raises(CorpusError, match="byte offset 3"):
        read_corpus(bad)
    with pytest.raises(CorpusError, match="no such file"):
        read_corpus(tmp_path / "missing.txt")
