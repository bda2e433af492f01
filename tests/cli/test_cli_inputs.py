from __future__ import annotations

import subprocess
import sys

import pytest

from hanlex.cli import CLIError
from hanlex.cli.inputs import iter_input_pieces, iter_input_units


def _units_as_pieces(units):
    """The (text, ends_line) pieces a unit stream stands for (lines split as
    the segment command splits them)."""
    for unit in units:
        if unit[0] == "lines":
            for line in unit[3].decode("utf-8").split("\n")[:-1]:
                yield line.rstrip("\r"), True
        else:
            yield unit[1], unit[2]


def test_long_line_is_cut_only_at_safe_places(tmp_path):
    text = "我们今天去北京大学参观，然后去天安门广场。" * 200
    p = tmp_path / "long.txt"
    p.write_text(text + "\n第二行\n", encoding="utf-8")
    pieces = list(iter_input_pieces([str(p)], "strict", read_bytes=64))
    assert len(pieces) > 10
    assert "".join(t for t, _ in pieces) == text + "第二行"
    assert [e for _, e in pieces].count(True) == 2
    for t, ends in pieces:
        if not ends:
            assert t[-1] in "，。"  # never inside a word


def test_line_without_safe_place_is_still_bounded(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("字" * 5000, encoding="utf-8")
    pieces = list(iter_input_pieces([str(p)], "strict", read_bytes=64))
    assert max(len(t) for t, _ in pieces) <= 4 * 64 + 64
    assert "".join(t for t, _ in pieces) == "字" * 5000


def test_invalid_utf8_offset_in_long_line(tmp_path):
    p = tmp_path / "bad.txt"
    data = ("中" * 100).encode("utf-8") + b"\xff" + "文\n".encode("utf-8")
    p.write_bytes(data)
    with pytest.raises(CLIError, match="byte offset 300"):
        list(iter_input_pieces([str(p)], "strict", read_bytes=64))
    pieces = list(iter_input_pieces([str(p)], "replace", read_bytes=64))
    assert "".join(t for t, _ in pieces) == "中" * 100 + "\ufffd文"


def test_split_multibyte_char_across_reads(tmp_path):
    p = tmp_path / "mb.txt"
    text = "一二三四五六七八九十，" * 50 + "😀" * 30
    p.write_text(text, encoding="utf-8")
    for size in (7, 13, 64):
        pieces = list(iter_input_pieces([str(p)], "strict", read_bytes=size))
        assert "".join(t for t, _ in pieces) == text


@pytest.mark.parametrize("data", [
    "\ufeff第一行\r\n\r\n第三行\r\r\n最后一行，没有换行".encode("utf-8"),
    ("开头\n" + "很长的一行，真的很长。" * 40 + "\n短行\n" * 30 + "尾巴").encode("utf-8"),
    "字".encode("utf-8") * 300,
    b"",
    b"\n\n\n",
    ("😀好\n" * 200).encode("utf-8"),
])
def test_units_stand_for_the_same_pieces(tmp_path, data):
    """The segment command reads whole-line byte blocks (so -j workers decode
    them); they must come to exactly the pieces of the line reader."""
    p = tmp_path / "in.txt"
    p.write_bytes(data)
    for size in (16, 64, 1 << 20):
        units = list(iter_input_units([str(p), str(p)], "strict", read_bytes=size))
        assert list(_units_as_pieces(units)) == \
            list(iter_input_pieces([str(p), str(p)], "strict", read_bytes=size))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_invalid_utf8_keeps_every_line_before_it(tmp_path, jobs):
    p = tmp_path / "bad.txt"
    p.write_bytes("好的\n".encode("utf-8") * 5000 + b"ab\xe4\xb8\n" + "后面\n".encode("utf-8"))
    r = subprocess.run([sys.executable, "-m", "hanlex.cli", "segment", "-j", jobs, str(p)],
                       capture_output=True)
    assert r.returncode == 2
    assert b"byte offset 35002" in r.stderr and b"Traceback" not in r.stderr
    assert r.stdout == "好 的\n".encode("utf-8") * 5000


def test_cli_long_line_output_equals_text(tmp_path):
    text = "新华社北京一月一日电，今天是新年的第一天。" * 3000
    p = tmp_path / "long.txt"
    p.write_text(text + "\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "hanlex.cli", "segment", str(p)],
                       capture_output=True, text=True)
    assert r.returncode == 0
    assert r.stdout.count("\n") == 1
    assert r.stdout.replace(" ", "").strip() == text


def test_empty_file_and_empty_lines(tmp_path):
    p = tmp_path / "e.txt"
    p.write_bytes(b"")
    r = subprocess.run([sys.executable, "-m", "hanlex.cli", "segment", str(p)],
                       capture_output=True)
    assert r.returncode == 0 and r.stdout == b""
    p.write_bytes(b"\n\n\n")
    r = subprocess.run([sys.executable, "-m", "hanlex.cli", "segment", str(p)],
                       capture_output=True)
    assert r.stdout == b"\n\n\n"
