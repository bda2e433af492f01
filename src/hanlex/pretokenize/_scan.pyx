# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Pre-tokenisation's scan in compiled code: pretokenize.plan.plan's result
without a Python step per character or per text.

Most characters (Chinese ones, CJK punctuation) can never begin a span, so the
loop skips them by a table lookup and calls the span pattern only where one
might begin; pretokenize.plan.plan stays the reference this must equal.
"""

from libc.stdint cimport uint8_t, int64_t
from libc.stdlib cimport realloc, free
from libc.string cimport memset

from cpython.unicode cimport PyUnicode_KIND, PyUnicode_DATA, PyUnicode_READ

from hanlex._numpy import np

from hanlex._core.common cimport ALLOW_ANY, ALLOW_B, ALLOW_M, ALLOW_E, ALLOW_S


cdef int push(Spans* s, int64_t a, int64_t b) except -1:
    """Append [a, b)."""
    cdef Py_ssize_t cap
    cdef int64_t* grown
    if s.n + 2 > s.cap:
        cap = 2 * s.cap if s.cap else 256
        grown = <int64_t*>realloc(s.ab, cap * sizeof(int64_t))
        if grown == NULL:
            raise MemoryError()
        s.ab = grown
        s.cap = cap
    s.ab[s.n] = a
    s.ab[s.n + 1] = b
    s.n += 2
    return 0


cdef inline void close_span(uint8_t* mk, int64_t a, int64_t b) noexcept:
    cdef int64_t i
    if b - a == 1:
        mk[a] = ALLOW_S
    elif b > a:
        mk[a] = ALLOW_B
        for i in range(a + 1, b - 1):
            mk[i] = ALLOW_M
        mk[b - 1] = ALLOW_E


cdef inline void open_span(uint8_t* mk, int64_t a, int64_t b) noexcept:
    cdef int64_t i
    if b - a >= 2:
        mk[a] &= ALLOW_B | ALLOW_M
        for i in range(a + 1, b - 1):
            mk[i] &= ALLOW_M
        mk[b - 1] &= ALLOW_M | ALLOW_E


cdef inline bint is_sign(Py_UCS4 ch) noexcept:
    return ch == 0x2D or ch == 0xFF0D or ch == 0x2212


cdef inline bint mark_at(Py_UCS4 ch, const uint8_t[::1] may_start,
                         const int64_t[::1] marks) noexcept:
    cdef Py_ssize_t r
    if ch < 0x10000:
        return may_start[ch] & 2
    for r in range(0, marks.shape[0], 2):
        if marks[r] <= ch <= marks[r + 1]:
            return True
    return False


cdef inline bint url_letter(Py_UCS4 ch) noexcept:
    return (0x41 <= ch <= 0x5A or 0x61 <= ch <= 0x7A or 0xFF21 <= ch <= 0xFF3A
            or 0xFF41 <= ch <= 0xFF5A)


cdef inline bint url_scheme_char(Py_UCS4 ch) noexcept:
    return (url_letter(ch) or 0x30 <= ch <= 0x39 or 0xFF10 <= ch <= 0xFF19
            or ch == 0x2B or ch == 0x2E or ch == 0x2D or ch == 0xFF0B or ch == 0xFF0D
            or ch == 0xFF0E)


cdef inline bint url_w(Py_UCS4 ch) noexcept:
    return ch == 0x77 or ch == 0x57 or ch == 0xFF57 or ch == 0xFF37


cdef bint url_may_begin(str t, Py_ssize_t s, Py_ssize_t n) noexcept:
    """Whether t[s:] begins as every URL match does (patterns._URL_START: a
    scheme and :// in ASCII or full width, or www.)."""
    cdef int kind = PyUnicode_KIND(t)
    cdef void* data = PyUnicode_DATA(t)
    cdef Py_UCS4 ch = PyUnicode_READ(kind, data, s)
    cdef Py_ssize_t i
    if not url_letter(ch):
        return False
    if (s + 3 < n and url_w(ch) and url_w(PyUnicode_READ(kind, data, s + 1))
            and url_w(PyUnicode_READ(kind, data, s + 2))):
        ch = PyUnicode_READ(kind, data, s + 3)
        if ch == 0x2E or ch == 0xFF0E:
            return True
    i = s + 1
    while i < n and url_scheme_char(PyUnicode_READ(kind, data, i)):
        i += 1
    if i + 2 >= n:
        return False
    ch = PyUnicode_READ(kind, data, i)
    if ch != 0x3A and ch != 0xFF1A:
        return False
    ch = PyUnicode_READ(kind, data, i + 1)
    if ch != 0x2F and ch != 0xFF0F:
        return False
    ch = PyUnicode_READ(kind, data, i + 2)
    return ch == 0x2F or ch == 0xFF0F


cdef class Scanner:
    """The span pattern and its tables (pretokenize.plan.scanner builds one per
    set of split kinds): read-only, shared by every thread.

    `may_start[c]` for a BMP code point c: bit 0 set where a span may begin
    (the pattern's `match` is called only there), bit 1 on a combining mark;
    `marks` lists [lo, hi] ranges of marks above the BMP; closed_kinds are
    the span kinds kept whole; a run between whitespace longer than
    max_segment goes to plan(), which cuts it at sentence marks.
    """

    def __cinit__(self, const uint8_t[::1] may_start, const int64_t[::1] marks,
                  object others_of, object url_of, frozenset closed_kinds,
                  Py_ssize_t max_segment):
        """others_of(): the match method of the span pattern's kinds but the URL;
        url_of(): the URL's (None: the standard splits URLs). Each is asked for
        when first needed: compiling them is most of a cold start."""
        if may_start.shape[0] != 0x10000:
            raise ValueError("may_start needs one entry per BMP code point")
        self.may_start, self.marks = may_start, marks
        self.others_of, self.url_of = others_of, url_of
        self.closed_kinds, self.max_segment = closed_kinds, max_segment

    cdef object match(self, str t, Py_ssize_t s, Py_ssize_t n):
        """The span pattern's match at s: the URL alternative first (it comes
        before every kind but whitespace, which cannot begin where a URL does),
        tried only where a URL can begin."""
        if self.url_of is not None and url_may_begin(t, s, n):
            if self.url is None:  # two threads may both ask: the same method
                self.url = self.url_of()
            m = self.url(t, s)
            if m is not None:
                return m
        if self.others is None:
            self.others = self.others_of()
        return self.others(t, s)

    cdef int scan(self, str t, Py_ssize_t base, Scanned* out, uint8_t* mk,
                  dict closed) except -1:
        """Scan one text that starts at `base` of the mask `mk`: its segments,
        whitespace runs and open spans go to `out`, closed spans into the mask
        (and into `closed` unless None). 1: plan() must do this batch instead."""
        cdef Py_ssize_t n = len(t), pos = 0, s = 0, a, b
        while True:
            s = self.next_start(t, s, n)
            if s < 0:
                return 1
            if s >= n:
                break
            m = self.match(t, s, n)
            if m is None:
                s += 1
                continue
            kind = m.lastgroup
            a, b = m.span()
            if self.marked(t, s + 1, b):  # marks inside the span too
                return 1
            if kind == "ws":
                if a - pos > self.max_segment:
                    return 1
                if a > pos:
                    push(&out.seg, base + pos, base + a)
                push(&out.spaces, base + a, base + b)
                pos = b
            elif kind in self.closed_kinds:
                close_span(mk, base + a, base + b)
                if closed is not None:
                    closed[(base + a, base + b)] = kind
            elif kind == "series":  # the character before joins (歼-20)
                push(&out.opened, base + a - 1, base + b)
            elif b - a >= 2:
                push(&out.opened, base + a, base + b)
                if is_sign(PyUnicode_READ(PyUnicode_KIND(t), PyUnicode_DATA(t), a)):
                    mk[base + a] &= ALLOW_B  # a signed number begins a word (plan.SIGNS)
            s = b if b > s else s + 1
        if n - pos > self.max_segment:
            return 1
        if n > pos:
            push(&out.seg, base + pos, base + n)
        return 0

    cdef Py_ssize_t next_start(self, str t, Py_ssize_t s, Py_ssize_t n):
        """The next position from s where a span may begin (n: none), or -1
        at a combining mark."""
        cdef int kind_of = PyUnicode_KIND(t)
        cdef void* data = PyUnicode_DATA(t)
        cdef Py_UCS4 ch
        cdef uint8_t flags
        while s < n:
            ch = PyUnicode_READ(kind_of, data, s)
            if ch < 0x10000:
                flags = self.may_start[ch]
                if flags & 2:
                    return -1
                if flags:
                    return s
            else:
                return -1 if mark_at(ch, self.may_start, self.marks) else s
            s += 1
        return n

    cdef bint marked(self, str t, Py_ssize_t a, Py_ssize_t b):
        """Whether t[a:b] holds a combining mark."""
        cdef int kind_of = PyUnicode_KIND(t)
        cdef void* data = PyUnicode_DATA(t)
        cdef Py_ssize_t r
        for r in range(a, b):
            if mark_at(PyUnicode_READ(kind_of, data, r), self.may_start, self.marks):
                return True
        return False


cdef void open_all(uint8_t* mk, const Spans* opened) noexcept:
    cdef Py_ssize_t a
    for a in range(0, opened.n, 2):
        open_span(mk, opened.ab[a], opened.ab[a + 1])


cdef void scanned_free(Scanned* s) noexcept:
    free(s.seg.ab)
    free(s.spaces.ab)
    free(s.opened.ab)
    memset(s, 0, sizeof(Scanned))


def scan_plan(list texts, str joined, Scanner scanner):
    """(segments as an (m, 2) int64 array, spaces, mask, closed spans) of
    `texts` (joined back to back in `joined`), as pretokenize.plan gives them,
    or None when plan() must do it: a run between whitespace is longer than
    the scanner's max_segment (plan cuts it at sentence marks) or a combining
    mark (plan attaches it) is seen.
    """
    cdef Py_ssize_t base = 0, a, total = len(joined)
    cdef Scanned found
    cdef dict closed = {}
    memset(&found, 0, sizeof(Scanned))
    mask = np.full(total, ALLOW_ANY, dtype=np.uint8)
    cdef uint8_t[::1] mview = mask
    cdef uint8_t* mk = &mview[0] if total else NULL
    cdef int64_t[:, ::1] out
    try:
        for text in texts:
            if base + len(<str>text) > total:
                raise ValueError("texts do not fit the joined text")
            if scanner.scan(<str>text, base, &found, mk, closed):
                return None
            base += len(<str>text)
        if base != total:
            raise ValueError("texts do not fit the joined text")
        open_all(mk, &found.opened)
        segments = np.empty((found.seg.n // 2, 2), dtype=np.int64)
        out = segments
        for a in range(found.seg.n // 2):
            out[a, 0] = found.seg.ab[2 * a]
            out[a, 1] = found.seg.ab[2 * a + 1]
        spaces = [(found.spaces.ab[a], found.spaces.ab[a + 1]) for a in range(0, found.spaces.n, 2)]
        return segments, spaces, mask, closed
    finally:
        scanned_free(&found)
