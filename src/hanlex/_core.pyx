# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Compiled hot loops of hanlex: feature hashing, lookup, scoring, Viterbi.

Everything here is a `nogil` function over raw buffers or typed memoryviews;
the Python layer (features.py, decoder.py, learner.py) owns the design.
`hanlex.reference` re-implements each function in plain Python and the tests
require both to agree exactly, so any change here must be mirrored there.
"""

from libc.stdint cimport uint64_t, int64_t, int32_t, uint32_t, uint8_t, int8_t
from libc.stdlib cimport malloc, calloc, realloc, free
from libc.string cimport memset, memcpy
from libc.math cimport INFINITY

from cpython.unicode cimport PyUnicode_Substring

import numpy as np

# Must equal hanlex.features.N_TEMPLATES / BOS / EOS / LEX_CAP / STAT_BUCKETS.
cdef enum:
    N_TEMPLATES = 25
    STAT_BUCKETS = 14  # raw-statistics buckets 1..13 (train.raw_statistics), 0 = none
    MASK_WORDS = 4     # label bitsets hold up to 256 labels
    N_GROUP_A = 9
    N_GROUP_B = 16
    N_CACHE = 4096     # entries of the group-A emission cache (power of 2)
    MAX_LABELS = 256
    N_CLASSES = 9
    BOS = 0x110001
    EOS = 0x110002
    LEX_CAP = 6
    PAD = 2
    LEX_AHEAD = 6      # characters the lexicon matcher prefetches ahead

cdef uint64_t LEX_SEED = 0x51ED270B2705F1A3ULL

cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #define HANLEX_PREFETCH(p) __builtin_prefetch((const void*)(p))
    #else
    #define HANLEX_PREFETCH(p) ((void)0)
    #endif
    """
    void HANLEX_PREFETCH(const void* p) noexcept nogil

cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #define HANLEX_CTZ64(x) __builtin_ctzll(x)
    #elif defined(_MSC_VER)
    #include <intrin.h>
    static __inline int HANLEX_CTZ64(unsigned long long x) { unsigned long i; _BitScanForward64(&i, x); return (int)i; }
    #endif
    """
    int ctz64 "HANLEX_CTZ64"(uint64_t x) noexcept nogil

N_TEMPLATES_C = N_TEMPLATES
STAT_BUCKETS_C = STAT_BUCKETS

ctypedef fused real:
    float
    double


cdef struct Slot:
    uint64_t key
    int32_t value
    int32_t _pad


# ---------------------------------------------------------------- hashing

cdef inline uint64_t mix64(uint64_t x) noexcept nogil:
    x ^= x >> 30
    x *= 0xBF58476D1CE4E5B9ULL
    x ^= x >> 27
    x *= 0x94D049BB133111EBULL
    x ^= x >> 31
    return x


cdef inline uint64_t fkey(uint64_t t, uint64_t a, uint64_t b, uint64_t c) noexcept nogil:
    # Every argument is < 2**21 (code points, small codes), so the packing is
    # injective and one mix (two multiplies) is enough.
    cdef uint64_t h = mix64((a | (b << 21) | (c << 42)) + t * 0x9E3779B97F4A7C15ULL)
    if h == 0:
        h = 1
    return h


cdef inline uint64_t lex_step(uint64_t h, uint64_t cp) noexcept nogil:
    h = mix64(h ^ (cp * 0xD6E8FEB86659FD93ULL))
    if h == 0:
        h = 1
    return h


def feature_key(uint64_t t, uint64_t a, uint64_t b, uint64_t c):
    return fkey(t, a, b, c)


def prefix_hashes(const uint32_t[::1] cps, const int64_t[::1] offsets):
    """word_hashes of many words at once: word k is cps[offsets[k]:offsets[k + 1]],
    normalised on its own. Returns (hashes of every prefix of every word, in order;
    uint8 1 where the prefix is the whole word)."""
    cdef Py_ssize_t m = offsets.shape[0] - 1, n = cps.shape[0], k, i, a, b
    cdef uint64_t h
    if m < 0 or offsets[0] != 0 or offsets[m] != n:
        raise ValueError("offsets must run from 0 to len(cps)")
    for k in range(m):
        if offsets[k + 1] < offsets[k]:
            raise ValueError("offsets must not decrease")
    hashes = np.empty(n, dtype=np.uint64)
    full = np.zeros(n, dtype=np.uint8)
    cdef uint64_t[::1] o = hashes
    cdef uint8_t[::1] w = full
    cdef uint32_t[::1] c = np.empty(max(n, 1), dtype=np.uint32)
    with nogil:
        for k in range(m):
            a, b = offsets[k], offsets[k + 1]
            if b == a:
                continue
            normalize_into(&cps[a], b - a, &c[a])
            h = LEX_SEED
            for i in range(a, b):
                h = lex_step(h, c[i])
                o[i] = h
            w[b - 1] = 1
    return hashes, full


def word_hashes(const uint32_t[::1] cps):
    """Hashes of every prefix of `cps` (prefix of length l at index l-1)."""
    cdef Py_ssize_t i, n = cps.shape[0]
    out = np.empty(n, dtype=np.uint64)
    cdef uint64_t[::1] o = out
    cdef uint64_t h = LEX_SEED
    cdef uint32_t[::1] c = np.empty(n, dtype=np.uint32)
    if n:
        normalize_into(&cps[0], n, &c[0])
    for i in range(n):
        h = lex_step(h, c[i])
        o[i] = h
    return out


# ------------------------------------------------------- characters

cdef inline uint32_t norm_cp(uint32_t c) noexcept nogil:
    if 0xFF01 <= c <= 0xFF5E:
        return c - 0xFEE0
    if c == 0x3000:
        return 0x20
    return c


cdef inline bint chinese_digit(uint32_t c) noexcept nogil:
    """features.CHINESE_DIGITS: 〇○零一二三四五六七八九."""
    return (c == 0x3007 or c == 0x25CB or c == 0x96F6 or c == 0x4E00 or c == 0x4E8C
            or c == 0x4E09 or c == 0x56DB or c == 0x4E94 or c == 0x516D or c == 0x4E03
            or c == 0x516B or c == 0x4E5D)


cdef void normalize_into(const uint32_t* raw, Py_ssize_t n, uint32_t* out) noexcept nogil:
    """features.normalize_text: norm_cp of each character, and a zero right after
    a Chinese digit (or a zero so read) as 〇 (二0一九年 reads as 二〇一九年)."""
    cdef Py_ssize_t i
    cdef uint32_t c
    for i in range(n):
        c = norm_cp(raw[i])
        if c == 0x30 and i > 0 and chinese_digit(out[i - 1]):
            c = 0x3007
        out[i] = c


cdef inline uint8_t char_class(uint32_t c) noexcept nogil:
    # Takes a normalised code point. Mirror of hanlex.features.char_class.
    if c == BOS or c == EOS:
        return 8
    if c == 0x20 or (9 <= c <= 13) or c == 0x85 or c == 0xA0 or c == 0x1680 \
            or (0x2000 <= c <= 0x200A) or c == 0x2028 or c == 0x2029 \
            or c == 0x202F or c == 0x205F:
        return 7
    if 48 <= c <= 57:
        return 2
    if (65 <= c <= 90) or (97 <= c <= 122):
        return 3
    if c == 0x3007 or c == 0x25CB or c == 0x96F6 or c == 0x4E00 or c == 0x4E8C \
            or c == 0x4E09 or c == 0x56DB or c == 0x4E94 or c == 0x516D \
            or c == 0x4E03 or c == 0x516B or c == 0x4E5D or c == 0x5341 \
            or c == 0x767E or c == 0x5343 or c == 0x4E07 or c == 0x4EBF \
            or c == 0x4E24:
        return 5
    if c == 0x5E74 or c == 0x6708 or c == 0x65E5 or c == 0x65F6 \
            or c == 0x5206 or c == 0x79D2 or c == 0x53F7:
        return 6
    if (0x4E00 <= c <= 0x9FFF) or (0x3400 <= c <= 0x4DBF) \
            or (0x20000 <= c <= 0x2FFFF) or (0xF900 <= c <= 0xFAFF):
        return 1
    if (0x3041 <= c <= 0x3096) or (0x3099 <= c <= 0x309F) or (0x30A1 <= c <= 0x30FA) \
            or (0x30FC <= c <= 0x30FF) or (0x31F0 <= c <= 0x31FF) or (0xFF66 <= c <= 0xFF9F):
        return 3  # kana (features.KANA_RANGES): a foreign script, like Greek
    if (33 <= c <= 47) or (58 <= c <= 64) or (91 <= c <= 96) or (123 <= c <= 126) \
            or (0xA1 <= c <= 0xBF) or (0x2010 <= c <= 0x206F) \
            or (0x3000 <= c <= 0x303F) or (0xFE30 <= c <= 0xFE4F) \
            or (0xFF00 <= c <= 0xFFEF):
        return 4
    if (0xC0 <= c <= 0x24F) or (0x370 <= c <= 0x3FF) or (0x400 <= c <= 0x4FF):
        return 3
    return 0


def normalize_codepoints(const uint32_t[::1] cps):
    cdef Py_ssize_t i, n = cps.shape[0]
    out = np.empty(n, dtype=np.uint32)
    cdef uint32_t[::1] o = out
    if n:
        normalize_into(&cps[0], n, &o[0])
    return out


def char_classes(const uint32_t[::1] cps):
    """Classes of already-normalised code points."""
    cdef Py_ssize_t i, n = cps.shape[0]
    out = np.empty(n, dtype=np.uint8)
    cdef uint8_t[::1] o = out
    for i in range(n):
        o[i] = char_class(cps[i])
    return out


# ------------------------------------------------------- hash index

cdef inline int32_t slot_find(const Slot* slots, uint64_t mask, uint64_t key) noexcept nogil:
    cdef uint64_t pos = key & mask
    while True:
        if slots[pos].key == key:
            return slots[pos].value
        if slots[pos].key == 0:
            return -1
        pos = (pos + 1) & mask


cdef uint64_t insert_key(char* slots, size_t stride, uint64_t mask, uint64_t key,
                         str table) except? 0xFFFFFFFFFFFFFFFF:
    """Claim the slot for `key` by linear probing and return its index.

    `slots` is an array of records of `stride` bytes, each starting with its
    uint64 key (0 = empty), as in Slot and SegSlot.
    """
    if key == 0:
        raise ValueError("key 0 is reserved")
    cdef uint64_t pos = key & mask
    cdef uint64_t* k = <uint64_t*>(slots + pos * stride)
    while k[0] != 0:
        if k[0] == key:
            raise ValueError(f"duplicate key in {table}")
        pos = (pos + 1) & mask
        k = <uint64_t*>(slots + pos * stride)
    k[0] = key
    return pos


cdef class HashIndex:
    """Open-addressing map uint64 key -> int32 value, built once, read-only.

    Keys are already well-mixed hashes (never 0), so the low bits index the
    table directly. Lookups are thread-safe and need no GIL.
    """
    cdef Slot* slots
    cdef uint64_t mask
    cdef readonly Py_ssize_t size

    def __cinit__(self, const uint64_t[::1] keys, const int32_t[::1] values=None):
        cdef Py_ssize_t i, n = keys.shape[0]
        cdef uint64_t cap = 16, pos
        if values is not None and values.shape[0] != n:
            raise ValueError("keys and values differ in length")
        while cap < <uint64_t>(2 * n + 1):
            cap <<= 1
        self.slots = <Slot*>calloc(cap, sizeof(Slot))
        if self.slots == NULL:
            raise MemoryError()
        self.mask = cap - 1
        self.size = n
        for i in range(n):
            pos = insert_key(<char*>self.slots, sizeof(Slot), self.mask, keys[i], "HashIndex")
            self.slots[pos].value = values[i] if values is not None else <int32_t>i

    def __dealloc__(self):
        free(self.slots)

    def __len__(self):
        return self.size

    def get(self, uint64_t key):
        return slot_find(self.slots, self.mask, key)


# ------------------------------------------------------- features

cdef struct Tables:
    const Slot* fslots
    uint64_t fmask
    const Slot* lslots
    uint64_t lmask
    int lex_max
    const Slot* cslots        # normalised char -> row of cand_masks (NULL: no pruning)
    uint64_t cmask
    const uint64_t* cand_masks   # [rows, MASK_WORDS] label bitsets of known chars
    const uint64_t* class_masks  # [N_CLASSES, MASK_WORDS] label bitsets by char class
    const Slot* sslots        # raw-text statistics: char bigram -> association bucket
    uint64_t smask


cdef inline Tables make_tables(HashIndex features, HashIndex lexicon, int lex_max,
                               HashIndex stats=None):
    cdef Tables t
    memset(&t, 0, sizeof(Tables))
    if stats is not None:
        t.sslots = stats.slots
        t.smask = stats.mask
    t.fslots = features.slots if features is not None else NULL
    t.fmask = features.mask if features is not None else 0
    t.lslots = lexicon.slots if lexicon is not None else NULL
    t.lmask = lexicon.mask if lexicon is not None else 0
    t.lex_max = lex_max
    return t


cdef class LabelCandidates:
    """Which labels each character may take (a tag dictionary), for pruning.

    Characters seen often enough in training keep the labels they were seen
    with; all others fall back to the labels seen with their character class.
    """
    cdef HashIndex index
    cdef object masks_arr
    cdef object class_arr
    cdef const uint64_t* masks
    cdef const uint64_t* classes

    def __cinit__(self, const uint64_t[::1] char_keys, const uint64_t[:, ::1] masks,
                  const uint64_t[:, ::1] class_masks):
        if masks.shape[1] != MASK_WORDS or class_masks.shape[1] != MASK_WORDS \
                or class_masks.shape[0] != N_CLASSES or masks.shape[0] != char_keys.shape[0]:
            raise ValueError("label candidate tables have the wrong shape")
        self.index = HashIndex(char_keys)
        self.masks_arr = masks
        self.class_arr = class_masks
        self.masks = &masks[0, 0] if masks.shape[0] else NULL
        self.classes = &class_masks[0, 0]


cdef inline void set_candidates(Tables* t, LabelCandidates cands):
    if cands is not None:
        t.cslots = cands.index.slots
        t.cmask = cands.index.mask
        t.cand_masks = cands.masks
        t.class_masks = cands.classes


def char_key(uint32_t cp):
    """Key of a (normalised) character in LabelCandidates."""
    return fkey(31, cp, 0, 0)


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
        if i + LEX_AHEAD + 1 < n:  # fetch the first two probes of a later start early
            h = lex_step(LEX_SEED, c[PAD + i + LEX_AHEAD])
            HANLEX_PREFETCH(tb.lslots + (h & tb.lmask))
            HANLEX_PREFETCH(tb.lslots + (lex_step(h, c[PAD + i + LEX_AHEAD + 1]) & tb.lmask))
        h = LEX_SEED
        top = n - i
        if top > tb.lex_max:
            top = tb.lex_max
        for l in range(1, top + 1):
            h = lex_step(h, c[PAD + i + l - 1])
            f = slot_find(tb.lslots, tb.lmask, h)
            if f < 0:
                break
            if (f & 1) and l >= 2:
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


cdef inline int32_t stat_bucket(const Tables* tb, uint32_t a, uint32_t b) noexcept nogil:
    """Association bucket of the character bigram ab in raw text (0: unseen,
    rare, or a value outside 1..STAT_BUCKETS - 1, which training never writes)."""
    return valid_bucket(slot_find(tb.sslots, tb.smask, stat_pair_key(a, b)))


cdef inline uint64_t stat_pair_key(uint64_t a, uint64_t b) noexcept nogil:
    """Key of the (normalised) character bigram ab in the raw-statistics table."""
    return fkey(30, a, b, 0)


cdef inline int32_t valid_bucket(int32_t v) noexcept nogil:
    return v if 0 < v < STAT_BUCKETS else 0


def stat_key(uint32_t a, uint32_t b):
    """Key of a (normalised) character bigram in the raw-statistics table."""
    return stat_pair_key(a, b)


cdef inline uint64_t class_window_key(const uint8_t* k, Py_ssize_t p) noexcept nogil:
    """Template 14: the classes of the five characters around p."""
    return fkey(14, (<uint64_t>k[p - 2] << 16) | (<uint64_t>k[p - 1] << 12)
                | (<uint64_t>k[p] << 8) | (<uint64_t>k[p + 1] << 4) | k[p + 2], 0, 0)


cdef inline void stat_keys(const Tables* tb, const uint32_t* c, Py_ssize_t p,
                           uint64_t* o) noexcept nogil:
    """Templates 22-24: the raw-text association buckets of the pairs left
    and right of p (key 0, never a feature, when the model has no statistics)."""
    cdef int32_t bl, br
    if tb.sslots != NULL:
        bl = stat_bucket(tb, c[p - 1], c[p])
        br = stat_bucket(tb, c[p], c[p + 1])
        o[0] = fkey(22, bl, 0, 0)
        o[1] = fkey(23, br, 0, 0)
        o[2] = fkey(24, bl, br, 0)
    else:
        o[0] = 0
        o[1] = 0
        o[2] = 0


cdef void prepare_chars(const uint32_t* raw, Py_ssize_t n, const Tables* tb,
                        uint32_t* c, uint8_t* k, uint8_t* lb, uint8_t* le, uint8_t* lm) noexcept nogil:
    """What every feature reads: padded normalised chars c, their classes k,
    and the lexicon spans lb/le/lm (buffers as in feature_keys)."""
    cdef Py_ssize_t i
    c[0] = BOS
    c[1] = BOS
    c[n + PAD] = EOS
    c[n + PAD + 1] = EOS
    normalize_into(raw, n, c + PAD)
    for i in range(n + 2 * PAD):
        k[i] = char_class(c[i])
    lexicon_spans(c, n, tb, lb, le, lm)


cdef void feature_keys(const uint32_t* raw, Py_ssize_t n, const Tables* tb,
                       uint32_t* c, uint8_t* k, uint8_t* lb, uint8_t* le, uint8_t* lm,
                       uint64_t* keys) noexcept nogil:
    """Keys of all N_TEMPLATES features at every position (n x N_TEMPLATES).

    Scratch buffers: c and k hold n + 2*PAD entries, lb/le/lm hold n.
    The template list is documented in hanlex.features.TEMPLATES.
    """
    cdef Py_ssize_t i, p
    cdef uint64_t* o
    prepare_chars(raw, n, tb, c, k, lb, le, lm)
    for i in range(n):
        p = PAD + i
        o = keys + i * N_TEMPLATES
        o[0] = fkey(0, 0, 0, 0)
        o[1] = fkey(1, c[p - 2], 0, 0)
        o[2] = fkey(2, c[p - 1], 0, 0)
        o[3] = fkey(3, c[p], 0, 0)
        o[4] = fkey(4, c[p + 1], 0, 0)
        o[5] = fkey(5, c[p + 2], 0, 0)
        o[6] = fkey(6, c[p - 2], c[p - 1], 0)
        o[7] = fkey(7, c[p - 1], c[p], 0)
        o[8] = fkey(8, c[p], c[p + 1], 0)
        o[9] = fkey(9, c[p + 1], c[p + 2], 0)
        o[10] = fkey(10, c[p - 1], c[p + 1], 0)
        o[11] = fkey(11, c[p - 1], c[p], c[p + 1])
        o[12] = fkey(12, k[p], 0, 0)
        o[13] = fkey(13, k[p - 1], k[p], k[p + 1])
        o[14] = class_window_key(k, p)
        o[15] = fkey(15, (c[p - 1] == c[p]) | ((c[p] == c[p + 1]) << 1)
                     | ((c[p - 1] == c[p + 1]) << 2), 0, 0)
        o[16] = fkey(16, lb[i], 0, 0)
        o[17] = fkey(17, le[i], 0, 0)
        o[18] = fkey(18, lm[i], 0, 0)
        o[19] = fkey(19, lb[i] | (le[i] << 4) | (<uint64_t>lm[i] << 8), 0, 0)
        o[20] = fkey(20, lb[i], c[p], 0)
        o[21] = fkey(21, le[i], c[p], 0)
        stat_keys(tb, c, p, o + 22)


cdef struct Scratch:
    uint32_t* c
    uint8_t* k
    uint8_t* lb
    uint8_t* le
    uint8_t* lm
    uint64_t* keys
    int32_t* rows
    uint8_t* cand     # [n, L] candidate labels of each position, ascending
    int32_t* ncand    # [n]
    double* em        # [n, L] emission score of cand[i, j]
    double* delta     # [n, L]
    int32_t* bp       # [n, L] index into the previous position's candidates
    double* efull     # [L] scratch: all label scores of one position
    int32_t* ckey     # [N_CACHE, 9] cache of group-A joint sums: the rows...
    double* cval      # [N_CACHE, L] ...and their sums
    Py_ssize_t ncache # cache entries in use: a power of 2 <= N_CACHE, grows with segments...
    Py_ssize_t cache_hint  # ...and with the batch: a batch of many short segments repeats tuples
    bint shared_cache      # ckey/cval belong to a GroupCache that outlives this scratch
    Py_ssize_t cap
    int L


cdef void scratch_free(Scratch* s) noexcept nogil:
    free(s.c)
    free(s.k)
    free(s.lb)
    free(s.le)
    free(s.lm)
    free(s.keys)
    free(s.rows)
    free(s.cand)
    free(s.ncand)
    free(s.em)
    free(s.delta)
    free(s.bp)
    free(s.efull)
    if not s.shared_cache:
        free(s.ckey)
        free(s.cval)
    memset(s, 0, sizeof(Scratch))


cdef int scratch_reserve(Scratch* s, Py_ssize_t n, int L) noexcept nogil:
    """Grow the per-call buffers to hold a segment of n characters."""
    cdef Py_ssize_t i
    cdef Py_ssize_t hint = s.cache_hint
    cdef bint shared = s.shared_cache
    cdef int32_t* ckey = s.ckey
    cdef double* cval = s.cval
    cdef Py_ssize_t ncache = s.ncache
    if n <= s.cap and L == s.L:
        return 0
    scratch_free(s)
    s.cache_hint = hint
    s.c = <uint32_t*>malloc((n + 2 * PAD) * sizeof(uint32_t))
    s.k = <uint8_t*>malloc(n + 2 * PAD)
    s.lb = <uint8_t*>malloc(n + 1)
    s.le = <uint8_t*>malloc(n + 1)
    s.lm = <uint8_t*>malloc(n + 1)
    s.keys = <uint64_t*>malloc((n * N_TEMPLATES + 1) * sizeof(uint64_t))
    s.rows = <int32_t*>malloc((n * N_TEMPLATES + 1) * sizeof(int32_t))
    s.cand = <uint8_t*>malloc(n * L + 1)
    s.ncand = <int32_t*>malloc((n + 1) * sizeof(int32_t))
    s.em = <double*>malloc((n * L + 1) * sizeof(double))
    s.delta = <double*>malloc((n * L + 1) * sizeof(double))
    s.bp = <int32_t*>malloc((n * L + 1) * sizeof(int32_t))
    s.efull = <double*>malloc((L + 1) * sizeof(double))
    if shared:
        s.shared_cache = True
        s.ckey, s.cval, s.ncache = ckey, cval, ncache
    else:
        s.ncache = 16
        while (s.ncache < n or s.ncache < hint) and s.ncache < N_CACHE:
            s.ncache <<= 1
        s.ckey = <int32_t*>malloc(s.ncache * N_GROUP_A * sizeof(int32_t))
        s.cval = <double*>malloc(s.ncache * (L + 1) * sizeof(double))
        if s.ckey != NULL:
            for i in range(s.ncache * N_GROUP_A):
                s.ckey[i] = -2  # matches no row (rows are >= -1)
    s.cap = n
    s.L = L
    if (s.c == NULL or s.k == NULL or s.lb == NULL or s.le == NULL or s.lm == NULL
            or s.keys == NULL or s.rows == NULL or s.cand == NULL or s.ncand == NULL
            or s.em == NULL or s.delta == NULL or s.bp == NULL or s.efull == NULL
            or s.ckey == NULL or s.cval == NULL):
        scratch_free(s)
        return -1
    return 0


cdef inline void lookup_rows(const uint64_t* keys, Py_ssize_t m, const Tables* tb,
                             int32_t* rows) noexcept nogil:
    cdef Py_ssize_t j
    for j in range(m):
        if j + 16 < m:  # the table is far bigger than the caches: fetch ahead
            HANLEX_PREFETCH(tb.fslots + (keys[j + 16] & tb.fmask))
        rows[j] = slot_find(tb.fslots, tb.fmask, keys[j]) if keys[j] != 0 else -1


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
        feature_keys(&raw[0], n, &tb, s.c, s.k, s.lb, s.le, s.lm, &o[0, 0])
    scratch_free(&s)
    return out


def extract_rows(const uint32_t[::1] raw, HashIndex features, HashIndex lexicon, int lex_max,
                 HashIndex stats=None):
    """Feature rows (n x N_TEMPLATES int32, -1 = unknown feature) of one segment."""
    return extract_rows_batch([raw], features, [(lexicon, lex_max)],
                              np.zeros(1, dtype=np.int32), stats)[0]


def extract_rows_batch(list segments, HashIndex features, list lexicons, const int32_t[::1] which,
                       HashIndex stats=None):
    """Rows for many segments, GIL released per segment; segment j uses lexicons[which[j]].

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
                feature_keys(&raw[0], n, &tb, s.c, s.k, s.lb, s.le, s.lm, s.keys)
                lookup_rows(s.keys, n * N_TEMPLATES, &tb, &o[0, 0])
    finally:
        scratch_free(&s)
    return outs


