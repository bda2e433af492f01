"""The spans pre-tokenisation finds in text: whitespace, URLs, e-mail addresses,
@mentions, #hashtags, emoji, text faces, Latin words, kana runs, runs of other
scripts (Hangul, Thai, Arabic, ...) and numbers.

One regular expression of named alternatives (`pattern`); `spans` runs it over a
text, skipping runs of Chinese characters that no alternative can start with.
"""
from __future__ import annotations

import functools
import re

from ..text.normalize import KANA_RANGES

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
# Chinese characters: the URO, Extension A, compatibility ideographs, Extensions B-H
_HAN = "\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\U00020000-\U0003FFFF"
_URL_SCHEME = (f"[A-Za-z\uFF21-\uFF3A\uFF41-\uFF5A][{_WIDE_ALNUM}+.\\-\uFF0B\uFF0D\uFF0E]*"
               f"[:\uFF1A][/\uFF0F]{{2}}")
# an internationalised host (https://例子.中国/...): dotted labels, the first Chinese
_URL_IDN_HOST = (f"(?=[{_HAN}])(?:[{_HAN}A-Za-z0-9\\-]+[.\uFF0E])+"
                 f"[{_HAN}A-Za-z0-9\\-]*[{_HAN}A-Za-z0-9]")
# host, port and path in any script but Chinese; full-width punctuation only before a letter
# or digit (www.people.com.cn／sports), so a URL still ends at ／ or ？ before Chinese
_URL_BODY = (f"(?:[^\\s{_CJK_PUNCT}{_HAN}<>\"'(){_EMOJI_BASE}]"
             f"|[{_URL_WIDE_PUNCT}](?=[{_WIDE_ALNUM}]))")
_URL_OTHER = f"[^\\s{_CJK_PUNCT}{_HAN}<>\"'(){_EMOJI_BASE}/?=&#]"  # not Chinese, not a delimiter
_URL_SEGMENT = f"(?:[{_HAN}]+{_URL_OTHER}*|{_URL_OTHER}+)"
# Text faces such as (`∀´) or （＾▽＾）: brackets around 2 to 12 symbols, no
# letters, digits or Han, at least one of them a typical face part.
_FACE_PARTS = "∀ω▽Дд・･ﾟ＾^´`‾⌣зゝ∠•°◕◡ㅂ⺻○●｡ε≧≦ಠ益⊙﹏ಥ╥Ծ"
_KAOMOJI = (rf"[(\uFF08](?=[^()\uFF08\uFF09\n]{{0,11}}[{_FACE_PARTS}])"
            rf"[^\s()\uFF08\uFF09{_HAN}{_WIDE_ALNUM}]{{2,12}}[)\uFF09]")
# Latin (with accents), Greek and Cyrillic letters, ASCII or full width
_LETTERS = "A-Za-z\uFF21-\uFF3A\uFF41-\uFF5A\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0370-\u03FF\u0400-\u04FF"

_SCRIPTS = ("\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7A3\uD7B0-\uD7FF"  # Hangul
            "\u0E01-\u0E3A\u0E40-\u0E5B\u0E81-\u0EDF\u1780-\u17DD\u17E0-\u17E9"  # Thai Lao Khmer
            "\u1000-\u109F\u0F00-\u0FDA"  # Myanmar, Tibetan
            "\u0620-\u065F\u066E-\u06D3\u06D5-\u06FF\u0591-\u05C7\u05D0-\u05EA"  # Arabic, Hebrew
            "\u0900-\u0963\u0966-\u097F\u10A0-\u10FF\u0531-\u0587"  # Devanagari Georgian Armenian
            "\u1200-\u135F\u1820-\u18AA")  # Ethiopic, Mongolian

# characters that take a number as their object: a minus sign after them is one
_NUMBER_OBJECT = "至为于到达是在和与及或零"
_KANA = "".join(f"{chr(a)}-{chr(b)}" for a, b in KANA_RANGES)

# what every URL match begins with (see "url" below and matcher(); _scan.pyx's
# url_may_begin is this in C)
_URL_START_RX = re.compile(f"(?:{_URL_SCHEME}|[wW\uFF57\uFF37]{{3}}[.\uFF0E])")

