# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Decoding with any model (joint or not): candidate labels from the tag
dictionary, emission scores, and Viterbi under transition constraints, over a
ModelView (decode.pxd). CompiledModel (compiled.pyx) owns what they read."""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t, int64_t
from libc.math cimport INFINITY

from hanlex._numpy import np

from hanlex._core.common cimport real, MASK_WORDS, MAX_LABELS, PAD, ALLOW_ANY, HANLEX_PREFETCH, ctz64
from hanlex._core.templates cimport *
from hanlex._core.hashing cimport mix64, char_table_key
from hanlex._core.chars cimport char_class
from hanlex._core.hashindex cimport slot_find
from hanlex._core.features cimport prepare_chars, feature_keys, lookup_rows
from hanlex._core.scratch cimport (Scratch, SumCache, scratch_reserve, sum_cache_alloc,
                                   sum_cache_free, N_CACHE, N_STAT_CACHE)
from hanlex.decoding._regrouped cimport regrouped_keys, regrouped_rows_into


cdef Py_ssize_t fill_candidates(const ModelView* m, Py_ssize_t n, const uint8_t* posmask,
                                int level, Scratch* s) noexcept nogil:
    """Candidate labels per position; returns the number of empty positions.

    level 0: tag-dictionary labels whose position posmask allows;
    level 1: the same where posmask is free, every label it allows where it
             is not (a URL or number forced whole may need a tag its
             characters never had, and relaxing only there keeps the
             context's tags sane);
    level 2: every label whose position posmask allows;
    level 3: every label. s.c holds the padded normalised text; the
    candidates go to s.cand and s.ncand.
    """
    cdef Py_ssize_t i, empty = 0
    cdef int w, k
    cdef int L = m.L
    cdef const Tables* tb = &m.tb
    cdef const uint32_t* c = s.c
    cdef uint8_t* cand = s.cand
    cdef int32_t* ncand = s.ncand
    cdef int32_t r
    cdef const uint64_t* bits
    cdef uint64_t x, rep, below
    for i in range(n):
        bits = NULL
        if tb.cslots != NULL and (level == 0 or (level == 1 and (posmask[i] & ALLOW_ANY) == ALLOW_ANY)):
            r = slot_find(tb.cslots, tb.cmask, char_table_key(c[PAD + i]))
            if r >= 0:
                bits = tb.cand_masks + <Py_ssize_t>r * MASK_WORDS
            else:
                bits = tb.class_masks + <Py_ssize_t>char_class(c[PAD + i]) * MASK_WORDS
        # label l is allowed at position (l & 3) by posmask: repeat its 4 bits
        rep = (posmask[i] & ALLOW_ANY) * 0x1111111111111111ULL if level < 3 else ~0ULL
        k = 0
        for w in range((L + 63) >> 6):
            x = rep
            if L - (w << 6) < 64:
                below = (1ULL << (L - (w << 6))) - 1
                x &= below
            if bits != NULL:
                x &= bits[w]
            while x:  # set bits in ascending order
                cand[i * L + k] = <uint8_t>((w << 6) + ctz64(x))
                k += 1
                x &= x - 1
        ncand[i] = k
        if k == 0:
            empty += 1
    return empty



# ------------------------------------------------------- scoring + Viterbi

# Group A: templates whose rows repeat often (bias, classes, lexicon lengths),
# their joint sums cached per tuple of rows. Group S, the raw-statistics
# templates, has a cache of its own: in group A's tuple it would make tuples
# repeat STAT_BUCKETS^2 times less often, while alone its tuples take few
# values. Group B is added weight by weight.
cdef int32_t GROUP_A[N_GROUP_A]
GROUP_A[:] = [T_BIAS, T_CLASS, T_CLASS_TRIGRAM, T_CLASS_WINDOW, T_REPEAT, T_LEX_BEGIN,
              T_LEX_END, T_LEX_MID, T_LEX_ALL]
cdef int32_t GROUP_S[N_GROUP_S]
GROUP_S[:] = [T_STAT_LEFT, T_STAT_RIGHT, T_STAT_BOTH]
cdef int32_t GROUP_B[N_GROUP_B]
GROUP_B[:] = [T_C_M2, T_C_M1, T_C0, T_C_P1, T_C_P2, T_PAIR_M2, T_PAIR_M1, T_PAIR_0, T_PAIR_P1,
              T_SKIP, T_TRIGRAM, T_LEX_BEGIN_C0, T_LEX_END_C0]
#: the groups for Python (tests check them against templates.pyx's)
TEMPLATE_GROUPS = (tuple(GROUP_A), tuple(GROUP_S), tuple(GROUP_B))


cdef inline double* group_sums(const int32_t* r, const int32_t* group, SumCache* c,
                               const int64_t* jptr, const uint8_t* jlab, const real* jw,
                               int L) noexcept nogil:
    """Joint scores of one template group, summed in template order and cached
    per distinct tuple of the group's feature rows: most characters then skip
    hundreds of scattered adds."""
    cdef uint64_t h = 0x9E3779B97F4A7C15ULL
    cdef int t, j
    cdef int64_t k
    cdef int32_t row
    cdef int width = c.width
    for t in range(width):
        h = mix64(h ^ <uint64_t><uint32_t>r[group[t]])
    cdef Py_ssize_t slot = <Py_ssize_t>(h & <uint64_t>(c.size - 1))
    cdef int32_t* key = c.key + slot * width
    cdef double* val = c.val + slot * L
    for t in range(width):
        if key[t] != r[group[t]]:
            break
    else:
        return val
    for j in range(L):
        val[j] = 0.0
    for t in range(width):
        row = r[group[t]]
        key[t] = row
        if row >= 0:
            for k in range(jptr[row], jptr[row + 1]):
                val[jlab[k]] += <double>jw[k]
    return val


cdef inline void add_group_b(double* efull, const int32_t* r, const ModelView* m,
                             const real* jw, int positions) noexcept nogil:
    """Add one position's group-B joint weights to efull, template by template:
    of each row only the word positions in `positions` (bits B M E S) when the
    rows are grouped by position (m.jsub), else all of it."""
    cdef Py_ssize_t t
    cdef int q
    cdef int32_t row
    cdef int64_t k, e
    cdef const uint8_t* sub
    cdef const int64_t* jptr = m.jptr
    cdef const uint8_t* jlab = m.jlab
    for t in range(N_GROUP_B):
        row = r[GROUP_B[t]]
        if row < 0:
            continue
        if positions == ALLOW_ANY:
            for k in range(jptr[row], jptr[row + 1]):
                efull[jlab[k]] += <double>jw[k]
            continue
        sub = m.jsub + <Py_ssize_t>row * 4
        for q in range(4):
            if (positions >> q) & 1:
                e = jptr[row] + sub[q + 1] if q < 3 else jptr[row + 1]
                for k in range(jptr[row] + sub[q], e):
                    efull[jlab[k]] += <double>jw[k]


cdef void emissions(const real* W, const ModelView* m, Py_ssize_t n, const uint8_t* posmask,
                    int level, Scratch* s) noexcept nogil:
    """s.em[i, j] = score of label s.cand[i, j] at position i, from the feature
    rows s.rows.

    A label's score is p[label & 3] + A[label] + S[label], then + each group-B
    joint weight in template order, where p sums the position weights W[row, :]
    over all templates in order and A and S sum the joint weights of the
    group-A and group-S templates in order (group_sums), all in double
    precision. (For a model's float16 weights every such sum is exact, so neither
    the grouping nor add_group_b's order changes a score.) At levels 0-2 the
    candidates keep to posmask, so group B adds only its positions' weights.
    """
    cdef Py_ssize_t i, t, j, q
    cdef int32_t r, rr
    cdef double p[4]
    cdef const real* w
    cdef const double* A
    cdef const double* S
    cdef double* efull = s.efull
    cdef const int32_t* rows = s.rows
    cdef const int64_t* jptr = m.jptr
    cdef const uint8_t* jlab = m.jlab
    cdef const real* jw = <const real*>m.jw
    cdef int L = m.L
    cdef const uint8_t* cand = s.cand
    cdef const int32_t* ncand = s.ncand
    cdef double* em = s.em
    cdef bint joint = jptr != NULL
    if n > 0:
        for t in range(N_TEMPLATES):
            rr = rows[t]
            if rr >= 0:
                HANLEX_PREFETCH(W + <Py_ssize_t>rr * 4)
                if joint:
                    HANLEX_PREFETCH(jptr + rr)
                    if m.jsub != NULL:
                        HANLEX_PREFETCH(m.jsub + <Py_ssize_t>rr * 4)
    for i in range(n):
        # fetch the next position's weight rows while this one is scored
        if i + 1 < n:
            for t in range(N_TEMPLATES):
                rr = rows[(i + 1) * N_TEMPLATES + t]
                if rr >= 0:
                    HANLEX_PREFETCH(W + <Py_ssize_t>rr * 4)
                    if joint:
                        HANLEX_PREFETCH(jptr + rr)
                        if m.jsub != NULL:
                            HANLEX_PREFETCH(m.jsub + <Py_ssize_t>rr * 4)
        if joint and i + 1 < n:
            for t in range(N_GROUP_B):
                rr = rows[i * N_TEMPLATES + GROUP_B[t]]
                if rr >= 0:
                    HANLEX_PREFETCH(jw + jptr[rr])
                    HANLEX_PREFETCH(jlab + jptr[rr])
        p[0] = 0.0
        p[1] = 0.0
        p[2] = 0.0
        p[3] = 0.0
        for t in range(N_TEMPLATES):
            r = rows[i * N_TEMPLATES + t]
            if r >= 0:
                w = W + <Py_ssize_t>r * 4
                for q in range(4):
                    p[q] += <double>w[q]
        if joint:
            A = group_sums(rows + i * N_TEMPLATES, GROUP_A, &s.cache_a, jptr, jlab, jw, L)
            S = group_sums(rows + i * N_TEMPLATES, GROUP_S, &s.cache_s, jptr, jlab, jw, L)
            for j in range(0, L, 4):  # L is a multiple of 4; unrolled so it vectorises
                efull[j] = p[0] + A[j] + S[j]
                efull[j + 1] = p[1] + A[j + 1] + S[j + 1]
                efull[j + 2] = p[2] + A[j + 2] + S[j + 2]
                efull[j + 3] = p[3] + A[j + 3] + S[j + 3]
            add_group_b(efull, rows + i * N_TEMPLATES, m, jw,
                        posmask[i] & ALLOW_ANY if m.jsub != NULL and level < 3 else ALLOW_ANY)
            for j in range(ncand[i]):
                em[i * L + j] = efull[cand[i * L + j]]
        else:
            for j in range(ncand[i]):
                em[i * L + j] = p[cand[i * L + j] & 3]


cdef inline int32_t best_word_end(const double* score, const int32_t* row, const int32_t* index,
                                  Py_ssize_t n, const real* trans_l,
                                  double* best) noexcept nogil:
    """The hot loop of viterbi (a B or S label after every word end, no allowed[]
    to read): index[k] of the first k of the highest score[k] + trans_l[row[k]],
    that score into *best; -1 if none beats -inf."""
    cdef Py_ssize_t k
    cdef double s, top = -INFINITY
    cdef int32_t arg = -1
    for k in range(n):
        s = score[k] + <double>trans_l[row[k]]
        if s > top:
            top = s
            arg = <int32_t>k
    best[0] = top
    return index[arg] if arg >= 0 else -1


cdef int viterbi(const real* trans, const ModelView* m, Py_ssize_t n, Scratch* sc,
                 int32_t* out) noexcept nogil:
    """Best label path over the candidates sc.cand with emissions sc.em under
    transition constraints (trans and m.allowed: (L+1) x L, row L the start
    state); -1 if none is feasible.

    Only legal transitions are visited: a B or S label looks back at the previous
    E/S candidates, an M or E label only at B and M of its own tag. Ties go to the
    earliest candidate (the lowest label), as in a scan over all pairs. The
    E/S -> B/S pairs (most of the work) read compact arrays, and no allowed[]
    when all are legal (m.free_starts): the same sums in the same order.
    """
    cdef Py_ssize_t i, j, pj, k, nes
    cdef int l, pl, q
    cdef double best, s
    cdef int32_t arg
    cdef const double* prev
    cdef double* cur
    cdef int32_t slot[MAX_LABELS]
    cdef int32_t es[MAX_LABELS]      # the previous position's live E/S candidates,
    cdef double es_score[MAX_LABELS]  # their scores
    cdef int32_t es_row[MAX_LABELS]   # and their rows of trans (label * L)
    cdef int L = m.L
    cdef const double* em = sc.em
    cdef const uint8_t* cand = sc.cand
    cdef const int32_t* ncand = sc.ncand
    cdef const uint8_t* allowed = m.allowed
    cdef double* delta = sc.delta
    cdef int32_t* bp = sc.bp
    for l in range(L):
        slot[l] = -1
    for j in range(ncand[0]):
        l = cand[j]
        if allowed[L * L + l]:
            delta[j] = <double>trans[L * L + l] + em[j]
        else:
            delta[j] = -INFINITY
        bp[j] = -1
    for i in range(1, n):
        prev = delta + (i - 1) * L
        cur = delta + i * L
        nes = 0
        for pj in range(ncand[i - 1]):
            pl = cand[(i - 1) * L + pj]
            slot[pl] = <int32_t>pj
            if (pl & 3) >= 2 and prev[pj] != -INFINITY:
                es[nes] = <int32_t>pj
                es_score[nes] = prev[pj]
                es_row[nes] = pl * L
                nes += 1
        for j in range(ncand[i]):
            l = cand[i * L + j]
            best = -INFINITY
            arg = -1
            if ((l & 3) == 0 or (l & 3) == 3) and m.free_starts:
                arg = best_word_end(es_score, es_row, es, nes, trans + l, &best)
            elif (l & 3) == 0 or (l & 3) == 3:
                for k in range(nes):
                    if allowed[es_row[k] + l]:
                        s = es_score[k] + <double>trans[es_row[k] + l]
                        if s > best:
                            best = s
                            arg = es[k]
            else:
                for q in range(2):
                    pl = (l & ~3) | q
                    pj = slot[pl]
                    if pj >= 0 and allowed[pl * L + l] and prev[pj] != -INFINITY:
                        s = prev[pj] + <double>trans[pl * L + l]
                        if s > best:
                            best = s
                            arg = <int32_t>pj
            bp[i * L + j] = arg
            if arg >= 0:
                cur[j] = best + em[i * L + j]
            else:
                cur[j] = -INFINITY
        for pj in range(ncand[i - 1]):
            slot[cand[(i - 1) * L + pj]] = -1
    return backtrace(n, L, sc, out)


cdef inline int backtrace(Py_ssize_t n, int L, const Scratch* sc, int32_t* out) noexcept nogil:
    """The best path's labels from the last position's best word end (E or S)
    back through sc.bp; -1 if no path reaches the end."""
    cdef Py_ssize_t i, j
    cdef int l
    cdef double best = -INFINITY
    cdef int32_t arg = -1
    cdef const double* cur = sc.delta + (n - 1) * L
    for j in range(sc.ncand[n - 1]):
        l = sc.cand[(n - 1) * L + j]
        if (l & 3) >= 2 and cur[j] != -INFINITY and cur[j] > best:
            best = cur[j]
            arg = <int32_t>j
    if arg < 0:
        return -1
    for i in range(n - 1, -1, -1):
        out[i] = sc.cand[i * L + arg]
        arg = sc.bp[i * L + arg]
    return 0


cdef int decode_rows(const real* W, const ModelView* m, Py_ssize_t n, const uint8_t* posmask,
                     const uint8_t* pruned, Scratch* s, int32_t* out) noexcept nogil:
    """Viterbi over the feature rows s.rows with candidate pruning, relaxing it
    if no path survives.

    s.c must hold the padded normalised text. s.offset (n x 4, or NULL) adds a
    score per position and word position (B/M/E/S) to every label: training
    passes the weights a sentence's own standard adds (learn.criteria).
    pruned (or NULL): posmask narrowed by a segmenter, tried first at level 0;
    without a path there, the segment is decoded as if unpruned (the relaxed
    levels free the labels of forced characters, which a narrowed mask would
    make of every character).
    Returns the level used (0-3), -1 if no path exists at all.
    """
    cdef int level
    if pruned != NULL and try_level(W, m, n, pruned, 0, s, out):
        return 0
    for level in range(4):
        if try_level(W, m, n, posmask, level, s, out):
            return level
    return -1


cdef bint try_level(const real* W, const ModelView* m, Py_ssize_t n, const uint8_t* posmask,
                    int level, Scratch* s, int32_t* out) noexcept nogil:
    """Viterbi over one level's candidates (fill_candidates): whether a path exists."""
    cdef Py_ssize_t i, j
    cdef int L = m.L
    if fill_candidates(m, n, posmask, level, s) > 0:
        return False
    emissions(W, m, n, posmask, level, s)
    if s.offset != NULL:
        for i in range(n):
            for j in range(s.ncand[i]):
                s.em[i * L + j] += s.offset[i * 4 + (s.cand[i * L + j] & 3)]
    return viterbi(<const real*>m.trans, m, n, s, out) == 0


cdef int decode_segment(const real* W, const ModelView* m, const uint32_t* raw, Py_ssize_t n,
                        const uint8_t* posmask, const uint8_t* pruned, Scratch* s,
                        int32_t* out) noexcept nogil:
    """Labels of one segment of raw text (-2: out of memory)."""
    if n == 0:
        return 0
    if scratch_reserve(s, n, m.L) < 0:
        return -2
    if m.table != NULL:  # feature rows from a regrouped row table (see row_table_weights)
        prepare_chars(raw, n, &m.tb, s)
        regrouped_keys(n, &m.tb, s)
        regrouped_rows_into(m.table, n, s, s.rows)
    else:
        feature_keys(raw, n, &m.tb, s)
        lookup_rows(s.keys, n * N_TEMPLATES, &m.tb, s.rows)
    return decode_rows(W, m, n, posmask, pruned, s, out)


cdef int decode_generic(const ModelView* m, const Batch* b, Scratch* s) noexcept nogil:
    """Labels of every segment of the batch, by the path any model can take
    (-2: out of memory)."""
    cdef Py_ssize_t j
    cdef int64_t a, e
    cdef int rc = 0
    cdef const uint8_t* pruned
    for j in range(b.count):
        a = b.starts[j * b.stride]
        e = b.ends[j * b.stride]
        if e <= a:
            continue
        pruned = &b.pruned[a] if b.pruned != NULL else NULL
        if m.dbl:
            rc = decode_segment(<const double*>m.W, m, &b.text[a], e - a, &b.posmask[a],
                                pruned, s, &b.out[a])
        else:
            rc = decode_segment(<const float*>m.W, m, &b.text[a], e - a, &b.posmask[a],
                                pruned, s, &b.out[a])
        if rc == -2:
            return -2
    return 0


_HALF_TABLE = object()  # Weights.W of a model decoded from its half table only


cdef class Weights:
    """A model's weight arrays (float32 for decoding, float64 while training:
    the trainer changes them in place), checked once for shape and type."""

    def __cinit__(self, W, jptr, jlab, jw, trans, allowed, jsub=None):
        self.W = W
        self.jsub = jsub
        self.jptr = jptr
        self.jlab = jlab
        self.jw = jw
        self.trans = trans
        self.allowed = allowed
        self.L = trans.shape[1]
        self.joint = jptr is not None and jptr.shape[0] > 1 and jlab.shape[0] > 0
        if W is _HALF_TABLE:  # for_half_table checks its own (decode_bmes has no candidates)
            return
        if W.shape[1] != 4 or trans.shape[0] != self.L + 1 or allowed.shape[0] != self.L + 1 \
                or allowed.shape[1] != self.L or self.L > MAX_LABELS or self.L % 4:
            raise ValueError("weight arrays do not fit together")
        if self.joint and (jptr.shape[0] != W.shape[0] + 1 or jw.shape[0] != jlab.shape[0]):
            raise ValueError("joint weight arrays do not fit the features")
        if W.dtype != trans.dtype or (self.joint and jw.dtype != W.dtype):
            raise ValueError("weights must share one float type")
        if W.dtype not in (np.float32, np.float64):
            raise ValueError("weights must be float32 or float64")
        for a in (W, trans, allowed) + ((jptr, jlab, jw) if self.joint else ()):
            if not a.flags.c_contiguous:
                raise ValueError("weight arrays must be C-contiguous")
        self.free_starts = _free_starts(allowed, self.L)
        if jsub is not None and self.joint:
            _check_jsub(jsub, jptr, jlab, W.shape[0])
        else:
            self.jsub = None  # only a joint model's rows are grouped

    @staticmethod
    def for_half_table(const float[:, ::1] trans not None, const uint8_t[:, ::1] allowed not None):
        """The weights of a four-label model that decodes from its half table
        (decode_bmes reads only the transitions and which are allowed): any
        buffers, numpy's or a memory-mapped file's, so no numpy is needed."""
        cdef Weights w = Weights.__new__(Weights, _HALF_TABLE, None, None, None, trans, allowed)
        if trans.shape[0] != 5 or trans.shape[1] != 4 or allowed.shape[0] != 5 \
                or allowed.shape[1] != 4:
            raise ValueError("a half table's transitions are 5 x 4")
        return w

    cdef void view_into(self, ModelView* m):
        """Point m at these arrays (which this object keeps alive)."""
        cdef const uint8_t[:, ::1] allowed = self.allowed
        cdef const float[:, ::1] trans
        m.L = self.L
        m.allowed = &allowed[0, 0]
        m.free_starts = self.free_starts
        if self.W is _HALF_TABLE:  # for_half_table: no float weights, any buffers
            trans = self.trans
            m.dbl = False
            m.W = NULL
            m.trans = &trans[0, 0]
        else:
            m.dbl = self.W.dtype == np.float64
            m.W = _address(self.W)
            m.trans = _address(self.trans)
        m.jptr = NULL
        m.jsub = NULL
        m.jlab = NULL
        m.jw = NULL
        if self.joint:
            m.jptr = <const int64_t*><size_t>self.jptr.ctypes.data
            m.jlab = <const uint8_t*><size_t>self.jlab.ctypes.data
            m.jw = _address(self.jw)
            if self.jsub is not None:
                m.jsub = <const uint8_t*><size_t>self.jsub.ctypes.data


def _check_jsub(jsub, jptr, jlab, Py_ssize_t n):
    """jsub fits rows grouped by word position (tables.grouped_by_position builds both)."""
    cdef const uint8_t[:, ::1] sub = jsub
    cdef const int64_t[::1] ptr = jptr
    cdef const uint8_t[::1] lab = jlab
    cdef Py_ssize_t r, q
    cdef int64_t k, a, e
    if sub.shape[0] != n or sub.shape[1] != 4 or ptr.shape[0] != n + 1 \
            or (n and (ptr[0] != 0 or ptr[n] > lab.shape[0])):
        raise ValueError("jsub does not fit the features")
    for r in range(n):
        a = ptr[r]
        e = ptr[r + 1]
        if e < a or e > lab.shape[0]:
            raise ValueError("jptr out of order")
        if e - a > 255 or sub[r, 0] != 0:
            raise ValueError("a row too long to group by position")
        for q in range(4):
            if a + sub[r, q] > e or (q < 3 and sub[r, q + 1] < sub[r, q]):
                raise ValueError("jsub out of its row")
        for k in range(a, e):
            q = lab[k] & 3
            if k - a < sub[r, q] or (q < 3 and k - a >= sub[r, q + 1]):
                raise ValueError("a row's entries are not grouped by position")


cdef bint _free_starts(const uint8_t[:, ::1] allowed, int L):
    """Whether every word end (E, S or the start row L) may be followed by every
    word beginning (B, S): true of every label set's own constraints."""
    cdef int p, l
    if allowed.shape[0] != L + 1 or allowed.shape[1] != L:
        return False  # refused by the shape checks
    for p in range(L + 1):
        if p == L or (p & 3) >= 2:
            for l in range(L):
                if ((l & 3) == 0 or (l & 3) == 3) and not allowed[p, l]:
                    return False
    return True


cdef const void* _address(a):
    """The first element of a C-contiguous array (kept alive by its owner)."""
    return <const void*><size_t>a.ctypes.data


cdef class GroupCache:
    """The group-A and group-S emission sums of one model's features (see
    group_sums), kept from one decode call to the next: they depend only on the
    model, so reusing them is exact. One call at a time may use a cache."""

    def __cinit__(self, int L):
        self.L = L
        if (sum_cache_alloc(&self.a, N_CACHE, N_GROUP_A, L) < 0
                or sum_cache_alloc(&self.s, N_STAT_CACHE, N_GROUP_S, L) < 0):
            raise MemoryError()

    def __dealloc__(self):
        sum_cache_free(&self.a)
        sum_cache_free(&self.s)


cdef check_segments(Py_ssize_t total, const int64_t[::1] starts, const int64_t[::1] ends,
                    const uint8_t[::1] posmask):
    """Segments j = [starts[j], ends[j]) must lie in a text of `total` chars
    that posmask covers."""
    cdef Py_ssize_t j
    if posmask.shape[0] != total or ends.shape[0] != starts.shape[0]:
        raise ValueError("posmask must cover the text and starts/ends must pair up")
    for j in range(starts.shape[0]):
        if not (0 <= starts[j] <= ends[j] <= total):
            raise ValueError("segment out of range")
