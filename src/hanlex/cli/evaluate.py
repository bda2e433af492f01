"""`hanlex eval`: precision, recall, F1 and OOV recall of a segmentation (SIGHAN style)."""
from __future__ import annotations

import argparse

from ..io.corpus import is_conllu, parse_conllu, parse_line
from ..io.evaluate import read_word_set, score_spans
from ..io.files import read_lines


def add_parser(sub) -> None:
    e = sub.add_parser("eval", help="score a segmentation against gold")
    e.add_argument("gold", metavar="GOLD")
    e.add_argument("pred", metavar="PRED")
    e.add_argument("--words", metavar="WORDLIST", help="training word list, for OOV recall")
    e.add_argument("--pos", action="store_true", help="files are word/TAG; also report joint F")
    e.set_defaults(func=cmd_eval)


def _read_words(path: str, with_tags: bool):
    """(word, tag) pairs per sentence: of each line, or of a CoNLL-U file's sentences."""
    lines = read_lines(path)
    if is_conllu(lines):
        sents = parse_conllu(lines, path)
    else:
        fmt = "tagged" if with_tags else "plain"
        sents = [s for s in (parse_line(line, fmt) for line in lines) if s is not None]
    return [list(zip(s.words, s.tags or [None] * len(s.words))) for s in sents]


def cmd_eval(args: argparse.Namespace) -> int:
    gold = _read_words(args.gold, args.pos)
    pred = _read_words(args.pred, args.pos)
    wordlist = None
    if args.words:
        wordlist = read_word_set(args.words)
    s = score_spans(gold, pred, wordlist)
    print(f"gold words\t{s.gold_words}")
    print(f"predicted words\t{s.pred_words}")
    print(f"correct words\t{s.correct}")
    print(f"precision\t{100 * s.precision:.2f}")
    print(f"recall\t{100 * s.recall:.2f}")
    print(f"F1\t{100 * s.f:.2f}")
    if args.pos:
        print(f"joint F1 (word+tag)\t{100 * s.f_joint:.2f}")
    if wordlist is not None:
        print(f"OOV rate\t{100 * s.oov_rate:.2f}")
        print(f"OOV recall\t{100 * s.oov_recall:.2f}")
        print(f"IV recall\t{100 * s.iv_recall:.2f}")
    return 0
