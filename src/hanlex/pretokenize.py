"""Split text into the segments the model decodes and the constraints on them.

Whitespace runs are tokens of their own and are never decoded. Inside the
remaining segments, spans the model must not break get a per-character mask
of allowed word positions (bit 0 = B, 1 = M, 2 = E, 3 = S):

- *closed* spans (URLs, e-mail addresses, emoji sequences, text faces such as
  (`∀´)) are exactly one word;
- *open* spans (numbers, -5, 10:30 and 2026-12-02 included, Latin words such
  as iPhone15, runs of Japanese kana such as くまモン) are never split inside
  but may join neighbouring characters, so the training standard decides
  whether 1998 and 年 form one word.
"""
from __future__ import annotations

import functools
import re

import numpy as np

from .features import KANA_RANGES

B_, M_, E_, S_ = 1, 2, 4, 8

_CJK_PUNCT = "\u3000-\u303F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65\u2018-\u201F\u2026\u2014"
_EMOJI_BASE = ("\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF"
               "\u2190-\u21FF\u3297\u3299\u00A9\u00AE\u203C\u2049\u2122\u2139")
_EMOJI_MOD = "\U0001F3FB-\U0001F3FF\uFE0F\u20E3\U000E0020-\U000E007F"
_EMOJI = (f"(?:[\U0001F1E6-\U0001F1FF]{{2}}"
          f"|[{_EMOJI_BASE}][{_EMOJI_MOD}]*(?:\u200D[{_EMOJI_BASE}][{_EMOJI_MOD}]*)*\u200D?"
          f"|[0-9#*]\uFE0F?\u20E3)")
_WIDE_ALNUM = "0-9A-Za-z\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A"
_D = "[0-9\uFF10-\uFF19]"  # a digit, ASCII or full width
# Full-width forms of the punctuation inside URLs (－ ／ ． ： ＿ ～ ？ ＝ ＆ ％ ＃ ＋):
# text converted to full width writes www.people.com.cn／sports. Inside a URL
# only when a letter or digit follows, so a URL still ends at ／ or ？ before Han.
_URL_WIDE_PUNCT = "".join(chr(ord(c) + 0xFEE0) for c in "-/.:_~?=&%#+")
_DATE_UNIT_CHARS = "年月日时分秒号"
# Text faces such as (`∀´) or （＾▽＾）: brackets around 2 to 12 symbols, no
# letters, digits or Han, at least one of them a typical face part.
_FACE_PARTS = "∀ω▽Дд・･ﾟ＾^´`‾⌣зゝ∠•°◕◡ㅂ⺻○●｡ε≧≦ಠ益⊙﹏ಥ╥Ծ"
_KAOMOJI = (rf"[(\uFF08](?=[^()\uFF08\uFF09\n]{{0,11}}[{_FACE_PARTS}])"
            rf"[^\s()\uFF08\uFF09\u3400-\u9FFF{_WIDE_ALNUM}]{{2,12}}[)\uFF09]")
# Latin (with accents), Greek and Cyrillic letters, ASCII or full width
_LETTERS = "A-Za-z\uFF21-\uFF3A\uFF41-\uFF5A\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0370-\u03FF\u0400-\u04FF"

_KANA = "".join(f"{chr(a)}-{chr(b)}" for a, b in KANA_RANGES)

