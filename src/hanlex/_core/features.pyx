# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Feature keys and rows of whole segments; the training side calls these."""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t
from libc.string cimport memset

import numpy as np

from hanlex._core.common cimport (N_TEMPLATES, BOS, EOS, PAD, LEX_CAP, LEX_SEED,
                                  HANLEX_PREFETCH)
from hanlex._core.hashing cimport fkey, lex_step
from hanlex._core.chars cimport normalize_into, char_class
from hanlex._core.hashindex cimport HashIndex, slot_find
from hanlex._core.scratch cimport Scratch, scratch_free, scratch_reserve
from hanlex._core.features cimport (Tables, make_tables, stat_bucket, class_window_key,
                                    lookup_rows, LEX_AHEAD)


cdef void lexicon_spans(const uint32_t* c, Py_ssize_t n, const Tables* tb,
                        uint8_t* lb, uint8_t* le, uint8_t* lm) noexcept nogil:
    """Longest lexicon word (>= 2 chars, capped) beginning/ending/covering each char.

    `c` is the padded, normalised sequence (c[PAD + i] is char i).
    """
    cdef Py_ssize_t i, j, l, top
    cdef uint64_t h
    cdef int32_t f
    cdef uint8_t v
    memset(lb, 0, n)
    memset(le, 0, n)
    memset(lm, 0, n)
    if tb.lslots == NULL:
        return
    for i in range(n):
        if i + LEX_AHEAD + 2 < n:  # fetch the second and third probes of a later start early
            h = lex_step(lex_step(LEX_SEED, c[PAD + i + LEX_AHEAD]), c[PAD + i + LEX_AHEAD + 1])
            HANLEX_PREFETCH(tb.lslots + (h & tb.lmask))
            HANLEX_PREFETCH(tb.lslots + (lex_step(h, c[PAD + i + LEX_AHEAD + 2]) & tb.lmask))
        # the first character: may a word begin with it? (a 64 KiB table for the BMP)
        h = lex_step(LEX_SEED, c[PAD + i])
        if tb.lstarts != NULL and c[PAD + i] < 0x10000:
            if not tb.lstarts[c[PAD + i]]:
                continue
        else:
            f = slot_find(tb.lslots, tb.lmask, h)
            if f < 0 or not (f & 2):
                continue
        top = n - i
        if top > tb.lex_max:
            top = tb.lex_max
        for l in range(2, top + 1):
            h = lex_step(h, c[PAD + i + l - 1])
            f = slot_find(tb.lslots, tb.lmask, h)
            if f < 0:
                break
            if f & 1:
                v = <uint8_t>(l if l < LEX_CAP else LEX_CAP)
                if v > lb[i]:
                    lb[i] = v
                if v > le[i + l - 1]:
                    le[i + l - 1] = v
                for j in range(i + 1, i + l - 1):
                    if v > lm[j]:
                        lm[j] = v
            if not (f & 2):
                break


cdef inline void stat_keys(const Tables* tb, const uint32_t* c, Py_ssize_t p,
                           uint64_t* o) noexcept nogil:
    """Templates 22-24: the raw-text association buckets of the pairs left
    and right of p (key 0, never a feature, when the model has no statistics)."""
    cdef int32_t bl, br
    if tb.sslots != NULL:
        bl = stat_bucket(tb, c[p - 1], c[p])
        br = stat_bucket(tb, c[p], c[p + 1])
        o[0] = fkey(22, bl, 0, 0)
        o[1] = fkey(23, br, 0, 0)
        o[2] = fkey(24, bl, br, 0)
    else:
        o[0] = 0
        o[1] = 0
        o[2] = 0


cdef void prepare_chars(const uint32_t* raw, Py_ssize_t n, const Tables* tb,
                        uint32_t* c, uint8_t* k, uint8_t* lb, uint8_t* le,
                        uint8_t* lm) noexcept nogil:
    """What every feature reads: padded normalised chars c, their classes k,
    and the lexicon spans lb/le/lm (buffers as in Scratch)."""
    cdef Py_ssize_t i
    c[0] = BOS
    c[1] = BOS
    c[n + PAD] = EOS
    c[n + PAD + 1] = EOS
    normalize_into(raw, n, c + PAD)
    for i in range(n + 2 * PAD):
        k[i] = char_class(c[i])
    lexicon_spans(c, n, tb, lb, le, lm)


