# cython: language_level=3
"""A model ready to decode: one object owns every table a decode reads."""

from libc.stdint cimport int32_t, int64_t
from hanlex.decoding._decode cimport ModelView, Batch, Weights
from hanlex._core.hashindex cimport HashIndex, LabelCandidates
from hanlex.decoding._regrouped cimport RegroupedTable
from hanlex.pretokenize._scan cimport Scanner


cdef class CompiledModel:
    cdef ModelView view
    cdef readonly Weights weights
    cdef readonly HashIndex lexicon, stats, features
    cdef readonly LabelCandidates candidates
    cdef readonly RegroupedTable table
    cdef readonly int lex_max
    cdef readonly bint bmes
    cdef readonly Scanner scanner
    cdef readonly list caches  # free GroupCaches of joint decoding

    cdef int decode_batch(self, const Batch* b) except -1


cdef void label_spaces(int32_t* labels, const int64_t* ab, Py_ssize_t n, int32_t base) noexcept
