"""A THULAC model converted to one hanlex model file gives the same output."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest
from conftest import random_texts
from test_files import _small_dir

from hanlex import Analyzer
from hanlex.errors import ModelFormatError
from hanlex.thulac.convert import to_bytes


def _save(engine, path) -> None:
    """A THULAC engine as one model file, as `hanlex convert` writes it."""
    with open(path, "wb") as f:
        f.write(to_bytes(engine))


def test_converted_file_gives_the_same_words(tmp_path, thulac_dir):
    d = _small_dir(tmp_path, thulac_dir)
    out = tmp_path / "m.hlx"
    r = subprocess.run([sys.executable, "-m", "hanlex", "convert", f"thulac:{d}", "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    texts = random_texts(11, 200, "我爱北京天安门")
    converted = Analyzer(str(out))
    assert converted.cut_many(texts) == Analyzer(f"thulac:{d}").cut_many(texts)
    # a normal model file: it pickles as its path and serves the command line
    assert pickle.loads(pickle.dumps(converted)).cut(texts[0]) == converted.cut(texts[0])
    lines = ["".join(c for c in t if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF).strip()
             for t in texts[:50]]
    lines = [x for x in lines if x]
    r = subprocess.run([sys.executable, "-m", "hanlex", "segment", "--model", str(out), "-j", "2"],
                       input="\n".join(lines) + "\n", capture_output=True, text=True,
                       encoding="utf-8")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [" ".join(w for w in ws if not w.isspace())
                                     for ws in converted.cut_many(lines)]


def test_user_words_work_with_a_converted_model(tmp_path, thulac_dir):
    d = _small_dir(tmp_path, thulac_dir)
    _save(Analyzer(f"thulac:{d}").engine, tmp_path / "m.hlx")
    a = Analyzer(str(tmp_path / "m.hlx"), user_dict=["北京天安门"])
    assert "北京天安门" in a.cut("我爱北京天安门")


def test_damaged_converted_file(tmp_path, thulac_dir):
    d = _small_dir(tmp_path, thulac_dir)
    path = tmp_path / "m.hlx"
    _save(Analyzer(f"thulac:{d}").engine, path)
    data = path.read_bytes()
    path.write_bytes(data[:-100])
    with pytest.raises(ModelFormatError, match="truncated"):
        Analyzer(str(path))
    damaged = bytearray(data)
    damaged[-200] ^= 0xFF
    path.write_bytes(bytes(damaged))
    with pytest.raises(ModelFormatError, match="checksum"):
        Analyzer(str(path))


@pytest.mark.skipif(not os.environ.get("HANLEX_CONVERT_REAL"),
                    reason="writes a 500 MB file; bench/thulac_agreement.py --model covers it")
def test_converting_thulacs_own_models(tmp_path, thulac_dir):
    _save(Analyzer(f"thulac:{thulac_dir}").engine, tmp_path / "t.hlx")
    text = "我爱北京天安门，天安门上太阳升。"
    assert Analyzer(str(tmp_path / "t.hlx")).tag(text) == Analyzer(f"thulac:{thulac_dir}").tag(text)
