# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Decoding a segmentation-only model (labels B M E S) from its RegroupedTable."""

from libc.stdint cimport int32_t, uint8_t, int8_t, int64_t
from libc.stdlib cimport malloc, free
from libc.string cimport memset
from libc.math cimport INFINITY

from hanlex._core.features cimport prepare_chars
from hanlex._core.scratch cimport Scratch, scratch_free, scratch_reserve
from hanlex.decoding._regrouped cimport regrouped_keys, regrouped_emissions
from hanlex._core.common cimport ALLOW_ANY
from hanlex.decoding._decode cimport ModelView, Batch


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


cdef void backward_bmes(const double* em, Py_ssize_t n, const float* trans,
                        const uint8_t* allowed, const uint8_t* posmask,
                        double* beta) noexcept nogil:
    """beta[i, l]: the best score of the rest of the segment after label l at i
    (transitions and emissions of i+1..n-1, ending with a word), -inf if none."""
    cdef Py_ssize_t i
    cdef int l, q
    cdef double s, top
    for l in range(4):
        beta[(n - 1) * 4 + l] = 0.0 if l >= 2 else -INFINITY  # a word ends the segment
    for i in range(n - 2, -1, -1):
        for l in range(4):
            top = -INFINITY
            for q in range(4):
                if allowed[l * 4 + q] and (posmask[i + 1] >> q) & 1 \
                        and beta[(i + 1) * 4 + q] != -INFINITY:
                    s = <double>trans[l * 4 + q] + em[(i + 1) * 4 + q] + beta[(i + 1) * 4 + q]
                    if s > top:
                        top = s
            beta[i * 4 + l] = top


cdef void keep_near_best(const double* alpha, const double* beta, Py_ssize_t n,
                         const int32_t* path, const uint8_t* posmask, double margin,
                         uint8_t* narrowed) noexcept nogil:
    """narrowed[i]: posmask[i] less the word positions whose best path (the
    max-marginal alpha + beta: Viterbi's forward score plus backward_bmes's)
    scores more than `margin` below the best path's; the best path's own
    position always stays."""
    cdef Py_ssize_t i
    cdef int l
    cdef uint8_t keep
    cdef double best = -INFINITY
    for l in range(2, 4):
        if alpha[(n - 1) * 4 + l] > best:
            best = alpha[(n - 1) * 4 + l]
    for i in range(n):
        keep = <uint8_t>(1 << path[i])
        for l in range(4):
            if alpha[i * 4 + l] != -INFINITY and beta[i * 4 + l] != -INFINITY \
                    and alpha[i * 4 + l] + beta[i * 4 + l] >= best - margin:
                keep |= <uint8_t>(1 << l)
        narrowed[i] = (posmask[i] & ~ALLOW_ANY) | (posmask[i] & keep)


cdef int decode_bmes(const ModelView* m, const Batch* b, double margin=-1.0,
                     uint8_t* narrowed=NULL) noexcept nogil:
    """Labels of the batch's segments by a four-label model whose weights are
    the half table m.table. -2: out of memory. narrowed (text-long, or NULL):
    each segment's posmask less the positions more than `margin` below the best
    path (keep_near_best), where the segment has a path under its posmask."""
    cdef Py_ssize_t j, n
    cdef int64_t a
    cdef Scratch s
    cdef int8_t* bp = NULL
    cdef double* beta = NULL
    cdef Py_ssize_t bp_cap = 0
    cdef int rc = 0
    cdef const float* trans = <const float*>m.trans
    memset(&s, 0, sizeof(Scratch))
    s.no_cache = True  # four labels: no group-A sums to cache
    for j in range(b.count):
        a = b.starts[j * b.stride]
        n = b.ends[j * b.stride] - a
        if n <= 0:
            continue
        if scratch_reserve(&s, n, 4) < 0:
            rc = -2
            break
        if n > bp_cap:
            free(bp)
            free(beta)
            bp = <int8_t*>malloc(n * 4)
            beta = <double*>malloc(n * 4 * sizeof(double)) if narrowed != NULL else NULL
            bp_cap = n
            if bp == NULL or (narrowed != NULL and beta == NULL):
                rc = -2
                break
        prepare_chars(&b.text[a], n, &m.tb, &s)
        regrouped_keys(n, &m.tb, &s)
        regrouped_emissions(m.table, n, &s, s.em)
        if viterbi_bmes(s.em, n, trans, m.allowed, &b.posmask[a], s.delta, bp, &b.out[a]) < 0:
            viterbi_bmes(s.em, n, trans, m.allowed, NULL, s.delta, bp, &b.out[a])
        elif narrowed != NULL:
            backward_bmes(s.em, n, trans, m.allowed, &b.posmask[a], beta)
            keep_near_best(s.delta, beta, n, &b.out[a], &b.posmask[a], margin, &narrowed[a])
    scratch_free(&s)
    free(bp)
    free(beta)
    return rc