cdef void feature_keys(const uint32_t* raw, Py_ssize_t n, const Tables* tb,
                       uint32_t* c, uint8_t* k, uint8_t* lb, uint8_t* le, uint8_t* lm,
                       uint64_t* keys) noexcept nogil:
    """Keys of all N_TEMPLATES features at every position (n x N_TEMPLATES).

    Scratch buffers: c and k hold n + 2*PAD entries, lb/le/lm hold n.
    Template t's key is fkey(t, ...) over what TEMPLATES[t] names.
    """
    cdef Py_ssize_t i, p
    cdef uint64_t* o
    prepare_chars(raw, n, tb, c, k, lb, le, lm)
    for i in range(n):
        p = PAD + i
        o = keys + i * N_TEMPLATES
        o[0] = fkey(0, 0, 0, 0)
        o[1] = fkey(1, c[p - 2], 0, 0)
        o[2] = fkey(2, c[p - 1], 0, 0)
        o[3] = fkey(3, c[p], 0, 0)
        o[4] = fkey(4, c[p + 1], 0, 0)
        o[5] = fkey(5, c[p + 2], 0, 0)
        o[6] = fkey(6, c[p - 2], c[p - 1], 0)
        o[7] = fkey(7, c[p - 1], c[p], 0)
        o[8] = fkey(8, c[p], c[p + 1], 0)
        o[9] = fkey(9, c[p + 1], c[p + 2], 0)
        o[10] = fkey(10, c[p - 1], c[p + 1], 0)
        o[11] = fkey(11, c[p - 1], c[p], c[p + 1])
        o[12] = fkey(12, k[p], 0, 0)
        o[13] = fkey(13, k[p - 1], k[p], k[p + 1])
        o[14] = class_window_key(k, p)
        o[15] = fkey(15, (c[p - 1] == c[p]) | ((c[p] == c[p + 1]) << 1)
                     | ((c[p - 1] == c[p + 1]) << 2), 0, 0)
        o[16] = fkey(16, lb[i], 0, 0)
        o[17] = fkey(17, le[i], 0, 0)
        o[18] = fkey(18, lm[i], 0, 0)
        o[19] = fkey(19, lb[i] | (le[i] << 4) | (<uint64_t>lm[i] << 8), 0, 0)
        o[20] = fkey(20, lb[i], c[p], 0)
        o[21] = fkey(21, le[i], c[p], 0)
        stat_keys(tb, c, p, o + 22)


def extract_keys(const uint32_t[::1] raw, HashIndex lexicon, int lex_max, HashIndex stats=None):
    """Feature keys (n x N_TEMPLATES uint64, 0 = no feature) of one segment."""
    cdef Py_ssize_t n = raw.shape[0]
    cdef Tables tb = make_tables(None, lexicon, lex_max, stats)
    cdef Scratch s
    memset(&s, 0, sizeof(Scratch))
    out = np.empty((n, N_TEMPLATES), dtype=np.uint64)
    cdef uint64_t[:, ::1] o = out
    if n == 0:
        return out
    if scratch_reserve(&s, n, 1) < 0:
        raise MemoryError()
    with nogil:
        feature_keys(&raw[0], n, &tb, s.c, s.k, s.lb, s.le, s.lm, &o[0, 0])
    scratch_free(&s)
    return out


def extract_rows_batch(list segments, HashIndex features, list lexicons, const int32_t[::1] which,
                       HashIndex stats=None):
    """Rows (n x N_TEMPLATES int32, -1 = unknown feature) of many segments, the
    GIL released per segment; segment j uses lexicons[which[j]] = (index, lex_max).

    Used by the training prefetcher, so featurisation runs beside the learner.
    """
    cdef Py_ssize_t j, m = len(segments), n
    cdef int lex_max
    outs = []
    cdef Tables tb
    cdef Scratch s
    cdef const uint32_t[::1] raw
    cdef int32_t[:, ::1] o
    memset(&s, 0, sizeof(Scratch))
    try:
        for j in range(m):
            raw = segments[j]
            n = raw.shape[0]
            lex, lex_max = lexicons[which[j]]
            tb = make_tables(features, lex, lex_max, stats)
            out = np.empty((n, N_TEMPLATES), dtype=np.int32)
            outs.append(out)
            if n == 0:
                continue
            o = out
            if scratch_reserve(&s, n, 1) < 0:
                raise MemoryError()
            with nogil:
                feature_keys(&raw[0], n, &tb, s.c, s.k, s.lb, s.le, s.lm, s.keys)
                lookup_rows(s.keys, n * N_TEMPLATES, &tb, &o[0, 0])
    finally:
        scratch_free(&s)
    return outs
