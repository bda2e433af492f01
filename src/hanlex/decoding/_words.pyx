# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Words out of labels, sub-words for search mode, and user-dictionary matches."""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t, int64_t
from libc.stdlib cimport malloc, calloc, realloc, free
from libc.string cimport memset, memcpy

from cpython.unicode cimport PyUnicode_Substring, PyUnicode_KIND, PyUnicode_DATA, PyUnicode_READ
from cpython.ref cimport PyObject, Py_INCREF, Py_XDECREF

from hanlex._numpy import np

from hanlex._core.common cimport Slot, LEX_SEED
from hanlex._core.hashing cimport lex_step
from hanlex._core.chars cimport normalize_into, is_han
from hanlex._core.hashindex cimport HashIndex, slot_find


# Shared word strings: most words of Chinese text have one or two characters;
# a fresh object for each would make large results much larger and slower to
# build (docs/lab/2026-12-02-speed-issue-26.md, item 5). One str
# per BMP character is made on first use and kept (SINGLE); two-character
# words go through a direct-mapped cache of PAIR_SLOTS entries, where a new
# pair replaces the old one. Strings are immutable, so sharing them is
# invisible; both tables are only touched with the GIL held.
DEF PAIR_SLOTS = 1 << 16
cdef PyObject* SINGLE[0x10000]
cdef uint32_t PAIR_KEY[PAIR_SLOTS]   # the two characters, (c1 << 16) | c2 (0: empty)
cdef PyObject* PAIR_WORD[PAIR_SLOTS]


cdef object word_of(str text, int kind, void* data, Py_ssize_t a, Py_ssize_t b):
    """text[a:b], words of one or two BMP characters shared; kind and data are
    text's (PyUnicode_KIND, PyUnicode_DATA), read once by the caller."""
    cdef Py_UCS4 c1, c2
    cdef uint32_t key, slot
    cdef object w
    if b - a > 2:
        return PyUnicode_Substring(text, a, b)
    c1 = PyUnicode_READ(kind, data, a)
    if c1 >= 0x10000:
        return PyUnicode_Substring(text, a, b)
    if b - a == 1:
        if SINGLE[c1] == NULL:
            w = PyUnicode_Substring(text, a, b)
            Py_INCREF(w)
            SINGLE[c1] = <PyObject*>w
        return <object>SINGLE[c1]
    c2 = PyUnicode_READ(kind, data, a + 1)
    if c2 >= 0x10000 or c1 == 0:
        return PyUnicode_Substring(text, a, b)
    key = (<uint32_t>c1 << 16) | <uint32_t>c2
    slot = ((key * 2654435761u) >> 16) & (PAIR_SLOTS - 1)
    if PAIR_KEY[slot] != key:
        w = PyUnicode_Substring(text, a, b)
        Py_INCREF(w)
        Py_XDECREF(PAIR_WORD[slot])
        PAIR_WORD[slot] = <PyObject*>w
        PAIR_KEY[slot] = key
    return <object>PAIR_WORD[slot]


cdef list words_between(str text, int kind, void* data, const int32_t* labels,
                        Py_ssize_t start, Py_ssize_t stop):
    """The words of text[start:stop]: one ends after each character labelled
    E or S (labels[i] for text[i]), and whatever is left at `stop` is one more."""
    cdef list words = []
    cdef Py_ssize_t i, a = start
    for i in range(start, stop):
        if (labels[i] & 3) >= 2 or i + 1 == stop:
            words.append(word_of(text, kind, data, a, i + 1))
            a = i + 1
    return words


def words_of_texts(str joined, const int32_t[::1] labels, list texts):
    """Per text of `texts` (joined back to back in `joined`), its words.

    A word ends after each character whose label is E or S; whatever is left
    at a text's end (never, for labels from decode) is one more word, so the
    words always join back to the text.
    """
    cdef int64_t[::1] none = np.zeros(0, dtype=np.int64)
    return split_texts(joined, labels, texts, None, none, none, [])


def tagged_words_of_texts(str joined, const int32_t[::1] labels, list texts, list names,
                          const int64_t[::1] forced_starts, const int64_t[::1] forced_ends,
                          list forced_tags):
    """Per text, its (word, tag) pairs: words as in words_of_texts, each
    tagged names[label >> 2] of its last character, unless a forced span
    (sorted by start, in joined offsets) covers exactly that word."""
    return split_texts(joined, labels, texts, names, forced_starts, forced_ends, forced_tags)


