# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Feature and word hashes for Python (the training side builds its tables with them)."""

from libc.stdint cimport uint64_t, int64_t, uint32_t, uint8_t

from hanlex._numpy import np

from hanlex._core.common cimport LEX_SEED
from hanlex._core.hashing cimport fkey, lex_step, stat_pair_key, char_table_key
from hanlex._core.chars cimport normalize_into


def feature_key(uint64_t t, uint64_t a, uint64_t b, uint64_t c):
    """The key of template t over arguments a, b, c."""
    return fkey(t, a, b, c)


def stat_key(uint32_t a, uint32_t b):
    """Key of a (normalised) character bigram in the raw-statistics table."""
    return stat_pair_key(a, b)


def char_key(uint32_t cp):
    """Key of a (normalised) character in LabelCandidates."""
    return char_table_key(cp)


def prefix_hashes(const uint32_t[::1] cps, const int64_t[::1] offsets):
    """word_hashes of many words at once: word k is cps[offsets[k]:offsets[k + 1]],
    normalised on its own. Returns (hashes of every prefix of every word, in order;
    uint8 1 where the prefix is the whole word)."""
    cdef Py_ssize_t m = offsets.shape[0] - 1, n = cps.shape[0], k, i, a, b
    cdef uint64_t h
    if m < 0 or offsets[0] != 0 or offsets[m] != n:
        raise ValueError("offsets must run from 0 to len(cps)")
    for k in range(m):
        if offsets[k + 1] < offsets[k]:
            raise ValueError("offsets must not decrease")
    hashes = np.empty(n, dtype=np.uint64)
    full = np.zeros(n, dtype=np.uint8)
    cdef uint64_t[::1] o = hashes
    cdef uint8_t[::1] w = full
    cdef uint32_t[::1] c = np.empty(max(n, 1), dtype=np.uint32)
    with nogil:
        for k in range(m):
            a, b = offsets[k], offsets[k + 1]
            if b == a:
                continue
            normalize_into(&cps[a], b - a, &c[a])
            h = LEX_SEED
            for i in range(a, b):
                h = lex_step(h, c[i])
                o[i] = h
            w[b - 1] = 1
    return hashes, full