_ALTERNATIVES = (
    ("ws", r"\s+"),
    ("url", rf"(?:{_URL_SCHEME}{_URL_IDN_HOST}{_URL_BODY}*"
            rf"|(?:{_URL_SCHEME}|[wW\uFF57\uFF37]{{3}}[.\uFF0E]){_URL_BODY}+)"
            # a path or query may hold any script (https://zh.wikipedia.org/wiki/北京), one
            # segment at a time: Chinese after Latin in one segment ends the URL
            # (https://a.com/page看看), a segment that begins in Chinese runs on in it
            rf"(?:(?<=[/?=&#\uFF0F]){_URL_SEGMENT}(?:[/?=&#\uFF0F\uFF1F\uFF1D\uFF06\uFF03]+"
            rf"{_URL_SEGMENT})*[/?=&#]*)?"),
    ("email", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
    ("mention", rf"@[A-Za-z0-9_{_HAN}-]{{1,30}}"),
    # #话题# or ＃话题＃ (Weibo) or #tag in Latin letters (an unclosed #中文 has no
    # visible end); never the # of C# or F#
    ("hashtag", rf"(?<![A-Za-z0-9])(?:#[^#\s{_CJK_PUNCT}]{{1,50}}#|\uFF03[^#\s{_CJK_PUNCT}]{{1,50}}\uFF03"
                rf"|#[A-Za-z0-9_]+)"),
    ("emoji", _EMOJI),
    ("kaomoji", _KAOMOJI),
    # C#, F# and C++, G++ keep their marks; a hyphen between letters or digits
    # joins a name (COVID-19, SK-II, Llama-3.1-70B, Wi-Fi; People's Daily writes
    # ＰＤ－１ and ＫＪＢ－２ as one word)
    ("latin", rf"[A-Za-z]#(?![A-Za-z0-9_#+])"
              rf"|[{_LETTERS}][{_WIDE_ALNUM}{_LETTERS}\u0300-\u036F]*"
              rf"(?:[-\uFF0D][{_WIDE_ALNUM}{_LETTERS}]+(?:[.\uFF0E]{_D}+)*)*"
              rf"(?:\+\+(?![A-Za-z0-9_#+]))?"),
    ("kana", rf"[{_KANA}]+"),
    # runs of other scripts, with word spaces or without (Hangul, Thai, Lao, Khmer,
    # Myanmar, Tibetan, Arabic and Uyghur, Hebrew, Devanagari, Georgian, Armenian,
    # Ethiopic, Mongolian): hanlex has no model of their words, so a run is one word,
    # never joined to the Chinese around it (a closed span, tagged nx)
    ("script", rf"[{_SCRIPTS}]+"),
    # a hyphen and a whole number after a Chinese character name a model or a
    # series (歼-20, 北溪-2, 运-20B, 碳-14, "和谐使命-2024"): 2022-2026 news writes
    # them ~330 times in 10 M characters, against ~20 minus signs after Chinese,
    # which a decimal point, a unit (-5℃, -3%), a counter after a digit (01星-06星)
    # or a word taking a number (降至-10, 低于-30) tell apart. The character before
    # joins the span (pretokenize.plan).
    ("series", rf"(?<=[\u4E00-\u9FFF])(?<![{_NUMBER_OBJECT}])(?<!{_D}[\u4E00-\u9FFF])"
               rf"[-\uFF0D\u2212]{_D}+(?![.,\uFF0E]{_D}|{_D}|[%\uFF05\u2030\u2103\u00B0度])"
               rf"[A-Za-z]?(?![A-Za-z])"),
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


@functools.lru_cache(maxsize=None)
def others_matcher(split: frozenset[str] = frozenset()):
    """The match method of pattern(split)'s kinds but the URL."""
    return re.compile("|".join(f"(?P<{kind}>{rx})" for kind, rx in _ALTERNATIVES
                               if kind not in split and kind != "url")).match


@functools.lru_cache(maxsize=1)
def url_matcher():
    """The match method of the URL alternative alone: two thirds of compiling
    the pattern (its Chinese character classes), so compiled only once a text
    holds a URL's start (_URL_START_RX), which every URL match begins with."""
    return re.compile(f"(?P<url>{dict(_ALTERNATIVES)['url']})").match


def matcher(split: frozenset[str] = frozenset()):
    """pattern(split).match, the same matches, in two patterns as the compiled
    scanner (_scan.pyx) tries them: the URL alternative where a URL can begin,
    then the others (a URL comes before every kind but whitespace, which cannot
    begin where a URL does)."""
    others = others_matcher(split)
    if "url" in split:
        return others
    url_start = _URL_START_RX.match

    def match(text: str, pos: int):
        if url_start(text, pos) is not None:
            found = url_matcher()(text, pos)
            if found is not None:
                return found
        return others(text, pos)
    return match


# Characters that can never begin a pattern() match (CJK ideographs and CJK
# punctuation): the scanner skips runs of them in C instead of trying every
# alternative at every character.
_NEVER_STARTS = ("\u3400-\u4DBF\u4E00-\u9FFF\u3001-\u3029\u3030-\u303F"
                 "\uFF01\uFF02\uFF04-\uFF07\uFF09-\uFF0C\uFF0E\uFF0F"  # not ＃ (a hashtag),
                 # （ (a text face) or － (a sign)
                 "\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65\u2018-\u201F\u2026\u2014")
_MAY_START = re.compile(f"[^{_NEVER_STARTS}]")


def class_ranges(body: str) -> list[tuple[int, int]]:
    """The [lo, hi] code point ranges of a character class's body ("a-z0-9_")."""
    out, i = [], 0
    while i < len(body):
        lo = hi = ord(body[i])
        if i + 2 < len(body) and body[i + 1] == "-":
            hi = ord(body[i + 2])
            i += 2
        out.append((lo, hi))
        i += 1
    return out


def may_start_table() -> bytearray:
    """Per BMP code point, 0 if no span can begin there (_NEVER_STARTS), else 1:
    _MAY_START in the form the compiled scanner (_scan.pyx) reads, taken
    from the class's own ranges so the two cannot drift apart."""
    table = bytearray(b"\x01" * 0x10000)
    for lo, hi in class_ranges(_NEVER_STARTS):
        table[lo:hi + 1] = bytes(hi + 1 - lo)
    return table


def spans(text: str, split: frozenset[str] = frozenset()):
    """The pattern(split) matches of `text`, as finditer would give them, found faster."""
    find, match = _MAY_START.search, matcher(split)
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



#: the kinds that are exactly one word (the others may join their neighbours)
CLOSED = frozenset({"url", "email", "emoji", "kaomoji", "mention", "hashtag", "script"})
