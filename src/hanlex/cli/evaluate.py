"""`hanlex eval`: precision, recall, F1 and OOV recall of a segmentation (SIGHAN
style)."""
from __future__ import annotations

import argparse
import sys

from ..errors import AlignmentError
from ..evaluate import score_spans
from ..io.corpus import Sentence, detect_format, parse_conllu, parse_line
from ..io.encoding import checked_encoding
from ..io.files import read_lines
from ..text.normalize import normalize_text
from .common import CLIError, check_inputs, command


def add_parser(sub) -> None:
    e = command(sub, "eval", "score a segmentation against gold")
    e.add_argument("gold", metavar="GOLD", help="the gold segmentation: words separated by "
                   "spaces, word/TAG tokens, or CoNLL-U (- for standard input)")
    e.add_argument("pred", metavar="PRED", help="the segmentation to score, in any of "
                   "GOLD's formats, line for line (- for standard input)")
    e.add_argument("--words", metavar="WORDLIST",
                   help="the training word list (one word a line), for OOV recall")
    e.add_argument("--pos", action="store_true",
                   help="score tags too (joint word+tag F); both files need tags")
    e.add_argument("--encoding", help="encoding of the files (default: utf-8; a byte-order "
                   "mark always wins)")
    e.set_defaults(func=cmd_eval)



def read_sentences(path: str, encoding: str | None = None) -> tuple[list[tuple[int, Sentence]], str]:
    """(line number, sentence) of a corpus's non-empty lines (for CoNLL-U: the
    line of each sentence's first token), and the format found."""
    lines = read_lines(path, encoding)
    if not any(line.strip() for line in lines):
        raise CLIError(f"{path}: is empty; there is nothing to score")
    fmt = detect_format(lines, path)
    if fmt == "conllu":
        return list(enumerate(parse_conllu(lines, path), 1)), fmt
    return [(n, s) for n, s in ((n, parse_line(line, fmt)) for n, line in enumerate(lines, 1))
            if s is not None], fmt


def _check_lines(gold, pred, args) -> None:
    """Gold and prediction must hold the same characters (up to width); scoring
    aligns them over the whole file, so lines broken differently still score,
    and the first line where they part is named."""
    gtexts = [normalize_text(s.text) for _, s in gold]
    ptexts = [normalize_text(s.text) for _, s in pred]
    gall, pall = "".join(gtexts), "".join(ptexts)
    if gall != pall and (gall.startswith(pall) or pall.startswith(gall)):
        raise AlignmentError(_shorter(gold, pred, gtexts, ptexts, args))
    if gall != pall:
        i = next((k for k, (a, b) in enumerate(zip(gall, pall)) if a != b), min(len(gall), len(pall)))
        gn, gtext = _line_at(gold, gtexts, i)
        pn, ptext = _line_at(pred, ptexts, i)
        raise AlignmentError(f"{args.pred} line {pn} ({ptext[:20]!r}) and {args.gold} line {gn} "
                             f"({gtext[:20]!r}) differ at character {i} of the text; "
                             "are they the same text?")
    if len(gold) != len(pred):
        k = next((k for k, (a, b) in enumerate(zip(gtexts, ptexts)) if a != b),
                 min(len(gold), len(pred)))
        at = gold[k][0] if k < len(gold) else gold[-1][0]
        print(f"hanlex: note: {args.gold} has {len(gold)} sentences and {args.pred} "
              f"{len(pred)}, broken differently from {args.gold} line {at} on; their characters "
              "agree, so they are scored over the whole text", file=sys.stderr)


def _shorter(gold, pred, gtexts, ptexts, args) -> str:
    """One file is the other cut short: say which, with both line counts."""
    g, p = sum(map(len, gtexts)), sum(map(len, ptexts))
    short, long_, longer, texts, cut = ((args.pred, args.gold, gold, gtexts, p) if p < g
                                        else (args.gold, args.pred, pred, ptexts, g))
    n, text = _line_at(longer, texts, cut)
    return (f"{_name(args.pred)} has {len(pred)} lines, {_name(args.gold)} has {len(gold)}: "
            f"{_name(short)} ends where {_name(long_)} goes on (its line {n}, {text[:20]!r}); "
            "score files of the same text")


def _name(path: str) -> str:
    return "standard input" if path == "-" else path


def _line_at(sents, texts: list[str], i: int) -> tuple[int, str]:
    """(line number, text) of the sentence holding character i of the joined text."""
    pos = 0
    for (n, _), text in zip(sents, texts):
        if i < pos + len(text):
            return n, text
        pos += len(text)
    return (sents[-1][0], texts[-1]) if sents else (0, "")


def cmd_eval(args: argparse.Namespace) -> int:
    if args.gold == "-" and args.pred == "-":
        raise CLIError("GOLD and PRED cannot both be standard input; give one of them as a file")
    check_inputs([args.gold, args.pred, args.words])
    checked_encoding(args.encoding)
    gold, gold_fmt = read_sentences(args.gold, args.encoding)
    pred, pred_fmt = read_sentences(args.pred, args.encoding)
    tagged = {name: all(s.tags is not None for _, s in sents)
              for name, sents in ((args.gold, gold), (args.pred, pred))}
    if args.pos:
        for name, has in tagged.items():
            if not has:
                raise CLIError(f"{name}: has no tags, so --pos cannot score them; write it "
                               "with tags (hanlex segment --pos) or drop --pos")
    elif any(tagged.values()):
        which = " and ".join(n for n, has in tagged.items() if has)
        print(f"hanlex: note: {which} has tags; scoring the words only (--pos scores the "
              "tags too)", file=sys.stderr)
    _check_lines(gold, pred, args)
    pairs = [[list(zip(s.words, s.tags or [None] * len(s.words))) for _, s in sents]
             for sents in (gold, pred)]
    wordlist = _word_list(args.words, args.encoding) if args.words else None
    _report(score_spans(pairs[0], pairs[1], wordlist), args.pos, wordlist is not None)
    return 0


def _word_list(path: str, encoding: str | None) -> set[str]:
    """The words of a word list; a segmented corpus given instead is read for its
    words, and said."""
    lines = [line.strip() for line in read_lines(path, encoding) if line.strip()]
    if not lines:
        raise CLIError(f"{path}: is empty; give the training word list (one word a line)")
    several = sum(len(line.split()) > 1 for line in lines)
    if several > 0.5 * len(lines):
        print(f"hanlex: note: {path} looks like a segmented corpus, not a word list (one word "
              "a line): its words are used as the list", file=sys.stderr)
        tagged = detect_format(lines[:200], path) == "tagged"
        return {w.rsplit("/", 1)[0] if tagged else w for line in lines for w in line.split()}
    return set(lines)


def _report(s, pos: bool, oov: bool) -> None:
    print(f"gold words\t{s.gold_words}")
    print(f"predicted words\t{s.pred_words}")
    print(f"correct words\t{s.correct}")
    print(f"precision\t{100 * s.precision:.2f}")
    print(f"recall\t{100 * s.recall:.2f}")
    print(f"F1\t{100 * s.f:.2f}")
    if pos:
        print(f"joint F1 (word+tag)\t{100 * s.f_joint:.2f}")
    if oov:
        print(f"OOV rate\t{100 * s.oov_rate:.2f}")
        print(f"OOV recall\t{100 * s.oov_recall:.2f}")
        print(f"IV recall\t{100 * s.iv_recall:.2f}")
