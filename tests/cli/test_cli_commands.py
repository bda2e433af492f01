"""Golden-file and error-path tests of the `hanlex` command line."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import FIXTURES, shared

from hanlex.cli import main
from hanlex.model.model import META_LABELS as LABELS
from hanlex.model.model import Model, default_model_path
from hanlex.model.standards import standard_names


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hanlex.cli", *args], input=stdin,
                          capture_output=True, timeout=300)


def test_segment_golden_file(tmp_path):
    out = tmp_path / "out.txt"
    r = run("segment", str(FIXTURES / "cli_input.txt"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8") == (FIXTURES / "cli_expected.txt").read_text(encoding="utf-8")


def test_segment_stdin_stdout():
    data = (FIXTURES / "cli_input.txt").read_bytes()
    r = run("segment", stdin=data)
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode("utf-8") == (FIXTURES / "cli_expected.txt").read_text(encoding="utf-8")


def test_segment_search_mode(tmp_path):
    import hanlex

    lines = ["中华人民共和国成立了", "", "北京大学 生物系"]
    src = tmp_path / "in.txt"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    an = hanlex.default_analyzer()
    want = "".join(" ".join(w for w in an.cut_for_search(l) if not w.isspace()) + "\n" for l in lines)
    for jobs in ("1", "2"):
        r = run("segment", "--search", "-j", jobs, str(src))
        assert r.returncode == 0, r.stderr
        assert r.stdout.decode("utf-8") == want
    assert want.startswith("中华人民共和国 中华 ")
    r = run("segment", "--search", "--pos", str(src))
    assert r.returncode == 2 and b"--search" in r.stderr


def test_one_output_line_per_input_line_and_crlf(tmp_path):
    src = tmp_path / "in.txt"
    src.write_bytes("第一行\r\n\r\n第三行\r\n最后一行没有换行".encode("utf-8"))
    r = run("segment", str(src))
    lines = r.stdout.decode("utf-8").split("\n")
    assert lines[-1] == ""
    assert len(lines) - 1 == 4
    assert lines[1] == ""
    assert "".join(lines[3].split()) == "最后一行没有换行"


def test_several_inputs_are_concatenated(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("北京\n", encoding="utf-8")
    b.write_text("上海\n", encoding="utf-8")
    r = run("segment", str(a), str(b))
    assert r.stdout.decode("utf-8") == "北京\n上海\n"


def test_invalid_utf8_names_file_and_offset(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("好的\n".encode("utf-8") + b"ab\xff\xfe\n")
    r = run("segment", str(bad))
    assert r.returncode == 2
    err = r.stderr.decode("utf-8")
    assert "bad.txt" in err and "byte offset 9" in err
    assert "Traceback" not in err
    r = run("segment", "--errors", "replace", str(bad))
    assert r.returncode == 0
    assert r.stdout.decode("utf-8").count("\n") == 2


@pytest.mark.parametrize("args", [
    ["segment", "/nonexistent/input.txt"],
    ["segment", "--model", "/nonexistent/model.hlx"],
    ["eval", "/nonexistent/gold", "/nonexistent/pred"],
    ["train", "/nonexistent/train.txt", "-o", "x.hlx"],
    ["info", "--model", "/nonexistent/model.hlx"],
])
def test_clear_errors(args):
    r = run(*args)
    assert r.returncode == 2
    err = r.stderr.decode("utf-8")
    assert err.startswith("hanlex: error: ") and err.count("\n") == 1, err


def test_output_that_is_an_input_is_refused_and_the_input_kept(tmp_path):
    text = "我爱北京\n天安门\n".encode("utf-8")
    src = tmp_path / "in.txt"
    src.write_bytes(text)
    link = tmp_path / "link.txt"
    link.symlink_to(src)
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("我 爱 北京\n", encoding="utf-8")
    for args, stdin in [(["segment", str(src), "-o", str(src)], None),
                        (["segment", str(link), "-o", str(src)], None),
                        (["segment", "-o", str(src)], src),
                        (["train", str(corpus), "-o", str(corpus)], None)]:
        with open(stdin, "rb") if stdin else open(os.devnull, "rb") as f:
            r = subprocess.run([sys.executable, "-m", "hanlex.cli", *args], stdin=f,
                               capture_output=True, timeout=300)
        assert r.returncode == 2, args
        err = r.stderr.decode("utf-8")
        assert "is also an input" in err and err.count("\n") == 1, err
    assert src.read_bytes() == text
    assert corpus.read_text(encoding="utf-8") == "我 爱 北京\n"
    r = run("segment", str(src), "-o", os.devnull)  # not a regular file: fine
    assert r.returncode == 0, r.stderr


def test_train_checks_its_output_before_training(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("我 爱 北京\n", encoding="utf-8")
    for out, says in [(tmp_path / "no" / "m.hlx", "no directory"), (tmp_path, "is a directory")]:
        r = run("train", str(corpus), "-o", str(out))
        err = r.stderr.decode("utf-8")
        assert r.returncode == 2 and says in err, err
        assert "epoch" not in err  # refused before any training


def test_garbage_model_is_one_line_error(tmp_path):
    m = tmp_path / "m.hlx"
    m.write_bytes(b"not a model at all")
    r = run("segment", "--model", str(m), stdin="你好".encode())
    assert r.returncode == 2
    assert "not a hanlex model" in r.stderr.decode()


def test_train_then_segment_then_eval(tmp_path):
    model = tmp_path / "m.hlx"
    corpus = FIXTURES / "pd_sample.txt"
    r = run("train", str(corpus), "--dev", str(corpus), "-o", str(model), "--epochs", "5", "--min-count", "1")
    assert r.returncode == 0, r.stderr
    assert "dev F" in r.stderr.decode()
    raw = tmp_path / "raw.txt"
    gold = tmp_path / "gold.txt"
    from hanlex.io.corpus import read_corpus
    sents = read_corpus(corpus)
    raw.write_text("\n".join(s.text for s in sents) + "\n", encoding="utf-8")
    gold.write_text("\n".join(" ".join(s.words) for s in sents) + "\n", encoding="utf-8")
    pred = tmp_path / "pred.txt"
    assert run("segment", str(raw), "-o", str(pred), "--model", str(model)).returncode == 0
    r = run("eval", str(gold), str(pred))
    assert r.returncode == 0
    f = float(dict(l.split("\t") for l in r.stdout.decode().splitlines())["F1"])
    assert f > 95.0


def test_train_and_eval_on_conllu(tmp_path, sample_sentences, capsys):
    """A UD corpus trains a joint model with its UPOS tags, and scores output."""
    import hanlex
    from hanlex.model.tagsets import UPOS, convert

    conllu = tmp_path / "train.conllu"
    rows = []
    for k, s in enumerate(sample_sentences):
        rows += [f"# sent_id = {k}", f"# text = {s.text}"]
        rows += [f"{i}\t{w}\t{w}\t{convert(t, 'upos')}\t_\t_\t0\tdep\t_\t_"
                 for i, (w, t) in enumerate(zip(s.words, s.tags), 1)]
        rows.append("")
    conllu.write_text("\n".join(rows), encoding="utf-8")
    model = tmp_path / "ud.hlx"
    r = run("train", str(conllu), "-o", str(model), "--epochs", "3", "--min-count", "1")
    assert r.returncode == 0, r.stderr
    an = hanlex.Analyzer(str(model))
    assert set(an.engine.tags) <= set(UPOS) and "PROPN" in an.engine.tags
    pairs = an.tag("北京 很好", tagset="upos")
    assert (" ", "PUNCT") in pairs  # whitespace gets the punctuation tag, as "w" in PKU models
    assert all(t in UPOS for _, t in pairs)
    pred = tmp_path / "pred.txt"
    pred.write_text("\n".join(" ".join(s.words) for s in sample_sentences) + "\n", encoding="utf-8")
    assert main(["eval", str(conllu), str(pred)]) == 0
    out = dict(l.split("\t") for l in capsys.readouterr().out.splitlines())
    assert out["F1"] == "100.00" and int(out["gold words"]) == sum(len(s.words) for s in sample_sentences)


def test_eval_golden(tmp_path, capsys):
    gold = tmp_path / "g.txt"
    pred = tmp_path / "p.txt"
    words = tmp_path / "w.txt"
    gold.write_text("我们  是  中国人\r\n喜欢  北京\r\n", encoding="utf-8")
    # different line breaks, same characters
    pred.write_text("我们 是 中国 人 喜欢\n北京\n", encoding="utf-8")
    words.write_text("我们\n是\n北京\n", encoding="utf-8")
    assert main(["eval", str(gold), str(pred), "--words", str(words)]) == 0
    out = dict(l.split("\t") for l in capsys.readouterr().out.splitlines())
    # gold 5 words, pred 6 words, 4 correct (我们 是 喜欢 北京)
    assert out["correct words"] == "4"
    assert out["precision"] == "66.67" and out["recall"] == "80.00" and out["F1"] == "72.73"
    assert out["OOV recall"] == "50.00"  # 中国人 missed, 喜欢 found


def test_eval_rejects_different_texts(tmp_path):
    gold = tmp_path / "g.txt"
    pred = tmp_path / "p.txt"
    gold.write_text("我们 是\n", encoding="utf-8")
    pred.write_text("你们 是\n", encoding="utf-8")
    r = run("eval", str(gold), str(pred))
    err = r.stderr.decode()
    assert r.returncode == 2 and "p.txt line 1" in err and "g.txt line 1" in err, err
    # a difference of character width only still aligns (the SIGHAN AS gold has one)
    gold.write_text("ｃhemicals 是\n", encoding="utf-8")
    pred.write_text("chemicals 是\n", encoding="utf-8")
    r = run("eval", str(gold), str(pred))
    assert r.returncode == 0 and b"F1\t100.00" in r.stdout


def test_info_describes_default_model_and_labels_every_figure():
    """An unlabelled dev_f (the joint F, not the training log's word F) was shown."""
    r = run("info")
    assert r.returncode == 0
    rows = dict(line.split("\t", 1) for line in r.stdout.decode().splitlines())
    assert "features" in rows and "best epoch (highest dev F)" in rows
    assert "dev word+tag F (joint), which chose the epoch" in rows
    assert "segmenter dev word F, which chose the epoch" in rows
    assert not any("_" in name for name in rows)  # no raw meta key left unlabelled


def test_pku_test_set_accuracy_guard(tmp_path):
    """Regression guard (the measured figures live in BENCHMARKS.md)."""
    test = shared("icwb2-data", "testing", "pku_test.utf8")
    gold = shared("icwb2-data", "gold", "pku_test_gold.utf8")
    words = shared("icwb2-data", "gold", "pku_training_words.utf8")
    pred = tmp_path / "pku.out"
    # in People's Daily's standard as annotated, the one the PKU test set follows
    standard = ["--standard", "pku"] if "pku" in standard_names(Model.load(default_model_path())) else []
    assert run("segment", str(test), "-o", str(pred), *standard).returncode == 0
    r = run("eval", str(gold), str(pred), "--words", str(words))
    out = dict(l.split("\t") for l in r.stdout.decode().splitlines())
    assert float(out["F1"]) >= 95.0
    assert float(out["OOV recall"]) >= 70.0


def test_parallel_jobs_give_identical_ordered_output(tmp_path):
    src = tmp_path / "in.txt"
    lines = [f"第{i}行：中共中央总书记发表新年讲话，祝愿大家新年快乐。" for i in range(3000)]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = run("segment", str(src))
    two = run("segment", "-j", "2", str(src))
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    assert one.stdout.decode().count("\n") == 3000


def test_train_lexicon(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("# a jieba-style dictionary: the first field is the word\n罢免案 3 n\n电子商务\n\n",
                     encoding="utf-8")
    out = tmp_path / "m.hlx"
    corpus = str(FIXTURES / "pd_sample.txt")
    r = run("train", corpus, "-o", str(out), "--epochs", "2", "--seg-only", "--lexicon", str(words))
    assert r.returncode == 0, r.stderr
    info = dict(l.split("\t", 1) for l in run("info", "--model", str(out)).stdout.decode().splitlines())
    assert info[LABELS["lexicon_words"]] == "2" and info[LABELS["lexicon_files"]] == "['words.txt']"
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    for path, says in ((empty, "no words"), (tmp_path / "missing.txt", "missing.txt")):
        r = run("train", corpus, "-o", str(tmp_path / "x.hlx"), "--lexicon", str(path))
        err = r.stderr.decode()
        assert r.returncode == 2 and says in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1


def test_train_raw_words(tmp_path, small_model):
    raw = tmp_path / "raw.txt"
    raw.write_text("中共中央总书记发表新年讲话，祝愿大家新年快乐。\n", encoding="utf-8")
    corpus, out = str(FIXTURES / "pd_sample.txt"), tmp_path / "m.hlx"
    first = tmp_path / "first.hlx"
    small_model.save(first)
    for extra, source in (([], "first pass"), ([str(first)], "first.hlx"), (["default"], "default")):
        r = run("train", corpus, "-o", str(out), "--epochs", "2", "--seg-only", "--raw", str(raw),
                "--raw-words", *extra)
        assert r.returncode == 0, r.stderr
        info = dict(l.split("\t", 1) for l in run("info", "--model", str(out)).stdout.decode().splitlines())
        assert info[LABELS["raw_words_from"]] == source and int(info[LABELS["raw_words"]]) >= 3
        assert int(info[LABELS["lexicon_words"]]) == int(info[LABELS["raw_words"]])
    for args, says in ((["--raw-words"], "give --raw"),
                       (["--raw", str(raw), "--raw-words", str(tmp_path / "none.hlx")], "none.hlx")):
        r = run("train", corpus, "-o", str(tmp_path / "x.hlx"), *args)
        err = r.stderr.decode()
        assert r.returncode == 2 and "Traceback" not in err
        assert says in err.strip().splitlines()[-1]  # after progress lines, one error line


def test_compressed_inputs_and_outputs(tmp_path):
    import bz2
    import gzip
    import lzma

    text = "中华人民共和国成立了\n\nBZh 开头的一行\n最后一行没有换行"
    plain = tmp_path / "in.txt"
    plain.write_text(text, encoding="utf-8")
    want = run("segment", str(plain)).stdout
    assert want.decode("utf-8").startswith("中华人民共和国 成立 了\n\nBZh ")
    for module, suffix in ((gzip, ".gz"), (bz2, ".bz2"), (lzma, ".xz")):
        packed = tmp_path / f"in{suffix}"
        packed.write_bytes(module.compress(text.encode("utf-8")))
        for jobs in ("1", "2"):
            r = run("segment", "-j", jobs, str(packed))
            assert r.returncode == 0 and r.stdout == want, r.stderr
        assert run("segment", stdin=packed.read_bytes()).stdout == want
        out = tmp_path / f"out{suffix}"
        assert run("segment", str(plain), "-o", str(out)).returncode == 0
        assert module.decompress(out.read_bytes()) == want  # compressed by the output's name
    # training files and word lists are read the same way
    corpus = tmp_path / "corpus.gz"
    corpus.write_bytes(gzip.compress("北京 天安门\n我 爱 北京\n".encode("utf-8")))
    gold = tmp_path / "gold.txt"
    gold.write_text("北京 天安门\n我 爱 北京\n", encoding="utf-8")
    r = run("eval", str(corpus), str(gold))
    assert r.returncode == 0 and b"F1\t100.00" in r.stdout
    # a damaged file is an error with its name, never a traceback
    broken = tmp_path / "broken.gz"
    import random

    rng = random.Random(1)
    noise = "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(20000)) + "\n"
    broken.write_bytes(gzip.compress(noise.encode("utf-8"))[:5000])  # cut off mid-stream
    r = run("segment", str(broken))
    assert r.returncode == 2 and b"broken.gz (gzip-decompressed): damaged gzip data" in r.stderr
    assert b"Traceback" not in r.stderr
    r = run("eval", str(broken), str(gold))
    assert r.returncode == 2 and b"damaged gzip data" in r.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_an_error_not_a_traceback(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("我爱北京\n" * 50000, encoding="utf-8")
    r = run("segment", str(src), "-o", "/dev/full")
    assert r.returncode == 2 and b"No space left on device" in r.stderr and b"Traceback" not in r.stderr


def test_compressed_stdin_arriving_in_small_pieces():
    import gzip
    import time

    data = gzip.compress("中华人民共和国成立了\n".encode("utf-8"))
    p = subprocess.Popen([sys.executable, "-m", "hanlex.cli", "segment"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdin.write(data[:1])  # the format must not be judged on the first byte alone
    p.stdin.flush()
    time.sleep(3)  # hanlex is reading stdin by now, with one byte there
    p.stdin.write(data[1:])
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    assert out.decode("utf-8") == "中华人民共和国 成立 了\n"


def test_segment_lexicon_words_are_weighed_in_every_worker(tmp_path):
    """--lexicon (soft, Analyzer(lexicon=)) reaches the -j workers; Ray refuses it."""
    lex = tmp_path / "words.txt"
    lex.write_text("单击 10 v\n京天\n", encoding="utf-8")
    src = tmp_path / "in.txt"
    src.write_text("按钮,单击该按钮\n我爱北京天安门\n" * 300, encoding="utf-8")
    plain = run("segment", "--standard", "pku", str(src))
    outs = [run("segment", "--standard", "pku", "--lexicon", str(lex), "-j", jobs, str(src))
            for jobs in ("1", "2")]
    assert plain.returncode == 0 and all(r.returncode == 0 for r in outs)
    assert outs[0].stdout == outs[1].stdout != plain.stdout
    lines = outs[0].stdout.decode("utf-8").splitlines()
    assert lines[:2] == ["按钮 , 单击 该 按钮", "我 爱 北京 天安门"]  # 京天: weighed, not forced
    r = run("segment", "--engine", "ray", "--lexicon", str(lex), str(src), "-o", str(tmp_path / "o"))
    assert r.returncode == 2 and b"--lexicon" in r.stderr and b"Traceback" not in r.stderr
