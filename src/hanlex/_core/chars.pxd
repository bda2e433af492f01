# cython: language_level=3
"""Characters as the features see them: width-normalised, and in classes.

hanlex.text.normalize documents the rules; the pure-Python specification in
tests/reference.py must agree with these functions on every code point.
"""

from libc.stdint cimport uint32_t, uint8_t
from hanlex._core.common cimport BOS, EOS


cdef inline uint32_t norm_cp(uint32_t c) noexcept nogil:
    """Full-width ASCII -> ASCII; ideographic space -> space."""
    if 0xFF01 <= c <= 0xFF5E:
        return c - 0xFEE0
    if c == 0x3000:
        return 0x20
    return c


cdef inline bint chinese_digit(uint32_t c) noexcept nogil:
    """〇○零一二三四五六七八九 (hanlex.text.normalize.CHINESE_DIGITS)."""
    return (c == 0x3007 or c == 0x25CB or c == 0x96F6 or c == 0x4E00 or c == 0x4E8C
            or c == 0x4E09 or c == 0x56DB or c == 0x4E94 or c == 0x516D or c == 0x4E03
            or c == 0x516B or c == 0x4E5D)


cdef inline void normalize_into(const uint32_t* raw, Py_ssize_t n, uint32_t* out) noexcept nogil:
    """norm_cp of each character, and a zero right after a Chinese digit (or a
    zero so read) as 〇 (二0一九年 reads as 二〇一九年)."""
    cdef Py_ssize_t i
    cdef uint32_t c
    for i in range(n):
        c = norm_cp(raw[i])
        if c == 0x30 and i > 0 and chinese_digit(out[i - 1]):
            c = 0x3007
        out[i] = c


cdef inline uint8_t char_class(uint32_t c) noexcept nogil:
    """Class of a normalised code point (hanlex.text.normalize.CLASS_NAMES)."""
    if c == BOS or c == EOS:
        return 8
    if c == 0x20 or (9 <= c <= 13) or c == 0x85 or c == 0xA0 or c == 0x1680 \
            or (0x2000 <= c <= 0x200A) or c == 0x2028 or c == 0x2029 \
            or c == 0x202F or c == 0x205F:
        return 7
    if 48 <= c <= 57:
        return 2
    if (65 <= c <= 90) or (97 <= c <= 122):
        return 3
    if c == 0x3007 or c == 0x25CB or c == 0x96F6 or c == 0x4E00 or c == 0x4E8C \
            or c == 0x4E09 or c == 0x56DB or c == 0x4E94 or c == 0x516D \
            or c == 0x4E03 or c == 0x516B or c == 0x4E5D or c == 0x5341 \
            or c == 0x767E or c == 0x5343 or c == 0x4E07 or c == 0x4EBF \
            or c == 0x4E24:
        return 5
    if c == 0x5E74 or c == 0x6708 or c == 0x65E5 or c == 0x65F6 \
            or c == 0x5206 or c == 0x79D2 or c == 0x53F7:
        return 6
    if (0x4E00 <= c <= 0x9FFF) or (0x3400 <= c <= 0x4DBF) \
            or (0x20000 <= c <= 0x3FFFF) or (0xF900 <= c <= 0xFAFF):
        return 1  # the URO, Extension A, compatibility ideographs, Extensions B-H
    if (0x3041 <= c <= 0x3096) or (0x3099 <= c <= 0x309F) or (0x30A1 <= c <= 0x30FA) \
            or (0x30FC <= c <= 0x30FF) or (0x31F0 <= c <= 0x31FF) or (0xFF66 <= c <= 0xFF9F):
        return 3  # kana (hanlex.text.normalize.KANA_RANGES): a foreign script, like Greek
    if (33 <= c <= 47) or (58 <= c <= 64) or (91 <= c <= 96) or (123 <= c <= 126) \
            or (0xA1 <= c <= 0xBF) or (0x2010 <= c <= 0x206F) \
            or (0x3000 <= c <= 0x303F) or (0xFE30 <= c <= 0xFE4F) \
            or (0xFF00 <= c <= 0xFFEF):
        return 4
    if (0xC0 <= c <= 0x24F) or (0x370 <= c <= 0x3FF) or (0x400 <= c <= 0x4FF) \
            or (0x300 <= c <= 0x36F):
        return 3  # combining diacritics too: e + U+0301 reads as é does
    return 0


cdef inline bint is_han(uint32_t c) noexcept nogil:
    """A Chinese character, numeral or date unit (classes 1, 5, 6)."""
    cdef uint8_t k = char_class(c)
    return k == 1 or k == 5 or k == 6
