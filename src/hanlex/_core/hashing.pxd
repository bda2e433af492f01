# cython: language_level=3
"""Hashes of features and words: splitmix64's finaliser over packed arguments."""

from libc.stdint cimport uint64_t
from hanlex._core.common cimport TEMPLATE_STEP, STAT_KEY_TEMPLATE, CHAR_KEY_TEMPLATE


cdef inline uint64_t mix64(uint64_t x) noexcept nogil:
    x ^= x >> 30
    x *= 0xBF58476D1CE4E5B9ULL
    x ^= x >> 27
    x *= 0x94D049BB133111EBULL
    x ^= x >> 31
    return x


cdef inline uint64_t unmix64(uint64_t x) noexcept nogil:
    """The inverse of mix64: a feature key can be read back into its arguments."""
    x ^= (x >> 31) ^ (x >> 62)
    x *= 0x319642B2D24D8EC3ULL
    x ^= (x >> 27) ^ (x >> 54)
    x *= 0x96DE1B173F119089ULL
    x ^= (x >> 30) ^ (x >> 60)
    return x


cdef inline uint64_t fkey(uint64_t t, uint64_t a, uint64_t b, uint64_t c) noexcept nogil:
    """Key of template t over arguments a, b, c (never 0, which marks "no feature").

    Every argument is < 2**21 (code points, small codes), so the packing is
    injective and one mix (two multiplies) is enough.
    """
    cdef uint64_t h = mix64((a | (b << 21) | (c << 42)) + t * TEMPLATE_STEP)
    if h == 0:
        h = 1
    return h


cdef inline uint64_t lex_step(uint64_t h, uint64_t cp) noexcept nogil:
    """The hash of a word prefix extended by one character (start: LEX_SEED)."""
    h = mix64(h ^ (cp * 0xD6E8FEB86659FD93ULL))
    if h == 0:
        h = 1
    return h


cdef inline uint64_t pair_hash(uint64_t a, uint64_t b) noexcept nogil:
    """Key of the character pair ab in a regrouped table; never 0, as mix64
    is a bijection that maps only 0 to 0."""
    return mix64((a | (b << 21)) + 1)


cdef inline uint64_t stat_pair_key(uint64_t a, uint64_t b) noexcept nogil:
    """Key of the (normalised) character bigram ab in the raw-statistics table."""
    return fkey(STAT_KEY_TEMPLATE, a, b, 0)


cdef inline uint64_t char_table_key(uint64_t cp) noexcept nogil:
    """Key of a (normalised) character in the tag dictionary."""
    return fkey(CHAR_KEY_TEMPLATE, cp, 0, 0)