_ALTERNATIVES = (
    ("ws", r"\s+"),
    ("url", rf"(?:[A-Za-z\uFF21-\uFF3A\uFF41-\uFF5A][{_WIDE_ALNUM}+.\-\uFF0B\uFF0D\uFF0E]*[:\uFF1A][/\uFF0F]{{2}}"
            rf"|[wW\uFF57\uFF37]{{3}}[.\uFF0E])"
            rf"(?:[^\s{_CJK_PUNCT}\u4E00-\u9FFF<>\"'(){_EMOJI_BASE}]|[{_URL_WIDE_PUNCT}](?=[{_WIDE_ALNUM}]))+"),
    ("email", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
    ("mention", r"@[A-Za-z0-9_\u4E00-\u9FFF-]{1,30}"),
    # #话题# (Weibo) or #tag in Latin letters (an unclosed #中文 has no visible end);
    # never the # of C# or F#
    ("hashtag", rf"(?<![A-Za-z0-9])(?:#[^#\s{_CJK_PUNCT}]{{1,50}}#|#[A-Za-z0-9_]+)"),
    ("emoji", _EMOJI),
    ("kaomoji", _KAOMOJI),
    # C#, F# and C++, G++ keep their marks
    ("latin", rf"[A-Za-z]#(?![A-Za-z0-9_#+])"
              rf"|[{_LETTERS}][{_WIDE_ALNUM}{_LETTERS}\u0300-\u036F]*(?:\+\+(?![A-Za-z0-9_#+]))?"),
    ("kana", rf"[{_KANA}]+"),
    # an ISO date (2026-12-02); a time, score or ratio (10:30, 18：25:07, ３∶０: every
    # corpus here writes digits around a colon as one word, except a handful of
    # People's Daily list numbers such as １：２３日); or a number, where a minus sign
    # is part of it (-5, 气温－５℃) unless it joins a range or a compound: after a
    # letter, digit, percent sign, date unit or closing bracket (3-5, A-5, 20%-30%,
    # 4日-4月, (1)-2)
    ("number", rf"{_D}{{4}}[-\uFF0D]{_D}{{1,2}}[-\uFF0D]{_D}{{1,2}}(?!{_D})"
               rf"|{_D}+(?:[:\uFF1A\u2236]{_D}+){{1,2}}"
               rf"|(?:(?<![{_WIDE_ALNUM}%\uFF05\u2030{_DATE_UNIT_CHARS}\)\]\uFF09\uFF3D])[-\uFF0D\u2212])?"
               rf"{_D}+(?:[.,\uFF0E]{_D}+)*[%\uFF05\u2030]?"),
)


@functools.lru_cache(maxsize=None)
def pattern(split: frozenset[str] = frozenset()) -> re.Pattern:
    """The span scanner, without the closed kinds a model's standard splits."""
    return re.compile("|".join(f"(?P<{kind}>{rx})" for kind, rx in _ALTERNATIVES
                               if kind not in split))


PATTERN = pattern()

# Characters that can never begin a PATTERN match (CJK ideographs and CJK
# punctuation): the scanner skips runs of them in C instead of trying every
# alternative at every character.
_NEVER_STARTS = ("\u3400-\u4DBF\u4E00-\u9FFF\u3001-\u3029\u3030-\u303F"
                 "\uFF01-\uFF07\uFF09-\uFF0C\uFF0E\uFF0F"  # not （ (a text face) or － (a sign)
                 "\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65\u2018-\u201F\u2026\u2014")
_MAY_START = re.compile(f"[^{_NEVER_STARTS}]")


def spans(text: str, split: frozenset[str] = frozenset()):
    """The pattern(split) matches of `text`, as finditer would give them, found faster."""
    find, match = _MAY_START.search, pattern(split).match
    pos = 0
    while True:
        s = find(text, pos)
        if s is None:
            return
        m = match(text, s.start())
        if m is None:
            pos = s.start() + 1
        else:
            yield m
            pos = m.end()


CLOSED = frozenset({"url", "email", "emoji", "kaomoji", "mention", "hashtag"})


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
               "kaomoji": "w"}

# A combining mark, variation selector or joiner never starts a word: it
# stays with the character before it.
_MARKS = re.compile("[\u0300-\u036F\u0483-\u0489\u0591-\u05BD\u0610-\u061A\u064B-\u065F"
                    "\u0E31\u0E34-\u0E3A\u0E47-\u0E4E\u1AB0-\u1AFF\u1DC0-\u1DFF\u200C\u200D"
                    "\u20D0-\u20FF\u302A-\u302F\u3099\u309A\uFE00-\uFE0F\uFE20-\uFE2F"
                    "\U000E0100-\U000E01EF\U0001F3FB-\U0001F3FF]+")


def close_span(mask: np.ndarray, a: int, b: int) -> None:
    """Force text[a:b] to be exactly one word."""
    if b - a == 1:
        mask[a] = S_
    elif b > a:
        mask[a] = B_
        mask[a + 1:b - 1] = M_
        mask[b - 1] = E_


