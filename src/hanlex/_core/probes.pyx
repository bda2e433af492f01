# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Python views of internal steps, for the tests that hold the compiled core to
its pure-Python specification (tests/reference.py). Nothing else calls these."""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t, uint16_t
from libc.string cimport memset

import numpy as np

from hanlex._core.templates cimport N_TEMPLATES
from hanlex._core.common cimport (PAD, LEX_SEED, half_to_float, float_to_half,
                                  add4_half)
from hanlex._core.hashing cimport lex_step, unmix64
from hanlex._core.chars cimport normalize_into
from hanlex._core.hashindex cimport HashIndex, LabelCandidates
from hanlex._core.features cimport Tables, make_tables, set_candidates, prepare_chars
from hanlex._core.scratch cimport Scratch, scratch_free, scratch_reserve
from hanlex.decoding._regrouped cimport (RegroupedTable, regrouped_keys, regrouped_rows_into,
                                     regrouped_emissions)
from hanlex.decoding._decode cimport ModelView, fill_candidates
from hanlex._core.features import extract_rows_batch


def unmix(uint64_t x):
    """The inverse of the hash's mixing step (how a regrouped table reads keys)."""
    return unmix64(x)


def half_conversions(const uint16_t[::1] bits):
    """(float16 bits widened as the half tables widen them, one at a time and
    four at a time; float32 values narrowed back): for every bit pattern given."""
    cdef Py_ssize_t i, n = bits.shape[0]
    single = np.empty(n, dtype=np.float32)
    grouped = np.zeros(n, dtype=np.float64)
    back = np.empty(n, dtype=np.uint16)
    cdef float[::1] a = single
    cdef double[::1] g = grouped
    cdef uint16_t[::1] b = back
    cdef double s[4]
    cdef int q
    for i in range(0, n - n % 4, 4):
        s[0] = s[1] = s[2] = s[3] = 0.0
        add4_half(s, &bits[i])
        for q in range(4):
            g[i + q] = s[q]
    for i in range(n):
        a[i] = half_to_float(bits[i])
        b[i] = float_to_half(a[i])
    return single, grouped, back


def word_hashes(const uint32_t[::1] cps):
    """Hashes of every prefix of `cps` (prefix of length l at index l-1)."""
    cdef Py_ssize_t i, n = cps.shape[0]
    out = np.empty(n, dtype=np.uint64)
    cdef uint64_t[::1] o = out
    cdef uint64_t h = LEX_SEED
    cdef uint32_t[::1] c = np.empty(n, dtype=np.uint32)
    if n:
        normalize_into(&cps[0], n, &c[0])
    for i in range(n):
        h = lex_step(h, c[i])
        o[i] = h
    return out


def extract_rows(const uint32_t[::1] raw, HashIndex features, HashIndex lexicon, int lex_max,
                 HashIndex stats=None):
    """Feature rows (n x N_TEMPLATES int32, -1 = unknown feature) of one segment."""
    return extract_rows_batch([raw], features, [(lexicon, lex_max)],
                              np.zeros(1, dtype=np.int32), stats)[0]


def label_candidates(const uint32_t[::1] raw, LabelCandidates cands, int L,
                     const uint8_t[::1] posmask, int level):
    """The candidate labels of each position of one segment (decode.fill_candidates)."""
    cdef Py_ssize_t n = raw.shape[0], i, j
    cdef ModelView m
    memset(&m, 0, sizeof(ModelView))
    m.tb = make_tables(None, None, 0)
    m.L = L
    set_candidates(&m.tb, cands)
    cdef Scratch s
    memset(&s, 0, sizeof(Scratch))
    if n == 0:
        return []
    if scratch_reserve(&s, n, L) < 0:
        raise MemoryError()
    normalize_into(&raw[0], n, s.c + PAD)
    fill_candidates(&m, n, &posmask[0], level, &s)
    out = [[s.cand[i * L + j] for j in range(s.ncand[i])] for i in range(n)]
    scratch_free(&s)
    return out


cdef int _regrouped(const uint32_t[::1] raw, RegroupedTable table, HashIndex lexicon,
                    int lex_max, HashIndex stats, int32_t* rows, double* em) except -1:
    """Rows (rows != NULL) or emissions (em != NULL) of one segment from `table`."""
    cdef Py_ssize_t n = raw.shape[0]
    cdef Tables tb = make_tables(None, lexicon, lex_max, stats)
    cdef Scratch s
    if em != NULL and not table.half:
        raise ValueError("emissions are read from a half table (RegroupedTable(..., half=True))")
    memset(&s, 0, sizeof(Scratch))
    if scratch_reserve(&s, n, 4) < 0:
        raise MemoryError()
    prepare_chars(&raw[0], n, &tb, &s)
    regrouped_keys(n, &tb, &s)
    if rows != NULL:
        regrouped_rows_into(&table.f, n, &s, rows)
    else:
        regrouped_emissions(&table.f, n, &s, em)
    scratch_free(&s)
    return 0


def regrouped_rows(const uint32_t[::1] raw, RegroupedTable table, HashIndex lexicon,
                   int lex_max, HashIndex stats=None):
    """extract_rows of one segment, read from a row table (row_table_weights)."""
    out = np.full((raw.shape[0], N_TEMPLATES), -1, dtype=np.int32)
    cdef int32_t[:, ::1] o = out
    if raw.shape[0]:
        _regrouped(raw, table, lexicon, lex_max, stats, &o[0, 0], NULL)
    return out


def regrouped_scores(const uint32_t[::1] raw, RegroupedTable table, HashIndex lexicon,
                     int lex_max, HashIndex stats=None):
    """The B M E S emission scores (n x 4) of one segment from a half weight table."""
    out = np.zeros((raw.shape[0], 4), dtype=np.float64)
    cdef double[:, ::1] o = out
    if raw.shape[0]:
        _regrouped(raw, table, lexicon, lex_max, stats, NULL, &o[0, 0])
    return out
