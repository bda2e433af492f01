# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Feature keys and rows of whole segments; the training side calls these."""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t
from libc.string cimport memset, memcpy

from hanlex._numpy import np

from hanlex._core.common cimport (BOS, EOS, PAD, LEX_CAP, LEX_SEED,
                                  HANLEX_PREFETCH)
from hanlex._core.hashing cimport fkey, lex_step
from hanlex._core.templates cimport *
from hanlex._core.chars cimport normalize_into, char_class
from hanlex._core.hashindex cimport HashIndex, maybe_known, slot_find
from hanlex._core.scratch cimport Scratch, scratch_free, scratch_reserve
from hanlex._core.features cimport (Tables, make_tables, stat_bucket, class_window_key,
                                    lookup_rows, LEX_AHEAD)


cdef void lexicon_spans(const uint32_t* c, Py_ssize_t n, const Tables* tb,
                        uint8_t* lb, uint8_t* le, uint8_t* lm) noexcept nogil:
    """Longest lexicon word (>= 2 chars, capped) beginning/ending/covering each char.

    `c` is the padded, normalised sequence (c[PAD + i] is char i).
    """
    cdef Py_ssize_t i, j, l, top
    cdef uint64_t h
    cdef int32_t f
    cdef uint8_t v
    memset(lb, 0, n)
    memset(le, 0, n)
    memset(lm, 0, n)
    if tb.lslots == NULL:
        return
    for i in range(n):
        if i + LEX_AHEAD + 2 < n:  # fetch the second and third probes of a later start early
            h = lex_step(lex_step(LEX_SEED, c[PAD + i + LEX_AHEAD]), c[PAD + i + LEX_AHEAD + 1])
            if tb.lknown == NULL or maybe_known(tb.lknown, h):  # not for keys it cannot hold
                HANLEX_PREFETCH(tb.lslots + (h & tb.lmask))
                h = lex_step(h, c[PAD + i + LEX_AHEAD + 2])
                if tb.lknown == NULL or maybe_known(tb.lknown, h):
                    HANLEX_PREFETCH(tb.lslots + (h & tb.lmask))
        # the first character: may a word begin with it? (a 64 KiB table for the BMP)
        h = lex_step(LEX_SEED, c[PAD + i])
        if tb.lstarts != NULL and c[PAD + i] < 0x10000:
            if not tb.lstarts[c[PAD + i]]:
                continue
        else:
            f = slot_find(tb.lslots, tb.lmask, h)
            if f < 0 or not (f & 2):
                continue
        top = n - i
        if top > tb.lex_max:
            top = tb.lex_max
        for l in range(2, top + 1):
            h = lex_step(h, c[PAD + i + l - 1])
            if tb.lknown != NULL and not maybe_known(tb.lknown, h):
                break  # what slot_find would say, without touching the table
            f = slot_find(tb.lslots, tb.lmask, h)
            if f < 0:
                break
            if f & 1:
                v = <uint8_t>(l if l < LEX_CAP else LEX_CAP)
                if v > lb[i]:
                    lb[i] = v
                if v > le[i + l - 1]:
                    le[i + l - 1] = v
                for j in range(i + 1, i + l - 1):
                    if v > lm[j]:
                        lm[j] = v
            if not (f & 2):
                break


cdef inline void stat_keys(const Tables* tb, const uint32_t* c, Py_ssize_t p,
                           uint64_t* o) noexcept nogil:
    """The raw-text association buckets of the pairs left and right of p (key 0,
    never a feature, when the model has no statistics)."""
    cdef int32_t bl, br
    if tb.sslots != NULL:
        bl = stat_bucket(tb, c[p - 1], c[p])
        br = stat_bucket(tb, c[p], c[p + 1])
        o[T_STAT_LEFT] = fkey(T_STAT_LEFT, bl, 0, 0)
        o[T_STAT_RIGHT] = fkey(T_STAT_RIGHT, br, 0, 0)
        o[T_STAT_BOTH] = fkey(T_STAT_BOTH, bl, br, 0)
    else:
        o[T_STAT_LEFT] = 0
        o[T_STAT_RIGHT] = 0
        o[T_STAT_BOTH] = 0


cdef void prepare_chars(const uint32_t* raw, Py_ssize_t n, const Tables* tb,
                        Scratch* s) noexcept nogil:
    """What every feature reads, into the scratch: padded normalised chars c,
    their classes k, and the lexicon spans lb/le/lm."""
    cdef Py_ssize_t i
    cdef uint32_t* c = s.c
    c[0] = BOS
    c[1] = BOS
    c[n + PAD] = EOS
    c[n + PAD + 1] = EOS
    normalize_into(raw, n, c + PAD)
    for i in range(n + 2 * PAD):
        s.k[i] = char_class(c[i])
    lexicon_spans(c, n, tb, s.lb, s.le, s.lm)


