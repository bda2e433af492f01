"""Scoring segmentation (and tagging) the way the SIGHAN-2005 scorer does, and
scoring a model on gold sentences (training's dev score).

Words are compared as character spans over the whole file, ignoring
whitespace, so a differently broken line cannot shift the alignment. OOV
words are gold words absent from the training word list.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from .analyzer import Analyzer
from .errors import AlignmentError
from .text.normalize import normalize_text


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _f1(correct: int, predicted: int, gold: int) -> float:
    p, r = _ratio(correct, predicted), _ratio(correct, gold)
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    gold_words: int
    pred_words: int
    correct: int
    correct_joint: int = 0
    oov_words: int = 0
    oov_correct: int = 0
    iv_words: int = 0
    iv_correct: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.correct, self.pred_words)

    @property
    def recall(self) -> float:
        return _ratio(self.correct, self.gold_words)

    @property
    def f(self) -> float:
        return _f1(self.correct, self.pred_words, self.gold_words)

    @property
    def f_joint(self) -> float:
        return _f1(self.correct_joint, self.pred_words, self.gold_words)

    @property
    def oov_recall(self) -> float:
        return _ratio(self.oov_correct, self.oov_words)

    @property
    def iv_recall(self) -> float:
        return _ratio(self.iv_correct, self.iv_words)

    @property
    def oov_rate(self) -> float:
        return _ratio(self.oov_words, self.gold_words)


def _spans(lines: Iterable[Sequence[tuple[str, str | None]]]):
    spans, chars, pos = [], [], 0
    for line in lines:
        for word, tag in line:
            w = "".join(word.split())
            if not w:
                continue
            spans.append((pos, pos + len(w), tag, w))
            chars.append(w)
            pos += len(w)
    return spans, "".join(chars)


def score_spans(gold: Iterable[Sequence[tuple[str, str | None]]],
                pred: Iterable[Sequence[tuple[str, str | None]]],
                wordlist: set[str] | None = None) -> Scores:
    gspans, gtext = _spans(gold)
    pspans, ptext = _spans(pred)
    # the same text up to character width (the SIGHAN AS gold writes one ASCII c where
    # its test text has a full-width ｃ): positions still align one for one
    if gtext != ptext and normalize_text(gtext) != normalize_text(ptext):
        i = next((k for k, (a, b) in enumerate(zip(gtext, ptext)) if a != b),
                 min(len(gtext), len(ptext)))
        raise AlignmentError(
            f"gold and prediction differ at character {i} (gold {gtext[i:i + 10]!r}, "
            f"prediction {ptext[i:i + 10]!r}); are they the same text?")
    pset = {(a, b) for a, b, _, _ in pspans}
    ptagged = {(a, b, t) for a, b, t, _ in pspans}
    s = Scores(gold_words=len(gspans), pred_words=len(pspans), correct=0)
    for a, b, t, w in gspans:
        hit = (a, b) in pset
        s.correct += hit
        s.correct_joint += (a, b, t) in ptagged
        if wordlist is not None:
            if w in wordlist:
                s.iv_words += 1
                s.iv_correct += hit
            else:
                s.oov_words += 1
                s.oov_correct += hit
    return s


def evaluate_model(model, sents, joint: bool = False) -> Scores:
    """Scores of `model` (a hanlex.Model) segmenting (joint: and tagging) the
    gold sentences `sents` (io.corpus.Sentence)."""
    analyzer = Analyzer(model)
    toks = analyzer.tokenize_many([s.text for s in sents])
    gold = [list(zip(s.words, s.tags)) if joint and s.tags else [(w, None) for w in s.words]
            for s in sents]
    pred = [[(t.word, t.tag) for t in ts] for ts in toks]
    return score_spans(gold, pred)

