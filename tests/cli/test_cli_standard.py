"""`--standard NAME`: the commands that decode text write the segmentation
standard asked for, of those the model has (conftest.two_standard_model)."""
from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from hanlex import Analyzer
from hanlex.cli import main, pool
from hanlex.cli.formats import Job

#: the shipped model's default standard (the name `segment` writes in unless told)
SHIPPED = Analyzer().engine.standard


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hanlex", *args], input=stdin,
                          capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def texts(sample_sentences) -> list[str]:
    return [s.text for s in sample_sentences[:150]]


@pytest.fixture(scope="module")
def lines_file(texts, tmp_path_factory):
    path = tmp_path_factory.mktemp("standard") / "in.txt"
    path.write_text("\n".join(texts) + "\n", encoding="utf-8")
    return path


def text_output(analyzer: Analyzer, texts: list[str]) -> str:
    return "".join(" ".join(w for w in words if not w.isspace()) + "\n"
                   for words in analyzer.cut_many(texts))


def test_an_unknown_standard_is_one_line_naming_the_models_standards():
    r = run("segment", "--standard", "NOPE", stdin="我爱北京\n".encode("utf-8"))
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2 and r.stdout == b""
    assert err.startswith("hanlex: error: ") and err.count("\n") == 1, err
    assert "'NOPE'" in err and SHIPPED in err and "Traceback" not in err


def test_the_shipped_models_default_standard_is_what_it_writes_unless_told(tmp_path, lines_file):
    plain, named = tmp_path / "plain.txt", tmp_path / "named.txt"
    assert main(["segment", str(lines_file), "-o", str(plain)]) == 0
    assert main(["segment", str(lines_file), "--standard", SHIPPED, "-o", str(named)]) == 0
    assert named.read_bytes() == plain.read_bytes() and plain.stat().st_size > 0


def test_segment_writes_the_standard_asked_for(tmp_path, two_standard_model_file, texts,
                                               lines_file):
    model = two_standard_model_file
    pku = text_output(Analyzer(model, standard="pku"), texts)
    joined = text_output(Analyzer(model, standard="joined"), texts)
    assert pku != joined  # the standards do differ on these texts
    for args, want in (([], pku), (["--standard", "pku"], pku),
                       (["--standard", "joined"], joined),
                       (["--standard", "joined", "-j", "2"], joined)):
        out = tmp_path / "out.txt"
        assert main(["segment", str(lines_file), "--model", model, *args, "-o", str(out)]) == 0
        assert out.read_text(encoding="utf-8") == want, args


def test_tags_and_tokens_in_the_standard_asked_for(tmp_path, two_standard_model_file, texts,
                                                   lines_file):
    an = Analyzer(two_standard_model_file, standard="joined")
    out = tmp_path / "out.jsonl"
    assert main(["segment", str(lines_file), "--model", two_standard_model_file, "--pos",
                 "--format", "jsonl", "--standard", "joined", "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [[(t["word"], t["tag"]) for t in r["tokens"]] for r in records] == an.tag_many(texts)


def test_an_unknown_standard_of_a_model_names_its_standards(two_standard_model_file, capsys):
    assert main(["segment", "--model", two_standard_model_file, "--standard", "weibo",
                 "/dev/null"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'weibo'" in err and "pku, joined" in err, err


def test_workers_that_load_the_model_decode_in_its_standard(monkeypatch,
                                                            two_standard_model_file, texts):
    """A worker that is not forked from the command (spawned, or forked with no
    analyzer to inherit) makes its own Analyzer, in the standard asked for."""
    monkeypatch.setattr(pool, "_WORKER", {})  # nothing to inherit
    workers = pool.WorkerPool(2, two_standard_model_file, None, standard="joined")
    try:
        got = workers.submit(texts, Job()).get(timeout=120)
    finally:
        workers.close()
    assert got == text_output(Analyzer(two_standard_model_file, standard="joined"),
                              texts).splitlines()


# ------------------------------------------------------------ hanlex words

def _planted(word: str, times: int = 200) -> str:
    """Lines with `word` between random characters: a new word with free contexts."""
    rng = random.Random(7)
    filler = "的一是在不了有和人这中大为上个我以要他时来用们生到作地于出就分对成会可发年动同工"
    side = lambda: "".join(rng.choice(filler) for _ in range(rng.randint(2, 8)))  # noqa: E731
    return "".join(f"{side()}{word}{side()}。\n" for _ in range(times))


def test_words_leaves_out_what_the_standard_asked_for_keeps_whole(tmp_path,
                                                                  two_standard_model_file,
                                                                  sample_sentences):
    pku = Analyzer(two_standard_model_file)
    joined = Analyzer(two_standard_model_file, standard="joined")
    # a word the joined standard writes whole and pku splits
    word = next(w for s in sample_sentences[:150] for w in joined.cut(s.text)
                if 2 <= len(w) <= 4 and len(pku.cut(w)) > 1 and joined.cut(w) == [w])
    raw = tmp_path / "raw.txt"
    raw.write_text(_planted(word), encoding="utf-8")
    found = {}
    for standard in ("pku", "joined"):
        out = tmp_path / f"{standard}.tsv"
        assert main(["words", str(raw), "--model", two_standard_model_file, "--standard",
                     standard, "--min-count", "20", "--top", "10", "-o", str(out)]) == 0
        found[standard] = [line.split("\t")[0]
                           for line in out.read_text(encoding="utf-8").splitlines()]
    assert word in found["pku"] and word not in found["joined"], (word, found)


def test_words_refuses_a_standard_it_would_not_use(tmp_path, capsys):
    raw = tmp_path / "raw.txt"
    raw.write_text(_planted("区块链", 30), encoding="utf-8")
    assert main(["words", str(raw), "--all", "--standard", SHIPPED]) == 2
    err = capsys.readouterr().err
    assert "--standard" in err and "--all" in err and err.count("\n") == 1
    assert main(["words", str(raw), "--standard", "NOPE"]) == 2
    err = capsys.readouterr().err
    assert "'NOPE'" in err and SHIPPED in err and err.count("\n") == 1
