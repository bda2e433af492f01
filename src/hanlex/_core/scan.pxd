# cython: language_level=3
"""Pre-tokenisation's scan in compiled code (scan.pyx)."""

from libc.stdint cimport uint8_t, int64_t


cdef struct Spans:       # a growable flat list of [a, b) pairs
    int64_t* ab
    Py_ssize_t n, cap


cdef int scan_text(str t, Py_ssize_t base, const uint8_t[::1] may_start,
                   const int64_t[::1] marks, object match, frozenset closed_kinds,
                   Py_ssize_t max_segment, Spans* seg, Spans* spaces, Spans* opened,
                   uint8_t* mk, dict closed) except -1

cdef void open_all(uint8_t* mk, const Spans* opened) noexcept
