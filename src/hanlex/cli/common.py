"""What every command shares: the error a user caused, and safe outputs."""
from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import stat
import sys
from typing import IO, Iterable

from ..analyzer import Analyzer
from ..errors import HanlexError
from ..io.files import open_problem, replaced_atomically
from ..lexicon.entries import read_wordlist
from ..lexicon.userdict import UserDict

EXIT_USAGE = 2


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """--help with each option's default, unless its text already says it or there
    is none to say (a flag that is off, an option that is unset)."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "default" in text or action.default in (None, False, [], argparse.SUPPRESS):
            return text
        return super()._get_help_string(action)


def command(sub, name: str, summary: str) -> argparse.ArgumentParser:
    """The parser of one subcommand, its help showing defaults."""
    return sub.add_parser(name, help=summary, formatter_class=HelpFormatter)


def add_errors_option(parser: argparse.ArgumentParser) -> None:
    """--errors, for the commands that read text through cli.inputs."""
    parser.add_argument("--errors", choices=("strict", "replace"), default="strict",
                        help="bytes that are not the input's encoding: stop with an error, or "
                        "replace them with U+FFFD")


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


_COMPRESSORS = {".gz": "gzip", ".bz2": "bz2", ".xz": "lzma"}
# names that promise a compression hanlex does not write: refused, not written plain
_UNSUPPORTED = (".zst", ".zstd", ".lz4", ".lzma", ".zip", ".7z", ".br", ".Z", ".tgz", ".tbz2")


def check_output_name(path: str | None) -> None:
    if path in (None, "-"):
        return
    for ext in _UNSUPPORTED:
        if path.endswith(ext):
            raise CLIError(f"{path}: hanlex does not write {ext} files; name the output .gz, "
                           ".bz2 or .xz for compressed output, or anything else for plain text")


def check_inputs(paths) -> None:
    """Every input file must be there and readable before any output is written."""
    for path in paths:
        if path in (None, "-"):
            continue
        try:
            if os.path.isdir(path):
                raise IsADirectoryError(21, "Is a directory", path)
            with open(path, "rb"):
                pass
        except OSError as e:
            raise CLIError(open_problem(path, e)) from None


class Output:
    """Where a command writes UTF-8 bytes: stdout, or a file that appears only when
    the command succeeds.

    A file is written to a temporary file beside the target (compressed if the
    target is named .gz, .bz2 or .xz) and renamed into place on success; on an
    error or an interrupt the temporary file is removed and the target keeps
    what it held. A target that exists and is not a regular file (/dev/null, a
    pipe) is written directly: renaming over it would replace the device.
    `encoding` re-encodes the text on the way out.
    """

    def __init__(self, path: str | None, encoding: str = "utf-8"):
        check_output_name(path)
        self.path = None if path in (None, "-") else path
        self.encoding = encoding
        self.lines = 0  # written, counted when re-encoding (to say where a character fails)
        self.files = contextlib.ExitStack()  # the file, and its replacing of the target
        self.file: IO[bytes] | None = None
        self.sink: IO[bytes] | None = None

    def __enter__(self) -> "Output":
        if self.path is None:
            self.sink = sys.stdout.buffer
            return self
        try:
            device = os.path.exists(self.path) and not os.path.isfile(self.path)
            self.file = self.files.enter_context(
                open(self.path, "wb") if device else replaced_atomically(self.path))
        except OSError as e:
            raise CLIError(f"{self.path}: cannot write ({e.strerror})") from None
        module = next((m for ext, m in _COMPRESSORS.items() if self.path.endswith(ext)), None)
        self.sink = (importlib.import_module(module).open(self.file, "wb") if module
                     else self.file)
        return self

    def write(self, data: bytes) -> None:
        if self.encoding != "utf-8":
            text = data.decode("utf-8", "surrogatepass")
            try:
                data = text.encode(self.encoding)
            except UnicodeEncodeError as e:
                raise self._unwritable(text, e) from None
            self.lines += text.count("\n")
        self.sink.write(data)

    def _unwritable(self, text: str, e: UnicodeEncodeError) -> CLIError:
        ch = text[e.start]
        line = self.lines + text.count("\n", 0, e.start) + 1
        kept = " (the output file keeps what it held)" if self.path else ""
        return CLIError(f"output line {line} has {ch!r} (U+{ord(ch):04X}), which {self.encoding} "
                        f"cannot write; choose an --output-encoding that can, such as utf-8 "
                        f"or gb18030{kept}")

    def __exit__(self, kind, value, traceback) -> None:
        if self.path is None:
            self.sink.flush()
            return
        try:
            if self.sink is not self.file:
                self.sink.close()  # the compressor: writes its trailer
        except BaseException as e:
            self.files.__exit__(type(e), e, e.__traceback__)
            raise
        self.files.__exit__(kind, value, traceback)


def load_analyzer(path: str | None, user_dict: str | None = None, traditional: bool = False,
                  encoding: str | None = None, standard: str | None = None,
                  lexicon: str | None = None):
    """The Analyzer a command asked for (`encoding`: the user dictionary's and the
    lexicon's; `standard`: the segmentation standard to write, None for the model's
    default; `lexicon`: a word list the model weighs, Analyzer(lexicon=))."""
    words = UserDict.load(user_dict, encoding) if user_dict else None
    soft = read_wordlist(lexicon, encoding) if lexicon else None
    return Analyzer(path, user_dict=words, traditional=traditional, standard=standard,
                    lexicon=soft)
