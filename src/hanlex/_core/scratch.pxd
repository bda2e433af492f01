# cython: language_level=3
"""Per-call buffers of the decoders, grown to the longest segment and reused."""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t
from libc.stdlib cimport malloc, free
from libc.string cimport memset
from hanlex._core.common cimport N_TEMPLATES, PAD

cdef enum:
    N_GROUP_A = 9      # templates whose joint sums are cached (decode.pyx, GROUP_A)
    N_GROUP_B = 16     # the other templates
    N_CACHE = 4096     # entries of the group-A emission cache (power of 2)


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
    int32_t* ckey     # [N_CACHE, N_GROUP_A] cache of group-A joint sums: the rows...
    double* cval      # [N_CACHE, L] ...and their sums
    Py_ssize_t ncache # cache entries in use: a power of 2 <= N_CACHE, grows with segments...
    Py_ssize_t cache_hint  # ...and with the batch: a batch of many short segments repeats tuples
    bint shared_cache      # ckey/cval belong to a GroupCache that outlives this scratch
    bint no_cache          # set before the first reserve: no group-A cache (segmentation-only decoding)
    Py_ssize_t cap
    int L


cdef inline void scratch_free(Scratch* s) noexcept nogil:
    free(s.c)  # the block every per-segment buffer lives in
    if not s.shared_cache:
        free(s.ckey)
        free(s.cval)
    memset(s, 0, sizeof(Scratch))


cdef inline Py_ssize_t _round8(Py_ssize_t nbytes) noexcept nogil:
    return (nbytes + 7) & ~(<Py_ssize_t>7)


cdef inline int scratch_reserve(Scratch* s, Py_ssize_t n, int L) noexcept nogil:
    """Grow the buffers to hold a segment of n characters and L labels (-1: no memory)."""
    cdef Py_ssize_t i
    cdef Py_ssize_t hint = s.cache_hint
    cdef bint shared = s.shared_cache
    cdef bint no_cache = s.no_cache
    cdef int32_t* ckey = s.ckey
    cdef double* cval = s.cval
    cdef Py_ssize_t ncache = s.ncache
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
    if shared:
        s.shared_cache = True
        s.ckey, s.cval, s.ncache = ckey, cval, ncache
    elif not no_cache:
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
    if not no_cache and (s.ckey == NULL or s.cval == NULL):
        scratch_free(s)
        return -1
    return 0
