"""Reading `hanlex segment`'s inputs: files or stdin, gzip/bz2/xz or not, in any
encoding (recoded to UTF-8 as they are read), in bounded memory whatever their
line lengths."""
from __future__ import annotations

import codecs
import sys
from typing import IO, Iterator, Sequence

from ..io.encoding import HINT_BYTES, decode_error, sniff_bom
from ..io.files import compression, open_problem
from .common import CLIError

READ_BYTES = 1 << 20  # a line longer than this is segmented in pieces
_SAFE_BREAKS = frozenset("。！？；，、：\u3000 \t")


def _safe_split(text: str) -> int:
    """Index after the last place a long line may be cut without cutting a word."""
    for k in range(len(text) - 1, max(-1, len(text) - 4096), -1):
        if text[k] in _SAFE_BREAKS:
            return k + 1
    return -1


def iter_input_pieces(paths: Sequence[str], errors: str, read_bytes: int = READ_BYTES,
                      encoding: str = "utf-8") -> Iterator[tuple[str, bool]]:
    """(text, ends_line) pieces of the inputs (stdin when none), in bounded memory.

    Ordinary lines come whole. A line longer than `read_bytes` is cut at a
    sentence punctuation mark or space (falling back to a hard cut after 4x
    that much text with no such place). Bytes that are not the input's
    encoding are an error naming the file and byte offset unless errors='replace'.
    """
    for path in paths or ["-"]:
        name, f = open_input(path, encoding, errors)
        try:
            yield from stream_pieces(f, name, errors, read_bytes, first=not f.recoded)
        finally:
            f.close()


class _Input:
    """An input stream (a file or stdin, decompressed if it is gzip, bz2 or xz,
    recognised by its first bytes), as UTF-8 bytes whatever its encoding (a
    byte-order mark decides, else `encoding`), whose read errors are CLIErrors."""

    def __init__(self, raw: IO[bytes], name: str, owned: bool, encoding: str = "utf-8",
                 errors: str = "strict"):
        self.raw, self.owned, self.name = raw, owned, name
        self.kind = self.decompressor = None
        # the first bytes tell the format; read, not peeked, as a pipe may hold fewer yet
        head = self._guard(raw.read, 10)
        self.stream = _Prefixed(head, raw)
        found = compression(head)
        if found is not None:
            self.kind, module = found
            self.stream = self.decompressor = module.open(self.stream, "rb")
            self.name = f"{name} ({self.kind}-decompressed)"  # byte offsets are of the text
            head = self._guard(self.stream.read, 4)
            self.stream = _Prefixed(head, self.stream)
        bom, skip = sniff_bom(head)
        source = bom or encoding
        # a UTF-8 mark is dropped where lines are decoded; a recoded stream's mark
        # is dropped here, and a U+FEFF after it is text
        self.recoded = source != "utf-8"
        if self.recoded:
            self.stream = _Recoded(self.stream, source, errors, self.name, skip)

    def _guard(self, method, size: int) -> bytes:
        try:
            return method(size)
        except CLIError:
            raise
        except (OSError, EOFError, ValueError) as e:  # also zlib.error, lzma.LZMAError
            what = f"damaged {self.kind} data" if self.kind else "cannot read"
            raise CLIError(f"{self.name}: {what} ({e})") from None

    def read(self, size: int = -1) -> bytes:
        return self._guard(self.stream.read, size)

    def counter(self, consumed: list[int] | None):
        """A function that adds to consumed[0] the file bytes read since its last call."""
        last = [0]

        def count() -> None:
            if consumed is None or not self.raw.seekable():
                return
            position = self.raw.tell()
            consumed[0] += position - last[0]
            last[0] = position
        return count

    def readline(self, size: int = -1) -> bytes:
        return self._guard(self.stream.readline, size)

    def close(self) -> None:
        if self.decompressor is not None:
            self.decompressor.close()  # leaves the raw stream open
        if self.owned:
            self.raw.close()


class _Recoded:
    """UTF-8 bytes read from a stream in another encoding, decoded as they come."""

    def __init__(self, source, encoding: str, errors: str, name: str, skip: int):
        self.source, self.encoding, self.name = source, encoding, name
        self.decoder = codecs.getincrementaldecoder(encoding)(errors)
        self.buffer = b""
        self.consumed = len(source.read(skip)) if skip else 0  # a byte-order mark
        self.done = False

    def _fill(self, want: int, line: bool = False) -> None:
        while not self.done and len(self.buffer) < want and not (line and b"\n" in self.buffer):
            chunk = self.source.read(1 << 16)
            pending = len(self.decoder.getstate()[0])
            try:
                text = self.decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as e:
                raise CLIError(decode_error(self.name, self.encoding,
                                            self.consumed - pending + e.start)) from None
            self.consumed += len(chunk)
            self.buffer += text.encode("utf-8", "surrogatepass")
            self.done = not chunk

    def read(self, size: int = -1) -> bytes:
        self._fill(size if size is not None and size >= 0 else 1 << 62)
        if size is None or size < 0:
            size = len(self.buffer)
        out, self.buffer = self.buffer[:size], self.buffer[size:]
        return out

    def readline(self, size: int = -1) -> bytes:
        limit = size if size is not None and size >= 0 else 1 << 62
        self._fill(limit, line=True)
        k = self.buffer.find(b"\n", 0, limit)
        n = min(limit, len(self.buffer)) if k < 0 else k + 1
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out


