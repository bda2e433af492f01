"""Text encodings of users' files: UTF-8 by default, a byte-order mark wins, any
codec Python knows by name, and a hint when a file is not UTF-8: the encoding
charset-normalizer finds in its start (GB18030, Big5, UTF-16 without a mark, ...),
or that it is not text at all."""
from __future__ import annotations

import codecs

from ..errors import ConfigError, CorpusError

# UTF-32 first: its little-endian mark begins with UTF-16's
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
HINT_BYTES = 1 << 16  # a decoding error this close to the start gets a hint
CHINESE_MARGIN = 10.0  # percent of "chaos" (charset-normalizer) a Chinese reading may add


def sniff_bom(head: bytes) -> tuple[str | None, int]:
    """(the encoding a byte-order mark at the start of `head` names, its length),
    or (None, 0)."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, len(bom)
    return None, 0


def checked_encoding(name: str | None) -> str:
    """A codec name a user gave, normalised ('utf-8' when None); unknown names
    are a ConfigError."""
    if name is None:
        return "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ConfigError(f"unknown encoding {name!r}; use a name Python knows, such as "
                          "utf-8, gb18030, big5, utf-16") from None


def hint(data: bytes, encoding: str, offset: int) -> str:
    """What to tell a user whose file is not valid `encoding` at byte `offset`
    (of the file; `data` is the file's start), if the failure is near the start:
    the encoding its start looks like, or that it looks like a binary file."""
    if encoding != "utf-8" or offset >= HINT_BYTES:
        return ""
    from charset_normalizer import from_bytes  # lazy: only a file that is not UTF-8 needs it

    head = data[:HINT_BYTES]
    for cut in range(4):  # the sample may end inside a character (of UTF-16, UTF-32, ...)
        matches = list(from_bytes(head[:len(head) - cut]))
        if matches:
            break
    if not matches:  # no encoding reads it: binary, or text with a stray byte
        return "; it looks like a binary file, not text" if _binary(head) else ""
    # a short Chinese sample may fit a Korean or Thai code page as well; hanlex's
    # files are Chinese, so a Chinese reading nearly as clean wins, GB18030 (the
    # Simplified one) before Big5
    chinese = [m for m in matches if m.language == "Chinese"
               and m.percent_chaos <= matches[0].percent_chaos + CHINESE_MARGIN]
    chinese.sort(key=lambda m: codecs.lookup(m.encoding).name != "gb18030")
    name = codecs.lookup((chinese or matches)[0].encoding).name
    if name == "utf-8":  # the start is UTF-8: the error is a stray byte, no other encoding
        return ""
    return f"; it looks like {name}: use --encoding {name}"


def _binary(head: bytes) -> bool:
    """NUL bytes, or control bytes (other than tab, newlines, form feed, escape) in more
    than a tenth of the sample: no text file has those."""
    controls = sum(head.count(bytes([b])) for b in range(32) if b not in (9, 10, 12, 13, 27))
    return b"\x00" in head or controls > len(head) / 10


def decode_error(name: str, encoding: str, offset: int, data: bytes = b"",
                 errors_option: bool = True) -> str:
    """The one-line message for bytes that are not `encoding` at `offset`."""
    advice = hint(data, encoding, offset)
    if not advice:
        advice = (" (use --encoding NAME, or --errors replace to continue anyway)"
                  if errors_option else " (use --encoding NAME)")
    return f"{name}: not valid {display(encoding)} at byte offset {offset}{advice}"


def display(encoding: str) -> str:
    return "UTF-8" if encoding == "utf-8" else encoding


def decode_text(data: bytes, name: str, encoding: str | None = None,
                errors: str = "strict") -> str:
    """The text of a whole file's bytes: a byte-order mark decides, else
    `encoding` (UTF-8 by default); the mark itself is dropped."""
    found, skip = sniff_bom(data[:4])
    enc = found or checked_encoding(encoding)
    try:
        return data[skip:].decode(enc, errors)
    except UnicodeDecodeError as e:
        raise CorpusError(decode_error(name, enc, skip + e.start, data,
                                       errors_option=False)) from None
