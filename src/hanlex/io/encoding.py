"""Text encodings of users' files: UTF-8 by default, a byte-order mark wins, any
codec Python knows by name, and a hint when a file that is not UTF-8 looks like
GB18030 (Chinese files often are)."""
from __future__ import annotations

import codecs

from ..errors import ConfigError, CorpusError

# UTF-32 first: its little-endian mark begins with UTF-16's
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
HINT_BYTES = 1 << 16  # a decoding error this close to the start gets a hint


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
    (of the file; `data` is the file's start): the encoding it looks like, if
    the failure is near the start and the start decodes as GB18030."""
    if encoding != "utf-8" or offset >= HINT_BYTES:
        return ""
    head = data[:HINT_BYTES]
    for cut in range(4):  # the sample may end inside a character
        try:
            head[:len(head) - cut].decode("gb18030")
        except UnicodeDecodeError:
            continue
        return "; looks like GB18030: use --encoding gb18030"
    return ""


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