# ------------------------------------------------------- candidates

cdef Py_ssize_t fill_candidates(const uint32_t* c, Py_ssize_t n, const Tables* tb, int L,
                                const uint8_t* posmask, int level,
                                uint8_t* cand, int32_t* ncand) noexcept nogil:
    """Candidate labels per position; returns the number of empty positions.

    level 0: tag-dictionary labels whose position posmask allows;
    level 1: the same where posmask is free, every label it allows where it
             is not (a URL or number forced whole may need a tag its
             characters never had, and relaxing only there keeps the
             context's tags sane);
    level 2: every label whose position posmask allows;
    level 3: every label. `c` is the padded normalised text.
    """
    cdef Py_ssize_t i, empty = 0
    cdef int w, m
    cdef int32_t r
    cdef const uint64_t* bits
    cdef uint64_t x, rep, below
    for i in range(n):
        bits = NULL
        if tb.cslots != NULL and (level == 0 or (level == 1 and (posmask[i] & 15) == 15)):
            r = slot_find(tb.cslots, tb.cmask, fkey(31, c[PAD + i], 0, 0))
            if r >= 0:
                bits = tb.cand_masks + <Py_ssize_t>r * MASK_WORDS
            else:
                bits = tb.class_masks + <Py_ssize_t>char_class(c[PAD + i]) * MASK_WORDS
        # label l is allowed at position (l & 3) by posmask: repeat its 4 bits
        rep = (posmask[i] & 15) * 0x1111111111111111ULL if level < 3 else ~0ULL
        m = 0
        for w in range((L + 63) >> 6):
            x = rep
            if L - (w << 6) < 64:
                below = (1ULL << (L - (w << 6))) - 1
                x &= below
            if bits != NULL:
                x &= bits[w]
            while x:  # set bits in ascending order
                cand[i * L + m] = <uint8_t>((w << 6) + ctz64(x))
                m += 1
                x &= x - 1
        ncand[i] = m
        if m == 0:
            empty += 1
    return empty


def label_candidates(const uint32_t[::1] raw, LabelCandidates cands, int L,
                     const uint8_t[::1] posmask, int level):
    """Python view of fill_candidates for one segment (for tests)."""
    cdef Py_ssize_t n = raw.shape[0], i
    cdef Tables tb = make_tables(None, None, 0)
    set_candidates(&tb, cands)
    cdef Scratch s
    memset(&s, 0, sizeof(Scratch))
    if n == 0:
        return []
    if scratch_reserve(&s, n, L) < 0:
        raise MemoryError()
    cdef Py_ssize_t j
    normalize_into(&raw[0], n, s.c + PAD)
    fill_candidates(s.c, n, &tb, L, &posmask[0], level, s.cand, s.ncand)
    out = [[s.cand[i * L + j] for j in range(s.ncand[i])] for i in range(n)]
    scratch_free(&s)
    return out


# ------------------------------------------------------- scoring + Viterbi

# Group A: templates whose rows repeat often (classes, lexicon lengths), their
# joint sums cached per tuple of rows. The raw-statistics templates 22-24 are
# in group B: with them in the tuple it repeats ~14x14 times less, and a model
# with statistics tagged ~12% slower.
cdef int32_t GROUP_A[9]
GROUP_A[:] = [0, 12, 13, 14, 15, 16, 17, 18, 19]
cdef int32_t GROUP_B[16]
GROUP_B[:] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 20, 21, 22, 23, 24]


cdef inline double* shared_part(const int32_t* r, const int64_t* jptr, const uint8_t* jlab,
                                const real* jw, int L, Scratch* s) noexcept nogil:
    """Joint scores of the group-A templates (bias, classes, repeats, lexicon).

    They take few distinct values, so their sums are cached per distinct
    tuple of feature rows: most characters then skip ~1000 scattered adds.
    """
    cdef uint64_t h = 0x9E3779B97F4A7C15ULL
    cdef int t, j
    cdef int64_t k
    cdef int32_t row
    for t in range(N_GROUP_A):
        h = mix64(h ^ <uint64_t><uint32_t>r[GROUP_A[t]])
    cdef Py_ssize_t slot = <Py_ssize_t>(h & (s.ncache - 1))
    cdef int32_t* key = s.ckey + slot * N_GROUP_A
    cdef double* val = s.cval + slot * L
    for t in range(N_GROUP_A):
        if key[t] != r[GROUP_A[t]]:
            break
    else:
        return val
    for j in range(L):
        val[j] = 0.0
    for t in range(N_GROUP_A):
        row = r[GROUP_A[t]]
        key[t] = row
        if row >= 0:
            for k in range(jptr[row], jptr[row + 1]):
                val[jlab[k]] += <double>jw[k]
    return val


