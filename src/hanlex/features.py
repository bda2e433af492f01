"""Feature templates, character normalisation and character classes.

The compiled extractor (`hanlex._core.feature_keys`) and the pure-Python one
(`hanlex.reference`) implement the templates listed here; keep all three in
step. Characters are normalised *before* any feature is built, identically at
training and decoding time: full-width ASCII (U+FF01..U+FF5E) becomes ASCII and
the ideographic space becomes a space. This is what lets a model trained on
People's Daily (full-width digits) read the PKU test set (ASCII digits). One rule
reads the character before: a digit zero right after a Chinese digit becomes 〇,
so a year typed 二０００年 or 二0一九年 reads like 二〇〇〇年 (`normalize_text`).
"""
from __future__ import annotations

import re
from typing import Iterable

import numpy as np

N_TEMPLATES = 25
BOS = 0x110001  # padding code point before the text
EOS = 0x110002  # padding code point after the text
PAD = 2
LEX_CAP = 6  # lexicon word lengths above this share one feature value
DEFAULT_LEX_MAX = 8  # longest lexicon word looked up while decoding
STAT_BUCKETS = 14  # raw-statistics buckets are 1..13 (0: none); must equal _core's

#: id -> what the template looks at (c = normalised char, k = class,
#: Lb/Le/Lm = longest lexicon word beginning at / ending at / covering c0).
TEMPLATES = (
    "bias", "c-2", "c-1", "c0", "c+1", "c+2",
    "c-2 c-1", "c-1 c0", "c0 c+1", "c+1 c+2", "c-1 c+1",
    "c-1 c0 c+1",
    "k0", "k-1 k0 k+1", "k-2..k+2",
    "repeat(c-1=c0, c0=c+1, c-1=c+1)",
    "Lb", "Le", "Lm", "Lb Le Lm", "Lb c0", "Le c0",
    # raw-text statistics (only in models trained with them): association
    # bucket of the bigrams (c-1, c0) and (c0, c+1) in raw text
    "S(c-1 c0)", "S(c0 c+1)", "S(c-1 c0) S(c0 c+1)",
)
assert len(TEMPLATES) == N_TEMPLATES

CLASS_NAMES = ("other", "han", "digit", "letter", "punct", "han-numeral",
               "date-unit", "space", "boundary")

_HAN_NUMERALS = frozenset("〇○零一二三四五六七八九十百千万亿两")
_DATE_UNITS = frozenset("年月日时分秒号")
_SPACES = frozenset([0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F])


def normalize_cp(c: int) -> int:
    """Full-width ASCII -> ASCII; ideographic space -> space (without the zero rule)."""
    if 0xFF01 <= c <= 0xFF5E:
        return c - 0xFEE0
    if c == 0x3000:
        return 0x20
    return c


_NORMALIZE_TABLE = {c: normalize_cp(c) for c in list(range(0xFF01, 0xFF5F)) + [0x3000]}


#: digits whose following digit zero is read as 〇 (二0一九, 一九九0)
CHINESE_DIGITS = "〇○零一二三四五六七八九"
_ZERO_AFTER_CHINESE_DIGIT = re.compile(f"(?<=[{CHINESE_DIGITS}])0+")


def normalize_text(text: str) -> str:
    """What the features and the lexicon see: `normalize_cp` of each character,
    and a zero right after a Chinese digit (or a zero so read) as 〇.

    People's Daily writes years in Chinese digits (一九九八年, 二○○○年), while
    people type 二０００年 or 二0一九年 too; read as digits, such a year is cut
    apart (二00 一 年). Length is kept: one character in, one out.
    """
    return _ZERO_AFTER_CHINESE_DIGIT.sub(lambda m: "\u3007" * len(m.group()),
                                         text.translate(_NORMALIZE_TABLE))


def normalize_cps(cps: Iterable[int]) -> list[int]:
    """`normalize_text` over code points (the reference extractor's input)."""
    return [ord(c) for c in normalize_text("".join(map(chr, cps)))]


#: hiragana, katakana (not the middle dot ・, which Chinese text puts between the
#: parts of a foreign name), their extensions and half-width katakana: letters of
#: a foreign script to the features, and runs the pretokenizer keeps whole
KANA_RANGES = ((0x3041, 0x3096), (0x3099, 0x309F), (0x30A1, 0x30FA), (0x30FC, 0x30FF),
               (0x31F0, 0x31FF), (0xFF66, 0xFF9F))


def _is_kana(c: int) -> bool:
    return any(a <= c <= b for a, b in KANA_RANGES)


def char_class(c: int) -> int:
    """Class of a normalised code point (index into CLASS_NAMES)."""
    if c == BOS or c == EOS:
        return 8
    if c in _SPACES or 9 <= c <= 13 or 0x2000 <= c <= 0x200A:
        return 7
    if 48 <= c <= 57:
        return 2
    if 65 <= c <= 90 or 97 <= c <= 122:
        return 3
    if c < 0x110000 and chr(c) in _HAN_NUMERALS:
        return 5
    if c < 0x110000 and chr(c) in _DATE_UNITS:
        return 6
    if (0x4E00 <= c <= 0x9FFF or 0x3400 <= c <= 0x4DBF or 0x20000 <= c <= 0x2FFFF
            or 0xF900 <= c <= 0xFAFF):
        return 1
    if _is_kana(c):  # a foreign script, like Greek: a letter, not a symbol
        return 3
    if (33 <= c <= 47 or 58 <= c <= 64 or 91 <= c <= 96 or 123 <= c <= 126
            or 0xA1 <= c <= 0xBF or 0x2010 <= c <= 0x206F or 0x3000 <= c <= 0x303F
            or 0xFE30 <= c <= 0xFE4F or 0xFF00 <= c <= 0xFFEF):
        return 4
    if 0xC0 <= c <= 0x24F or 0x370 <= c <= 0x3FF or 0x400 <= c <= 0x4FF:
        return 3
    return 0


def codepoints(text: str) -> np.ndarray:
    """The code points of `text` as uint32, lone surrogates included."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
