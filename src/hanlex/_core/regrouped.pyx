# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""RegroupedTable: building it from a model's keys, and reading emissions or
feature rows from it (regrouped.pxd says how it is laid out)."""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t, uint16_t
from libc.stdlib cimport calloc, realloc, free
from libc.string cimport memset, memcpy

import numpy as np

from hanlex._core.common cimport (N_TEMPLATES, STAT_BUCKETS, NCP, PAD, TEMPLATE_STEP,
                                  HANLEX_PREFETCH, half_to_float, float_to_half, add4_half,
                                  widen_half)
from hanlex._core.hashing cimport fkey, unmix64, pair_hash, stat_pair_key
from hanlex._core.hashindex cimport insert_key, slot_find
from hanlex._core.features cimport Tables, valid_bucket, class_window_key


cdef float ZERO16[16]
cdef uint16_t HALF_ZERO16[16]


cdef inline int to_half4(uint16_t* dst, const float* w, int count) noexcept nogil:
    """float16 bits of `count` weights; -1 if one is not a float16 value."""
    cdef int q
    for q in range(count):
        dst[q] = float_to_half(w[q])
        if half_to_float(dst[q]) != w[q]:  # NaN included
            return -1
    return 0


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


cdef class RegroupedTable:
    """A model's features regrouped for few cache misses (regrouped.pxd);
    built once, read-only, thread-safe."""

    def __cinit__(self, const uint64_t[::1] keys, const float[:, ::1] W, bint stats=True,
                  bint half=False):
        """stats: the model has raw-text statistics; without them the generic
        path never asks for templates 22-24, so neither does this table.
        half: keep the hashed and pair weights as float16 (W must hold float16
        values, as every model's weights do), for regrouped_emissions."""
        cdef Py_ssize_t i, m, n = keys.shape[0]
        cdef uint64_t cap, pos
        cdef int rc = 0
        cdef size_t stride
        cdef char* base
        if W.shape[0] != n or W.shape[1] != 4:
            raise ValueError("weights do not fit the keys")
        self.size = n
        memset(&self.f, 0, sizeof(Regrouped))
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
        self.f.mask = cap - 1
        # half or float slots: the same keys, placed the same way
        stride = sizeof(HalfSlot) if half else sizeof(WeightSlot)
        base = <char*>calloc(cap, stride)
        if base == NULL:
            raise MemoryError()
        if half:
            self.hslots = <HalfSlot*>base
        else:
            self.slots = <WeightSlot*>base
        for i in range(n):
            if i + 16 < n and self.hashed[i + 16]:
                HANLEX_PREFETCH(base + (keys[i + 16] & self.f.mask) * stride)
            if not self.hashed[i]:
                continue
            pos = insert_key(base, stride, self.f.mask, keys[i], "RegroupedTable")
            if not half:
                memcpy(self.slots[pos].w, &W[i, 0], 4 * sizeof(float))
            elif to_half4(self.hslots[pos].w, &W[i, 0], 4) < 0:
                raise ValueError("half=True needs weights that are float16 values")
        free(self.hashed)
        self.hashed = NULL
        if half:
            rc = self.pairs_to_half()
            if rc == -1:
                raise MemoryError()
            if rc == -2:
                raise ValueError("half=True needs weights that are float16 values")
        self.f.slots = self.slots
        self.f.pairs = self.pairs
        self.f.hslots = self.hslots
        self.f.hpairs = self.hpairs
        self.half = half
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

    cdef int pairs_to_half(self) noexcept nogil:
        """Turn the pair slots into half slots in place (slot i moves from byte
        80 i to 40 i, never over a slot not yet read) and give back the rest.
        -1: out of memory; -2: a weight that float16 cannot hold exactly."""
        cdef uint64_t pos, cap = self.f.pmask + 1
        cdef PairSlot slot
        cdef HalfPairSlot* dst = <HalfPairSlot*>self.pairs
        for pos in range(cap):
            slot = self.pairs[pos]
            dst[pos].key = slot.key
            if to_half4(dst[pos].w, slot.w, 16) < 0:
                return -2
        self.hpairs = <HalfPairSlot*>realloc(self.pairs, cap * sizeof(HalfPairSlot))
        if self.hpairs == NULL:  # shrinking failed: keep the block
            self.hpairs = dst
        self.pairs = NULL
        return 0

    def __dealloc__(self):
        free(self.hslots)
        free(self.hpairs)
        free(self.hashed)
        free(self.readings)
        free(self.slots)
        free(self.pairs)
        free(self.uni_index)
        free(self.uni)
        free(self.dense)

    def __len__(self):
        return self.size


cdef inline Py_ssize_t slot_index(const char* slots, size_t stride, uint64_t mask,
                                   uint64_t key) noexcept nogil:
    """Where `key` sits in a table of `stride`-byte slots that start with their
    uint64 key (linear probing from the key's low bits), or -1."""
    cdef uint64_t pos = key & mask
    cdef uint64_t k
    while True:
        k = (<const uint64_t*>(slots + pos * stride))[0]
        if k == key:
            return <Py_ssize_t>pos
        if k == 0:
            return -1
        pos = (pos + 1) & mask


cdef inline const float* weight_find(const WeightSlot* slots, uint64_t mask, uint64_t key) noexcept nogil:
    cdef Py_ssize_t i = slot_index(<const char*>slots, sizeof(WeightSlot), mask, key)
    if i < 0:
        return NULL
    return &slots[i].w[0]


cdef inline const float* pair_find(const Regrouped* T, uint64_t key) noexcept nogil:
    cdef Py_ssize_t i = slot_index(<const char*>T.pairs, sizeof(PairSlot), T.pmask, key)
    if i < 0:
        return ZERO16
    return &T.pairs[i].w[0]


cdef void regrouped_keys(Py_ssize_t n, const Tables* tb, const uint32_t* c, const uint8_t* k,
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


cdef inline const uint16_t* half_weight_find(const HalfSlot* slots, uint64_t mask,
                                             uint64_t key) noexcept nogil:
    cdef Py_ssize_t i = slot_index(<const char*>slots, sizeof(HalfSlot), mask, key)
    if i < 0:
        return NULL
    return &slots[i].w[0]


cdef inline const uint16_t* half_pair_find(const Regrouped* T, uint64_t key) noexcept nogil:
    cdef Py_ssize_t i = slot_index(<const char*>T.hpairs, sizeof(HalfPairSlot), T.pmask, key)
    if i < 0:
        return HALF_ZERO16
    return &T.hpairs[i].w[0]


cdef inline void add_hashed(double* s, const Regrouped* T, uint64_t key) noexcept nogil:
    cdef const uint16_t* w
    if key != 0:
        w = half_weight_find(T.hslots, T.mask, key)
        if w != NULL:
            add4_half(s, w)


cdef void regrouped_emissions(const Regrouped* T, Py_ssize_t n, const uint32_t* c,
                              const uint8_t* k, const uint8_t* lb, const uint8_t* le,
                              const uint8_t* lm, const uint64_t* hk, const uint64_t* ph,
                              double* em) noexcept nogil:
    """em[i, q]: the position-q weights of all features of position i, added
    in template order exactly as the generic path adds them (a half table)."""
    cdef Py_ssize_t i, p, j, q
    cdef double s[4]
    cdef const uint16_t* b0
    cdef const uint16_t* b1
    cdef const uint16_t* b2
    cdef const uint16_t* b3
    cdef const float* u = T.uni
    cdef const int32_t* ui = T.uni_index
    cdef const float* d = T.dense
    cdef const uint64_t* o
    cdef const uint64_t* sb = ph + n + 3  # raw-text buckets of the pairs (regrouped_keys)
    cdef const char* pp
    for j in range(BI_AHEAD if BI_AHEAD < n + 3 else n + 3):
        pp = <const char*>(T.hpairs + (ph[j] & T.pmask))
        HANLEX_PREFETCH(pp)
        HANLEX_PREFETCH(pp + sizeof(HalfPairSlot) - 1)
    for j in range(HASH_AHEAD * N_HASHED if HASH_AHEAD < n else n * N_HASHED):
        if hk[j] != 0:
            HANLEX_PREFETCH(T.hslots + (hk[j] & T.mask))
    b0 = half_pair_find(T, ph[0])
    b1 = half_pair_find(T, ph[1])
    b2 = half_pair_find(T, ph[2])
    for i in range(n):
        p = PAD + i
        j = i + 3 + BI_AHEAD
        if j < n + 3:
            pp = <const char*>(T.hpairs + (ph[j] & T.pmask))
            HANLEX_PREFETCH(pp)
            HANLEX_PREFETCH(pp + sizeof(HalfPairSlot) - 1)
        if i + HASH_AHEAD < n:
            o = hk + (i + HASH_AHEAD) * N_HASHED
            for q in range(N_HASHED):
                if o[q] != 0:
                    HANLEX_PREFETCH(T.hslots + (o[q] & T.mask))
        b3 = half_pair_find(T, ph[i + 3])
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
        add4_half(s, b0)                                       # 6
        add4_half(s, b1 + 4)                                   # 7
        add4_half(s, b2 + 8)                                   # 8
        add4_half(s, b3 + 12)                                  # 9
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


def float32_of_half(a):
    """A float16 array as float32, widened in compiled code (numpy's own cast
    goes one value at a time: ~20 ms for a model's weights, here ~1 ms); any
    other array as np.ascontiguousarray(a, dtype=np.float32)."""
    a = np.asarray(a)
    if a.dtype != np.float16:
        return np.ascontiguousarray(a, dtype=np.float32)
    src = np.ascontiguousarray(a).reshape(-1).view(np.uint16)
    out = np.empty(a.shape, dtype=np.float32)
    cdef const uint16_t[::1] s = src
    cdef float[::1] d = out.reshape(-1)
    if s.shape[0]:
        with nogil:
            widen_half(&d[0], &s[0], s.shape[0])
    return out


def row_table_weights(Py_ssize_t n):
    """Weights that turn a RegroupedTable into a feature-row index: feature i's
    first weight is i + 1 (exact in float32 below 2**24), so a template's
    block reads back its row, and 0 (nothing stored) reads back -1."""
    if n >= (1 << 24):
        raise ValueError("too many features for a float32 row table")
    W = np.zeros((n, 4), dtype=np.float32)
    W[:, 0] = np.arange(1, n + 1, dtype=np.float32)
    return W


cdef inline int32_t block_row(const float* w) noexcept nogil:
    return <int32_t>w[0] - 1


cdef inline int32_t hashed_row(const Regrouped* T, uint64_t key) noexcept nogil:
    cdef const float* w
    if key == 0:
        return -1
    w = weight_find(T.slots, T.mask, key)
    return block_row(w) if w != NULL else -1


cdef void regrouped_rows_into(const Regrouped* T, Py_ssize_t n, const uint32_t* c,
                              const uint8_t* k, const uint8_t* lb, const uint8_t* le,
                              const uint8_t* lm, const uint64_t* hk, const uint64_t* ph,
                              int32_t* rows) noexcept nogil:
    """The feature rows lookup_rows would give (n x N_TEMPLATES, -1 = none),
    read from a row table (a RegroupedTable over row_table_weights)."""
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
    cdef const uint64_t* sb = ph + n + 3  # raw-text buckets of the pairs (regrouped_keys)
    # the prefetch steps are written out, as in regrouped_emissions: as a helper
    # function they cost speed (the compiler did not keep them in the loop)
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


