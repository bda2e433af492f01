"""What every command shares: the error a user caused, and safe outputs."""
from __future__ import annotations

import os
import stat
import sys
from typing import IO, Iterable

from ..errors import HanlexError

EXIT_USAGE = 2


class CLIError(HanlexError):
    """A command-line mistake: printed as one line, exit status 2."""


def refuse_input_as_output(output: str | None, inputs: Iterable[str]) -> None:
    """Opening the output truncates it: if it is also an input (`segment a.txt -o a.txt`,
    `-o a.txt < a.txt`, `train corpus.txt -o corpus.txt`), that text would be lost."""
    if output in (None, "-"):
        return
    try:
        out = os.stat(output)
    except OSError:
        return  # not there yet, so no input can be it
    if not stat.S_ISREG(out.st_mode):
        return  # /dev/null and the like
    for path in filter(None, inputs):
        try:
            st = os.fstat(sys.stdin.fileno()) if path == "-" else os.stat(path)
        except (OSError, ValueError):
            continue  # unreadable inputs get their own error when opened
        if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
            name = "standard input" if path == "-" else path
            raise CLIError(f"{output}: is also an input ({name}) and would be overwritten; "
                           "write the output to another file")


def check_writable(path: str) -> None:
    """Where a file can be created: a model is written only once training ends."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise CLIError(f"{path}: is a directory; give a file name for the model")
    if not os.path.isdir(folder):
        raise CLIError(f"{path}: cannot write (no directory {folder})")
    if not os.access(folder, os.W_OK):
        raise CLIError(f"{path}: cannot write (directory {folder} is not writable)")


def open_output(path: str | None) -> IO[bytes]:
    """A binary output: workers hand back encoded text, written as it is;
    compressed when the name ends in .gz, .bz2 or .xz."""
    if path is None or path == "-":
        return sys.stdout.buffer
    try:
        if path.endswith(".gz"):
            import gzip
            return gzip.open(path, "wb", compresslevel=6)
        if path.endswith(".bz2"):
            import bz2
            return bz2.open(path, "wb")
        if path.endswith(".xz"):
            import lzma
            return lzma.open(path, "wb")
        return open(path, "wb")
    except OSError as e:
        raise CLIError(f"{path}: cannot write ({e.strerror})") from None


def load_analyzer(path: str | None, user_dict: str | None = None, traditional: bool = False):
    from ..analyzer import Analyzer

    return Analyzer(path, user_dict=user_dict, traditional=traditional)