cdef extern from "Python.h":
    int PyGC_Disable()
    int PyGC_Enable()


cdef list split_texts(str joined, const int32_t[::1] labels, list texts, list names,
                      const int64_t[::1] forced_starts, const int64_t[::1] forced_ends,
                      list forced_tags):
    # The cyclic GC would otherwise run many times while this call creates
    # its lists and walk them (and everything the caller keeps) each time;
    # these objects form no cycles. No other thread runs meanwhile (the GIL
    # is held throughout), so deferring collection to after the call is
    # invisible to everyone else.
    cdef int was_enabled = PyGC_Disable()
    try:
        return _split_texts(joined, labels, texts, names, forced_starts, forced_ends,
                            forced_tags)
    finally:
        if was_enabled:
            PyGC_Enable()


cdef list _split_texts(str joined, const int32_t[::1] labels, list texts, list names,
                       const int64_t[::1] forced_starts, const int64_t[::1] forced_ends,
                       list forced_tags):
    cdef Py_ssize_t i, a, base = 0, stop, total = len(joined), f = 0
    cdef Py_ssize_t nf = forced_starts.shape[0], n_names = len(names) if names is not None else 0
    cdef list out = [], words
    cdef int32_t lab
    cdef str word
    cdef int kind = PyUnicode_KIND(joined)
    cdef void* data = PyUnicode_DATA(joined)
    if labels.shape[0] != total:
        raise ValueError("one label per character needed")
    if forced_ends.shape[0] != nf or len(forced_tags) != nf:
        raise ValueError("forced spans and tags differ in length")
    for text in texts:
        stop = base + len(<str>text)
        if stop > total:
            raise ValueError("texts do not fit the joined text")
        if names is None:
            out.append(words_between(joined, kind, data, &labels[0] if total else NULL,
                                     base, stop))
            base = stop
            continue
        words = []
        a = base
        for i in range(base, stop):
            lab = labels[i]
            if (lab & 3) >= 2 or i + 1 == stop:
                if lab < 0 or (lab >> 2) >= n_names:
                    raise ValueError(f"label {lab} has no tag name")
                word = word_of(joined, kind, data, a, i + 1)
                while f < nf and forced_starts[f] < a:
                    f += 1
                if f < nf and forced_starts[f] == a and forced_ends[f] == i + 1:
                    words.append((word, forced_tags[f]))
                else:
                    words.append((word, names[lab >> 2]))
                a = i + 1
        out.append(words)
        base = stop
    return out


# ------------------------------------------------------- user dictionaries

def take_disjoint(const int64_t[::1] starts, const int64_t[::1] ends,
                  const int64_t[::1] order, Py_ssize_t n):
    """Which spans to keep, visiting them in `order` and keeping each that
    overlaps none kept before (user words: the longest first). uint8 per span."""
    cdef Py_ssize_t m = starts.shape[0], j, k, p
    cdef bint free_
    if ends.shape[0] != m or order.shape[0] != m:
        raise ValueError("starts, ends and order differ in length")
    for j in range(m):
        if not (0 <= starts[j] <= ends[j] <= n) or not (0 <= order[j] < m):
            raise ValueError("a span lies outside the text, or order is not an index")
    kept = np.zeros(m, dtype=np.uint8)
    cdef uint8_t[::1] o = kept
    cdef uint8_t* taken = <uint8_t*>calloc(n + 1, 1)
    if taken == NULL:
        raise MemoryError()
    with nogil:
        for j in range(m):
            k = order[j]
            free_ = True
            for p in range(starts[k], ends[k]):
                if taken[p]:
                    free_ = False
                    break
            if free_:
                for p in range(starts[k], ends[k]):
                    taken[p] = 1
                o[k] = 1
    free(taken)
    return kept


cdef inline void mark_words_from(const uint32_t* c, Py_ssize_t i, Py_ssize_t top,
                                 const Slot* slots, uint64_t mask, uint8_t* found) noexcept nogil:
    """found[l] = 1 for each dictionary word c[i:i + l], 2 <= l <= top, of Han characters."""
    cdef Py_ssize_t l
    cdef uint64_t h = LEX_SEED
    cdef int32_t f
    for l in range(1, top + 1):
        if not is_han(c[i + l - 1]):
            return
        h = lex_step(h, c[i + l - 1])
        f = slot_find(slots, mask, h)
        if f < 0:
            return
        if (f & 1) and l >= 2:
            found[l] = 1
        if not (f & 2):
            return


