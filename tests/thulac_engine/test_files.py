"""Bad THULAC files: one error naming the file, never a crash or a huge allocation."""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys

import pytest

from hanlex import Analyzer
from hanlex.errors import ModelFormatError
from hanlex.thulac.files import read_labels, read_trie, read_weights


def _small_dir(tmp_path, thulac_dir):
    """A THULAC directory with a tiny but well-formed segmentation model."""
    d = tmp_path / "models"
    d.mkdir()
    for name in ("ns.dat", "idiom.dat", "singlepun.dat", "t2s.dat"):
        shutil.copy(os.path.join(thulac_dir, name), d / name)
    (d / "cws_label.txt").write_text("0\n1\n2\n3\n", encoding="utf-8")
    features = 3
    (d / "cws_model.bin").write_bytes(struct.pack(f"<2i{16 + 4 * features}i", 4, features,
                                                  *range(16 + 4 * features)))
    (d / "cws_dat.bin").write_bytes(struct.pack("<4i", 0, 0, 0, 0))
    return d


def test_a_tiny_model_loads_and_decodes(tmp_path, thulac_dir):
    d = _small_dir(tmp_path, thulac_dir)
    words = Analyzer(f"thulac:{d}").cut("我爱北京")
    assert "".join(words) == "我爱北京"


@pytest.mark.parametrize("damage, message", [
    (lambda d: (d / "cws_model.bin").write_bytes(b"\x04\x00\x00\x00\xff\xff\xff\x7f" + b"\0" * 64),
     "header says"),
    (lambda d: (d / "cws_model.bin").write_bytes(b"\x01\x02\x03"), "whole number"),
    (lambda d: (d / "cws_model.bin").write_bytes(b""), "too short"),
    (lambda d: (d / "cws_dat.bin").write_bytes(b"\0" * 12), "pairs"),
    (lambda d: (d / "cws_label.txt").write_text("0\n1\n2\n", encoding="utf-8"), "3 labels"),
    (lambda d: (d / "cws_label.txt").write_text("0\nx\n2\n3\n", encoding="utf-8"), "line 2"),
    (lambda d: (d / "cws_label.txt").write_bytes(b"\xff\xfe\n"), "UTF-8"),
    (lambda d: os.remove(d / "ns.dat"), "ns.dat: missing"),
    (lambda d: os.remove(d / "cws_dat.bin"), "cws_dat.bin: missing"),
    (lambda d: (d / "t2s.dat").write_bytes(b"\0" * 12), "odd number"),
])
def test_damaged_directory_names_the_file(tmp_path, thulac_dir, damage, message):
    d = _small_dir(tmp_path, thulac_dir)
    damage(d)
    with pytest.raises(ModelFormatError, match=message):
        Analyzer(f"thulac:{d}")


def test_not_a_thulac_directory(tmp_path):
    with pytest.raises(ModelFormatError, match="not a THULAC models directory"):
        Analyzer(f"thulac:{tmp_path}")
    with pytest.raises(ModelFormatError, match="not a directory"):
        Analyzer(f"thulac:{tmp_path / 'nowhere'}")


def test_command_line_gives_one_line_and_exit_2(tmp_path, thulac_dir):
    d = _small_dir(tmp_path, thulac_dir)
    (d / "cws_model.bin").write_bytes(b"\x04\x00\x00\x00\x00\x00\x00\x40")
    r = subprocess.run([sys.executable, "-m", "hanlex", "segment", "--model", f"thulac:{d}"],
                       input="我爱北京", capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "cws_model.bin" in r.stderr
    r = subprocess.run([sys.executable, "-m", "hanlex", "thulac-words", str(d / "cws_label.txt")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "cws_label.txt" in r.stderr


def test_readers_check_sizes_before_mapping(tmp_path):
    p = tmp_path / "f.bin"
    p.write_bytes(struct.pack("<2i", 2, 1 << 30))  # a billion features in 8 bytes
    with pytest.raises(ModelFormatError, match="header says"):
        read_weights(str(p))
    p.write_bytes(b"")
    with pytest.raises(ModelFormatError):
        read_trie(str(p))
    p.write_text("0\n", encoding="utf-8")
    with pytest.raises(ModelFormatError, match="1 labels, but"):
        read_labels(str(p), 4)
