"""Characters as the features see them: width-normalised, and in classes.

Characters are normalised *before* any feature is built, identically at
training and decoding time: full-width ASCII (U+FF01..U+FF5E) becomes ASCII and
the ideographic space becomes a space. This is what lets a model trained on
People's Daily (full-width digits) read the PKU test set (ASCII digits). One rule
reads the character before: a digit zero right after a Chinese digit becomes 〇,
so a year typed 二０００年 or 二0一九年 reads like 二〇〇〇年 (`normalize_text`).

The compiled core (`_core/chars.pxd`) defines the character classes; `char_class`
reads them from there.
"""
from __future__ import annotations

import functools
import re

from .._core.chars import char_classes
from .._core.constants import EOS
from .._numpy import np

#: names of the character classes, by class number
CLASS_NAMES = ("other", "han", "digit", "letter", "punct", "han-numeral",
               "date-unit", "space", "boundary")


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


#: hiragana, katakana (not the middle dot ・, which Chinese text puts between the
#: parts of a foreign name), their extensions and half-width katakana: letters of
#: a foreign script to the features, and runs the pretokenizer keeps whole
KANA_RANGES = ((0x3041, 0x3096), (0x3099, 0x309F), (0x30A1, 0x30FA), (0x30FC, 0x30FF),
               (0x31F0, 0x31FF), (0xFF66, 0xFF9F))


@functools.lru_cache(maxsize=1)
def _class_table() -> np.ndarray:
    """The class of every code point (and BOS, EOS), from the compiled definition."""
    return char_classes(np.arange(EOS + 1, dtype=np.uint32))


def char_class(c: int) -> int:
    """Class of a normalised code point (index into CLASS_NAMES)."""
    return int(_class_table()[c])


def codepoints(text: str) -> np.ndarray:
    """The code points of `text` as uint32, lone surrogates included."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)

