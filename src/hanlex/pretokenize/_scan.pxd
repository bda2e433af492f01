# cython: language_level=3
"""Pre-tokenisation's scan in compiled code (scan.pyx)."""

from libc.stdint cimport uint8_t, int64_t


cdef struct Spans:       # a growable flat list of [a, b) pairs
    int64_t* ab
    Py_ssize_t n, cap


cdef struct Scanned:     # what a scan found, besides the closed spans in the mask
    Spans seg            # segments to decode
    Spans spaces         # whitespace runs
    Spans opened         # spans whose inside is left to the model


cdef class Scanner:
    cdef const uint8_t[::1] may_start
    cdef const int64_t[::1] marks
    cdef object others     # the span pattern's match method but for URLs (None until
    cdef object others_of  # first needed), and what gives it
    cdef object url        # the URL alternative's match method (None until first needed),
    cdef object url_of     # and what gives it (None: URLs are not spans)
    cdef frozenset closed_kinds
    cdef Py_ssize_t max_segment

    cdef object match(self, str t, Py_ssize_t s, Py_ssize_t n)
    cdef int scan(self, str t, Py_ssize_t base, Scanned* out, uint8_t* mk,
                  dict closed) except -1
    cdef Py_ssize_t next_start(self, str t, Py_ssize_t s, Py_ssize_t n)
    cdef bint marked(self, str t, Py_ssize_t a, Py_ssize_t b)


cdef void open_all(uint8_t* mk, const Spans* opened) noexcept
cdef void scanned_free(Scanned* s) noexcept
