"""Split text into the segments the model decodes and the constraints on them.

Whitespace runs are tokens of their own and are never decoded. Inside the
remaining segments, spans the model must not break get a per-character mask
of allowed word positions (pretokenize.masks):

- *closed* spans (URLs, e-mail addresses, emoji sequences, text faces such as
  (`∀´), runs of scripts such as Hangul, Thai or Arabic) are exactly one word;
- *open* spans (numbers, -5, 10:30 and 2026-12-02 included, Latin words such
  as iPhone15 or COVID-19, runs of Japanese kana such as くまモン, and a
  series number with the character before it, 歼-20) are never split inside
  but may join neighbouring characters, so the training standard decides
  whether 1998 and 年 form one word.
"""
from __future__ import annotations

import array
import functools
import re
from dataclasses import dataclass

from .._numpy import np
from ._scan import Scanner, scan_plan
from .masks import ALLOW_ANY, ALLOW_B, ALLOW_S, close_span, open_span, open_spans
from .patterns import CLOSED, class_ranges, may_start_table, others_matcher, spans, url_matcher


@dataclass(frozen=True, slots=True)
class Plan:
    """What decoding a batch of texts needs, in offsets of the joined text."""

    text: str                                 # the texts, joined back to back
    segments: "list[tuple[int, int]] | np.ndarray"  # [start, end) runs to decode ((m, 2) array from fast_plan)
    spaces: list[tuple[int, int]]             # whitespace runs: one token each, never decoded
    mask: np.ndarray                          # uint8 allowed positions per character
    closed: dict[tuple[int, int], str]        # closed spans and their kinds


def split_kinds(sentences, min_seen: int = 10) -> tuple[str, ...]:
    """The closed kinds a segmented corpus does not keep whole.

    Standards differ: People's Daily has no @mentions, while the NLPCC Weibo
    corpus writes "@ 头条 新闻" (none of its 472 mentions is one word). A kind
    seen at least `min_seen` times in `sentences` (each with .words) and
    matching exactly one gold word at most half the time is left to the model
    instead of being forced whole.
    """
    seen: dict[str, int] = {}
    whole: dict[str, int] = {}
    for s in sentences:
        words, pos = set(), 0
        for w in s.words:
            words.add((pos, pos + len(w)))
            pos += len(w)
        for m in spans("".join(s.words)):
            kind = m.lastgroup
            if kind in CLOSED:
                seen[kind] = seen.get(kind, 0) + 1
                whole[kind] = whole.get(kind, 0) + (m.span() in words)
    return tuple(sorted(k for k, n in seen.items() if n >= min_seen and 2 * whole[k] <= n))


#: the tag a closed span gets from a tagging model (PKU tagset)
CLOSED_TAGS = {"url": "nx", "email": "nx", "mention": "nx", "hashtag": "nx", "emoji": "w",
               "kaomoji": "w", "script": "nx"}

# A combining mark, variation selector or joiner never starts a word: it
# stays with the character before it.
_MARK_CLASS = ("\u0300-\u036F\u0483-\u0489\u0591-\u05BD\u0610-\u061A\u064B-\u065F"
               "\u0E31\u0E34-\u0E3A\u0E47-\u0E4E\u1AB0-\u1AFF\u1DC0-\u1DFF\u200C\u200D"
               "\u20D0-\u20FF\u302A-\u302F\u3099\u309A\uFE00-\uFE0F\uFE20-\uFE2F"
               "\U000E0100-\U000E01EF\U0001F3FB-\U0001F3FF")
_MARKS = re.compile(f"[{_MARK_CLASS}]+")


def attach_marks(mask: np.ndarray, text: str, base: int, space_ends: set[int]) -> None:
    """Forbid a word boundary before each run of combining marks.

    The run stays with the character before it (nothing to attach to at the
    start of a segment). A constraint that would contradict a closed span is
    skipped rather than made impossible.
    """
    for m in _MARKS.finditer(text):
        a, b = base + m.start(), base + m.end()
        start = a if (a == base or a in space_ends) else a - 1
        if b - start < 2:
            continue
        trial = mask[start:b].copy()
        open_span(trial, 0, b - start)
        if trial.all():
            mask[start:b] = trial


# A minus sign that the pattern read as a number's sign (not a range or a
# hyphen: 3-5, A-5, 歼-20) begins a word: no standard writes 气温-5 or 降至-10
# as one word, while a model that sees '-' mostly alone may prefer joining it
# to the character before over beginning a word with it.
SIGNS = "-\uFF0D\u2212"

MAX_SEGMENT = 2048  # longer runs without whitespace are decoded in pieces
#: a span kept whole (a Latin word, a number, a URL) is not cut for MAX_SEGMENT up to
#: this length: its segment runs on to the span's end
MAX_SPAN = 64 * MAX_SEGMENT
_BREAKS = ("。！？!?\n", "；;，,、：:")


