"""Opening a user's files: one wording for the ways it can fail, and compressed
inputs told apart by content."""
from __future__ import annotations

import contextlib
import os
import stat
import sys
from typing import IO, Iterator

from ..errors import CorpusError
from .encoding import decode_text


def open_problem(path: str | os.PathLike, error: OSError) -> str:
    """`path: what went wrong`, in words a user can act on."""
    name = os.fspath(path)
    if isinstance(error, FileNotFoundError):
        return f"{name}: no such file"
    if isinstance(error, IsADirectoryError):
        return f"{name}: is a directory"
    if isinstance(error, PermissionError):
        return f"{name}: permission denied"
    return f"{name}: cannot read ({error.strerror or error})"


def compression(head: bytes):
    """(name, module) of the compressed format a file's first 10 bytes show
    (gzip, bz2 or xz), or None: inputs are recognised by content, not by name.
    The modules are imported here, when a file is one: a cold start needs none."""
    if head.startswith(b"\x1f\x8b"):
        import gzip  # lazy: see the docstring

        return "gzip", gzip
    if (head[:3] == b"BZh" and head[3:4] in (b"1", b"2", b"3", b"4", b"5", b"6", b"7", b"8", b"9")
            and head[4:10] in (b"\x31\x41\x59\x26\x53\x59", b"\x17\x72\x45\x38\x50\x90")):
        import bz2  # lazy: see the docstring

        return "bz2", bz2  # a block or the end of the stream follows the header
    if head.startswith(b"\xfd7zXZ\x00"):
        import lzma  # lazy: see the docstring

        return "xz", lzma
    return None


def read_lines(path: str | os.PathLike, encoding: str | None = None) -> list[str]:
    """Lines of a text file without line endings (io.encoding.decode_text: UTF-8
    unless a byte-order mark or `encoding` says otherwise); a clear error on bad bytes."""
    return decode_text(read_bytes(path), os.fspath(path), encoding).splitlines()


def read_bytes(path: str | os.PathLike) -> bytes:
    """A file's bytes ("-": standard input's), decompressed if it is gzip, bz2 or xz
    (told by its first bytes)."""
    try:
        if os.fspath(path) == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except OSError as e:
        raise CorpusError(open_problem(path, e)) from None
    found = compression(data[:10])
    if found is None:
        return data
    kind, module = found
    try:
        return module.decompress(data)
    except (OSError, EOFError, ValueError) as e:  # also zlib.error, lzma.LZMAError
        raise CorpusError(f"{os.fspath(path)}: damaged {kind} data ({e})") from None


@contextlib.contextmanager
def replaced_atomically(path: str | os.PathLike) -> Iterator[IO[bytes]]:
    """A new file beside `path` to write, renamed over `path` when the block ends
    without an error (with `path`'s permissions, or those a new file gets); on an
    error or an interrupt it is removed and `path` keeps what it held."""
    path = os.fspath(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:  # not there yet
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    import tempfile  # lazy: only writers need it, not `import hanlex`

    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".hanlex-tmp",
                               dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "wb") as f:
            os.chmod(tmp, mode)
            yield f
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
