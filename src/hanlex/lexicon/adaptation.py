"""A domain's words for a model's lexicon, found in the domain's raw text.

Counts find strings that behave like words (lexicon.discovery); the model then
says which of them it needs. It leaves out what it already segments whole,
strings glued to a function word or made of a number and its classifier
(`known`), and strings its standard writes as several known words: a compound
of words it knows (开发人员), or a shorter candidate plus a known word
(反病毒软件 = 反病毒 + 软件). Measured on CIPS-SIGHAN 2010's four domains, added
unfiltered those cost 1 to 3.5 F (docs/lab/2026-12-04-adaptation-issue-35.md).
"""
from __future__ import annotations

from typing import Callable, Iterable

from .discovery import NewWord, discover

#: PKU tags of function words: pronoun, adverb, preposition, conjunction, auxiliary,
#: modal particle, localizer (他 也 在 和 的 了 吧 后 ...)
FUNCTION_TAGS = frozenset("r d p c u y f".split())
#: the copula, tagged v like any verb but as free to glue onto anything as they are
COPULA = "是"


def known(analyzer) -> Callable[[list[str]], list[bool]]:
    """Which strings to leave out: those the model segments whole, and (a joint
    model) those it splits into words with a one-character function word or the
    copula at an edge (他|强调, 也|是, 进行|了, 会谈|后, 其实|是), or into a number
    and its classifier (两|个, 第二|季). Counts cannot tell such a character from
    an affix (他 of 他强调 and 元 of 元宇宙 are both frequent and free on both
    sides, see discovery.phrases); the model's tags can. Each edge character is
    tagged alone: the joint model reading a whole short string out of context
    takes many for names (好可爱 as 好/nr 可爱/nr)."""

    def known_words(words: list[str]) -> list[bool]:
        pieces = analyzer.cut_many(words)
        whole = [len(ws) == 1 for ws in pieces]
        if not analyzer.engine.joint:
            return whole
        edges = sorted({w for ws in pieces if len(ws) > 1 for w in (ws[0], ws[-1])})
        tag = {w: [t for _, t in ts] for w, ts in zip(edges, analyzer.tag_many(edges))}

        def alone(ws: list[str]) -> list[tuple[str, str | None]]:
            """The pieces with the tags `_glue` reads: the first piece's last one (a
            numeral ends it), the last piece's if it is one word; none between."""
            last = tag[ws[-1]]
            return ([(ws[0], tag[ws[0]][-1])] + [(w, None) for w in ws[1:-1]]
                    + [(ws[-1], last[0] if len(last) == 1 else None)])

        return [w or (len(ws) > 1 and _glue(alone(ws))) for w, ws in zip(whole, pieces)]
    return known_words


def _glue(tagged: list[tuple[str, str | None]]) -> bool:
    """A one-character function word or the copula at an edge, or a number and
    its classifier: words the grammar puts together, not a word."""
    ends = [(w, t) for w, t in (tagged[0], tagged[-1]) if len(w) == 1] if len(tagged) > 1 else []
    if any(w == COPULA or t in FUNCTION_TAGS for w, t in ends):
        return True
    return len(tagged) == 2 and tagged[0][1] == "m" and tagged[1][1] == "q"


def written_as_known_words(analyzer, words: list[str]) -> list[bool]:
    """Whether the model's standard writes each string as words it knows: the
    model splits it into words of 2+ characters, it tags it as glue (`_glue`,
    read as a whole: 一|种, 切换|到, 可能|会), or it is a shorter string of
    `words` plus a word the model keeps whole."""
    pieces = analyzer.cut_many(words)
    glue = [_glue(t) for t in analyzer.tag_many(words)] if analyzer.engine.joint else [False] * len(words)
    found = set(words)
    rests = {}
    for w in words:
        for v in found:
            if v != w and (w.startswith(v) or w.endswith(v)) and len(w) - len(v) >= 2:
                rests.setdefault(w, []).append(w[len(v):] if w.startswith(v) else w[:-len(v)])
    flat = sorted({r for rs in rests.values() for r in rs})
    whole = {r for r, ws in zip(flat, analyzer.cut_many(flat)) if len(ws) == 1}
    return [len(ws) > 1 and all(len(p) >= 2 for p in ws) or g or any(r in whole for r in rests.get(w, ()))
            for w, ws, g in zip(words, pieces, glue)]


def domain_words(analyzer, chunks: Iterable[str], again: Iterable[str], top: int = 300,
                 min_count: int = 3, max_len: int = 6) -> list[NewWord]:
    """Of the `top` strings discovery ranks best in a domain's text (`chunks`, and
    `again` the same text a second time), those `analyzer`'s model lacks and its
    standard writes as one word. The model's filters apply after the ranking, not
    before it: applied first, they send the ranking deeper, into phrases."""
    words, _ = discover(chunks, again, min_count=min_count, top=top, max_len=max_len)
    strings = [w.word for w in words]
    drop = [a or b for a, b in zip(known(analyzer)(strings),
                                   written_as_known_words(analyzer, strings))]
    return [w for w, d in zip(words, drop) if not d]