def split_long(text: str, a: int, b: int, base: int, mask: np.ndarray,
               out: list[tuple[int, int]]) -> None:
    """Append text[a:b] as segments of at most ~MAX_SEGMENT characters.

    A cut goes right after a sentence-final mark, else after a comma-like
    mark, in the last half of the window; only with no such mark at all is
    the run cut hard, where a word may begin. Cuts never fall inside a
    constrained span: one that fills the whole window makes the segment run on
    to its end (up to MAX_SPAN characters). This keeps decoding memory bounded
    (buffers grow with segment length x labels).
    """
    def free(k: int) -> bool:  # a word may begin at k
        return bool(mask[base + k] & (ALLOW_B | ALLOW_S)) and not _MARKS.match(text, k)

    while b - a > MAX_SEGMENT:
        cut = -1
        lo, hi = a + MAX_SEGMENT // 2, a + MAX_SEGMENT
        for marks in _BREAKS:
            for k in range(hi - 1, lo - 1, -1):
                if text[k] in marks and mask[base + k] & ALLOW_S and free(k + 1):
                    cut = k + 1
                    break
            if cut > 0:
                break
        if cut < 0:
            cut = hi
            while cut > lo and not free(cut):
                cut -= 1
            if not free(cut):  # inside one span all along: cut at its end
                cut, last = hi, min(b, a + MAX_SPAN)
                while cut < last and not free(cut):
                    cut += 1
        out.append((base + a, base + cut))
        a = cut
    if b > a:
        out.append((base + a, base + b))


def plan(texts: list[str], split: frozenset[str] = frozenset()) -> Plan:
    """The Plan of decoding `texts` as one batch.

    Kinds in `split` (see split_kinds) are not scanned for: the model decides.
    Open spans are applied to the mask together (`open_spans`), before a long
    run is cut and at the end. Their constraints and those of attach_marks
    all keep M possible, so the order of the two does not change the mask.
    """
    joined = "".join(texts)
    mask = np.full(len(joined), ALLOW_ANY, dtype=np.uint8)
    segments: list[tuple[int, int]] = []
    spaces: list[tuple[int, int]] = []
    closed: dict[tuple[int, int], str] = {}
    opened: list[int] = []
    marks = _MARKS.search(joined) is not None

    def add_run(text: str, a: int, b: int, base: int) -> None:
        if b - a > MAX_SEGMENT:  # split_long reads the mask: open spans first
            open_spans(mask, opened)
            opened.clear()
            split_long(text, a, b, base, mask, segments)
        elif b > a:
            segments.append((base + a, base + b))

    base = 0
    for text in texts:
        pos = 0
        first_space = len(spaces)
        for m in spans(text, split):
            kind = m.lastgroup
            a, b = m.span()
            if kind == "ws":
                add_run(text, pos, a, base)
                spaces.append((base + a, base + b))
                pos = b
            elif kind in CLOSED:
                close_span(mask, base + a, base + b)
                closed[(base + a, base + b)] = kind
            elif kind == "series":  # the character before joins (歼-20)
                opened += (base + a - 1, base + b)
            elif b - a >= 2:
                opened += (base + a, base + b)
                if text[a] in SIGNS:
                    mask[base + a] &= ALLOW_B
        add_run(text, pos, len(text), base)
        if marks and _MARKS.search(text):
            attach_marks(mask, text, base, {b for _, b in spaces[first_space:]})
        base += len(text)
    open_spans(mask, opened)
    return Plan(joined, segments, spaces, mask, closed)


@functools.lru_cache(maxsize=1)
def scan_tables() -> tuple[bytearray, array.array]:
    """The compiled scanner's tables: per BMP code point bit 0 "a span may
    begin here" and bit 1 "a combining mark"; the marks above the BMP as
    flat [lo, hi] pairs (int64). No numpy: a cold start's first cut builds them."""
    table = may_start_table()
    astral = array.array("q")
    for lo, hi in class_ranges(_MARK_CLASS):
        if lo < 0x10000:
            table[lo:hi + 1] = bytes(b | 2 for b in table[lo:hi + 1])
        else:
            astral.extend((lo, hi))
    return table, astral


@functools.lru_cache(maxsize=16)
def scanner(split: frozenset[str] = frozenset()) -> Scanner:
    """The compiled scanner (scan_plan, and CompiledModel.cut): its tables, the
    span pattern's match method without the `split` kinds, the closed kinds and
    the longest segment."""
    table, astral = scan_tables()
    # the pattern is compiled when the scanner first meets a character a span may
    # begin with (~5 ms; its URL part, ~10 ms, when it first meets a URL's start):
    # a cold start that cuts Chinese text compiles none of it
    return Scanner(table, astral, lambda: others_matcher(split),
                   None if "url" in split else url_matcher, CLOSED, MAX_SEGMENT)


def fast_plan(texts: list[str], split: frozenset[str] = frozenset()) -> Plan:
    """plan(texts, split), found by the compiled scanner (_scan.pyx);
    texts with combining marks or a run too long for one segment take plan()
    itself. Segments come as an (m, 2) int64 array."""
    joined = "".join(texts)
    found = scan_plan(texts, joined, scanner(split))
    if found is None:
        return plan(texts, split)
    return Plan(joined, *found)