cdef void feature_keys(const uint32_t* raw, Py_ssize_t n, const Tables* tb,
                       Scratch* s) noexcept nogil:
    """Keys of all N_TEMPLATES features at every position, into s.keys
    (n x N_TEMPLATES); template t's key is fkey(t, ...) over what its name in
    templates.pxd says."""
    cdef Py_ssize_t i, p
    cdef uint64_t* o
    prepare_chars(raw, n, tb, s)
    cdef const uint32_t* c = s.c
    cdef const uint8_t* k = s.k
    cdef const uint8_t* lb = s.lb
    cdef const uint8_t* le = s.le
    cdef const uint8_t* lm = s.lm
    for i in range(n):
        p = PAD + i
        o = s.keys + i * N_TEMPLATES
        o[T_BIAS] = fkey(T_BIAS, 0, 0, 0)
        o[T_C_M2] = fkey(T_C_M2, c[p - 2], 0, 0)
        o[T_C_M1] = fkey(T_C_M1, c[p - 1], 0, 0)
        o[T_C0] = fkey(T_C0, c[p], 0, 0)
        o[T_C_P1] = fkey(T_C_P1, c[p + 1], 0, 0)
        o[T_C_P2] = fkey(T_C_P2, c[p + 2], 0, 0)
        o[T_PAIR_M2] = fkey(T_PAIR_M2, c[p - 2], c[p - 1], 0)
        o[T_PAIR_M1] = fkey(T_PAIR_M1, c[p - 1], c[p], 0)
        o[T_PAIR_0] = fkey(T_PAIR_0, c[p], c[p + 1], 0)
        o[T_PAIR_P1] = fkey(T_PAIR_P1, c[p + 1], c[p + 2], 0)
        o[T_SKIP] = fkey(T_SKIP, c[p - 1], c[p + 1], 0)
        o[T_TRIGRAM] = fkey(T_TRIGRAM, c[p - 1], c[p], c[p + 1])
        o[T_CLASS] = fkey(T_CLASS, k[p], 0, 0)
        o[T_CLASS_TRIGRAM] = fkey(T_CLASS_TRIGRAM, k[p - 1], k[p], k[p + 1])
        o[T_CLASS_WINDOW] = class_window_key(k, p)
        o[T_REPEAT] = fkey(T_REPEAT, (c[p - 1] == c[p]) | ((c[p] == c[p + 1]) << 1)
                           | ((c[p - 1] == c[p + 1]) << 2), 0, 0)
        o[T_LEX_BEGIN] = fkey(T_LEX_BEGIN, lb[i], 0, 0)
        o[T_LEX_END] = fkey(T_LEX_END, le[i], 0, 0)
        o[T_LEX_MID] = fkey(T_LEX_MID, lm[i], 0, 0)
        o[T_LEX_ALL] = fkey(T_LEX_ALL, lb[i] | (le[i] << 4) | (<uint64_t>lm[i] << 8), 0, 0)
        o[T_LEX_BEGIN_C0] = fkey(T_LEX_BEGIN_C0, lb[i], c[p], 0)
        o[T_LEX_END_C0] = fkey(T_LEX_END_C0, le[i], c[p], 0)
        stat_keys(tb, c, p, o)


def extract_keys(const uint32_t[::1] raw, HashIndex lexicon, int lex_max, HashIndex stats=None):
    """Feature keys (n x N_TEMPLATES uint64, 0 = no feature) of one segment."""
    cdef Py_ssize_t n = raw.shape[0]
    cdef Tables tb = make_tables(None, lexicon, lex_max, stats)
    cdef Scratch s
    memset(&s, 0, sizeof(Scratch))
    out = np.empty((n, N_TEMPLATES), dtype=np.uint64)
    cdef uint64_t[:, ::1] o = out
    if n == 0:
        return out
    if scratch_reserve(&s, n, 1) < 0:
        raise MemoryError()
    with nogil:
        feature_keys(&raw[0], n, &tb, &s)
        memcpy(&o[0, 0], s.keys, n * N_TEMPLATES * sizeof(uint64_t))
    scratch_free(&s)
    return out


def extract_rows_batch(list segments, HashIndex features, list lexicons, const int32_t[::1] which,
                       HashIndex stats=None):
    """Rows (n x N_TEMPLATES int32, -1 = unknown feature) of many segments, the
    GIL released per segment; segment j uses lexicons[which[j]] = (index, lex_max).

    Used by the training prefetcher, so featurisation runs beside the learner.
    """
    cdef Py_ssize_t j, m = len(segments), n
    cdef int lex_max
    outs = []
    cdef Tables tb
    cdef Scratch s
    cdef const uint32_t[::1] raw
    cdef int32_t[:, ::1] o
    memset(&s, 0, sizeof(Scratch))
    try:
        for j in range(m):
            raw = segments[j]
            n = raw.shape[0]
            lex, lex_max = lexicons[which[j]]
            tb = make_tables(features, lex, lex_max, stats)
            out = np.empty((n, N_TEMPLATES), dtype=np.int32)
            outs.append(out)
            if n == 0:
                continue
            o = out
            if scratch_reserve(&s, n, 1) < 0:
                raise MemoryError()
            with nogil:
                feature_keys(&raw[0], n, &tb, &s)
                lookup_rows(s.keys, n * N_TEMPLATES, &tb, &o[0, 0])
    finally:
        scratch_free(&s)
    return outs