def close_spans(mask: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> None:
    """close_span for every [starts[i], ends[i]), non-empty and disjoint, in a few numpy calls."""
    if len(starts) == 0:
        return
    single = ends - starts == 1
    mask[starts[single]] = S_
    a, b = starts[~single], ends[~single]
    mask[a] = B_
    mask[b - 1] = E_
    mask[_inner_positions(a, b)] = M_


def _inner_positions(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The positions starts[i] + 1 .. ends[i] - 2 of every span, in one array."""
    inner = ends - starts - 2
    total = int(inner.sum()) if len(inner) else 0
    if total <= 0:
        return np.zeros(0, dtype=np.intp)
    first = np.repeat(starts + 1, inner)
    step = np.arange(total) - np.repeat(np.cumsum(inner) - inner, inner)
    return first + step


def open_span(mask: np.ndarray, a: int, b: int) -> None:
    """Forbid word boundaries strictly inside text[a:b]."""
    if b - a >= 2:
        mask[a] &= B_ | M_
        mask[a + 1:b - 1] &= M_
        mask[b - 1] &= M_ | E_


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


MAX_SEGMENT = 2048  # longer runs without whitespace are decoded in pieces
_BREAKS = ("。！？!?\n", "；;，,、：:")


def split_long(text: str, a: int, b: int, base: int, mask: np.ndarray,
               out: list[tuple[int, int]]) -> None:
    """Append text[a:b] as segments of at most ~MAX_SEGMENT characters.

    A cut goes right after a sentence-final mark, else after a comma-like
    mark, in the last half of the window; only with no such mark at all is
    the run cut hard. Cuts never fall inside a constrained span. This keeps
    decoding memory bounded (buffers grow with segment length x labels).
    """
    while b - a > MAX_SEGMENT:
        cut = -1
        lo, hi = a + MAX_SEGMENT // 2, a + MAX_SEGMENT
        for marks in _BREAKS:
            for k in range(hi - 1, lo - 1, -1):
                if (text[k] in marks and mask[base + k] & S_ and mask[base + k + 1] & (B_ | S_)
                        and not _MARKS.match(text, k + 1)):
                    cut = k + 1
                    break
            if cut > 0:
                break
        if cut < 0:
            cut = hi
            while cut > lo and (not (mask[base + cut] & (B_ | S_)) or _MARKS.match(text, cut)):
                cut -= 1
        out.append((base + a, base + cut))
        a = cut
    out.append((base + a, base + b))


def open_spans(mask: np.ndarray, bounds: list[int]) -> None:
    """open_span for every [a, b) in the flat list `bounds` (a0, b0, a1, b1, ...),
    spans of 2+ characters that do not overlap: one numpy call per kind of
    position instead of three per span (news text has a number every ~90 characters)."""
    if not bounds:
        return
    ab = np.array(bounds, dtype=np.intp).reshape(-1, 2)
    starts, ends = ab[:, 0], ab[:, 1]
    mask[starts] &= B_ | M_
    mask[ends - 1] &= M_ | E_
    mask[_inner_positions(starts, ends)] &= M_


def plan(texts: list[str], split: frozenset[str] = frozenset()
         ) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]], np.ndarray,
                    dict[tuple[int, int], str]]:
    """(joined text, segments to decode, whitespace runs, position mask, closed spans' kinds).

    Kinds in `split` (see split_kinds) are not scanned for: the model decides.
    Open spans are applied to the mask together (`open_spans`), before a long
    run is cut and at the end. Their constraints and those of attach_marks
    all keep M possible, so the order of the two does not change the mask.
    """
    joined = "".join(texts)
    mask = np.full(len(joined), 15, dtype=np.uint8)
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
            elif b - a >= 2:
                opened += (base + a, base + b)
        add_run(text, pos, len(text), base)
        if marks and _MARKS.search(text):
            attach_marks(mask, text, base, {b for _, b in spaces[first_space:]})
        base += len(text)
    open_spans(mask, opened)
    return joined, segments, spaces, mask, closed
