# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Decoding a segmentation-only model (labels B M E S) from its RegroupedTable."""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t, int8_t, int64_t
from libc.stdlib cimport malloc, free
from libc.string cimport memset
from libc.math cimport INFINITY

import numpy as np

from hanlex._core.hashindex cimport HashIndex
from hanlex._core.features cimport Tables, make_tables, prepare_chars
from hanlex._core.scratch cimport Scratch, scratch_free, scratch_reserve
from hanlex._core.regrouped cimport (RegroupedTable, Regrouped, N_HASHED, regrouped_keys,
                                     regrouped_emissions)
from hanlex._core.decode cimport check_segments


cdef int viterbi_bmes(const double* em, Py_ssize_t n, const float* trans, const uint8_t* allowed,
                      const uint8_t* posmask, double* delta, int8_t* bp,
                      int32_t* out) noexcept nogil:
    """Four-label Viterbi; the same path, scores and tie-breaking as `viterbi`
    over the candidates posmask allows (posmask NULL: every label)."""
    cdef Py_ssize_t i
    cdef int l, pl, arg
    cdef double best, s
    cdef double* cur
    cdef const double* prev
    for l in range(4):
        if (posmask == NULL or (posmask[0] >> l) & 1) and allowed[16 + l]:
            delta[l] = <double>trans[16 + l] + em[l]
        else:
            delta[l] = -INFINITY
    for i in range(1, n):
        prev = delta + (i - 1) * 4
        cur = delta + i * 4
        for l in range(4):
            best = -INFINITY
            arg = -1
            if posmask == NULL or (posmask[i] >> l) & 1:
                if l == 0 or l == 3:   # B, S follow E or S
                    pl = 2
                else:                  # M, E follow B or M
                    pl = 0
                for pl in range(pl, pl + 2):
                    if prev[pl] != -INFINITY and allowed[pl * 4 + l]:
                        s = prev[pl] + <double>trans[pl * 4 + l]
                        if s > best:
                            best = s
                            arg = pl
            bp[i * 4 + l] = <int8_t>arg
            cur[l] = best + em[i * 4 + l] if arg >= 0 else -INFINITY
    cur = delta + (n - 1) * 4
    best = -INFINITY
    arg = -1
    for l in range(2, 4):
        if cur[l] != -INFINITY and cur[l] > best:
            best = cur[l]
            arg = l
    if arg < 0:
        return -1
    for i in range(n - 1, -1, -1):
        out[i] = arg
        arg = bp[i * 4 + arg]
    return 0


cdef int decode_bmes_segments(const uint32_t* text, const int64_t* starts, const int64_t* ends,
                              Py_ssize_t m, Py_ssize_t stride, const uint8_t* posmask,
                              const Regrouped* table, const Tables* tb, const float* trans,
                              const uint8_t* allowed, int32_t* out) noexcept nogil:
    """Labels of the segments [starts[j * stride], ends[j * stride]) of `text`,
    into `out` at the same offsets (a half table). -2: out of memory."""
    cdef Py_ssize_t j, n
    cdef int64_t a
    cdef Scratch s
    cdef int8_t* bp = NULL
    cdef Py_ssize_t bp_cap = 0
    cdef int rc = 0
    memset(&s, 0, sizeof(Scratch))
    s.no_cache = True  # four labels: no group-A sums to cache
    for j in range(m):
        a = starts[j * stride]
        n = ends[j * stride] - a
        if n <= 0:
            continue
        if scratch_reserve(&s, n, 4) < 0:
            rc = -2
            break
        if n > bp_cap:
            free(bp)
            bp = <int8_t*>malloc(n * 4)
            bp_cap = n
            if bp == NULL:
                rc = -2
                break
        prepare_chars(&text[a], n, tb, s.c, s.k, s.lb, s.le, s.lm)
        regrouped_keys(n, tb, s.c, s.k, s.lb, s.le, s.lm, s.keys, s.keys + n * N_HASHED)
        regrouped_emissions(table, n, s.c, s.k, s.lb, s.le, s.lm, s.keys, s.keys + n * N_HASHED,
                            s.em)
        if viterbi_bmes(s.em, n, trans, allowed, &posmask[a], s.delta, bp, &out[a]) < 0:
            viterbi_bmes(s.em, n, trans, allowed, NULL, s.delta, bp, &out[a])
    scratch_free(&s)
    free(bp)
    return rc


def decode_batch_bmes(const uint32_t[::1] text, const int64_t[::1] starts, const int64_t[::1] ends,
                     const uint8_t[::1] posmask, RegroupedTable table, HashIndex lexicon, int lex_max,
                     const float[:, ::1] trans, const uint8_t[:, ::1] allowed,
                     HashIndex stats=None):
    """decode_batch for segmentation-only models (4 labels, no tag dictionary).

    Gives exactly the labels of decode_batch, faster: weights live in the
    hash slots and the Viterbi is specialised to B M E S.
    """
    cdef Py_ssize_t m = starts.shape[0], total = text.shape[0]
    cdef Tables tb = make_tables(None, lexicon, lex_max, stats)
    check_segments(total, starts, ends, posmask)
    if trans.shape[0] != 5 or trans.shape[1] != 4 or allowed.shape[0] != 5 or allowed.shape[1] != 4:
        raise ValueError("decode_batch_bmes needs a four-label model")
    if not table.half:
        raise ValueError("decode_batch_bmes needs a half table (RegroupedTable(..., half=True))")
    out = np.zeros(total, dtype=np.int32)
    if total == 0:
        return out
    cdef int32_t[::1] o = out
    cdef int rc
    with nogil:
        rc = decode_bmes_segments(&text[0], &starts[0] if m else NULL, &ends[0] if m else NULL, m, 1,
                                  &posmask[0], &table.f, &tb, &trans[0, 0], &allowed[0, 0], &o[0])
    if rc == -2:
        raise MemoryError()
    return out
