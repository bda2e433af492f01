"""`hanlex words`: the new words of a user's raw text (lexicon/discovery.py)."""
from __future__ import annotations

import argparse
from typing import Iterator

from ..io.encoding import checked_encoding
from ..lexicon.adaptation import known
from ..lexicon.discovery import chunks_of, discover
from .common import (
    CLIError,
    Output,
    add_errors_option,
    check_inputs,
    command,
    load_analyzer,
    refuse_input_as_output,
)
from .inputs import iter_input_pieces


def add_parser(sub) -> None:
    w = command(sub, "words", "list the new words of raw text (word, count, score; best first)")
    w.add_argument("inputs", nargs="+", metavar="RAW", help="raw text files (UTF-8; gzip, bz2 "
                   "or xz told by their content); read twice, so not standard input")
    w.add_argument("-o", "--output", default="-", help="where to write word<TAB>count<TAB>score "
                   "lines (default: standard output); ready for --lexicon or --user-dict")
    w.add_argument("--min-count", type=int, default=10, metavar="N",
                   help="leave out strings seen fewer than N times (default 10)")
    w.add_argument("--top", type=int, default=200, metavar="K", help="how many words (default 200)")
    w.add_argument("--max-len", type=int, default=6, metavar="L",
                   help="the longest word looked for, in characters (default 6)")
    w.add_argument("--model", help="leave out the words this model already segments whole "
                   "(default: the shipped model)")
    w.add_argument("--standard", metavar="NAME",
                   help="the segmentation standard whose words count as known, of those the "
                        "model has (`hanlex info` lists them; default: the model's default)")
    w.add_argument("--encoding", help="encoding of the inputs (default: utf-8; a byte-order "
                   "mark always wins)")
    add_errors_option(w)
    w.add_argument("--all", action="store_true",
                   help="keep the words the model already knows (no model is loaded)")
    w.set_defaults(func=cmd_words)


def _texts(args: argparse.Namespace, encoding: str) -> Iterator[str]:
    """The inputs' lines (a very long line in pieces), decoded in bounded memory."""
    return (piece for piece, _ in iter_input_pieces(args.inputs, args.errors, encoding=encoding))


def cmd_words(args: argparse.Namespace) -> int:
    if "-" in args.inputs:
        raise CLIError("hanlex words reads its inputs twice, so it takes files, not standard "
                       "input; save the text to a file first")
    if args.min_count < 1 or args.top < 1 or not 2 <= args.max_len <= 16:
        raise CLIError("--min-count and --top must be at least 1, --max-len 2 to 16")
    if args.all and args.standard is not None:
        raise CLIError("--standard picks the model's standard; with --all no model is loaded")
    encoding = checked_encoding(args.encoding)
    refuse_input_as_output(args.output, args.inputs)
    check_inputs(args.inputs)
    known_words = None if args.all else known(load_analyzer(args.model, standard=args.standard))
    words, _ = discover(chunks_of(_texts(args, encoding)), chunks_of(_texts(args, encoding)),
                        min_count=args.min_count, top=args.top, max_len=args.max_len,
                        known=known_words)
    with Output(args.output) as out:
        for w in words:
            out.write(f"{w.word}\t{w.count}\t{w.score:.2f}\n".encode("utf-8"))
    return 0
