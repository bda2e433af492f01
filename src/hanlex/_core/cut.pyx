# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Analyzer.cut's path for one text: scan, decode and words in one compiled call.

A call of cut() on a line of news is ~50 characters of work; through the batch
path it paid for a joined string, numpy arrays and a dozen Python steps, which
cost more than decoding the line. This path keeps everything in C buffers and
gives the batch path's words exactly (tests compare them); texts it does not
handle (combining marks, runs too long for one segment) return None and take
the batch path.
"""

from libc.stdint cimport uint32_t, int32_t, uint8_t, int64_t
from libc.stdlib cimport malloc, free
from libc.string cimport memset


from cpython.unicode cimport PyUnicode_KIND, PyUnicode_DATA, PyUnicode_READ

from hanlex._core.common cimport ALLOW_ANY
from hanlex._core.features cimport Tables, make_tables
from hanlex._core.hashindex cimport HashIndex
from hanlex._core.regrouped cimport RegroupedTable
from hanlex._core.decode_bmes cimport decode_bmes_segments
from hanlex._core.scan cimport Spans, scan_text, open_all
from hanlex._core.words cimport words_between

cdef enum:
    SHORT = 512  # texts up to this long keep their buffers on the stack



cdef class SegmenterCut:
    """A segmentation-only model's tables and pre-tokenisation, bound for cut().
    Read-only after construction: one serves every thread."""

    cdef RegroupedTable table
    cdef HashIndex lexicon, stats
    cdef int lex_max
    cdef const float[:, ::1] trans
    cdef const uint8_t[:, ::1] allowed
    cdef const uint8_t[::1] may_start
    cdef const int64_t[::1] marks
    cdef object match
    cdef frozenset closed_kinds
    cdef Py_ssize_t max_segment

    def __cinit__(self, RegroupedTable table, HashIndex lexicon, int lex_max,
                  const float[:, ::1] trans, const uint8_t[:, ::1] allowed, HashIndex stats,
                  const uint8_t[::1] may_start, const int64_t[::1] marks, object match,
                  frozenset closed_kinds, Py_ssize_t max_segment):
        if not table.half or trans.shape[0] != 5 or trans.shape[1] != 4:
            raise ValueError("SegmenterCut needs a four-label model's half table")
        if may_start.shape[0] != 0x10000:
            raise ValueError("may_start needs one entry per BMP code point")
        self.table, self.lexicon, self.stats, self.lex_max = table, lexicon, stats, lex_max
        self.trans, self.allowed = trans, allowed
        self.may_start, self.marks, self.match = may_start, marks, match
        self.closed_kinds, self.max_segment = closed_kinds, max_segment

    def cut(self, str text):
        """The words of `text` as Analyzer.cut_many gives them, or None when
        the text needs the batch path."""
        cdef Py_ssize_t n = len(text), i, j
        cdef Spans seg, spaces, opened
        cdef uint8_t* mask = NULL
        cdef uint32_t* cps = NULL
        cdef int32_t* labels = NULL
        cdef void* block = NULL
        cdef uint8_t short_mask[SHORT]
        cdef uint32_t short_cps[SHORT]
        cdef int32_t short_labels[SHORT]
        cdef int kind_of, rc
        cdef void* data
        cdef Tables tb
        if n == 0:
            return []
        memset(&seg, 0, sizeof(Spans))
        memset(&spaces, 0, sizeof(Spans))
        memset(&opened, 0, sizeof(Spans))
        try:
            if n <= SHORT:  # most calls: a line of text, no allocation
                mask, cps, labels = short_mask, short_cps, short_labels
                memset(labels, 0, n * sizeof(int32_t))
            else:
                block = malloc(n * (1 + sizeof(uint32_t) + sizeof(int32_t)))
                if block == NULL:
                    raise MemoryError()
                cps = <uint32_t*>block
                labels = <int32_t*>(cps + n)
                mask = <uint8_t*>(labels + n)
                memset(labels, 0, n * sizeof(int32_t))
            memset(mask, ALLOW_ANY, n)
            if scan_text(text, 0, self.may_start, self.marks, self.match, self.closed_kinds,
                         self.max_segment, &seg, &spaces, &opened, mask, None):
                return None
            open_all(mask, &opened)
            kind_of = PyUnicode_KIND(text)
            data = PyUnicode_DATA(text)
            for i in range(n):
                cps[i] = PyUnicode_READ(kind_of, data, i)
            tb = make_tables(None, self.lexicon, self.lex_max, self.stats)
            with nogil:
                rc = decode_bmes_segments(cps, seg.ab, seg.ab + 1, seg.n // 2, 2, mask,
                                          &self.table.f, &tb, &self.trans[0, 0],
                                          &self.allowed[0, 0], labels)
            if rc == -2:
                raise MemoryError()
            for j in range(0, spaces.n, 2):  # a whitespace run is one word (M... E)
                for i in range(spaces.ab[j], spaces.ab[j + 1] - 1):
                    labels[i] = 1
                labels[spaces.ab[j + 1] - 1] = 2
            return words_between(text, kind_of, data, labels, 0, n)
        finally:
            free(block)
            free(seg.ab)
            free(spaces.ab)
            free(opened.ab)
