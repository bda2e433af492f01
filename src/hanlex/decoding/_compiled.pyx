# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""CompiledModel: a model's weights, regrouped tables, transitions, lexicon,
raw-text statistics, tag dictionary and scratch caches, owned by one object
whose methods decode a batch, cut one text, or decode training's feature rows.

A segmentation-only model decodes from its half table (decode_bmes.pyx); any
other model takes the generic path (decode.pyx). The tables are read-only after
construction, so one CompiledModel serves every thread.
"""

from libc.stdint cimport uint32_t, int32_t, uint8_t, int64_t
from libc.stdlib cimport malloc, free
from libc.string cimport memset, memcpy

from cpython.unicode cimport PyUnicode_KIND, PyUnicode_DATA, PyUnicode_READ

from hanlex._numpy import np

from hanlex._core.common cimport ALLOW_ANY, PAD
from hanlex._core.templates cimport N_TEMPLATES
from hanlex._core.chars cimport normalize_into
from hanlex._core.features cimport make_tables, set_candidates
from hanlex._core.scratch cimport Scratch, scratch_free, scratch_reserve
from hanlex.decoding._decode cimport (GroupCache, check_segments, decode_generic, decode_rows)
from hanlex.decoding._decode_bmes cimport decode_bmes
from hanlex.pretokenize._scan cimport Scanned, open_all, scanned_free
from hanlex.decoding._words cimport words_between

cdef enum:
    SHORT = 512  # texts up to this long keep cut()'s buffers on the stack


cdef void label_spaces(int32_t* labels, const int64_t* ab, Py_ssize_t n, int32_t base) noexcept:
    """Each whitespace run [ab[2j], ab[2j+1]) is one word: M ... M E, with the
    label base `base` (the tag of punctuation, for a joint model)."""
    cdef Py_ssize_t j, i
    for j in range(0, 2 * n, 2):
        for i in range(ab[j], ab[j + 1] - 1):
            labels[i] = base | 1
        labels[ab[j + 1] - 1] = base | 2


cdef void point_batch(Batch* b, const uint32_t[::1] text, const int64_t[::1] starts,
                      const int64_t[::1] ends, const uint8_t[::1] posmask, int32_t* out):
    """Point b at one text's segments (checked by check_segments; text not empty),
    its position masks and `out`, all kept alive by the caller."""
    b.text = &text[0]
    b.count = starts.shape[0]
    b.starts = &starts[0] if b.count else NULL
    b.ends = &ends[0] if b.count else NULL
    b.stride = 1
    b.posmask = &posmask[0]
    b.pruned = NULL
    b.out = out


cdef class CompiledModel:
    """The tables of one model (hanlex.decoding builds them from a Model):

    weights: its Weights; lexicon (and lex_max): the lexicon features' word
    index; stats: raw-text statistics; candidates: the tag dictionary; table:
    a RegroupedTable, of half B M E S weights for a segmentation-only model
    (decoded by decode_bmes) or of feature rows for a joint one; features: the
    hashed feature index (the generic path's rows when there is no table);
    scanner: pre-tokenisation, for cut(). Training's model has only weights
    and candidates: it decodes rows it extracted itself (viterbi_rows).
    """

    def __cinit__(self, Weights weights, HashIndex lexicon=None, int lex_max=0,
                  HashIndex stats=None, LabelCandidates candidates=None,
                  RegroupedTable table=None, HashIndex features=None, Scanner scanner=None):
        self.weights, self.lexicon, self.lex_max, self.stats = weights, lexicon, lex_max, stats
        self.candidates, self.table, self.features = candidates, table, features
        self.scanner = scanner
        self.caches = []
        memset(&self.view, 0, sizeof(ModelView))
        self.view.tb = make_tables(features, lexicon, lex_max, stats)
        set_candidates(&self.view.tb, candidates)
        weights.view_into(&self.view)
        self.bmes = table is not None and table.half
        if self.bmes and (weights.L != 4 or weights.joint or self.view.dbl):
            raise ValueError("a half table holds a four-label model's float weights")
        if table is not None and not table.half and not weights.joint:
            raise ValueError("a row table serves a joint model")
        if self.view.W == NULL and not self.bmes:
            raise ValueError("weights without float weights decode from a half table only")
        if table is not None:
            self.view.table = &table.f

    @property
    def L(self) -> int:
        return self.view.L

    cdef int decode_batch(self, const Batch* b) except -1:
        """Labels of the batch's segments, without the GIL."""
        cdef Scratch s
        cdef GroupCache cache = None
        cdef int rc
        if self.bmes:
            with nogil:
                rc = decode_bmes(&self.view, b)
        else:
            if self.view.table == NULL and self.view.tb.fslots == NULL:
                raise ValueError("decoding needs the feature index or a row table")
            memset(&s, 0, sizeof(Scratch))
            if self.weights.joint:  # a joint model's group sums carry over between calls
                try:
                    cache = self.caches.pop()  # list pop/append are atomic: a cache per call
                except IndexError:
                    cache = GroupCache(self.view.L)
                s.shared_cache = True
                s.cache_a, s.cache_s = cache.a, cache.s
            with nogil:
                rc = decode_generic(&self.view, b, &s)
                scratch_free(&s)
            if cache is not None:
                self.caches.append(cache)
        if rc == -2:
            raise MemoryError()
        return 0

    def decode(self, const uint32_t[::1] text, const int64_t[::1] starts,
               const int64_t[::1] ends, const uint8_t[::1] posmask, spaces=None,
               int32_t space_base=0, const uint8_t[::1] pruned=None):
        """One int32 label per character of `text` (0 outside every segment):
        segment j is text[starts[j]:ends[j]], decoded under posmask's allowed
        word positions (first under `pruned`'s, narrowed_masks' narrowing of
        them, where that leaves a path); each whitespace run of `spaces`
        ((k, 2) [a, b)) is then labelled one word with the label base `space_base`."""
        cdef Py_ssize_t total = text.shape[0]
        cdef Batch b
        cdef const int64_t[:, ::1] ab
        check_segments(total, starts, ends, posmask)
        if pruned is not None and pruned.shape[0] != total:
            raise ValueError("pruned masks do not fit the text")
        out = np.zeros(total, dtype=np.int32)
        if total == 0:
            return out
        cdef int32_t[::1] o = out
        point_batch(&b, text, starts, ends, posmask, &o[0])
        if pruned is not None:
            if self.bmes:
                raise ValueError("pruned masks are for a joint model's decode")
            b.pruned = &pruned[0]
        self.decode_batch(&b)
        if spaces is not None and len(spaces):
            ab = np.ascontiguousarray(spaces, dtype=np.int64).reshape(-1, 2)
            if ab[0, 0] < 0 or ab[ab.shape[0] - 1, 1] > total:
                raise ValueError("whitespace runs out of range")
            label_spaces(&o[0], &ab[0, 0], ab.shape[0], space_base)
        return out

    def narrowed_masks(self, const uint32_t[::1] text, const int64_t[::1] starts,
                       const int64_t[::1] ends, const uint8_t[::1] posmask, double margin):
        """posmask less, in each segment, the word positions (B M E S) whose best
        path this segmentation-only model scores more than `margin` below its best
        one: the positions a joint decode pruned by it still considers."""
        cdef Py_ssize_t total = text.shape[0]
        cdef Batch b
        cdef int rc
        if not self.bmes:
            raise ValueError("narrowing positions needs a segmentation-only model's half table")
        check_segments(total, starts, ends, posmask)
        out = np.array(posmask, dtype=np.uint8)
        labels = np.zeros(total, dtype=np.int32)
        if total == 0:
            return out
        cdef uint8_t[::1] narrowed = out
        cdef int32_t[::1] o = labels
        point_batch(&b, text, starts, ends, posmask, &o[0])
        with nogil:
            rc = decode_bmes(&self.view, &b, margin, &narrowed[0])
        if rc == -2:
            raise MemoryError()
        return out

    def cut(self, str text):
        """The words of `text` as a batch decode gives them, scanned, decoded
        and split into strings in C buffers; None when the text needs the
        batch path (pre-tokenisation's plan(): combining marks, runs too long
        for one segment) or the model is not decoded from a half table."""
        cdef Py_ssize_t n = len(text), i
        cdef Scanned found
        cdef Batch b
        cdef void* block = NULL
        cdef uint8_t short_mask[SHORT]
        cdef uint32_t short_cps[SHORT]
        cdef int32_t short_labels[SHORT]
        cdef int kind_of
        cdef void* data
        if not self.bmes or self.scanner is None:
            return None
        if n == 0:
            return []
        memset(&found, 0, sizeof(Scanned))
        memset(&b, 0, sizeof(Batch))
        try:
            if n <= SHORT:  # most calls: a line of text, no allocation
                b.posmask, b.text, b.out = short_mask, short_cps, short_labels
            else:
                block = malloc(n * (1 + sizeof(uint32_t) + sizeof(int32_t)))
                if block == NULL:
                    raise MemoryError()
                b.text = <uint32_t*>block
                b.out = <int32_t*>(<uint32_t*>block + n)
                b.posmask = <uint8_t*>(b.out + n)
            memset(b.out, 0, n * sizeof(int32_t))
            memset(<uint8_t*>b.posmask, ALLOW_ANY, n)
            if self.scanner.scan(text, 0, &found, <uint8_t*>b.posmask, None):
                return None
            open_all(<uint8_t*>b.posmask, &found.opened)
            kind_of = PyUnicode_KIND(text)
            data = PyUnicode_DATA(text)
            for i in range(n):
                (<uint32_t*>b.text)[i] = PyUnicode_READ(kind_of, data, i)
            b.starts, b.ends = found.seg.ab, found.seg.ab + 1
            b.count, b.stride = found.seg.n // 2, 2
            b.pruned = NULL
            self.decode_batch(&b)
            label_spaces(b.out, found.spaces.ab, found.spaces.n // 2, 0)
            return words_between(text, kind_of, data, b.out, 0, n)
        finally:
            free(block)
            scanned_free(&found)

    def viterbi_rows(self, const uint32_t[::1] raw, const int32_t[:, ::1] rows,
                     const uint8_t[::1] posmask, const double[:, ::1] offset=None):
        """Labels of a segment whose feature rows are known (the training path);
        offset: None or n x 4 scores added per position and word position."""
        if self.bmes:  # its float32 weights were let go (decoding.tables.compile_model)
            raise ValueError("a segmenter compiled to its half table decodes texts; "
                             "compile_model(model, generic=True) decodes feature rows")
        cdef Py_ssize_t n = rows.shape[0]
        cdef Scratch s
        cdef int rc
        out = np.zeros(n, dtype=np.int32)
        if n == 0:
            return out
        cdef int32_t[::1] o = out
        if rows.shape[1] != N_TEMPLATES or raw.shape[0] != n or posmask.shape[0] != n:
            raise ValueError("rows, text and posmask must cover the same segment")
        if offset is not None and (offset.shape[0] != n or offset.shape[1] != 4):
            raise ValueError("offset must be n x 4")
        memset(&s, 0, sizeof(Scratch))
        if scratch_reserve(&s, n, self.view.L) < 0:
            raise MemoryError()
        s.offset = &offset[0, 0] if offset is not None else NULL
        with nogil:
            normalize_into(&raw[0], n, s.c + PAD)
            memcpy(s.rows, &rows[0, 0], n * N_TEMPLATES * sizeof(int32_t))
            if self.view.dbl:
                rc = decode_rows(<const double*>self.view.W, &self.view, n, &posmask[0], NULL,
                                 &s, &o[0])
            else:
                rc = decode_rows(<const float*>self.view.W, &self.view, n, &posmask[0], NULL,
                                 &s, &o[0])
            scratch_free(&s)
        if rc < 0:
            raise ValueError("no label sequence satisfies the constraints")
        return out
