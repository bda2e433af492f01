"""`hanlex eval` cannot silently mislead; `hanlex convert`; `hanlex train` refuses
what would train nonsense and finds TRAIN after --raw (issue 23)."""
from __future__ import annotations

import subprocess
import sys

import pytest


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "hanlex", *args], capture_output=True, **kw)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def scores(out: bytes) -> dict:
    return dict(line.split("\t") for line in out.decode().splitlines())


def test_tagged_files_without_pos_score_their_words_and_say_so(tmp_path):
    gold = write(tmp_path / "g.txt", "我/r 爱/v 北京/ns\n")
    pred = write(tmp_path / "p.txt", "我 爱 北京\n")
    r = run("eval", gold, pred)
    assert r.returncode == 0 and scores(r.stdout)["F1"] == "100.00"
    assert b"has tags; scoring the words only" in r.stderr


def test_pos_with_an_untagged_prediction_is_an_error(tmp_path):
    gold = write(tmp_path / "g.txt", "我/r 爱/v 北京/ns\n")
    pred = write(tmp_path / "p.txt", "我 爱 北京\n")
    r = run("eval", gold, pred, "--pos")
    assert r.returncode == 2 and b"p.txt: has no tags" in r.stderr


def test_a_segmented_corpus_given_as_word_list_is_noticed(tmp_path):
    gold = write(tmp_path / "g.txt", "我 爱 北京\n")
    words = write(tmp_path / "w.txt", "我 爱 北京\n他 爱 上海\n")
    r = run("eval", gold, gold, "--words", words)
    assert r.returncode == 0 and b"looks like a segmented corpus" in r.stderr
    assert scores(r.stdout)["OOV rate"] == "0.00"


def test_line_breaks_that_differ_are_reported_by_line(tmp_path):
    gold = write(tmp_path / "g.txt", "我 爱\n北京\n天安门\n")
    pred = write(tmp_path / "p.txt", "我 爱 北京\n天安门\n")
    r = run("eval", gold, pred)
    assert r.returncode == 0 and b"g.txt line 1 on" in r.stderr
    bad = write(tmp_path / "b.txt", "我 爱\n上海\n天安门\n")
    r = run("eval", gold, bad)
    assert r.returncode == 2 and b"b.txt line 2" in r.stderr and b"g.txt line 2" in r.stderr


def test_empty_files_are_an_error(tmp_path):
    gold = write(tmp_path / "g.txt", "我 爱 北京\n")
    empty = write(tmp_path / "e.txt", "\n\n")
    r = run("eval", gold, empty)
    assert r.returncode == 2 and b"e.txt: is empty" in r.stderr


def test_convert_strips_tags(tmp_path):
    src = write(tmp_path / "t.txt", "[中国/ns 政府/n]nt 发言/v\n")
    out = tmp_path / "w.txt"
    assert run("convert", src, "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == "中国 政府 发言\n"
    assert run("convert", src, "-o", str(out), "--to", "tagged").returncode == 0
    assert out.read_text(encoding="utf-8") == "中国/ns 政府/n 发言/v\n"


def test_train_refuses_unsegmented_text_unless_forced(tmp_path):
    raw = write(tmp_path / "raw.txt", "我爱北京天安门天安门上太阳升\n今天天气很好我们去公园\n" * 20)
    model = tmp_path / "m.hlx"
    r = run("train", raw, "-o", str(model), "--epochs", "1", "-q")
    assert r.returncode == 2 and b"looks like raw text" in r.stderr and not model.exists()
    r = run("train", raw, "-o", str(model), "--epochs", "1", "-q", "--force")
    assert r.returncode == 0 and model.exists()


def test_train_finds_train_after_a_list_option(tmp_path, sample_sentences):
    corpus = write(tmp_path / "train.txt",
                   "".join(" ".join(s.words) + "\n" for s in sample_sentences[:40]))
    raw = write(tmp_path / "raw.txt", "我爱北京，天安门上太阳升。\n")
    model = tmp_path / "m.hlx"
    r = run("train", "--raw", raw, corpus, "-o", str(model), "--epochs", "1", "--seg-only",
            "-q")
    assert r.returncode == 0, r.stderr
    assert b"reading " + corpus.encode() + b" as TRAIN" in r.stderr and model.exists()


@pytest.mark.parametrize("args", [["--raw", "a.txt", "b.txt", "--lexicon", "c.txt", "d.txt"], []])
def test_train_says_why_when_train_cannot_be_told(tmp_path, args):
    r = run("train", *args, "-o", str(tmp_path / "m.hlx"))
    assert r.returncode == 2 and b"TRAIN is missing" in r.stderr


def test_a_file_cut_short_is_said_with_both_line_counts(tmp_path):
    """5 gold lines and 4 predicted used to 'differ at character 249'."""
    gold = write(tmp_path / "g.txt", "我 爱 北京\n你 好\n今天 天气 好\n他 来 了\n再见\n")
    pred = write(tmp_path / "p.txt", "我 爱 北京\n你 好\n今天 天气 好\n他 来 了\n")
    r = run("eval", gold, pred)
    assert r.returncode == 2
    assert r.stderr.decode().strip() == (f"hanlex: error: {pred} has 4 lines, {gold} has 5: {pred} "
                                         f"ends where {gold} goes on (its line 5, '再见'); score "
                                         "files of the same text")


def test_standard_input_is_either_file(tmp_path):
    gold = write(tmp_path / "g.txt", "我 爱 北京\n你 好\n")
    with open(gold, "rb") as f:
        r = run("eval", gold, "-", stdin=f)
    assert r.returncode == 0 and scores(r.stdout)["F1"] == "100.00"
    with open(gold, "rb") as f:
        r = run("eval", "-", gold, stdin=f)
    assert r.returncode == 0 and scores(r.stdout)["F1"] == "100.00"
    r = run("eval", "-", "-", input=b"")
    assert r.returncode == 2 and b"cannot both be standard input" in r.stderr
