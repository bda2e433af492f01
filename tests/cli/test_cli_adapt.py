"""hanlex adapt: a model that knows a raw text's domain: its words as lexicon
entries, its bigram statistics in place of the model's."""
from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys

from hanlex import Analyzer
from hanlex.model import Model

FILLER = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hanlex", *args], capture_output=True)


def raw_text(word: str, times: int) -> str:
    """`word` between random filler: contexts free on both sides, as a word's are."""
    rng = random.Random(7)
    lines = []
    for _ in range(times):
        left = "".join(rng.choice(FILLER) for _ in range(rng.randint(2, 6)))
        right = "".join(rng.choice(FILLER) for _ in range(rng.randint(2, 6)))
        lines.append(f"{left}{word}{right}。")
    return "\n".join(lines) + "\n"


def test_adapt_writes_a_model_with_the_texts_words_and_says_where_they_came_from(tmp_path):
    raw = tmp_path / "manual.txt"
    raw.write_text(raw_text("数位板", 200), encoding="utf-8")
    out, words = tmp_path / "domain.hlx", tmp_path / "words.tsv"
    r = run("adapt", str(raw), "-o", str(out), "--words-out", str(words), "--standard", "pku")
    assert r.returncode == 0, r.stderr
    assert "数位板" in [line.split("\t")[0] for line in words.read_text(encoding="utf-8").splitlines()]
    base, adapted = Model.load(Analyzer().engine.path), Model.load(out)
    assert len(adapted.lexicon_keys) > len(base.lexicon_keys)
    assert adapted.standards.keys() == base.standards.keys()  # every standard kept
    meta = adapted.meta["adapted"]
    assert meta["bigrams"] > 0 and meta["words"] > 0
    # the segmenter reads no statistics, so the joint model segments
    assert adapted.segmenter is None and meta["segmenter"].startswith("dropped")
    assert meta["sources"] == [{"file": "manual.txt",
                                "sha256": hashlib.sha256(raw.read_bytes()).hexdigest()}]
    info = run("info", "--model", str(out))
    assert b"adapted" in info.stdout


def test_adapt_refuses_standard_input_in_one_line(tmp_path):
    r = run("adapt", "-", "-o", str(tmp_path / "x.hlx"))
    assert r.returncode == 2 and b"Traceback" not in r.stderr
    assert len(r.stderr.decode("utf-8").strip().splitlines()) == 1
    assert not (tmp_path / "x.hlx").exists()


def test_segment_adapt_learns_the_inputs_words_first_and_leaves_no_spooled_file(tmp_path):
    text = raw_text("数位板", 200).encode("utf-8")
    env = {**os.environ, "TMPDIR": str(tmp_path)}

    def segment(*options: str) -> list[list[str]]:
        r = subprocess.run([sys.executable, "-m", "hanlex", "segment", "--standard", "pku",
                            *options], input=text, capture_output=True, env=env)
        assert r.returncode == 0, r.stderr
        return [line.split(" ") for line in r.stdout.decode("utf-8").splitlines()]

    plain, adapted, two = segment(), segment("--adapt"), segment("--adapt", "-j", "2")
    assert ["".join(ws) for ws in adapted] == text.decode("utf-8").splitlines()  # lossless
    assert adapted == two
    assert sum("数位板" in ws for ws in adapted) > sum("数位板" in ws for ws in plain) + 50
    assert not list(tmp_path.glob("hanlex-adapt-*"))  # stdin's spool is gone


def test_adapt_reports_progress_of_both_passes_when_asked(tmp_path):
    raw = tmp_path / "manual.txt"
    raw.write_text(raw_text("数位板", 50), encoding="utf-8")
    r = run("adapt", str(raw), "-o", str(tmp_path / "d.hlx"), "--progress")
    assert r.returncode == 0, r.stderr
    err = r.stderr.decode("utf-8")
    assert "pass 1 of 2" in err and "pass 2 of 2" in err and "100%" in err
    quiet = run("adapt", str(raw), "-o", str(tmp_path / "d.hlx"))  # not a terminal: silent
    assert quiet.returncode == 0 and not quiet.stderr
