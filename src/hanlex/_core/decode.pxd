# cython: language_level=3
"""Decoding with any model: candidate labels, emission scores, Viterbi."""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t, int64_t
from hanlex._core.features cimport Tables
from hanlex._core.scratch cimport SumCache


cdef Py_ssize_t fill_candidates(const uint32_t* c, Py_ssize_t n, const Tables* tb, int L,
                                const uint8_t* posmask, int level,
                                uint8_t* cand, int32_t* ncand) noexcept nogil

cdef check_segments(Py_ssize_t total, const int64_t[::1] starts, const int64_t[::1] ends,
                    const uint8_t[::1] posmask)


cdef class Weights:
    cdef readonly object W, jptr, jlab, jw, trans, allowed
    cdef readonly int L
    cdef readonly bint joint
    cdef const int64_t* jp   # raw joint pointers (NULL unless joint); arrays kept alive above
    cdef const uint8_t* jl
    cdef object jw_any       # jw, or a 1-element dummy of W's type when not joint


cdef class GroupCache:
    cdef SumCache a
    cdef SumCache s
    cdef readonly int L