def open_input(path: str, encoding: str = "utf-8", errors: str = "strict") -> tuple[str, _Input]:
    if path == "-":
        f = _Input(sys.stdin.buffer, "<stdin>", owned=False, encoding=encoding, errors=errors)
        return f.name, f
    try:
        raw = open(path, "rb")
    except OSError as e:
        raise CLIError(open_problem(path, e)) from None
    f = _Input(raw, path, owned=True, encoding=encoding, errors=errors)
    return f.name, f


def utf8_error(name: str, offset: int, start: bytes = b"") -> CLIError:
    """Invalid UTF-8 at `offset` of a file whose first bytes are `start` (empty
    when the error is not near the start)."""
    return CLIError(decode_error(name, "utf-8", offset, start))


def stream_pieces(f, name: str, errors: str, read_bytes: int = READ_BYTES,
                   consumed: int = 0, first: bool = True) -> Iterator[tuple[str, bool]]:
    """iter_input_pieces for one binary stream whose first byte is at file
    offset `consumed` (first: it is the file's start, where a BOM may be)."""
    dec = codecs.getincrementaldecoder("utf-8")(errors)
    carry = ""
    in_line = False  # pieces of an unfinished line were yielded
    while True:
        raw = f.readline(read_bytes)
        pending = len(dec.getstate()[0])
        try:
            text = dec.decode(raw, final=not raw)
        except UnicodeDecodeError as e:
            # the hint reads the file's start, not just its first line (UTF-16's
            # newline is two bytes: a line alone ends mid-character)
            start = raw + f.read(max(HINT_BYTES - len(raw), 0)) if first else b""
            raise utf8_error(name, consumed - pending + e.start, start) from None
        consumed += len(raw)
        if first and text.startswith("\ufeff"):
            text = text[1:]
        first = False
        text = carry + text
        carry = ""
        if not raw:
            if text or in_line:
                yield text, True
            break
        if text.endswith("\n"):
            yield text.rstrip("\r\n"), True
            in_line = False
            continue
        cut = _safe_split(text)
        if cut > 0:
            yield text[:cut], False
            carry = text[cut:]
            in_line = True
        elif len(text) > 4 * read_bytes:
            yield text, False
            in_line = True
        else:
            carry = text


class _Prefixed:
    """A binary stream that first returns `head`, then reads on from `tail`."""

    def __init__(self, head: bytes, tail: IO[bytes]):
        self.head, self.tail = head, tail

    def readline(self, size: int) -> bytes:
        if not self.head:
            return self.tail.readline(size)
        k = self.head.find(b"\n", 0, size)
        n = size if k < 0 else k + 1
        out, self.head = self.head[:n], self.head[n:]
        if k < 0 and not self.head and len(out) < size:
            out += self.tail.readline(size - len(out))
        return out

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            return self.tail.read(size)
        if size is None or size < 0:
            out, self.head = self.head, b""
            return out + self.tail.read()
        out, self.head = self.head[:size], self.head[size:]
        if len(out) < size:
            out += self.tail.read(size - len(out))
        return out


def iter_input_units(paths: Sequence[str], errors: str, read_bytes: int = READ_BYTES,
                     encoding: str = "utf-8", consumed: list[int] | None = None):
    """The inputs as units of work, in order, in bounded memory:

    ("lines", name, offset, data): whole lines as undecoded bytes (about
    read_bytes of them), so that a parent process hands them to workers
    without touching each line; or ("piece", text, ends_line) for the rest of
    a file once a line longer than read_bytes shows up (cut as
    iter_input_pieces cuts it). Both give the same output. `consumed[0]`, if
    given, grows by the bytes of the input files read (compressed or not) before
    each unit is yielded.
    """
    for path in paths or ["-"]:
        name, f = open_input(path, encoding, errors)
        count = f.counter(consumed)
        try:
            data = f.read(read_bytes)
            bom = not f.recoded and data.startswith(codecs.BOM_UTF8)
            offset = len(codecs.BOM_UTF8) if bom else 0
            carry = data[offset:]
            while True:
                data = f.read(read_bytes)
                buf = carry + data
                k = buf.rfind(b"\n")
                if k >= 0:
                    count()
                    yield "lines", name, offset, buf[:k + 1]
                    offset += k + 1
                carry = buf[k + 1:]
                if len(carry) >= read_bytes or not data:
                    # a very long line, or the last line without a newline:
                    # piece by piece from here, exactly as iter_input_pieces
                    for piece, ends in stream_pieces(_Prefixed(carry, f), name, errors,
                                                     read_bytes, consumed=offset, first=False):
                        count()
                        yield "piece", piece, ends
                    break
        finally:
            f.close()
