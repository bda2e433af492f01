"""The one reader of word lists and user dictionaries.

A line is `word [freq] [tag]`, jieba's dictionary format, of which a plain
word list (one word a line) and hanlex's `word [tag]` user dictionaries are
special cases: a second field of digits is a frequency (read and ignored: a
user word is always whole), a field after the word and frequency is the tag.
Blank lines and lines starting with # are skipped.
"""
from __future__ import annotations

import os
from typing import Iterable, NamedTuple

from ..errors import DictionaryError
from ..io.files import read_lines


class Entry(NamedTuple):
    word: str
    tag: str | None = None
    where: str | None = None  # "file:line" of an entry read from a file


def parse_entries(lines: Iterable[str], source: str, words_only: bool = False) -> list[Entry]:
    """The entries of dictionary lines; `source` names them in errors.

    words_only: only each line's first field counts (a word list, where other
    columns, whatever they hold, are not hanlex's business)."""
    out = []
    for n, line in enumerate(lines, 1):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if words_only:
            out.append(Entry(parts[0], None, f"{source}:{n}"))
            continue
        rest = parts[1:]
        if rest and rest[0].isdigit():
            rest = rest[1:]
        if len(rest) > 1:
            raise DictionaryError(f"{source}:{n}: expected 'word [freq] [tag]', got {line!r}")
        out.append(Entry(parts[0], rest[0] if rest else None, f"{source}:{n}"))
    return out


def read_entries(path: str | os.PathLike, words_only: bool = False,
                 encoding: str | None = None) -> list[Entry]:
    """parse_entries of a file (io.files.read_lines: UTF-8 unless a byte-order
    mark or `encoding` says otherwise; gzip/bz2/xz of it too)."""
    return parse_entries(read_lines(path, encoding), os.fspath(path), words_only)


def read_wordlist(path: str | os.PathLike, encoding: str | None = None) -> list[str]:
    """The words of a word list: the first field of each line (so jieba-style
    `word freq tag` dictionaries work too)."""
    return [e.word for e in read_entries(path, words_only=True, encoding=encoding)]