cdef void emissions(const int32_t* rows, Py_ssize_t n, const real* W,
                    const int64_t* jptr, const uint8_t* jlab, const real* jw, int L,
                    const uint8_t* cand, const int32_t* ncand,
                    Scratch* s, double* em) noexcept nogil:
    """em[i, j] = score of label cand[i, j] at position i.

    A label's score is p[label & 3] + A[label], then + each group-B joint
    weight in template order, where p sums the position weights W[row, :]
    over all templates in order and A sums the joint weights of the group-A
    templates in order (see shared_part), all in double precision.
    """
    cdef Py_ssize_t i, t, j, q
    cdef int64_t k
    cdef int32_t r
    cdef double p[4]
    cdef const real* w
    cdef const double* A
    cdef double* efull = s.efull
    cdef bint joint = jptr != NULL
    cdef int32_t rr
    if n > 0:
        for t in range(N_TEMPLATES):
            rr = rows[t]
            if rr >= 0:
                HANLEX_PREFETCH(W + <Py_ssize_t>rr * 4)
                if joint:
                    HANLEX_PREFETCH(jptr + rr)
    for i in range(n):
        # fetch the next position's weight rows while this one is scored
        if i + 1 < n:
            for t in range(N_TEMPLATES):
                rr = rows[(i + 1) * N_TEMPLATES + t]
                if rr >= 0:
                    HANLEX_PREFETCH(W + <Py_ssize_t>rr * 4)
                    if joint:
                        HANLEX_PREFETCH(jptr + rr)
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
            A = shared_part(rows + i * N_TEMPLATES, jptr, jlab, jw, L, s)
            for j in range(0, L, 4):  # L is a multiple of 4; unrolled so it vectorises
                efull[j] = p[0] + A[j]
                efull[j + 1] = p[1] + A[j + 1]
                efull[j + 2] = p[2] + A[j + 2]
                efull[j + 3] = p[3] + A[j + 3]
            for t in range(N_GROUP_B):
                r = rows[i * N_TEMPLATES + GROUP_B[t]]
                if r >= 0:
                    for k in range(jptr[r], jptr[r + 1]):
                        efull[jlab[k]] += <double>jw[k]
            for j in range(ncand[i]):
                em[i * L + j] = efull[cand[i * L + j]]
        else:
            for j in range(ncand[i]):
                em[i * L + j] = p[cand[i * L + j] & 3]


cdef int viterbi(const double* em, Py_ssize_t n, int L, const uint8_t* cand,
                 const int32_t* ncand, const real* trans, const uint8_t* allowed,
                 double* delta, int32_t* bp, int32_t* out) noexcept nogil:
    """Best label path over per-position candidates under transition constraints.

    trans/allowed are (L+1) x L with row L the start state. Only legal
    transitions are visited: a B or S label looks back at the previous E/S
    candidates, an M or E label only at B and M of its own tag. Ties go to
    the earliest candidate (the lowest label), as in a scan over all pairs.
    Returns -1 if no path is feasible.
    """
    cdef Py_ssize_t i, j, pj, k, nes
    cdef int l, pl, q
    cdef double best, s
    cdef int32_t arg
    cdef const double* prev
    cdef double* cur
    cdef int32_t slot[MAX_LABELS]
    cdef int32_t es[MAX_LABELS]
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
                nes += 1
        for j in range(ncand[i]):
            l = cand[i * L + j]
            best = -INFINITY
            arg = -1
            if (l & 3) == 0 or (l & 3) == 3:
                for k in range(nes):
                    pj = es[k]
                    pl = cand[(i - 1) * L + pj]
                    if allowed[pl * L + l]:
                        s = prev[pj] + <double>trans[pl * L + l]
                        if s > best:
                            best = s
                            arg = <int32_t>pj
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
    best = -INFINITY
    arg = -1
    cur = delta + (n - 1) * L
    for j in range(ncand[n - 1]):
        l = cand[(n - 1) * L + j]
        if (l & 3) >= 2 and cur[j] != -INFINITY and cur[j] > best:
            best = cur[j]
            arg = <int32_t>j
    if arg < 0:
        return -1
    for i in range(n - 1, -1, -1):
        out[i] = cand[i * L + arg]
        arg = bp[i * L + arg]
    return 0


cdef int decode_rows(const int32_t* rows, Py_ssize_t n, const Tables* tb, const real* W,
                     const int64_t* jptr, const uint8_t* jlab, const real* jw,
                     const real* trans, const uint8_t* allowed, int L,
                     const uint8_t* posmask, Scratch* s, int32_t* out) noexcept nogil:
    """Viterbi with candidate pruning, relaxing it if no path survives.

    s.c must hold the padded normalised text. Returns the level used (0-3).
    """
    cdef int level
    for level in range(4):
        if fill_candidates(s.c, n, tb, L, posmask, level, s.cand, s.ncand) > 0:
            continue
        emissions(rows, n, W, jptr, jlab, jw, L, s.cand, s.ncand, s, s.em)
        if viterbi(s.em, n, L, s.cand, s.ncand, trans, allowed, s.delta, s.bp, out) == 0:
            return level
    return -1


cdef int decode_segment(const uint32_t* raw, Py_ssize_t n, const Tables* tb,
                        const real* W, const int64_t* jptr, const uint8_t* jlab,
                        const real* jw, const real* trans, const uint8_t* allowed,
                        int L, const uint8_t* posmask, Scratch* s,
                        int32_t* out, const SegFast* rt) noexcept nogil:
    if n == 0:
        return 0
    if scratch_reserve(s, n, L) < 0:
        return -2
    if rt != NULL:  # feature rows from a regrouped row table (see row_table_weights)
        prepare_chars(raw, n, tb, s.c, s.k, s.lb, s.le, s.lm)
        seg_keys(n, tb, s.c, s.k, s.lb, s.le, s.lm, s.keys, s.keys + n * N_HASHED)
        seg_rows(rt, n, s.c, s.k, s.lb, s.le, s.lm, s.keys, s.keys + n * N_HASHED, s.rows)
    else:
        feature_keys(raw, n, tb, s.c, s.k, s.lb, s.le, s.lm, s.keys)
        lookup_rows(s.keys, n * N_TEMPLATES, tb, s.rows)
    return decode_rows(s.rows, n, tb, W, jptr, jlab, jw, trans, allowed, L, posmask, s, out)


cdef class Weights:
    """The arrays one decode reads, checked once for shape and type."""
    cdef readonly object W, jptr, jlab, jw, trans, allowed
    cdef readonly int L
    cdef readonly bint joint
    cdef const int64_t* jp   # raw joint pointers (NULL unless joint); arrays kept alive above
    cdef const uint8_t* jl
    cdef object jw_any       # jw, or a 1-element dummy of W's type when not joint

    def __cinit__(self, W, jptr, jlab, jw, trans, allowed):
        self.W = W
        self.jptr = jptr
        self.jlab = jlab
        self.jw = jw
        self.trans = trans
        self.allowed = allowed
        self.L = trans.shape[1]
        self.joint = jptr is not None and jptr.shape[0] > 1 and jlab.shape[0] > 0
        if W.shape[1] != 4 or trans.shape[0] != self.L + 1 or allowed.shape[0] != self.L + 1 \
                or allowed.shape[1] != self.L or self.L > MAX_LABELS or self.L % 4:
            raise ValueError("weight arrays do not fit together")
        if self.joint and (jptr.shape[0] != W.shape[0] + 1 or jw.shape[0] != jlab.shape[0]):
            raise ValueError("joint weight arrays do not fit the features")
        if W.dtype != trans.dtype or (self.joint and jw.dtype != W.dtype):
            raise ValueError("weights must share one float type")
        cdef const int64_t[::1] jptr_mv
        cdef const uint8_t[::1] jlab_mv
        self.jp = NULL
        self.jl = NULL
        self.jw_any = jw
        if self.joint:
            jptr_mv = jptr
            jlab_mv = jlab
            self.jp = &jptr_mv[0]
            self.jl = &jlab_mv[0]
        else:
            self.jw_any = np.zeros(1, dtype=W.dtype)


cdef int _decode_rows_typed(const int32_t[:, ::1] rows, const real[:, ::1] W,
                            const int64_t* jptr, const uint8_t* jlab, const real[::1] jw,
                            const real[:, ::1] trans, const uint8_t[:, ::1] allowed,
                            Tables* tb, const uint32_t[::1] raw, const uint8_t[::1] posmask,
                            int32_t[::1] out) except -2:
    cdef Py_ssize_t n = rows.shape[0], i
    cdef int L = trans.shape[1]
    cdef Scratch s
    cdef int rc
    memset(&s, 0, sizeof(Scratch))
    if scratch_reserve(&s, n, L) < 0:
        raise MemoryError()
    cdef const real* jwp = &jw[0] if jptr != NULL else NULL
    with nogil:
        normalize_into(&raw[0], n, s.c + PAD)
        rc = decode_rows(&rows[0, 0], n, tb, &W[0, 0], jptr, jlab, jwp, &trans[0, 0],
                         &allowed[0, 0], L, &posmask[0], &s, &out[0])
    scratch_free(&s)
    return rc


def viterbi_rows(const uint32_t[::1] raw, const int32_t[:, ::1] rows, Weights weights,
                 LabelCandidates cands, const uint8_t[::1] posmask):
    """Decode a segment whose feature rows are known (the training path)."""
    cdef Py_ssize_t n = rows.shape[0]
    out = np.zeros(n, dtype=np.int32)
    if n == 0:
        return out
    cdef Tables tb = make_tables(None, None, 0)
    set_candidates(&tb, cands)
    if weights.W.dtype == np.float64:
        rc = _decode_rows_typed[double](rows, weights.W, weights.jp, weights.jl, weights.jw_any,
                                        weights.trans, weights.allowed, &tb, raw, posmask, out)
    else:
        rc = _decode_rows_typed[float](rows, weights.W, weights.jp, weights.jl, weights.jw_any,
                                       weights.trans, weights.allowed, &tb, raw, posmask, out)
    if rc < 0:
        raise ValueError("no label sequence satisfies the constraints")
    return out


