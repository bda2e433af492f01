# cython: language_level=3
"""Decoding with any model: candidate labels, emission scores, Viterbi.

A decode reads a `ModelView`: the C pointers of one CompiledModel's tables
(compiled.pxd), so no function takes a model's arrays one by one.
"""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t, int64_t
from hanlex._core.common cimport real
from hanlex._core.features cimport Tables
from hanlex.decoding._regrouped cimport Regrouped
from hanlex._core.scratch cimport Scratch, SumCache


cdef struct ModelView:
    Tables tb                 # feature index, lexicon, statistics, tag dictionary
    const void* W             # [features, 4] position weights: float, or double (dbl)
    const void* jw            # [nnz] joint weights, the same type (NULL: not joint)
    const int64_t* jptr       # [features + 1] joint weights of each feature row
    const uint8_t* jlab       # [nnz] their labels
    const uint8_t* jsub       # [features, 4] where each word position's entries begin in
                              # a row grouped by position (NULL: rows in any order)
    const void* trans         # [L + 1, L] transitions (row L: the start), W's type
    const uint8_t* allowed    # [L + 1, L] legal transitions
    const Regrouped* table    # a regrouped table: B M E S weights (bmes) or feature
                              # rows (joint); NULL: rows from the hashed index
    int L
    bint dbl                  # the weights are double (training), not float
    bint free_starts          # allowed: every E/S (or the start) -> every B/S (Weights)


cdef struct Batch:            # segments of one text, decoded into labels per character
    const uint32_t* text
    const int64_t* starts     # segment j is [starts[j * stride], ends[j * stride])
    const int64_t* ends
    Py_ssize_t count
    Py_ssize_t stride
    const uint8_t* posmask    # [len(text)] allowed word positions
    const uint8_t* pruned     # [len(text)] posmask narrowed by a segmenter (NULL: none):
                              # tried first, at level 0 only (decode_rows)
    int32_t* out              # [len(text)] labels


cdef Py_ssize_t fill_candidates(const ModelView* m, Py_ssize_t n, const uint8_t* posmask,
                                int level, Scratch* s) noexcept nogil

cdef int decode_rows(const real* W, const ModelView* m, Py_ssize_t n, const uint8_t* posmask,
                     const uint8_t* pruned, Scratch* s, int32_t* out) noexcept nogil

cdef int decode_generic(const ModelView* m, const Batch* b, Scratch* s) noexcept nogil

cdef check_segments(Py_ssize_t total, const int64_t[::1] starts, const int64_t[::1] ends,
                    const uint8_t[::1] posmask)


cdef class Weights:
    cdef readonly object W, jptr, jlab, jw, trans, allowed, jsub
    cdef readonly int L
    cdef readonly bint joint
    cdef readonly bint free_starts
    cdef void view_into(self, ModelView* m)


cdef class GroupCache:
    cdef SumCache a
    cdef SumCache s
    cdef readonly int L
