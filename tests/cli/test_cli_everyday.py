"""Everyday use of the command line (issue 23): outputs never half-written, formats,
encodings, options that do nothing refused, help that says what each option does."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from hanlex.cli import main


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "hanlex", *args], capture_output=True, **kw)


def leftovers(folder):
    return [p for p in os.listdir(folder) if p.endswith(".hanlex-tmp")]


# ------------------------------------------------------------ output safety

def test_a_failed_run_keeps_the_old_output(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("第一行\n".encode() + b"\xff\xfe bad\n" + "第三行\n".encode() * 5000)
    out = tmp_path / "out.txt"
    out.write_text("old content\n", encoding="utf-8")
    r = run("segment", str(bad), "-o", str(out))
    assert r.returncode == 2 and b"byte offset 10" in r.stderr
    assert out.read_text(encoding="utf-8") == "old content\n"
    assert leftovers(tmp_path) == []


def test_every_input_is_checked_before_anything_is_written(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("我爱北京\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    r = run("segment", str(good), str(tmp_path / "missing.txt"), "-o", str(out))
    assert r.returncode == 2 and b"missing.txt: no such file" in r.stderr
    assert not out.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("jobs,target", [("1", "out.txt"), ("2", "out.txt.gz")])
def test_ctrl_c_is_one_line_exit_130_and_leaves_no_partial_file(tmp_path, jobs, target):
    src = tmp_path / "big.txt"
    src.write_text("我爱北京天安门，天安门上太阳升。\n" * 400_000, encoding="utf-8")
    out = tmp_path / target
    if target == "out.txt":
        out.write_text("old content\n", encoding="utf-8")
    # tagging (--pos) keeps it busy for many seconds: it is interrupted in the middle, once
    # it writes. A runner started in the background ignores SIGINT, and a child inherits
    # that: the job gets the terminal's default back, as a foreground command has it.
    p = subprocess.Popen([sys.executable, "-m", "hanlex", "segment", str(src), "-o", str(out),
                          "--pos", "-j", jobs], stderr=subprocess.PIPE, start_new_session=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while not leftovers(tmp_path) and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert p.poll() is None, "the job ended before it could be interrupted"
    os.killpg(p.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
    err = p.communicate(timeout=60)[1].decode()
    assert p.returncode == 130 and err == "hanlex: interrupted\n", err
    if target == "out.txt":
        assert out.read_text(encoding="utf-8") == "old content\n"
    else:
        assert not out.exists()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("jobs,stop,group", [("1", "SIGTERM", False), ("2", "SIGTERM", False),
                                             ("2", "SIGTERM", True), ("2", "SIGHUP", False)])
def test_sigterm_and_sighup_are_met_as_ctrl_c_is(tmp_path, jobs, stop, group):
    """SIGTERM used to leave `.out.txt.XXXX.hanlex-tmp` files and -j 2 workers printed
    BrokenPipeError tracebacks. To the parent alone (a service manager's stop) or to
    the whole group (kill -TERM -PGID)."""
    src = tmp_path / "big.txt"
    src.write_text("我爱北京天安门，天安门上太阳升。\n" * 400_000, encoding="utf-8")
    out = tmp_path / "out.txt"
    out.write_text("old content\n", encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "hanlex", "segment", str(src), "-o", str(out),
                          "--pos", "-j", jobs], stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while not leftovers(tmp_path) and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert p.poll() is None, "the job ended before it could be stopped"
    signum = getattr(signal, stop)
    (os.killpg if group else os.kill)(p.pid, signum)
    err = p.communicate(timeout=60)[1].decode()
    assert p.returncode == 128 + signum and err == f"hanlex: stopped by {stop}\n", err
    assert out.read_text(encoding="utf-8") == "old content\n"
    assert leftovers(tmp_path) == []
    time.sleep(0.5)  # no worker outlives the parent
    ps = subprocess.run(["ps", "-o", "pid=", "-g", str(p.pid)], capture_output=True, text=True)
    assert ps.stdout.split() == []


def test_a_model_is_written_whole_or_not_at_all(small_model, tmp_path, monkeypatch):
    target = tmp_path / "m.hlx"
    target.write_bytes(b"old")

    def broken(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(type(small_model), "to_bytes", broken)
    with pytest.raises(KeyboardInterrupt):
        small_model.save(target)
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["m.hlx"]


# ------------------------------------------------------------ formats

def test_jsonl_offsets_point_at_the_words(tmp_path):
    src = tmp_path / "in.txt"
    lines = ["我爱北京天安门。", "", "  GPT-4 和 iPhone 发布"]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("segment", str(src), "--format", "jsonl", "--pos", "--tagset", "upos")
    records = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [rec["text"] for rec in records] == lines
    for rec in records:
        assert all(rec["text"][t["start"]:t["end"]] == t["word"] for t in rec["tokens"])
    assert {t["tag"] for t in records[0]["tokens"]} <= {"PRON", "VERB", "PROPN", "PUNCT"}
    assert records[1]["tokens"] == []


def test_jsonl_of_a_line_longer_than_a_read_is_one_record(tmp_path):
    src = tmp_path / "long.txt"
    line = "我爱北京天安门，" * 150_000  # 1.2 M characters: read and decoded in pieces
    src.write_text(line + "\n短句\n", encoding="utf-8")
    r = run("segment", str(src), "--format", "jsonl")
    records = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert len(records) == 2 and records[0]["text"] == line
    assert "".join(t["word"] for t in records[0]["tokens"]) == line
    assert all(line[t["start"]:t["end"]] == t["word"] for t in records[0]["tokens"])


def test_conllu_sentences_for_ud_tools(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("我爱北京。\n\nGPT-4 发布了\n", encoding="utf-8")
    r = run("segment", str(src), "--format", "conllu", "--pos")
    blocks = r.stdout.decode().strip("\n").split("\n\n")
    assert blocks[0].startswith("# sent_id = 1\n# text = 我爱北京。\n")
    assert blocks[1].startswith("# sent_id = 3\n# text = GPT-4 发布了\n")
    rows = [line.split("\t") for b in blocks for line in b.splitlines() if not line.startswith("#")]
    assert all(len(row) == 10 for row in rows)
    first = rows[0]
    assert first[1] == "我" and first[3] == "PRON" and first[4] == "r" and first[9] == "SpaceAfter=No"
    gpt = next(row for row in rows if row[1] == "GPT-4")
    assert gpt[9] == "_"  # a space follows it


def test_python_dash_m_hanlex_is_the_command():
    r = run("segment", input="我爱北京\n".encode())
    assert r.returncode == 0 and r.stdout.decode() == "我 爱 北京\n"


# ------------------------------------------------------------ encodings

SIMPLIFIED = "中华人民共和国成立了，我爱北京天安门。\n今天天气很好，我们去公园散步吧。\n"
TRADITIONAL = "中華人民共和國成立了，我愛北京天安門。\n今天天氣很好，我們去公園散步吧。\n"


@pytest.mark.parametrize("text, codec", [(SIMPLIFIED, "gb18030"), (TRADITIONAL, "big5"),
                                         (SIMPLIFIED, "utf-16-le"), ("我爱北京天安门\n", "gb18030")])
def test_a_file_in_another_encoding_gets_the_right_hint_and_reads_with_it(tmp_path, text, codec):
    """A Big5 file was told to use gb18030 (and then printed garbage), and so was
    UTF-16 without a byte-order mark."""
    src = tmp_path / "in.txt"
    src.write_bytes(text.encode(codec))
    r = run("segment", str(src))
    assert r.returncode == 2
    assert f"looks like {codec}: use --encoding {codec}".encode() in r.stderr
    r = run("segment", str(src), "--encoding", codec)
    assert r.returncode == 0 and r.stdout.decode().replace(" ", "") == text


def test_a_binary_file_is_said_to_be_binary(tmp_path):
    src = tmp_path / "image.png"
    src.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    r = run("segment", str(src))
    assert r.returncode == 2 and b"looks like a binary file, not text" in r.stderr
    assert len(r.stderr.splitlines()) == 1


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-8-sig"])
def test_byte_order_marks_are_recognised(tmp_path, codec):
    src = tmp_path / "bom.txt"
    src.write_bytes("我爱北京\n天安门\n".encode(codec))
    r = run("segment", str(src))
    assert r.returncode == 0 and r.stdout.decode() == "我 爱 北京\n天安门\n"


def test_output_encoding(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("我爱北京\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    assert run("segment", str(src), "-o", str(out), "--output-encoding", "gb18030").returncode == 0
    assert out.read_bytes().decode("gb18030") == "我 爱 北京\n"


def test_train_eval_and_user_dictionaries_take_an_encoding(tmp_path, sample_sentences):
    corpus = tmp_path / "train.txt"
    corpus.write_bytes("".join(" ".join(s.words) + "\n" for s in sample_sentences[:60])
                       .encode("gb18030"))
    model = tmp_path / "m.hlx"
    r = run("train", str(corpus), "-o", str(model), "--epochs", "1", "--seg-only", "-q")
    assert r.returncode == 2 and b"--encoding gb18030" in r.stderr
    r = run("train", str(corpus), "-o", str(model), "--epochs", "1", "--seg-only", "-q",
            "--encoding", "gb18030")
    assert r.returncode == 0, r.stderr
    r = run("eval", str(corpus), str(corpus), "--encoding", "gb18030")
    assert r.returncode == 0 and b"F1\t100.00" in r.stdout
    words = tmp_path / "user.txt"
    words.write_bytes("蓝瓶咖啡 3 nz\n".encode("gb18030"))
    r = run("segment", "--user-dict", str(words), "--encoding", "gb18030",
            input="我喝蓝瓶咖啡\n".encode("gb18030"))
    assert r.returncode == 0 and "蓝瓶咖啡" in r.stdout.decode().split()


# ------------------------------------------------------------ options

@pytest.mark.parametrize("args,says", [
    (["--tagset", "upos"], "--tagset names the tags --pos writes"),
    (["--pos", "--sep", ""], "--sep ''"),
    (["--sep", "_"], "--sep separates word and tag"),
    (["-o", "out.zst"], "does not write .zst files"),
    (["--encoding", "klingon"], "unknown encoding 'klingon'"),
])
def test_options_that_would_do_nothing_are_errors(tmp_path, capsys, args, says):
    src = tmp_path / "in.txt"
    src.write_text("我爱北京\n", encoding="utf-8")
    os.chdir(tmp_path)
    assert main(["segment", str(src), *args]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1
    assert not (tmp_path / "out.zst").exists()


@pytest.mark.parametrize("command", ["segment", "train", "eval", "convert", "info"])
def test_help_gives_every_option_a_text_and_its_default(command):
    r = run(command, "--help")
    text = r.stdout.decode()
    assert r.returncode == 0
    entries: list[list[str]] = []  # an option's lines: its names, then its help
    for line in text.split("options:", 1)[1].splitlines():
        if line.startswith("  -"):
            entries.append([line])
        elif entries:
            entries[-1].append(line)
    for entry in entries:
        words = " ".join(entry).split()
        if words[0].startswith("-h"):
            continue
        metavars = [w for w in words[1:] if w.isupper() or w.endswith(",")]
        assert len(words) - 1 - len(metavars) > 1, f"{command}: no help for {entry[0].strip()}"
    if command == "train":
        assert "passes over the training data" in text and "(default: 10)" in text
        assert "print nothing while training" in text and "seed of the sentence order" in text
    if command == "eval":
        assert "the gold segmentation" in text and "the segmentation to score" in text


def test_progress_shows_a_percentage_and_ends_once(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("我爱北京天安门。\n" * 20000, encoding="utf-8")
    r = run("segment", str(src), "-o", str(tmp_path / "out.txt"), "--progress")
    err = r.stderr.decode()
    assert r.returncode == 0 and "100%" in err and "20000 lines" in err
    assert err.count("\n") == 1  # the bar is redrawn in place, and ends with one line


def test_a_missing_extra_is_one_line_naming_pip(monkeypatch):
    import importlib

    from hanlex.errors import MissingExtraError

    monkeypatch.setitem(sys.modules, "spacy", None)  # as if spaCy were not installed
    monkeypatch.delitem(sys.modules, "hanlex.integrations.spacy", raising=False)
    with pytest.raises(ImportError) as e:
        importlib.import_module("hanlex.integrations.spacy")
    assert isinstance(e.value, MissingExtraError)
    # the package alone: the extra ('hanlex[spacy]') would build hanlex again
    assert str(e.value) == "this needs spacy: pip install spacy"


def test_the_licence_file_matches_the_package_metadata():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    if not (root / "pyproject.toml").exists():
        pytest.skip("the source tree is not beside the tests")
    assert 'license = "MIT"' in (root / "pyproject.toml").read_text(encoding="utf-8")
    assert (root / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


@pytest.mark.parametrize("encoding, char", [("gb2312", "😀"), ("latin-1", "第")])
def test_a_character_the_output_encoding_cannot_hold_is_one_line(tmp_path, encoding, char):
    """It was a 20-line traceback with status 1."""
    src = tmp_path / "in.txt"
    src.write_text(f"我爱北京\n第二行{char}\n" if char != "第" else "第一行\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    out.write_text("old\n", encoding="utf-8")
    r = run("segment", str(src), "-o", str(out), "--output-encoding", encoding)
    assert r.returncode == 2 and b"Traceback" not in r.stderr
    message = r.stderr.decode("utf-8").strip()
    assert len(message.splitlines()) == 1
    line = 2 if char == "😀" else 1
    assert f"output line {line} has {char!r}" in message and "cannot write" in message
    assert out.read_text(encoding="utf-8") == "old\n"
    assert set(tmp_path.iterdir()) == {src, out}  # no temporary file left


def test_a_stray_byte_in_utf8_text_is_no_binary_file_and_stdout_keeps_the_lines_before(tmp_path):
    src = tmp_path / "bad.txt"
    src.write_bytes("我爱北京\n天安门\n".encode() + b"\xff" + "坏\n后面\n".encode())
    r = run("segment", str(src))
    assert r.returncode == 2 and r.stdout.decode() == "我 爱 北京\n天安门\n"
    assert r.stderr.decode().strip() == (f"hanlex: error: {src}: not valid UTF-8 at byte offset 23 "
                                         "(use --encoding NAME, or --errors replace to continue anyway)")