cdef class GroupCache:
    """The group-A emission sums of one model's features (see shared_part),
    kept from one decode call to the next: they depend only on the model, so
    reusing them is exact. One call at a time may use a cache."""
    cdef int32_t* ckey
    cdef double* cval
    cdef readonly int L
    cdef readonly Py_ssize_t size

    def __cinit__(self, int L):
        cdef Py_ssize_t i
        self.L = L
        self.size = N_CACHE
        self.ckey = <int32_t*>malloc(N_CACHE * N_GROUP_A * sizeof(int32_t))
        self.cval = <double*>malloc(N_CACHE * (L + 1) * sizeof(double))
        if self.ckey == NULL or self.cval == NULL:
            raise MemoryError()
        for i in range(N_CACHE * N_GROUP_A):
            self.ckey[i] = -2  # matches no row (rows are >= -1)

    def __dealloc__(self):
        free(self.ckey)
        free(self.cval)


cdef int _decode_batch_typed(const uint32_t[::1] text, const int64_t[::1] starts,
                             const int64_t[::1] ends, const uint8_t[::1] posmask, Tables* tb,
                             const real[:, ::1] W, const int64_t* jptr, const uint8_t* jlab,
                             const real[::1] jw, const real[:, ::1] trans,
                             const uint8_t[:, ::1] allowed, int32_t[::1] o,
                             GroupCache cache, SegTable rowtable) except -3:
    cdef Py_ssize_t j, m = starts.shape[0]
    cdef int L = trans.shape[1]
    cdef Scratch s
    cdef int rc = 0
    cdef int64_t a, b
    cdef const real* jwp = &jw[0] if jptr != NULL else NULL
    memset(&s, 0, sizeof(Scratch))
    s.cache_hint = text.shape[0] // 8
    cdef const SegFast* rt = &rowtable.f if rowtable is not None else NULL
    if cache is not None and cache.L == L:
        s.shared_cache = True
        s.ckey, s.cval, s.ncache = cache.ckey, cache.cval, cache.size
    with nogil:
        for j in range(m):
            a = starts[j]
            b = ends[j]
            if b <= a:
                continue
            rc = decode_segment(&text[a], b - a, tb, &W[0, 0], jptr, jlab, jwp, &trans[0, 0],
                                &allowed[0, 0], L, &posmask[a], &s, &o[a], rt)
            if rc == -2:
                break
        scratch_free(&s)
    if rc == -2:
        raise MemoryError()
    return 0


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


def decode_batch(const uint32_t[::1] text, const int64_t[::1] starts, const int64_t[::1] ends,
                 const uint8_t[::1] posmask, HashIndex features, HashIndex lexicon,
                 int lex_max, Weights weights, LabelCandidates cands, HashIndex stats=None,
                 GroupCache cache=None, SegTable rows=None):
    """Decode many segments of one text without holding the GIL.

    Segment j is text[starts[j]:ends[j]]; returns one int32 label per char of
    `text` (characters outside every segment get label 0). `cache`, if given,
    must only ever be used with these weights and features. `rows`, if given,
    is the feature index regrouped (a SegTable of row_table_weights): the same
    feature rows from fewer hashed lookups; `features` may then be None.
    """
    if features is None and rows is None:
        raise ValueError("decode_batch needs the feature index or a row table")
    cdef Py_ssize_t total = text.shape[0]
    cdef Tables tb = make_tables(features, lexicon, lex_max, stats)
    set_candidates(&tb, cands)
    check_segments(total, starts, ends, posmask)
    out = np.zeros(total, dtype=np.int32)
    if total == 0:
        return out
    if weights.W.dtype == np.float64:
        _decode_batch_typed[double](text, starts, ends, posmask, &tb, weights.W, weights.jp,
                                    weights.jl, weights.jw_any, weights.trans, weights.allowed, out,
                                    cache, rows)
    else:
        _decode_batch_typed[float](text, starts, ends, posmask, &tb, weights.W, weights.jp,
                                   weights.jl, weights.jw_any, weights.trans, weights.allowed, out,
                                   cache, rows)
    return out


# ------------------------------------------------------- segmentation-only fast path
#
# A segmentation-only model's features are regrouped at load time so that a
# position costs few cache misses: the generic path looks up 25 hashed keys
# per character, most of them in a table far larger than the caches. Here
#   - templates 1-5 (single characters) sit in one row per character,
#   - templates 6-9 (adjacent character pairs) in one row per pair, so a pair
#     is looked up once, not under four templates,
#   - the small-domain templates (classes, lexicon lengths) in dense arrays,
#   - the rest (10 11 14 20 21) stay hashed.
# The raw-text association bucket of each adjacent pair (templates 22-24) is
# looked up once per pair, not once per position and side, with the pair's
# lookups fetched ahead; the bucket templates themselves are dense.
# Feature keys are hashes, but fkey is invertible (mix64 is a bijection and
# the packing is injective), so each key is decoded back to every (template,
# arguments) it can stand for and its weights are put wherever the generic
# path would find it. Emissions add the same float weights in the same
# template order as the generic path, so the labels are identical.

cdef enum:
    NCP = 0x110003     # code points plus BOS and EOS: the unigram index size
    N_HASHED = 5       # hashed templates per position: 10 11 14 20 21
    UNI_W = 20         # a character's row: templates 1-5 x B M E S
    D12 = 0            # dense rows (4 floats each) of the small-domain templates
    D13 = 9
    D15 = 738
    D16 = 746
    D17 = 754
    D18 = 762
    D19 = 770
    D22 = 2818
    D23 = 2832
    D24 = 2846
    D_END = 3042
    BI_AHEAD = 6       # positions the pair lookup prefetches ahead
    HASH_AHEAD = 4     # positions the hashed lookups prefetch ahead

cdef uint64_t TEMPLATE_STEP = 0x9E3779B97F4A7C15ULL


cdef inline uint64_t unmix64(uint64_t x) noexcept nogil:
    """The inverse of mix64."""
    x ^= (x >> 31) ^ (x >> 62)
    x *= 0x319642B2D24D8EC3ULL
    x ^= (x >> 27) ^ (x >> 54)
    x *= 0x96DE1B173F119089ULL
    x ^= (x >> 30) ^ (x >> 60)
    return x


def unmix(uint64_t x):
    return unmix64(x)


cdef inline uint64_t pair_hash(uint64_t a, uint64_t b) noexcept nogil:
    # never 0: mix64 is a bijection that maps only 0 to 0
    return mix64((a | (b << 21)) + 1)


cdef struct SegSlot:
    uint64_t key
    float w[4]        # the feature's B M E S weights, in the slot: one cache miss per feature
    uint64_t _pad     # 32-byte slots never straddle a cache line


cdef struct PairSlot:
    uint64_t key      # pair_hash of the two characters (0 = empty)
    float w[16]       # templates 6 7 8 9 x B M E S
    uint64_t _pad     # 80 bytes: a slot spans at most two cache lines


cdef struct SegFast:
    const SegSlot* slots
    uint64_t mask
    const PairSlot* pairs
    uint64_t pmask
    const int32_t* uni_index  # [NCP] row of each character in uni (0: none)
    const float* uni          # [rows, UNI_W], row 0 all zeros
    const float* dense        # [D_END, 4]
    float bias[4]


cdef struct PairReading:       # a key read as template t (6-9) of the pair `key`
    uint64_t key
    int32_t feature
    int32_t t


cdef float ZERO16[16]


cdef inline int template_kind(int t, uint64_t a, uint64_t b, uint64_t c) noexcept nogil:
    """0: not a key the decoder can ask for; 1 bias; 2 char row; 3 pair row;
    4 dense; 5 hashed."""
    if t == 0:
        return 1 if a == 0 and b == 0 and c == 0 else 0
    if t <= 5:
        return 2 if a < NCP and b == 0 and c == 0 else 0
    if t <= 9:
        return 3 if a < NCP and b < NCP and c == 0 else 0
    if t == 10:
        return 5 if a < NCP and b < NCP and c == 0 else 0
    if t == 24:
        return 4 if a < STAT_BUCKETS and b < STAT_BUCKETS and c == 0 else 0
    if t == 11:
        return 5 if a < NCP and b < NCP and c < NCP else 0
    if t == 13:
        return 4 if a < 9 and b < 9 and c < 9 else 0
    if t == 20 or t == 21:
        return 5 if a < 8 and b < NCP and c == 0 else 0
    if b != 0 or c != 0:
        return 0
    if t == 12:
        return 4 if a < 9 else 0
    if t == 15 or t == 16 or t == 17 or t == 18:
        return 4 if a < 8 else 0
    if t == 19:
        return 4 if a < 2048 else 0
    if t == 22 or t == 23:
        return 4 if a < STAT_BUCKETS else 0
    if t == 14:
        return 5 if a < (1 << 21) else 0
    return 0


cdef inline Py_ssize_t dense_row(int t, uint64_t a, uint64_t b, uint64_t c) noexcept nogil:
    if t == 12:
        return D12 + a
    if t == 13:
        return D13 + a * 81 + b * 9 + c
    if t == 15:
        return D15 + a
    if t == 16:
        return D16 + a
    if t == 17:
        return D17 + a
    if t == 18:
        return D18 + a
    if t == 22:
        return D22 + a
    if t == 23:
        return D23 + a
    if t == 24:
        return D24 + a * STAT_BUCKETS + b
    return D19 + a


cdef PairSlot* pair_slot(PairSlot* pairs, uint64_t mask, uint64_t key) noexcept nogil:
    """The slot holding `key`, or the empty slot where it belongs."""
    cdef uint64_t pos = key & mask
    while pairs[pos].key != 0 and pairs[pos].key != key:
        pos = (pos + 1) & mask
    return pairs + pos


