"""`hanlex adapt`: a model that knows the words of a user's raw text (lexicon/adaptation.py)."""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shutil
import signal
import sys
import tempfile
from typing import Iterator

from ..analyzer import Analyzer
from ..io.encoding import checked_encoding
from ..lexicon.adaptation import domain_words
from ..lexicon.discovery import chunks_of
from ..model import Model, model_file
from .common import (
    CLIError,
    Output,
    add_errors_option,
    check_inputs,
    command,
    refuse_input_as_output,
)
from .inputs import iter_input_pieces


def add_parser(sub) -> None:
    a = command(sub, "adapt", "write a model that knows the words of your raw text "
                "(as lexicon entries its learned weights score; nothing is retrained)")
    a.add_argument("inputs", nargs="+", metavar="RAW", help="raw text files (UTF-8; gzip, bz2 "
                   "or xz told by their content); read twice, so not standard input")
    a.add_argument("-o", "--output", required=True, help="the adapted model file to write")
    a.add_argument("--model", help="the model to adapt (default: the shipped model)")
    a.add_argument("--standard", metavar="NAME", help="the standard whose words count as known "
                   "(default: the model's default); the file keeps all the model's standards")
    a.add_argument("--top", type=int, default=300, metavar="K",
                   help="how many of discovery's best strings the model judges (default 300)")
    a.add_argument("--min-count", type=int, default=3, metavar="N",
                   help="leave out strings seen fewer than N times (default 3)")
    a.add_argument("--words-out", metavar="FILE", help="also write the words added, as "
                   "word<TAB>count<TAB>score lines, to review and give to --lexicon")
    a.add_argument("--encoding", help="encoding of the inputs (default: utf-8; a byte-order "
                   "mark always wins)")
    add_errors_option(a)
    a.set_defaults(func=cmd_adapt)


def _texts(args: argparse.Namespace, encoding: str) -> Iterator[str]:
    return (piece for piece, _ in iter_input_pieces(args.inputs, args.errors, encoding=encoding))


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cmd_adapt(args: argparse.Namespace) -> int:
    if "-" in args.inputs:
        raise CLIError("hanlex adapt reads its inputs twice, so it takes files, not standard "
                       "input; save the text to a file first")
    if args.min_count < 1 or args.top < 1:
        raise CLIError("--top and --min-count must be at least 1")
    encoding = checked_encoding(args.encoding)
    refuse_input_as_output(args.output, args.inputs)
    if args.words_out:
        refuse_input_as_output(args.words_out, args.inputs)
    check_inputs(args.inputs)
    model = Model.load(model_file(args.model or "default"))
    analyzer = Analyzer(model, standard=args.standard)
    words = domain_words(analyzer, chunks_of(_texts(args, encoding)),
                         chunks_of(_texts(args, encoding)), top=args.top,
                         min_count=args.min_count)
    adapted = model.with_words([w.word for w in words])
    adapted.meta = dict(model.meta, adapted={
        "words": len(words), "top": args.top, "min_count": args.min_count,
        "standard": analyzer.engine.standard,
        "sources": [{"file": os.path.basename(p), "sha256": _sha256(p)} for p in args.inputs]})
    if args.words_out:
        with Output(args.words_out) as out:
            for w in words:
                out.write(f"{w.word}\t{w.count}\t{w.score:.2f}\n".encode("utf-8"))
    adapted.save(args.output)
    return 0


class _Pieces:
    """The inputs' text, read anew on each iteration: Analyzer.adapted reads it twice."""

    def __init__(self, args: argparse.Namespace, encoding: str):
        self.args, self.encoding = args, encoding

    def __iter__(self) -> Iterator[str]:
        return _texts(self.args, self.encoding)


@contextlib.contextmanager
def adapted_inputs(args: argparse.Namespace, inputs: list[str], analyzer, encoding: str):
    """`segment --adapt`: (inputs as files, the Analyzer that knows their words, the
    word list file for -j workers). Standard input is spooled to a temporary file;
    the folder holding it goes when the block ends, on errors and on SIGTERM too."""
    before = signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        with tempfile.TemporaryDirectory(prefix="hanlex-adapt-") as tmp:
            files = [_spooled(tmp) if p == "-" else p for p in inputs]
            adapted = analyzer.adapted(
                _Pieces(argparse.Namespace(**{**vars(args), "inputs": files}), encoding))
            lexicon = os.path.join(tmp, "lexicon.txt")
            with open(lexicon, "w", encoding=encoding) as f:
                f.write("".join(w + "\n" for w in adapted.engine.lexicon_words))
            yield files, adapted, lexicon
    finally:
        signal.signal(signal.SIGTERM, before)


def _spooled(folder: str) -> str:
    path = os.path.join(folder, "stdin")
    with open(path, "wb") as f:
        shutil.copyfileobj(sys.stdin.buffer, f, 1 << 20)
    return path