def sub_words(const uint32_t[::1] raw, const int64_t[::1] starts, const int64_t[::1] ends,
              HashIndex words not None, HashIndex more=None):
    """The dictionary words strictly inside each word [starts[k], ends[k]) (search mode).

    A sub-word has 2+ Han characters and is in `words` or `more` (compiled
    lexicons: flag 1 = word, 2 = prefix). Returns int64 rows (k, start, end),
    per word by start, the longer first at the same start; characters are
    normalised over the whole text, as longest_matches does. Runs without the GIL.
    """
    cdef Py_ssize_t n = raw.shape[0], m = starts.shape[0], k, i, l, a, b, top
    cdef Py_ssize_t count = 0, cap = 0, longest = 0
    if ends.shape[0] != m:
        raise ValueError("starts and ends differ in length")
    for k in range(m):
        if not (0 <= starts[k] <= ends[k] <= n):
            raise ValueError("a word lies outside the text")
        if ends[k] - starts[k] > longest:
            longest = ends[k] - starts[k]
    if n == 0 or m == 0:
        return np.empty((0, 3), dtype=np.int64)
    cdef uint32_t* c = <uint32_t*>malloc(n * sizeof(uint32_t))
    cdef uint8_t* found = <uint8_t*>malloc(longest + 1)
    cdef int64_t* rows = NULL
    cdef int64_t* grown
    cdef bint failed = c == NULL or found == NULL
    cdef const Slot* word_slots = words.slots
    cdef uint64_t word_mask = words.mask
    cdef const Slot* more_slots = more.slots if more is not None else NULL
    cdef uint64_t more_mask = more.mask if more is not None else 0
    with nogil:
        if not failed:
            normalize_into(&raw[0], n, c)
        for k in range(m):
            if failed:
                break
            a, b = starts[k], ends[k]
            if b - a < 3:
                continue  # nothing of 2+ characters lies strictly inside
            for i in range(a, b - 1):
                top = b - i - (1 if i == a else 0)  # never the whole word
                memset(found, 0, top + 1)
                mark_words_from(c, i, top, word_slots, word_mask, found)
                if more_slots != NULL:
                    mark_words_from(c, i, top, more_slots, more_mask, found)
                for l in range(top, 1, -1):
                    if not found[l]:
                        continue
                    if count == cap:
                        cap = 2 * cap + 64
                        grown = <int64_t*>realloc(rows, cap * 3 * sizeof(int64_t))
                        if grown == NULL:
                            failed = True
                            break
                        rows = grown
                    rows[3 * count] = k
                    rows[3 * count + 1] = i
                    rows[3 * count + 2] = i + l
                    count += 1
                if failed:
                    break
    free(c)
    free(found)
    if failed:
        free(rows)
        raise MemoryError()
    out = np.empty((count, 3), dtype=np.int64)
    cdef int64_t[:, ::1] o = out
    if count:
        memcpy(&o[0, 0], rows, count * 3 * sizeof(int64_t))
    free(rows)
    return out


def longest_matches(const uint32_t[::1] raw, HashIndex words, int max_len):
    """Length of the longest dictionary word starting at each character (0: none).

    `words` is a compiled lexicon (flag 1 = word, 2 = prefix of a word), and
    matching uses normalised characters like the features do.
    """
    cdef Py_ssize_t n = raw.shape[0], i, l, top
    cdef uint64_t h
    cdef int32_t f
    out = np.zeros(n, dtype=np.int32)
    cdef int32_t[::1] o = out
    cdef uint32_t[::1] c = np.empty(n, dtype=np.uint32)
    with nogil:
        normalize_into(&raw[0], n, &c[0])  # whole text: the zero rule reads the character before
        for i in range(n):
            h = LEX_SEED
            top = n - i
            if top > max_len:
                top = max_len
            for l in range(1, top + 1):
                h = lex_step(h, c[i + l - 1])
                f = slot_find(words.slots, words.mask, h)
                if f < 0:
                    break
                if f & 1:
                    o[i] = <int32_t>l
                if not (f & 2):
                    break
    return out
