# cython: language_level=3
"""Per-call buffers of the decoders, grown to the longest segment and reused."""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t
from libc.stdlib cimport malloc, free
from libc.string cimport memset
from hanlex._core.common cimport PAD
from hanlex._core.templates cimport N_TEMPLATES, N_GROUP_A, N_GROUP_S

cdef enum:
    N_CACHE = 4096     # entries of the group-A emission cache (power of 2)
    N_STAT_CACHE = 512  # entries of the group-S cache: its tuples take ~200 values


cdef struct SumCache:
    # joint sums of one template group, per tuple of feature rows (decode.group_sums)
    int32_t* key      # [size, width] the rows (-2: an empty entry)...
    double* val       # [size, L] ...and their sums
    Py_ssize_t size   # a power of 2
    int width


cdef inline int sum_cache_alloc(SumCache* c, Py_ssize_t size, int width, int L) noexcept nogil:
    """Empty entries for tuples of `width` rows (-1: no memory)."""
    cdef Py_ssize_t i
    c.size = size
    c.width = width
    c.key = <int32_t*>malloc(size * width * sizeof(int32_t))
    c.val = <double*>malloc(size * (L + 1) * sizeof(double))
    if c.key == NULL or c.val == NULL:
        return -1
    for i in range(size * width):
        c.key[i] = -2  # matches no row (rows are >= -1)
    return 0


cdef inline void sum_cache_free(SumCache* c) noexcept nogil:
    free(c.key)
    free(c.val)
    c.key = NULL
    c.val = NULL


cdef struct Scratch:
    uint32_t* c       # [n + 2 PAD] padded normalised characters
    uint8_t* k        # [n + 2 PAD] their classes
    uint8_t* lb       # [n] longest lexicon word beginning at / ending at / covering each char
    uint8_t* le
    uint8_t* lm
    uint64_t* keys    # [n, N_TEMPLATES] feature keys (or hashed keys + pair keys)
    int32_t* rows     # [n, N_TEMPLATES] feature rows
    uint8_t* cand     # [n, L] candidate labels of each position, ascending
    int32_t* ncand    # [n]
    double* em        # [n, L] emission score of cand[i, j]
    double* delta     # [n, L]
    int32_t* bp       # [n, L] index into the previous position's candidates
    double* efull     # [L] scratch: all label scores of one position
    const double* offset  # [n, 4] or NULL: a score per position and B/M/E/S added to
                          # every label (training: the weights of a sentence's standard)
    SumCache cache_a  # group-A joint sums: <= N_CACHE entries, grows with segments...
    Py_ssize_t cache_hint  # ...and with the batch: a batch of many short segments repeats tuples
    SumCache cache_s  # group-S joint sums
    bint shared_cache      # the caches belong to a GroupCache that outlives this scratch
    bint no_cache          # set before the first reserve: no caches (segmentation-only decoding)
    Py_ssize_t cap
    int L


cdef inline void scratch_free(Scratch* s) noexcept nogil:
    free(s.c)  # the block every per-segment buffer lives in
    if not s.shared_cache:
        sum_cache_free(&s.cache_a)
        sum_cache_free(&s.cache_s)
    memset(s, 0, sizeof(Scratch))


cdef inline Py_ssize_t _round8(Py_ssize_t nbytes) noexcept nogil:
    return (nbytes + 7) & ~(<Py_ssize_t>7)


cdef inline int scratch_reserve(Scratch* s, Py_ssize_t n, int L) noexcept nogil:
    """Grow the buffers to hold a segment of n characters and L labels (-1: no memory)."""
    cdef Py_ssize_t i
    cdef Py_ssize_t hint = s.cache_hint
    cdef bint shared = s.shared_cache
    cdef bint no_cache = s.no_cache
    cdef SumCache cache_a = s.cache_a
    cdef SumCache cache_s = s.cache_s
    cdef const double* offset = s.offset
    cdef Py_ssize_t ncache
    if n <= s.cap and L == s.L:
        return 0
    scratch_free(s)
    s.cache_hint = hint
    # one allocation carved into the buffers (in 8-byte steps): a call on a
    # short text would otherwise spend more on malloc than on decoding
    cdef Py_ssize_t sizes[13]
    sizes[0] = _round8((n + 2 * PAD) * sizeof(uint32_t))        # c
    sizes[1] = _round8(n + 2 * PAD)                              # k
    sizes[2] = _round8(n + 1)                                    # lb
    sizes[3] = _round8(n + 1)                                    # le
    sizes[4] = _round8(n + 1)                                    # lm
    sizes[5] = _round8((n * N_TEMPLATES + 1) * sizeof(uint64_t))  # keys
    sizes[6] = _round8((n * N_TEMPLATES + 1) * sizeof(int32_t))   # rows
    sizes[7] = _round8(n * L + 1)                                # cand
    sizes[8] = _round8((n + 1) * sizeof(int32_t))                # ncand
    sizes[9] = _round8((n * L + 1) * sizeof(double))             # em
    sizes[10] = _round8((n * L + 1) * sizeof(double))            # delta
    sizes[11] = _round8((n * L + 1) * sizeof(int32_t))           # bp
    sizes[12] = _round8((L + 1) * sizeof(double))                # efull
    cdef Py_ssize_t total = 0
    for i in range(13):
        total += sizes[i]
    cdef char* block = <char*>malloc(total)
    if block == NULL:
        return -1
    s.c = <uint32_t*>block
    block += sizes[0]
    s.k = <uint8_t*>block
    block += sizes[1]
    s.lb = <uint8_t*>block
    block += sizes[2]
    s.le = <uint8_t*>block
    block += sizes[3]
    s.lm = <uint8_t*>block
    block += sizes[4]
    s.keys = <uint64_t*>block
    block += sizes[5]
    s.rows = <int32_t*>block
    block += sizes[6]
    s.cand = <uint8_t*>block
    block += sizes[7]
    s.ncand = <int32_t*>block
    block += sizes[8]
    s.em = <double*>block
    block += sizes[9]
    s.delta = <double*>block
    block += sizes[10]
    s.bp = <int32_t*>block
    block += sizes[11]
    s.efull = <double*>block
    s.no_cache = no_cache
    s.offset = offset
    s.cap = n
    s.L = L
    if shared:
        s.shared_cache = True
        s.cache_a, s.cache_s = cache_a, cache_s
    elif not no_cache:
        ncache = 16
        while (ncache < n or ncache < hint) and ncache < N_CACHE:
            ncache <<= 1
        if (sum_cache_alloc(&s.cache_a, ncache, N_GROUP_A, L) < 0
                or sum_cache_alloc(&s.cache_s, N_STAT_CACHE, N_GROUP_S, L) < 0):
            scratch_free(s)
            return -1
    return 0