cdef class SegTable:
    """A segmentation-only model's weights, regrouped for few cache misses
    (see the comment above); built once, read-only, thread-safe."""
    cdef SegFast f
    cdef SegSlot* slots
    cdef PairSlot* pairs
    cdef int32_t* uni_index
    cdef float* uni
    cdef float* dense
    cdef uint8_t* hashed           # construction scratch: keys that stay hashed...
    cdef PairReading* readings     # ...and the pair readings, placed in bulk
    cdef Py_ssize_t n_readings, readings_cap
    cdef Py_ssize_t uni_cap
    cdef readonly Py_ssize_t size, n_hashed, n_pairs, n_chars

    def __cinit__(self, const uint64_t[::1] keys, const float[:, ::1] W, bint stats=True):
        """stats: the model has raw-text statistics; without them the generic
        path never asks for templates 22-24, so neither does this table."""
        cdef Py_ssize_t i, m, n = keys.shape[0]
        cdef uint64_t cap, pos
        cdef int rc = 0
        if W.shape[0] != n or W.shape[1] != 4:
            raise ValueError("weights do not fit the keys")
        self.size = n
        memset(&self.f, 0, sizeof(SegFast))
        self.hashed = <uint8_t*>calloc(n + 1, 1)
        self.uni_index = <int32_t*>calloc(NCP, sizeof(int32_t))
        self.dense = <float*>calloc(D_END * 4, sizeof(float))
        self.uni_cap = 1024
        self.uni = <float*>calloc(self.uni_cap * UNI_W, sizeof(float))
        cap = 1024
        self.pairs = <PairSlot*>calloc(cap, sizeof(PairSlot))
        if (self.hashed == NULL or self.uni_index == NULL or self.dense == NULL
                or self.uni == NULL or self.pairs == NULL):
            raise MemoryError()
        self.f.pmask = cap - 1
        for i in range(n):
            if keys[i] == 0:
                raise ValueError("key 0 is reserved")
        with nogil:
            # read every key back into the templates it can stand for
            for i in range(n):
                rc = self.place(unmix64(keys[i]), i, &W[i, 0])
                if rc == 0 and keys[i] == 1:  # fkey turns a zero hash into 1
                    rc = self.place(0, i, &W[i, 0])
                if rc < 0:
                    break
            if rc == 0:
                rc = self.place_pairs(W)
        if rc < 0:
            raise MemoryError()
        if not stats:
            memset(self.dense + D22 * 4, 0, (D_END - D22) * 4 * sizeof(float))
        # the hashed templates' keys, with their weights in the slot
        m = 0
        for i in range(n):
            m += self.hashed[i]
        self.n_hashed = m
        cap = 16
        while cap < <uint64_t>(m + m // 2 + 1):
            cap <<= 1
        self.slots = <SegSlot*>calloc(cap, sizeof(SegSlot))
        if self.slots == NULL:
            raise MemoryError()
        self.f.mask = cap - 1
        for i in range(n):
            if i + 16 < n and self.hashed[i + 16]:
                HANLEX_PREFETCH(self.slots + (keys[i + 16] & self.f.mask))
            if self.hashed[i]:
                pos = insert_key(<char*>self.slots, sizeof(SegSlot), self.f.mask, keys[i], "SegTable")
                memcpy(self.slots[pos].w, &W[i, 0], 4 * sizeof(float))
        free(self.hashed)
        self.hashed = NULL
        self.f.slots = self.slots
        self.f.pairs = self.pairs
        self.f.uni_index = self.uni_index
        self.f.uni = self.uni
        self.f.dense = self.dense

    cdef int place(self, uint64_t x, Py_ssize_t i, const float* w) noexcept nogil:
        """Put feature i's weights w wherever (template, arguments) packing to
        x can be asked for. -1: out of memory."""
        cdef int t, kind
        cdef uint64_t p, a, b, c
        cdef float* dst
        for t in range(N_TEMPLATES):
            p = x - <uint64_t>t * TEMPLATE_STEP
            c = p >> 42
            if c != 0 and t != 11 and t != 13:  # the common case: no reading
                continue
            a = p & 0x1FFFFF
            b = (p >> 21) & 0x1FFFFF
            kind = template_kind(t, a, b, c)
            if kind == 0:
                continue
            if kind == 5:
                self.hashed[i] = 1
                continue
            if kind == 1:
                dst = self.f.bias
            elif kind == 2:
                if self.uni_index[a] == 0:
                    if self.n_chars + 1 >= self.uni_cap and self.grow_chars() < 0:
                        return -1
                    self.n_chars += 1
                    self.uni_index[a] = <int32_t>self.n_chars
                dst = self.uni + self.uni_index[a] * UNI_W + (t - 1) * 4
            elif kind == 3:  # placed later, in bulk, with prefetching
                if self.n_readings == self.readings_cap and self.grow_readings() < 0:
                    return -1
                self.readings[self.n_readings].key = pair_hash(a, b)
                self.readings[self.n_readings].feature = <int32_t>i
                self.readings[self.n_readings].t = t
                self.n_readings += 1
                continue
            else:
                dst = self.dense + dense_row(t, a, b, c) * 4
            memcpy(dst, w, 4 * sizeof(float))
        return 0

    cdef float* claim_pair(self, uint64_t key) noexcept nogil:
        """The weights of pair `key`'s slot, claimed (zeroed) if absent."""
        cdef PairSlot* ps = pair_slot(self.pairs, self.f.pmask, key)
        if ps.key == 0:
            ps.key = key
            self.n_pairs += 1
        return ps.w

    cdef int grow_readings(self) noexcept nogil:
        cdef Py_ssize_t cap = 2 * self.readings_cap if self.readings_cap else 4096
        cdef PairReading* grown = <PairReading*>realloc(self.readings, cap * sizeof(PairReading))
        if grown == NULL:
            return -1
        self.readings = grown
        self.readings_cap = cap
        return 0

    cdef int place_pairs(self, const float[:, ::1] W) noexcept nogil:
        """Put the pair readings' weights into the pair rows. A pair has up to
        four readings (templates 6-9): the table starts at half their number
        and grows if needed. Slots are fetched ahead: the table is large."""
        cdef Py_ssize_t j, m = self.n_readings
        cdef uint64_t cap = 1024
        cdef PairReading r
        while cap < <uint64_t>(m // 2 + 1):
            cap <<= 1
        free(self.pairs)
        self.pairs = <PairSlot*>calloc(cap, sizeof(PairSlot))
        if self.pairs == NULL:
            return -1
        self.f.pmask = cap - 1
        self.n_pairs = 0
        for j in range(m):
            if j + 16 < m:
                HANLEX_PREFETCH(self.pairs + (self.readings[j + 16].key & self.f.pmask))
            if 3 * (self.n_pairs + 1) > 2 * (self.f.pmask + 1) and self.grow_pairs() < 0:
                return -1
            r = self.readings[j]
            memcpy(self.claim_pair(r.key) + (r.t - 6) * 4, &W[r.feature, 0], 4 * sizeof(float))
        free(self.readings)
        self.readings = NULL
        return 0

    cdef int grow_chars(self) noexcept nogil:
        cdef float* grown = <float*>realloc(self.uni, 2 * self.uni_cap * UNI_W * sizeof(float))
        if grown == NULL:
            return -1
        memset(grown + self.uni_cap * UNI_W, 0, self.uni_cap * UNI_W * sizeof(float))
        self.uni = grown
        self.uni_cap *= 2
        return 0

    cdef int grow_pairs(self) noexcept nogil:
        cdef uint64_t old_cap = self.f.pmask + 1, pos
        cdef PairSlot* grown = <PairSlot*>calloc(2 * old_cap, sizeof(PairSlot))
        if grown == NULL:
            return -1
        for pos in range(old_cap):
            if self.pairs[pos].key != 0:
                pair_slot(grown, 2 * old_cap - 1, self.pairs[pos].key)[0] = self.pairs[pos]
        free(self.pairs)
        self.pairs = grown
        self.f.pmask = 2 * old_cap - 1
        return 0

    def __dealloc__(self):
        free(self.hashed)
        free(self.readings)
        free(self.slots)
        free(self.pairs)
        free(self.uni_index)
        free(self.uni)
        free(self.dense)

    def __len__(self):
        return self.size


cdef inline const float* seg_find(const SegSlot* slots, uint64_t mask, uint64_t key) noexcept nogil:
    cdef uint64_t pos = key & mask
    while True:
        if slots[pos].key == key:
            return slots[pos].w
        if slots[pos].key == 0:
            return NULL
        pos = (pos + 1) & mask


cdef inline const float* pair_find(const SegFast* T, uint64_t key) noexcept nogil:
    cdef uint64_t pos = key & T.pmask
    while True:
        if T.pairs[pos].key == key:
            return T.pairs[pos].w
        if T.pairs[pos].key == 0:
            return ZERO16
        pos = (pos + 1) & T.pmask


cdef void seg_keys(Py_ssize_t n, const Tables* tb, const uint32_t* c, const uint8_t* k,
                   const uint8_t* lb, const uint8_t* le, const uint8_t* lm,
                   uint64_t* hk, uint64_t* ph) noexcept nogil:
    """The keys the fast path still hashes (hk: n x N_HASHED, 0 = none), the
    pair hashes ph[j] of (c[j], c[j + 1]) for j < n + 3 and, after them, the
    raw-text buckets sb[j] of the same pairs (0 without statistics), as
    feature_keys computes them."""
    cdef Py_ssize_t i, p
    cdef uint64_t* o
    cdef uint64_t* sb = ph + n + 3
    for i in range(n + 3):
        ph[i] = pair_hash(c[i], c[i + 1])
    if tb.sslots != NULL:
        for i in range(n + 3):
            sb[i] = stat_pair_key(c[i], c[i + 1])
        for i in range(HASH_AHEAD * 2 if HASH_AHEAD * 2 < n + 3 else n + 3):
            HANLEX_PREFETCH(tb.sslots + (sb[i] & tb.smask))
        for i in range(n + 3):
            if i + HASH_AHEAD * 2 < n + 3:
                HANLEX_PREFETCH(tb.sslots + (sb[i + HASH_AHEAD * 2] & tb.smask))
            sb[i] = valid_bucket(slot_find(tb.sslots, tb.smask, sb[i]))
    else:
        memset(sb, 0, (n + 3) * sizeof(uint64_t))
    for i in range(n):
        p = PAD + i
        o = hk + i * N_HASHED
        o[0] = fkey(10, c[p - 1], c[p + 1], 0)
        o[1] = fkey(11, c[p - 1], c[p], c[p + 1])
        o[2] = class_window_key(k, p)
        o[3] = fkey(20, lb[i], c[p], 0)
        o[4] = fkey(21, le[i], c[p], 0)


cdef inline void add4(double* s, const float* w) noexcept nogil:
    s[0] += <double>w[0]
    s[1] += <double>w[1]
    s[2] += <double>w[2]
    s[3] += <double>w[3]


cdef inline void add_hashed(double* s, const SegFast* T, uint64_t key) noexcept nogil:
    cdef const float* w
    if key != 0:
        w = seg_find(T.slots, T.mask, key)
        if w != NULL:
            add4(s, w)


cdef void seg_emissions(const SegFast* T, Py_ssize_t n, const uint32_t* c, const uint8_t* k,
                        const uint8_t* lb, const uint8_t* le, const uint8_t* lm,
                        const uint64_t* hk, const uint64_t* ph, double* em) noexcept nogil:
    """em[i, q]: the position-q weights of all features of position i, added
    in template order exactly as the generic path adds them."""
    cdef Py_ssize_t i, p, j, q
    cdef double s[4]
    cdef const float* b0
    cdef const float* b1
    cdef const float* b2
    cdef const float* b3
    cdef const float* u = T.uni
    cdef const int32_t* ui = T.uni_index
    cdef const float* d = T.dense
    cdef const uint64_t* o
    cdef const uint64_t* sb = ph + n + 3  # raw-text buckets of the pairs (seg_keys)
    cdef const char* pp
    for j in range(BI_AHEAD if BI_AHEAD < n + 3 else n + 3):
        pp = <const char*>(T.pairs + (ph[j] & T.pmask))
        HANLEX_PREFETCH(pp)
        HANLEX_PREFETCH(pp + 64)
    for j in range(HASH_AHEAD * N_HASHED if HASH_AHEAD < n else n * N_HASHED):
        if hk[j] != 0:
            HANLEX_PREFETCH(T.slots + (hk[j] & T.mask))
    b0 = pair_find(T, ph[0])
    b1 = pair_find(T, ph[1])
    b2 = pair_find(T, ph[2])
    for i in range(n):
        p = PAD + i
        j = i + 3 + BI_AHEAD
        if j < n + 3:
            pp = <const char*>(T.pairs + (ph[j] & T.pmask))
            HANLEX_PREFETCH(pp)
            HANLEX_PREFETCH(pp + 64)
        if i + HASH_AHEAD < n:
            o = hk + (i + HASH_AHEAD) * N_HASHED
            for q in range(N_HASHED):
                if o[q] != 0:
                    HANLEX_PREFETCH(T.slots + (o[q] & T.mask))
        b3 = pair_find(T, ph[i + 3])
        o = hk + i * N_HASHED
        s[0] = 0.0
        s[1] = 0.0
        s[2] = 0.0
        s[3] = 0.0
        add4(s, T.bias)                                   # 0
        add4(s, u + ui[c[p - 2]] * UNI_W)                 # 1
        add4(s, u + ui[c[p - 1]] * UNI_W + 4)             # 2
        add4(s, u + ui[c[p]] * UNI_W + 8)                 # 3
        add4(s, u + ui[c[p + 1]] * UNI_W + 12)            # 4
        add4(s, u + ui[c[p + 2]] * UNI_W + 16)            # 5
        add4(s, b0)                                       # 6
        add4(s, b1 + 4)                                   # 7
        add4(s, b2 + 8)                                   # 8
        add4(s, b3 + 12)                                  # 9
        add_hashed(s, T, o[0])                            # 10
        add_hashed(s, T, o[1])                            # 11
        add4(s, d + (D12 + k[p]) * 4)                     # 12
        add4(s, d + (D13 + k[p - 1] * 81 + k[p] * 9 + k[p + 1]) * 4)  # 13
        add_hashed(s, T, o[2])                            # 14
        add4(s, d + (D15 + ((c[p - 1] == c[p]) | ((c[p] == c[p + 1]) << 1)
                            | ((c[p - 1] == c[p + 1]) << 2))) * 4)  # 15
        add4(s, d + (D16 + lb[i]) * 4)                    # 16
        add4(s, d + (D17 + le[i]) * 4)                    # 17
        add4(s, d + (D18 + lm[i]) * 4)                    # 18
        add4(s, d + (D19 + (lb[i] | (le[i] << 4) | (lm[i] << 8))) * 4)  # 19
        add_hashed(s, T, o[3])                            # 20
        add_hashed(s, T, o[4])                            # 21
        add4(s, d + (D22 + sb[i + 1]) * 4)                # 22: pair (c[p-1], c[p])
        add4(s, d + (D23 + sb[i + 2]) * 4)                # 23: pair (c[p], c[p+1])
        add4(s, d + (D24 + sb[i + 1] * STAT_BUCKETS + sb[i + 2]) * 4)  # 24
        em[i * 4] = s[0]
        em[i * 4 + 1] = s[1]
        em[i * 4 + 2] = s[2]
        em[i * 4 + 3] = s[3]
        b0 = b1
        b1 = b2
        b2 = b3


def row_table_weights(Py_ssize_t n):
    """Weights that turn a SegTable into a feature-row index: feature i's
    first weight is i + 1 (exact in float32 below 2**24), so a template's
    block reads back its row, and 0 (nothing stored) reads back -1."""
    if n >= (1 << 24):
        raise ValueError("too many features for a float32 row table")
    W = np.zeros((n, 4), dtype=np.float32)
    W[:, 0] = np.arange(1, n + 1, dtype=np.float32)
    return W


cdef inline int32_t block_row(const float* w) noexcept nogil:
    return <int32_t>w[0] - 1


cdef inline int32_t hashed_row(const SegFast* T, uint64_t key) noexcept nogil:
    cdef const float* w
    if key == 0:
        return -1
    w = seg_find(T.slots, T.mask, key)
    return block_row(w) if w != NULL else -1


cdef void seg_rows(const SegFast* T, Py_ssize_t n, const uint32_t* c, const uint8_t* k,
                   const uint8_t* lb, const uint8_t* le, const uint8_t* lm,
                   const uint64_t* hk, const uint64_t* ph, int32_t* rows) noexcept nogil:
    """The feature rows lookup_rows would give (n x N_TEMPLATES, -1 = none),
    read from a row table (a SegTable over row_table_weights)."""
    cdef Py_ssize_t i, p, j, q
    cdef const float* b0
    cdef const float* b1
    cdef const float* b2
    cdef const float* b3
    cdef const float* u = T.uni
    cdef const int32_t* ui = T.uni_index
    cdef const float* d = T.dense
    cdef const uint64_t* o
    cdef int32_t* r
    cdef const uint64_t* sb = ph + n + 3  # raw-text buckets of the pairs (seg_keys)
    # the prefetch steps are written out as in seg_emissions: helpers for
    # them measured 13% slower there
    cdef const char* pp
    for j in range(BI_AHEAD if BI_AHEAD < n + 3 else n + 3):
        pp = <const char*>(T.pairs + (ph[j] & T.pmask))
        HANLEX_PREFETCH(pp)
        HANLEX_PREFETCH(pp + 64)
    for j in range(HASH_AHEAD * N_HASHED if HASH_AHEAD < n else n * N_HASHED):
        if hk[j] != 0:
            HANLEX_PREFETCH(T.slots + (hk[j] & T.mask))
    b0 = pair_find(T, ph[0])
    b1 = pair_find(T, ph[1])
    b2 = pair_find(T, ph[2])
    for i in range(n):
        p = PAD + i
        j = i + 3 + BI_AHEAD
        if j < n + 3:
            pp = <const char*>(T.pairs + (ph[j] & T.pmask))
            HANLEX_PREFETCH(pp)
            HANLEX_PREFETCH(pp + 64)
        if i + HASH_AHEAD < n:
            o = hk + (i + HASH_AHEAD) * N_HASHED
            for q in range(N_HASHED):
                if o[q] != 0:
                    HANLEX_PREFETCH(T.slots + (o[q] & T.mask))
        b3 = pair_find(T, ph[i + 3])
        o = hk + i * N_HASHED
        r = rows + i * N_TEMPLATES
        r[0] = block_row(T.bias)
        r[1] = block_row(u + ui[c[p - 2]] * UNI_W)
        r[2] = block_row(u + ui[c[p - 1]] * UNI_W + 4)
        r[3] = block_row(u + ui[c[p]] * UNI_W + 8)
        r[4] = block_row(u + ui[c[p + 1]] * UNI_W + 12)
        r[5] = block_row(u + ui[c[p + 2]] * UNI_W + 16)
        r[6] = block_row(b0)
        r[7] = block_row(b1 + 4)
        r[8] = block_row(b2 + 8)
        r[9] = block_row(b3 + 12)
        r[10] = hashed_row(T, o[0])
        r[11] = hashed_row(T, o[1])
        r[12] = block_row(d + (D12 + k[p]) * 4)
        r[13] = block_row(d + (D13 + k[p - 1] * 81 + k[p] * 9 + k[p + 1]) * 4)
        r[14] = hashed_row(T, o[2])
        r[15] = block_row(d + (D15 + ((c[p - 1] == c[p]) | ((c[p] == c[p + 1]) << 1)
                                      | ((c[p - 1] == c[p + 1]) << 2))) * 4)
        r[16] = block_row(d + (D16 + lb[i]) * 4)
        r[17] = block_row(d + (D17 + le[i]) * 4)
        r[18] = block_row(d + (D18 + lm[i]) * 4)
        r[19] = block_row(d + (D19 + (lb[i] | (le[i] << 4) | (lm[i] << 8))) * 4)
        r[20] = hashed_row(T, o[3])
        r[21] = hashed_row(T, o[4])
        r[22] = block_row(d + (D22 + sb[i + 1]) * 4)
        r[23] = block_row(d + (D23 + sb[i + 2]) * 4)
        r[24] = block_row(d + (D24 + sb[i + 1] * STAT_BUCKETS + sb[i + 2]) * 4)
        b0 = b1
        b1 = b2
        b2 = b3


def regrouped_rows(const uint32_t[::1] raw, SegTable table, HashIndex lexicon, int lex_max,
                   HashIndex stats=None):
    """extract_rows of one segment, read from a row table (for tests)."""
    cdef Py_ssize_t n = raw.shape[0]
    cdef Tables tb = make_tables(None, lexicon, lex_max, stats)
    cdef Scratch s
    out = np.full((n, N_TEMPLATES), -1, dtype=np.int32)
    if n == 0:
        return out
    cdef int32_t[:, ::1] o = out
    memset(&s, 0, sizeof(Scratch))
    if scratch_reserve(&s, n, 4) < 0:
        raise MemoryError()
    prepare_chars(&raw[0], n, &tb, s.c, s.k, s.lb, s.le, s.lm)
    seg_keys(n, &tb, s.c, s.k, s.lb, s.le, s.lm, s.keys, s.keys + n * N_HASHED)
    seg_rows(&table.f, n, s.c, s.k, s.lb, s.le, s.lm, s.keys, s.keys + n * N_HASHED, &o[0, 0])
    scratch_free(&s)
    return out


cdef int seg_viterbi(const double* em, Py_ssize_t n, const float* trans, const uint8_t* allowed,
                     const uint8_t* posmask, double* delta, int8_t* bp, int32_t* out) noexcept nogil:
    """Four-label Viterbi; the same path, scores and tie-breaking as `viterbi`
    over the candidates posmask allows (posmask NULL: every label)."""
    cdef Py_ssize_t i
    cdef int l, pl, arg
    cdef double best, s
    cdef double* cur
    cdef const double* prev
    for l in range(4):
        if (posmask == NULL or (posmask[0] >> l) & 1) and allowed[16 + l]:
            delta[l] = <double>trans[16 + l] + em[l]
        else:
            delta[l] = -INFINITY
    for i in range(1, n):
        prev = delta + (i - 1) * 4
        cur = delta + i * 4
        for l in range(4):
            best = -INFINITY
            arg = -1
            if posmask == NULL or (posmask[i] >> l) & 1:
                if l == 0 or l == 3:   # B, S follow E or S
                    pl = 2
                else:                  # M, E follow B or M
                    pl = 0
                for pl in range(pl, pl + 2):
                    if prev[pl] != -INFINITY and allowed[pl * 4 + l]:
                        s = prev[pl] + <double>trans[pl * 4 + l]
                        if s > best:
                            best = s
                            arg = pl
            bp[i * 4 + l] = <int8_t>arg
            cur[l] = best + em[i * 4 + l] if arg >= 0 else -INFINITY
    cur = delta + (n - 1) * 4
    best = -INFINITY
    arg = -1
    for l in range(2, 4):
        if cur[l] != -INFINITY and cur[l] > best:
            best = cur[l]
            arg = l
    if arg < 0:
        return -1
    for i in range(n - 1, -1, -1):
        out[i] = arg
        arg = bp[i * 4 + arg]
    return 0


def decode_batch_seg(const uint32_t[::1] text, const int64_t[::1] starts, const int64_t[::1] ends,
                     const uint8_t[::1] posmask, SegTable table, HashIndex lexicon, int lex_max,
                     const float[:, ::1] trans, const uint8_t[:, ::1] allowed,
                     HashIndex stats=None):
    """decode_batch for segmentation-only models (4 labels, no tag dictionary).

    Gives exactly the labels of decode_batch, faster: weights live in the
    hash slots and the Viterbi is specialised to B M E S.
    """
    cdef Py_ssize_t j, m = starts.shape[0], total = text.shape[0], n
    cdef Tables tb = make_tables(None, lexicon, lex_max, stats)
    check_segments(total, starts, ends, posmask)
    if trans.shape[0] != 5 or trans.shape[1] != 4 or allowed.shape[0] != 5 or allowed.shape[1] != 4:
        raise ValueError("decode_batch_seg needs a four-label model")
    out = np.zeros(total, dtype=np.int32)
    if total == 0:
        return out
    cdef int32_t[::1] o = out
    cdef Scratch s
    cdef int8_t* bp = NULL
    cdef Py_ssize_t bp_cap = 0
    cdef int rc = 0
    cdef int64_t a
    memset(&s, 0, sizeof(Scratch))
    with nogil:
        for j in range(m):
            a = starts[j]
            n = ends[j] - a
            if n <= 0:
                continue
            if scratch_reserve(&s, n, 4) < 0:
                rc = -2
                break
            if n > bp_cap:
                free(bp)
                bp = <int8_t*>malloc(n * 4)
                bp_cap = n
                if bp == NULL:
                    rc = -2
                    break
            prepare_chars(&text[a], n, &tb, s.c, s.k, s.lb, s.le, s.lm)
            seg_keys(n, &tb, s.c, s.k, s.lb, s.le, s.lm, s.keys, s.keys + n * N_HASHED)
            seg_emissions(&table.f, n, s.c, s.k, s.lb, s.le, s.lm, s.keys, s.keys + n * N_HASHED,
                          s.em)
            if seg_viterbi(s.em, n, &trans[0, 0], &allowed[0, 0], &posmask[a], s.delta, bp,
                           &o[a]) < 0:
                seg_viterbi(s.em, n, &trans[0, 0], &allowed[0, 0], NULL, s.delta, bp, &o[a])
        scratch_free(&s)
        free(bp)
    if rc == -2:
        raise MemoryError()
    return out


# ------------------------------------------------------- learning support

cdef inline int64_t joint_slot(const int64_t* jptr, const uint8_t* jlab, int32_t r,
                               int label) noexcept nogil:
    """Index of (row r, label) among the joint weights, or -1 (binary search)."""
    cdef int64_t lo = jptr[r], hi = jptr[r + 1], mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if jlab[mid] < label:
            lo = mid + 1
        else:
            hi = mid
    if lo < jptr[r + 1] and jlab[lo] == label:
        return lo
    return -1


def perceptron_gradient(const int32_t[:, ::1] rows, const int32_t[::1] gold,
                        const int32_t[::1] pred, int L, const int64_t[::1] jptr=None,
                        const uint8_t[::1] jlab=None):
    """Sparse gradient phi(pred) - phi(gold) of every parameter.

    Returns (pos_index, pos_value, joint_index, joint_value, trans_grad):
    flat indices into the position weights (row * 4 + position) and into the
    joint weights (pairs the model does not have are skipped), values with
    repeats to be summed, and the dense (L+1) x L transition gradient.
    """
    cdef Py_ssize_t n = rows.shape[0], i, t, m = 0, mj = 0
    cdef int32_t r, gp, pp
    cdef int64_t k
    cdef bint joint = jptr is not None and jlab is not None and jlab.shape[0] > 0
    for i in range(n):
        if gold[i] != pred[i]:
            for t in range(N_TEMPLATES):
                if rows[i, t] >= 0:
                    m += 2
    idx = np.empty(m, dtype=np.int64)
    val = np.empty(m, dtype=np.float64)
    jidx = np.empty(m, dtype=np.int64)
    jval = np.empty(m, dtype=np.float64)
    tgrad = np.zeros((L + 1, L), dtype=np.float64)
    cdef int64_t[::1] ix = idx, jx = jidx
    cdef double[::1] v = val, jv = jval
    cdef double[:, ::1] tg = tgrad
    m = 0
    for i in range(n):
        if gold[i] != pred[i]:
            for t in range(N_TEMPLATES):
                r = rows[i, t]
                if r < 0:
                    continue
                if (gold[i] & 3) != (pred[i] & 3):
                    ix[m] = <int64_t>r * 4 + (pred[i] & 3)
                    v[m] = 1.0
                    ix[m + 1] = <int64_t>r * 4 + (gold[i] & 3)
                    v[m + 1] = -1.0
                    m += 2
                if joint:
                    k = joint_slot(&jptr[0], &jlab[0], r, pred[i])
                    if k >= 0:
                        jx[mj] = k
                        jv[mj] = 1.0
                        mj += 1
                    k = joint_slot(&jptr[0], &jlab[0], r, gold[i])
                    if k >= 0:
                        jx[mj] = k
                        jv[mj] = -1.0
                        mj += 1
        gp = gold[i - 1] if i > 0 else L
        pp = pred[i - 1] if i > 0 else L
        if gp != pp or gold[i] != pred[i]:
            tg[pp, pred[i]] += 1.0
            tg[gp, gold[i]] -= 1.0
    return idx[:m], val[:m], jidx[:mj], jval[:mj], tgrad


def sequence_score(const int32_t[:, ::1] rows, const int32_t[::1] labels,
                   const double[:, ::1] W, const int64_t[::1] jptr, const uint8_t[::1] jlab,
                   const double[::1] jw, const double[:, ::1] trans):
    """Model score of one labelling (used by passive-aggressive steps)."""
    cdef Py_ssize_t n = rows.shape[0], i, t
    cdef double s = 0.0
    cdef int32_t r
    cdef int64_t k
    cdef int L = trans.shape[1]
    cdef bint joint = jlab.shape[0] > 0
    for i in range(n):
        for t in range(N_TEMPLATES):
            r = rows[i, t]
            if r >= 0:
                s += W[r, labels[i] & 3]
                if joint:
                    k = joint_slot(&jptr[0], &jlab[0], r, labels[i])
                    if k >= 0:
                        s += jw[k]
        s += trans[labels[i - 1] if i > 0 else L, labels[i]]
    return s


# ------------------------------------------------------- words out

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
    if labels.shape[0] != total:
        raise ValueError("one label per character needed")
    if forced_ends.shape[0] != nf or len(forced_tags) != nf:
        raise ValueError("forced spans and tags differ in length")
    for text in texts:
        stop = base + len(<str>text)
        if stop > total:
            raise ValueError("texts do not fit the joined text")
        words = []
        a = base
        for i in range(base, stop):
            lab = labels[i]
            if (lab & 3) >= 2 or i + 1 == stop:
                word = PyUnicode_Substring(joined, a, i + 1)
                if names is None:
                    words.append(word)
                else:
                    if lab < 0 or (lab >> 2) >= n_names:
                        raise ValueError(f"label {lab} has no tag name")
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


cdef inline bint is_han(uint32_t c) noexcept nogil:
    cdef uint8_t k = char_class(c)
    return k == 1 or k == 5 or k == 6


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
