"""`hanlex adapt`: a model that knows the domain of a user's raw text (learn/domain.py)."""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shutil
import sys
import tempfile
from typing import Iterator

from ..analyzer import Analyzer
from ..io.encoding import checked_encoding
from ..io.files import compression
from ..learn.domain import adapted_model, learn_domain
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
from .progress import Progress


def add_parser(sub) -> None:
    a = command(sub, "adapt", "write a model that knows the domain of your raw text: its "
                "words as lexicon entries and its character-bigram statistics, which the "
                "model's learned weights score (nothing is retrained)")
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
    a.add_argument("--progress", action="store_true",
                   help="report progress on stderr (on by default on a terminal)")
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
    show = args.progress or sys.stderr.isatty()
    domain = learn_domain(analyzer, _Pieces(args, encoding, show), top=args.top,
                          min_count=args.min_count)
    words = domain.words
    adapted = adapted_model(model, domain)
    adapted.meta = dict(model.meta, adapted={
        "words": len(words), "bigrams": len(domain.stats_keys), "top": args.top,
        "min_count": args.min_count, "standard": analyzer.engine.standard,
        "segmenter": "dropped (it reads no statistics)" if model.segmenter is not None
        and adapted.segmenter is None else "kept",
        "sources": [{"file": os.path.basename(p), "sha256": _sha256(p)} for p in args.inputs]})
    if args.words_out:
        with Output(args.words_out) as out:
            for w in words:
                out.write(f"{w.word}\t{w.count}\t{w.score:.2f}\n".encode("utf-8"))
    adapted.save(args.output)
    return 0


class _Pieces:
    """The inputs' text, read anew on each iteration (adapting reads it twice), with a
    progress bar per pass if `show`: the first in the files' bytes when none is
    compressed (else in lines), the second in the bytes the first read."""

    def __init__(self, args: argparse.Namespace, encoding: str, show: bool = False):
        self.args, self.encoding, self.show = args, encoding, show
        self.passes, self.read = 0, 0

    def __iter__(self) -> Iterator[str]:
        self.passes += 1
        if not self.show:  # no bar: the pieces as they come, nothing measured
            yield from _texts(self.args, self.encoding)
            return
        total = self.read if self.passes > 1 else _plain_size(self.args.inputs)
        progress = Progress(total, True, f"hanlex adapt, pass {self.passes} of 2")
        read = 0
        try:
            for piece in _texts(self.args, self.encoding):
                size = len(piece.encode("utf-8")) + 1
                read += size
                progress.update(size, 1)
                yield piece
        finally:
            progress.close()
        self.read = read


def _plain_size(paths: list[str]) -> int | None:
    """The files' total size, if none is compressed (then it is about the text's)."""
    total = 0
    for path in paths:
        with open(path, "rb") as f:
            if compression(f.read(10)) is not None:
                return None
        total += os.path.getsize(path)
    return total


@contextlib.contextmanager
def adapted_inputs(args: argparse.Namespace, inputs: list[str], analyzer, encoding: str):
    """`segment --adapt`: (inputs as files, the Analyzer that knows their domain, the
    adapted model's file for -j workers or None). Standard input is spooled to a
    temporary file; the folder holding it goes when the block ends, on errors and
    on SIGTERM too (cli.main turns it into an exception)."""
    with tempfile.TemporaryDirectory(prefix="hanlex-adapt-") as tmp:
        files = [_spooled(tmp) if p == "-" else p for p in inputs]
        show = args.progress or (args.output not in (None, "-") and sys.stderr.isatty())
        adapted = analyzer.adapted(
            _Pieces(argparse.Namespace(**{**vars(args), "inputs": files}), encoding, show))
        model = None
        if args.jobs > 1:  # the workers load the adapted model (its words included)
            model = os.path.join(tmp, "adapted.hlx")
            adapted.engine.full.save(model)
        yield files, adapted, model


def _spooled(folder: str) -> str:
    path = os.path.join(folder, "stdin")
    with open(path, "wb") as f:
        shutil.copyfileobj(sys.stdin.buffer, f, 1 << 20)
    return path
