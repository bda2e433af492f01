# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""THULAC's decoder: its character n-gram features looked up in its feature
trie, its weights, and its Viterbi, with the scores and tie-breaking of
THULAC's Python package (thulac 0.2.2), so that the labels are the package's.

Every index read from the files is checked against the array it indexes; a
damaged file gives a feature that is never found, not a read out of bounds.
The package would raise IndexError there, or read from the array's end.
"""

from libc.stdint cimport int32_t, int64_t, uint8_t
from libc.stdlib cimport malloc, free

import numpy as np

cdef enum:
    SEPARATOR = 32  # ' ' between a feature's characters and its template digit
    BOUNDARY = 65283  # '#' beyond each end of a sentence, widened as below
    DEAD = -2  # a label no allowed predecessor reaches
    START = -1


cdef struct LabelRules:           # a THULAC model's labels, as C pointers
    const int32_t* trans          # [L, L] transition weights
    const int32_t* pre_ptr        # [L + 1] predecessors of each label...
    const int32_t* pre            # ...in label order
    const int32_t* allowed_ptr    # [17] labels each constraint 0-15 allows...
    const int32_t* allowed        # ...in label order
    const uint8_t* is_allowed     # [16, L]
    Py_ssize_t L


cdef inline int32_t widened(int32_t c) noexcept nogil:
    """THULAC looks printable ASCII up as its full-width form."""
    return c + 65248 if 32 < c < 128 else c


cdef inline int64_t node_of(const int32_t[:, ::1] dat, int64_t ch) noexcept nogil:
    """The root's child for character ch (THULAC's feature trie roots at base 0)."""
    if ch < 0 or ch >= dat.shape[0] or dat[ch, 1] != 0:
        return -1
    return ch


cdef inline int64_t step(const int32_t[:, ::1] dat, int64_t state, int64_t c) noexcept nogil:
    """The trie state after character c, or -1 (THULAC's Dat walk, bounds-checked)."""
    cdef int64_t ind
    if state < 0 or state >= dat.shape[0]:
        return -1
    ind = <int64_t>dat[state, 0] + c
    if ind < 0 or ind >= dat.shape[0] or dat[ind, 1] != state:
        return -1
    return ind


cdef inline void bases(const int32_t[:, ::1] dat, int32_t c1, int32_t c2,
                       int64_t* uni, int64_t* bi) noexcept nogil:
    """The trie states that feature strings "c1 " and "c1c2 " continue from."""
    cdef int64_t a = node_of(dat, widened(c1)), ind
    if a < 0:
        uni[0] = -1
        bi[0] = -1
        return
    uni[0] = <int64_t>dat[a, 0] + SEPARATOR
    ind = step(dat, a, widened(c2))
    bi[0] = -1 if ind < 0 else <int64_t>dat[ind, 0] + SEPARATOR


cdef inline void add_feature(const int32_t[:, ::1] dat, const int32_t[:, ::1] weights,
                             int64_t state, int digit, int64_t* em) noexcept nogil:
    """em += the weights of the feature that ends in `digit` after `state`."""
    cdef int64_t ind = step(dat, state, digit), fid
    cdef Py_ssize_t l
    if ind < 0:
        return
    fid = dat[ind, 0]
    if fid < 0 or fid >= weights.shape[0]:
        return
    for l in range(weights.shape[1]):
        em[l] += weights[fid, l]


cdef void emissions(const int32_t* cps, Py_ssize_t n, const int32_t[:, ::1] dat,
                    const int32_t[:, ::1] weights, int64_t* uni, int64_t* bi,
                    int64_t* em) noexcept nogil:
    """em[i * L + l]: the feature weights of character i for label l, with
    THULAC's seven templates: C-1, C0, C+1 and the bigrams C-2C-1 .. C+1C+2."""
    cdef Py_ssize_t i, L = weights.shape[1]
    bases(dat, BOUNDARY, BOUNDARY, &uni[0], &bi[0])
    bases(dat, BOUNDARY, cps[0], &uni[0], &bi[1])
    for i in range(n - 1):
        bases(dat, cps[i], cps[i + 1], &uni[i + 1], &bi[i + 2])
    bases(dat, cps[n - 1], BOUNDARY, &uni[n], &bi[n + 1])
    bases(dat, BOUNDARY, BOUNDARY, &uni[n + 1], &bi[n + 2])
    for i in range(n * L):
        em[i] = 0
    for i in range(n):
        add_feature(dat, weights, uni[i + 1], 49, em + i * L)
        add_feature(dat, weights, uni[i], 50, em + i * L)
        add_feature(dat, weights, uni[i + 2], 51, em + i * L)
        add_feature(dat, weights, bi[i + 1], 49, em + i * L)
        add_feature(dat, weights, bi[i + 2], 50, em + i * L)
        add_feature(dat, weights, bi[i], 51, em + i * L)
        add_feature(dat, weights, bi[i + 3], 52, em + i * L)


cdef void viterbi(const LabelRules* m, const int64_t* em, Py_ssize_t n, const uint8_t* pocs,
                  int64_t* score, int32_t* back, int32_t* out) noexcept nogil:
    """THULAC's Viterbi. Labels at i are those its constraint pocs[i] allows, in
    label order; a label's predecessors are tried in label order and the first
    best kept. A label that no allowed predecessor reaches keeps its emission
    alone and is dead: later labels skip it, but at the last character it still
    competes, and the path stops there (the package does all of this, and fills
    the characters before with label 0; with no label allowed at the last
    character, every character gets label 0)."""
    cdef Py_ssize_t i, a, b, L = m.L
    cdef int32_t j, k, bj = -1, prev_state
    cdef int64_t s, best = 0, sc = 0
    cdef bint found, ended = False
    cdef int pc, pp
    for i in range(n):
        out[i] = 0
    for i in range(n):
        pc = pocs[i]
        for a in range(m.allowed_ptr[pc], m.allowed_ptr[pc + 1]):
            j = m.allowed[a]
            if i == 0:
                sc = em[j]
                back[j] = START
            else:
                pp = pocs[i - 1]
                found = False
                for b in range(m.pre_ptr[j], m.pre_ptr[j + 1]):
                    k = m.pre[b]
                    if not m.is_allowed[pp * L + k] or back[(i - 1) * L + k] == DEAD:
                        continue
                    s = score[(i - 1) * L + k] + m.trans[k * L + j]
                    if not found or s > sc:
                        sc = s
                        bj = k
                        found = True
                if not found:
                    sc = 0
                sc += em[i * L + j]
                back[i * L + j] = bj if found else DEAD
            score[i * L + j] = sc
            if i == n - 1 and (not ended or best < sc):
                best = sc
                out[i] = j
                ended = True
    if not ended:  # no label allowed at the end: the package keeps label 0 everywhere
        return
    i = n - 1
    j = out[i]
    while i > 0:
        prev_state = back[i * L + j]
        if prev_state < 0:
            break
        j = prev_state
        i -= 1
        out[i] = j


cdef class ThulacTables:
    """One THULAC model's feature trie, weights and label rules, checked once
    (every index they hold is within the arrays it indexes)."""

    cdef const int32_t[:, ::1] dat, weights, trans
    cdef const int32_t[::1] pre_ptr, pre, allowed_ptr, allowed
    cdef const uint8_t[:, ::1] is_allowed
    cdef LabelRules rules

    def __cinit__(self, const int32_t[:, ::1] dat, const int32_t[:, ::1] weights,
                  const int32_t[:, ::1] trans, const int32_t[::1] pre_ptr, const int32_t[::1] pre,
                  const int32_t[::1] allowed_ptr, const int32_t[::1] allowed,
                  const uint8_t[:, ::1] is_allowed):
        cdef Py_ssize_t a, L = weights.shape[1]
        if trans.shape[0] != L or trans.shape[1] != L or pre_ptr.shape[0] != L + 1:
            raise ValueError("weights, transitions and predecessor lists disagree on the labels")
        if allowed_ptr.shape[0] != 17 or is_allowed.shape[0] != 16 or is_allowed.shape[1] != L:
            raise ValueError("allowed label lists must cover the 16 constraints")
        for a in range(allowed.shape[0]):
            if not 0 <= allowed[a] < L:
                raise ValueError("an allowed label outside the model's labels")
        for a in range(pre.shape[0]):
            if not 0 <= pre[a] < L:
                raise ValueError("a predecessor outside the model's labels")
        self.dat, self.weights, self.trans = dat, weights, trans
        self.pre_ptr, self.pre, self.allowed_ptr, self.allowed = pre_ptr, pre, allowed_ptr, allowed
        self.is_allowed = is_allowed
        self.rules.L = L
        self.rules.trans = &trans[0, 0] if L else NULL
        self.rules.pre_ptr = &pre_ptr[0]
        self.rules.pre = &pre[0] if pre.shape[0] else NULL
        self.rules.allowed_ptr = &allowed_ptr[0]
        self.rules.allowed = &allowed[0] if allowed.shape[0] else NULL
        self.rules.is_allowed = &is_allowed[0, 0] if L else NULL

    def decode(self, const int32_t[::1] cps, const int64_t[::1] starts, const int64_t[::1] ends,
               const uint8_t[::1] pocs):
        """Label indices for the characters of each sentence cps[starts[s]:ends[s]],
        whose constraints pocs (0-15, bits B M E S) say which labels each may take."""
        cdef Py_ssize_t L = self.rules.L, s, a, n, longest = 0
        if pocs.shape[0] != cps.shape[0] or starts.shape[0] != ends.shape[0]:
            raise ValueError("one constraint per character and one end per start")
        for s in range(starts.shape[0]):
            if not 0 <= starts[s] <= ends[s] <= cps.shape[0]:
                raise ValueError("sentence bounds outside the text")
            longest = max(longest, ends[s] - starts[s])
        for a in range(pocs.shape[0]):
            if pocs[a] > 15:
                raise ValueError("a constraint is a 4-bit set")
        out = np.zeros(cps.shape[0], dtype=np.int32)
        cdef int32_t[::1] o = out
        if longest == 0:
            return out
        cdef int64_t* uni = <int64_t*>malloc((longest + 2) * sizeof(int64_t))
        cdef int64_t* bi = <int64_t*>malloc((longest + 3) * sizeof(int64_t))
        cdef int64_t* em = <int64_t*>malloc(longest * L * sizeof(int64_t))
        cdef int64_t* score = <int64_t*>malloc(longest * L * sizeof(int64_t))
        cdef int32_t* back = <int32_t*>malloc(longest * L * sizeof(int32_t))
        try:
            if not (uni and bi and em and score and back):
                raise MemoryError()
            with nogil:
                for s in range(starts.shape[0]):
                    n = ends[s] - starts[s]
                    if n == 0:
                        continue
                    emissions(&cps[starts[s]], n, self.dat, self.weights, uni, bi, em)
                    viterbi(&self.rules, em, n, &pocs[starts[s]], score, back, &o[starts[s]])
        finally:
            free(uni); free(bi); free(em); free(score); free(back)
        return out


# ---------------------------------------------------------------- dictionaries

cdef inline bint ends_word(const int32_t[:, ::1] dat, int64_t state) noexcept nogil:
    """Whether a word of the dictionary ends in this state."""
    cdef int64_t ind
    if state < 0 or state >= dat.shape[0]:
        return False
    ind = dat[state, 0]
    return 0 <= ind < dat.shape[0] and dat[ind, 1] == state


cdef inline int64_t walk(const int32_t[:, ::1] dat, int64_t state, const int32_t[::1] cps,
                         int64_t a, int64_t b) noexcept nogil:
    cdef int64_t i
    for i in range(a, b):
        state = step(dat, state, cps[i])
        if state < 0:
            return -1
    return state


def contains(const int32_t[:, ::1] dat, str word) -> bool:
    """Whether `word` is a word of the trie (THULAC's Dat.match)."""
    cdef int64_t state = 0
    for ch in word:
        state = step(dat, state, ord(ch))
        if state < 0:
            return False
    return len(word) > 0 and ends_word(dat, state)


def merge_words(const int32_t[::1] cps, const int64_t[::1] ends, const int64_t[::1] firsts,
                const int32_t[::1] tags, const int32_t[:, ::1] dat, int32_t merged_tag,
                int32_t single_tag):
    """THULAC's dictionary pass over segmented sentences, on word end offsets.

    From each word in turn, the longest run of it and the words after it that
    spells a dictionary word, as far as the run stays a prefix of one, becomes
    one word tagged merged_tag; the pass goes on after it. A single word that
    is in the dictionary keeps its bounds and, if single_tag >= 0, takes that
    tag (THULAC's punctuation pass). `firsts` are the indices of each
    sentence's first word, then the number of words: runs stay inside one
    sentence, and the sentences lie one after another in cps. Returns (ends,
    firsts, tags) of the merged words."""
    cdef Py_ssize_t n = ends.shape[0], s, i, j, best, w = 0
    cdef int64_t state, start, last_start
    if tags.shape[0] != n or firsts.shape[0] < 1 or firsts[firsts.shape[0] - 1] != n:
        raise ValueError("one tag per word, and firsts must end with the number of words")
    out_ends = np.empty(n, dtype=np.int64)
    out_tags = np.empty(n, dtype=np.int32)
    out_firsts = np.empty(firsts.shape[0], dtype=np.int64)
    cdef int64_t[::1] oe = out_ends, of = out_firsts
    cdef int32_t[::1] ot = out_tags
    for s in range(firsts.shape[0] - 1):
        if not 0 <= firsts[s] <= firsts[s + 1] <= n:
            raise ValueError("firsts must be ascending word indices")
    for i in range(n):
        if not 0 <= ends[i] <= cps.shape[0] or (i and ends[i] < ends[i - 1]):
            raise ValueError("word ends must ascend inside the text")
    with nogil:
        for s in range(firsts.shape[0] - 1):
            of[s] = w
            i = firsts[s]
            while i < firsts[s + 1]:
                start = ends[i - 1] if i > 0 else 0  # sentences are contiguous
                # a run that ends in the root (state 0, reached through a character 0)
                # is no prefix: THULAC's getInfo returns -state, and 0 reads as "not found"
                state = walk(dat, 0, cps, start, ends[i])
                best = -1
                if state > 0:
                    for j in range(i + 1, firsts[s + 1]):
                        state = walk(dat, state, cps, ends[j - 1], ends[j])
                        if state <= 0:
                            break
                        if ends_word(dat, state):
                            best = j
                if best >= 0:
                    oe[w] = ends[best]
                    ot[w] = merged_tag
                    i = best + 1
                else:
                    oe[w] = ends[i]
                    ot[w] = tags[i]
                    state = walk(dat, 0, cps, start, ends[i])
                    if single_tag >= 0 and state > 0 and ends_word(dat, state):
                        ot[w] = single_tag
                    i += 1
                w += 1
        of[firsts.shape[0] - 1] = w
    return out_ends[:w], out_firsts, out_tags[:w]



# ---------------------------------------------------------------- preprocessing

cdef enum:
    IS_OTHER = 1    # kinds[c]: a symbol...
    IS_SINGLE = 2   # ...a single-word symbol...
    IS_MODAL = 4    # ...a modal particle
    PB = 1          # constraint bits: the positions a kept character may take
    PM = 2
    PE = 4
    PS = 8


cdef struct Cleaned:      # the kept characters of a batch, as clean() builds them
    int32_t* kept         # code points
    uint8_t* pocs         # their constraints
    int64_t* origin       # their offsets in the text
    Py_ssize_t k          # how many so far
    int64_t* titles       # scratch: (first kept index, length, has a symbol) per 《title》


cdef inline uint8_t kind_of(const uint8_t[::1] kinds, int32_t c) noexcept nogil:
    return kinds[c] if 0 <= c < kinds.shape[0] else 0


cdef inline void keep(Cleaned* o, int32_t c, uint8_t poc, Py_ssize_t i) noexcept nogil:
    o.kept[o.k] = c
    o.pocs[o.k] = poc
    o.origin[o.k] = i
    o.k += 1


cdef void clean_sentence(const int32_t* cps, Py_ssize_t a, Py_ssize_t b,
                         const uint8_t[::1] kinds, Cleaned* o) noexcept nogil:
    """One sentence cps[a:b], as the package's clean() does it: spaces run into
    one, symbols and modal particles constrained, then its titles."""
    cdef Py_ssize_t i, first = o.k, n_titles = 0, title_start = 0, title_len = 0
    cdef int32_t c
    cdef uint8_t kd
    cdef bint space = False, other = False, single = False, in_title = False, bad = False
    cdef uint8_t* pocs = o.pocs
    for i in range(a, b):
        c = cps[i]
        kd = kind_of(kinds, c)
        if c == 32 or c == 12288:
            other = False
            if space:
                continue
            if o.k > first:
                pocs[o.k - 1] &= PE | PS
            space = True
            keep(o, c, PB | PS, i)
            continue
        if kd & IS_OTHER:
            if space:
                if kd & (IS_SINGLE | IS_MODAL):
                    keep(o, c, PS, i)
                    if kd & IS_SINGLE:
                        single = True
                else:
                    keep(o, c, PB | PS, i)
                    single = False
                space = False
            elif other:
                if kd & (IS_SINGLE | IS_MODAL):
                    if o.k > first:
                        pocs[o.k - 1] &= PE | PS
                    keep(o, c, PS, i)
                    if kd & IS_SINGLE:
                        single = True
                else:
                    if not single and pocs[o.k - 1] == 0:
                        pocs[o.k - 1] = PB | PM | PE
                    keep(o, c, (PB | PS) if single else PM, i)
                    single = False
            else:
                keep(o, c, PB | PS, i)
                single = (kd & IS_SINGLE) != 0
            if c == 12299 and in_title:
                o.titles[3 * n_titles] = title_start
                o.titles[3 * n_titles + 1] = title_len
                o.titles[3 * n_titles + 2] = bad
                n_titles += 1
                in_title = False
            other = True
        else:
            if space:
                keep(o, c, PB | PS, i)
            elif other:
                pocs[o.k - 1] &= PE | PS
                keep(o, c, (PB | PS) if single else (PB | PM | PE | PS), i)
                single = False
            else:
                keep(o, c, PB | PM | PE | PS, i)
            space = other = False
        if c == 12298:
            in_title, title_start, title_len, bad = True, o.k - first, 0, False
        elif in_title:
            title_len += 1
            if kd & IS_OTHER:
                bad = True
    close_sentence(o, first, n_titles)


cdef void close_sentence(Cleaned* o, Py_ssize_t first, Py_ssize_t n_titles) noexcept nogil:
    """A title of 1-10 characters without a symbol is one word; the first and
    last kept characters begin and end one."""
    cdef Py_ssize_t t, j, start, length
    cdef uint8_t* pocs = o.pocs
    for t in range(n_titles):
        start = first + o.titles[3 * t]
        length = o.titles[3 * t + 1]
        if length == 0 or length > 10 or o.titles[3 * t + 2]:
            continue
        if length == 1:
            pocs[start] = PB | PS
            continue
        pocs[start] = PB
        for j in range(start + 1, start + length - 1):
            pocs[j] = PM
        pocs[start + length - 1] = PE
    if o.k > first:
        pocs[first] &= PB | PS
        pocs[o.k - 1] &= PE | PS
        if pocs[first] == 0:
            pocs[first] = PB | PS
        if pocs[o.k - 1] == 0:
            pocs[o.k - 1] = PE | PS


def clean(const int32_t[::1] cps, const int64_t[::1] starts, const int64_t[::1] ends,
          const uint8_t[::1] kinds):
    """The package's clean() over many sentences cps[starts[s]:ends[s]] at once
    (tests/thulac_engine/reference_clean.py is its reference; this must give
    exactly what it gives). kinds[c]: bit 1 a symbol, 2 a single-word symbol, 4
    a modal particle. Returns (kept code points, their constraints, their
    offsets in cps, each sentence's end in the kept ones)."""
    cdef Py_ssize_t n = cps.shape[0], S = starts.shape[0], s
    cdef Cleaned o
    for s in range(S):
        if not 0 <= starts[s] <= ends[s] <= n:
            raise ValueError("sentence bounds outside the text")
    kept_a = np.empty(n, dtype=np.int32)
    pocs_a = np.empty(n, dtype=np.uint8)
    origin_a = np.empty(n, dtype=np.int64)
    stops_a = np.empty(S, dtype=np.int64)
    cdef int32_t[::1] kept = kept_a
    cdef uint8_t[::1] pocs = pocs_a
    cdef int64_t[::1] origin = origin_a, stops = stops_a
    o.kept, o.pocs, o.origin, o.k = &kept[0] if n else NULL, &pocs[0] if n else NULL, \
        &origin[0] if n else NULL, 0
    o.titles = <int64_t*>malloc((n // 2 + 1) * 3 * sizeof(int64_t))
    if o.titles == NULL:
        raise MemoryError()
    with nogil:
        for s in range(S):
            clean_sentence(&cps[0] if n else NULL, starts[s], ends[s], kinds, &o)
            stops[s] = o.k
    free(o.titles)
    return kept_a[:o.k], pocs_a[:o.k], origin_a[:o.k], stops_a
