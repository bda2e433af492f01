"""`hanlex convert`: a corpus's words, tags stripped or kept; a THULAC models
directory as one hanlex model file; or a hanlex model file of an older format
version in the current one."""
from __future__ import annotations

import argparse

from ..io.encoding import checked_encoding
from ..io.files import replaced_atomically
from ..model.fileformat import is_model_file
from ..model.model import Model
from ..thulac import PREFIX as THULAC
from ..thulac.convert import to_bytes
from ..thulac.engine import ThulacEngine
from .common import CLIError, Output, check_inputs, command, refuse_input_as_output
from .evaluate import read_sentences


def add_parser(sub) -> None:
    c = command(sub, "convert", "a corpus's words, one sentence a line; a THULAC model as "
                "one hanlex model file; or an older hanlex model file in the current format")
    c.add_argument("input", metavar="INPUT", help="a corpus: words, word/TAG tokens, or CoNLL-U; "
                   "thulac:DIR, a THULAC models directory; or a hanlex model file")
    c.add_argument("-o", "--output", required=True,
                   help="the converted corpus, or the model file (for thulac:DIR or a model)")
    c.add_argument("--to", choices=("words", "tagged"), default="words",
                   help="words: separated by spaces, tags stripped; tagged: word/TAG tokens")
    c.add_argument("--encoding", help="encoding of INPUT (default: utf-8)")
    c.set_defaults(func=cmd_convert)


def cmd_convert(args: argparse.Namespace) -> int:
    if args.input.startswith(THULAC):
        data = to_bytes(ThulacEngine.from_directory(args.input))
        with replaced_atomically(args.output) as f:
            f.write(data)
        return 0
    checked_encoding(args.encoding)
    refuse_input_as_output(args.output, [args.input])
    check_inputs([args.input])
    if is_model_file(args.input):  # version 2 -> 3: the tables `cut` reads, stored ready
        Model.load(args.input).save(args.output)
        return 0
    sents, _ = read_sentences(args.input, args.encoding)
    if args.to == "tagged" and any(s.tags is None for _, s in sents):
        raise CLIError(f"{args.input}: has no tags to keep; use --to words")
    with Output(args.output) as out:
        for _, s in sents:
            toks = (s.words if args.to == "words"
                    else [f"{w}/{t}" for w, t in zip(s.words, s.tags)])
            out.write((" ".join(toks) + "\n").encode("utf-8"))
    return 0
