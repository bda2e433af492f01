# cython: language_level=3
"""Decoding a segmentation-only model (labels B M E S) from its half RegroupedTable."""

from libc.stdint cimport uint8_t
from hanlex.decoding._decode cimport ModelView, Batch


cdef int decode_bmes(const ModelView* m, const Batch* b, double margin=*,
                     uint8_t* narrowed=*) noexcept nogil
