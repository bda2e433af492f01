"""`hanlex thulac-words`: the words of one of THULAC's dictionary files."""
from __future__ import annotations

import argparse

from ..thulac import dictionary_words
from .common import Output, check_inputs, command, refuse_input_as_output


def add_parser(sub) -> None:
    w = command(sub, "thulac-words", "list the words of a THULAC dictionary (.dat) file")
    w.add_argument("input", metavar="FILE.dat", help="a THULAC double-array trie, e.g. ns.dat, "
                   "idiom.dat or singlepun.dat from THULAC's models directory")
    w.add_argument("-o", "--output", default="-", help="where to write the words, one a line "
                   "(default: standard output)")
    w.add_argument("--values", action="store_true",
                   help="add each word's stored value (its index in THULAC's source list) "
                        "after a tab")
    w.set_defaults(func=cmd_thulac_words)


def cmd_thulac_words(args: argparse.Namespace) -> int:
    refuse_input_as_output(args.output, [args.input])
    check_inputs([args.input])
    words = dictionary_words(args.input)
    with Output(args.output) as out:
        for word, value in words:
            out.write((f"{word}\t{value}\n" if args.values else word + "\n").encode("utf-8"))
    return 0
