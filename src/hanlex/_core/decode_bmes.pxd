# cython: language_level=3
"""Decoding a segmentation-only model (labels B M E S) from its half RegroupedTable."""

from libc.stdint cimport uint32_t, int32_t, uint8_t, int64_t
from hanlex._core.features cimport Tables
from hanlex._core.regrouped cimport Regrouped


cdef int decode_bmes_segments(const uint32_t* text, const int64_t* starts, const int64_t* ends,
                              Py_ssize_t m, Py_ssize_t stride, const uint8_t* posmask,
                              const Regrouped* table, const Tables* tb, const float* trans,
                              const uint8_t* allowed, int32_t* out) noexcept nogil
