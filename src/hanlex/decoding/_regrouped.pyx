# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""RegroupedTable: building it from a model's keys, and reading emissions or
feature rows from it (regrouped.pxd says how it is laid out)."""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t, uint16_t
from libc.stdlib cimport calloc, realloc, free
from libc.string cimport memset, memcpy

from hanlex._numpy import np

from hanlex._core.templates cimport *
from hanlex._core.common cimport (STAT_BUCKETS, N_CLASSES, NCP, PAD, TEMPLATE_STEP,
                                  HANLEX_PREFETCH, half_to_float, float_to_half, add4_half,
                                  widen_half)
from hanlex._core.hashing cimport fkey, unmix64, pair_hash, stat_pair_key
from hanlex._core.hashindex cimport insert_key, probe_ends, slot_find
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


cdef enum:  # where a feature's weights go (template_kind)
    NOWHERE = 0   # not a key the decoder can ask for
    TO_BIAS = 1
    TO_CHAR = 2   # a character's row
    TO_PAIR = 3   # a pair's row
    TO_DENSE = 4
    TO_HASHED = 5


cdef inline int template_kind(int t, uint64_t a, uint64_t b, uint64_t c) noexcept nogil:
    """Where the feature (template t, arguments a b c) goes."""
    if t == T_BIAS:
        return TO_BIAS if a == 0 and b == 0 and c == 0 else NOWHERE
    if t <= T_C_P2:
        return TO_CHAR if a < NCP and b == 0 and c == 0 else NOWHERE
    if t <= T_PAIR_P1:
        return TO_PAIR if a < NCP and b < NCP and c == 0 else NOWHERE
    if t == T_SKIP:
        return TO_HASHED if a < NCP and b < NCP and c == 0 else NOWHERE
    if t == T_STAT_BOTH:
        return TO_DENSE if a < STAT_BUCKETS and b < STAT_BUCKETS and c == 0 else NOWHERE
    if t == T_TRIGRAM:
        return TO_HASHED if a < NCP and b < NCP and c < NCP else NOWHERE
    if t == T_CLASS_TRIGRAM:
        return TO_DENSE if a < N_CLASSES and b < N_CLASSES and c < N_CLASSES else NOWHERE
    if t == T_LEX_BEGIN_C0 or t == T_LEX_END_C0:
        return TO_HASHED if a < LEX_VALUES and b < NCP and c == 0 else NOWHERE
    if b != 0 or c != 0:
        return NOWHERE
    if t == T_CLASS:
        return TO_DENSE if a < N_CLASSES else NOWHERE
    if t == T_REPEAT:
        return TO_DENSE if a < REPEAT_VALUES else NOWHERE
    if t == T_LEX_BEGIN or t == T_LEX_END or t == T_LEX_MID:
        return TO_DENSE if a < LEX_VALUES else NOWHERE
    if t == T_LEX_ALL:
        return TO_DENSE if a < LEX_ALL_VALUES else NOWHERE
    if t == T_STAT_LEFT or t == T_STAT_RIGHT:
        return TO_DENSE if a < STAT_BUCKETS else NOWHERE
    if t == T_CLASS_WINDOW:
        return TO_HASHED if a < (1 << 21) else NOWHERE
    return NOWHERE


cdef inline Py_ssize_t dense_row(int t, uint64_t a, uint64_t b, uint64_t c) noexcept nogil:
    if t == T_CLASS:
        return D_CLASS + a
    if t == T_CLASS_TRIGRAM:
        return D_CLASS_TRIGRAM + (a * N_CLASSES + b) * N_CLASSES + c
    if t == T_REPEAT:
        return D_REPEAT + a
    if t == T_LEX_BEGIN:
        return D_LEX_BEGIN + a
    if t == T_LEX_END:
        return D_LEX_END + a
    if t == T_LEX_MID:
        return D_LEX_MID + a
    if t == T_STAT_LEFT:
        return D_STAT_LEFT + a
    if t == T_STAT_RIGHT:
        return D_STAT_RIGHT + a
    if t == T_STAT_BOTH:
        return D_STAT_BOTH + a * STAT_BUCKETS + b
    return D_LEX_ALL + a


cdef inline Py_ssize_t class_window_row(uint64_t a) noexcept nogil:
    """The cwin row of a class window's argument (features.class_window_key packs
    five classes in 4 bits each), or -1 if a class is out of range."""
    cdef Py_ssize_t row = 0
    cdef int shift
    cdef uint64_t cls
    if a >> 20:
        return -1
    for shift in range(16, -4, -4):
        cls = (a >> shift) & 0xF
        if cls >= N_CLASSES:
            return -1
        row = row * N_CLASSES + <Py_ssize_t>cls
    return row


cdef inline Py_ssize_t class_window_at(const uint8_t* k, Py_ssize_t p) noexcept nogil:
    """The cwin row of the classes k[p-2..p+2] (class_window_row of their key)."""
    return (((k[p - 2] * N_CLASSES + k[p - 1]) * N_CLASSES + k[p]) * N_CLASSES
            + k[p + 1]) * N_CLASSES + k[p + 2]


cdef PairSlot* pair_slot(PairSlot* pairs, uint64_t mask, uint64_t key) noexcept nogil:
    """The slot holding `key`, or the empty slot where it belongs."""
    cdef uint64_t pos = key & mask
    while pairs[pos].key != 0 and pairs[pos].key != key:
        pos = (pos + 1) & mask
    return pairs + pos


_STORED = object()  # RegroupedTable(_STORED, None): an empty table for from_stored


cdef object _words_of(const char* base, Py_ssize_t nbytes, Py_ssize_t stride):
    """A copy of `nbytes` of slots as a (slots, stride) uint64 array."""
    out = np.empty((nbytes // (8 * stride), stride), dtype=np.uint64)
    cdef uint64_t[:, ::1] o = out
    if nbytes:
        memcpy(&o[0, 0], base, nbytes)
    return out


cdef class RegroupedTable:
    """A model's features regrouped for few cache misses (regrouped.pxd);
    built once, read-only, thread-safe."""

    def __cinit__(self, keys, W, bint stats=True, bint half=False):
        """stats: the model has raw-text statistics; without them the generic
        path never asks for the statistics templates, so neither does this table.
        half: keep the hashed and pair weights as float16 (W must hold float16
        values, as every model's weights do), for regrouped_emissions."""
        memset(&self.f, 0, sizeof(Regrouped))
        if keys is _STORED:  # from_stored fills it in
            return
        self.build(keys, W, stats, half)

    cdef int build(self, const uint64_t[::1] keys, const float[:, ::1] W, bint stats,
                   bint half) except -1:
        cdef Py_ssize_t i, n = keys.shape[0]
        if W.shape[0] != n or W.shape[1] != 4:
            raise ValueError("weights do not fit the keys")
        self.size = n
        self.half = half
        self.hashed = <uint8_t*>calloc(n + 1, 1)
        self.uni_index = <int32_t*>calloc(NCP, sizeof(int32_t))
        self.dense = <float*>calloc(D_END * 4, sizeof(float))
        self.uni_cap = 1024
        self.uni = <float*>calloc(self.uni_cap * UNI_W, sizeof(float))
        self.lexc = <float*>calloc(self.uni_cap * LEXC_W, sizeof(float))
        self.cwin = <uint16_t*>calloc(CWIN_ROWS * 4, sizeof(uint16_t)) if half else NULL
        self.cwinf = <float*>calloc(CWIN_ROWS * 4, sizeof(float)) if not half else NULL
        self.pairs = <PairSlot*>calloc(1024, sizeof(PairSlot))
        if (self.hashed == NULL or self.uni_index == NULL or self.dense == NULL
                or self.uni == NULL or self.pairs == NULL
                or self.lexc == NULL or (self.cwin == NULL and self.cwinf == NULL)):
            raise MemoryError()
        self.f.pmask = 1024 - 1
        for i in range(n):
            if keys[i] == 0:
                raise ValueError("key 0 is reserved")
        self.place_all(keys, W)
        if not stats:
            memset(self.dense + D_STAT_LEFT * 4, 0, (D_END - D_STAT_LEFT) * 4 * sizeof(float))
        self.fill_hashed(keys, W)
        self.f.slots = self.slots
        self.f.pairs = self.pairs
        self.f.hslots = self.hslots
        self.f.hpairs = self.hpairs
        self.f.uni_index = self.uni_index
        self.f.uni = self.uni
        self.f.dense = self.dense
        self.f.lexc = self.lexc
        self.f.cwin = self.cwin
        self.f.cwinf = self.cwinf
        return 0

    @staticmethod
    def from_stored(dict arrays, Py_ssize_t size):
        """A half table read from the arrays `stored()` gave, by the same names
        (a model file's, memory-mapped: they are read in place, never copied,
        and kept alive by the table). Any arrays of the right shapes make a
        table that decodes without reading out of bounds: each hash table needs
        one empty slot (a probe ends there) and the characters' rows are bounded."""
        cdef const uint64_t[:, ::1] hslots = arrays["hslots"]
        cdef const uint64_t[:, ::1] hpairs = arrays["hpairs"]
        cdef const float[:, ::1] uni = arrays["uni"]
        cdef const float[:, ::1] lexc = arrays["lexc"]
        cdef const uint16_t[:, ::1] cwin = arrays["cwin"]
        cdef const int32_t[::1] uni_chars = arrays["uni_chars"]
        cdef const float[:, ::1] dense = arrays["dense"]
        cdef const float[::1] bias = arrays["bias"]
        cdef RegroupedTable t = RegroupedTable.__new__(RegroupedTable, _STORED, None)
        cdef Py_ssize_t i, rows = uni.shape[0]
        if sizeof(HalfSlot) != 16 or sizeof(HalfPairSlot) != 40:
            raise ValueError("this build lays out half slots differently")
        if (hslots.shape[1] != sizeof(HalfSlot) // 8 or hpairs.shape[1] != sizeof(HalfPairSlot) // 8
                or not probe_ends(&hslots[0, 0] if hslots.shape[0] else NULL, hslots.shape[0], 2)
                or not probe_ends(&hpairs[0, 0] if hpairs.shape[0] else NULL, hpairs.shape[0], 5)):
            raise ValueError("a hash table's shape does not fit its slots")
        if (rows < 1 or uni.shape[1] != UNI_W or uni_chars.shape[0] != rows - 1
                or lexc.shape[0] != rows or lexc.shape[1] != LEXC_W
                or cwin.shape[0] != CWIN_ROWS or cwin.shape[1] != 4
                or dense.shape[0] != D_END or dense.shape[1] != 4 or bias.shape[0] != 4):
            raise ValueError("the character rows or dense weights have the wrong shape")
        t.uni_index = <int32_t*>calloc(NCP, sizeof(int32_t))
        if t.uni_index == NULL:
            raise MemoryError()
        for i in range(rows - 1):
            if uni_chars[i] < 0 or uni_chars[i] >= NCP:
                raise ValueError("a character row names no character")
            t.uni_index[uni_chars[i]] = <int32_t>(i + 1)
        t.owner = (hslots, hpairs, uni, lexc, cwin, dense)
        t.half, t.size, t.n_chars = True, size, rows - 1
        t.f.hslots = <const HalfSlot*>&hslots[0, 0]
        t.f.mask = hslots.shape[0] - 1
        t.f.hpairs = <const HalfPairSlot*>&hpairs[0, 0]
        t.f.pmask = hpairs.shape[0] - 1
        t.f.uni_index = t.uni_index
        t.f.uni = &uni[0, 0]
        t.f.lexc = &lexc[0, 0]
        t.f.cwin = &cwin[0, 0]
        t.f.dense = &dense[0, 0]
        memcpy(t.f.bias, &bias[0], 4 * sizeof(float))
        return t

    def stored(self) -> dict:
        """This half table as the arrays from_stored reads (copies): the hash
        tables' slots as uint64 words, the characters' rows with the character
        of each, the dense weights and the bias."""
        if not self.half or self.f.hslots == NULL:
            raise ValueError("only a built half table is stored")
        cdef Py_ssize_t cp
        chars = np.zeros(self.n_chars, dtype=np.int32)
        cdef int32_t[::1] ch = chars
        for cp in range(NCP):
            if self.f.uni_index[cp]:
                ch[self.f.uni_index[cp] - 1] = <int32_t>cp
        return {
            "hslots": _words_of(<const char*>self.f.hslots, (self.f.mask + 1) * sizeof(HalfSlot), 2),
            "hpairs": _words_of(<const char*>self.f.hpairs,
                                (self.f.pmask + 1) * sizeof(HalfPairSlot), 5),
            "uni": np.asarray(<const float[:self.n_chars + 1, :UNI_W]>self.f.uni).copy(),
            "lexc": np.asarray(<const float[:self.n_chars + 1, :LEXC_W]>self.f.lexc).copy(),
            "cwin": np.asarray(<const uint16_t[:CWIN_ROWS, :4]>self.f.cwin).copy(),
            "uni_chars": chars,
            "dense": np.asarray(<const float[:D_END, :4]>self.f.dense).copy(),
            "bias": np.array([self.f.bias[0], self.f.bias[1], self.f.bias[2], self.f.bias[3]],
                             dtype=np.float32),
        }

    cdef int place_all(self, const uint64_t[::1] keys, const float[:, ::1] W) except -1:
        """Read every key back into the templates it can stand for and put its
        weights there (the hashed ones are only marked, for fill_hashed)."""
        cdef Py_ssize_t i, n = keys.shape[0]
        cdef int rc = 0
        with nogil:
            for i in range(n):
                rc = self.place(unmix64(keys[i]), i, &W[i, 0])
                if rc == 0 and keys[i] == 1:  # fkey turns a zero hash into 1
                    rc = self.place(0, i, &W[i, 0])
                if rc < 0:
                    break
            if rc == 0:
                rc = self.place_pairs(W)
        if rc == -2:
            raise ValueError("half=True needs weights that are float16 values")
        if rc < 0:
            raise MemoryError()
        return 0

    cdef int fill_hashed(self, const uint64_t[::1] keys, const float[:, ::1] W) except -1:
        """The hashed templates' keys, with their weights in the slot (half or
        float slots: the same keys, placed the same way)."""
        cdef Py_ssize_t i, m = 0, n = keys.shape[0]
        cdef uint64_t cap = 16, pos
        cdef size_t stride = sizeof(HalfSlot) if self.half else sizeof(WeightSlot)
        cdef char* base
        cdef int rc
        for i in range(n):
            m += self.hashed[i]
        self.n_hashed = m
        while cap < <uint64_t>(m + m // 2 + 1):
            cap <<= 1
        self.f.mask = cap - 1
        base = <char*>calloc(cap, stride)
        if base == NULL:
            raise MemoryError()
        if self.half:
            self.hslots = <HalfSlot*>base
        else:
            self.slots = <WeightSlot*>base
        for i in range(n):
            if i + 16 < n and self.hashed[i + 16]:
                HANLEX_PREFETCH(base + (keys[i + 16] & self.f.mask) * stride)
            if not self.hashed[i]:
                continue
            pos = insert_key(base, stride, self.f.mask, keys[i], "RegroupedTable")
            if not self.half:
                memcpy(self.slots[pos].w, &W[i, 0], 4 * sizeof(float))
            elif to_half4(self.hslots[pos].w, &W[i, 0], 4) < 0:
                raise ValueError("half=True needs weights that are float16 values")
        free(self.hashed)
        self.hashed = NULL
        if self.half:
            rc = self.pairs_to_half()
            if rc == -1:
                raise MemoryError()
            if rc == -2:
                raise ValueError("half=True needs weights that are float16 values")
        return 0

    cdef int place(self, uint64_t x, Py_ssize_t i, const float* w) noexcept nogil:
        """Put feature i's weights w wherever (template, arguments) packing to
        x can be asked for. -1: out of memory; -2: a weight float16 cannot hold."""
        cdef int t, kind
        cdef uint64_t p, a, b, c
        for t in range(N_TEMPLATES):
            p = x - <uint64_t>t * TEMPLATE_STEP
            c = p >> 42
            if c != 0 and t != T_TRIGRAM and t != T_CLASS_TRIGRAM:  # the common case
                continue
            a = p & 0x1FFFFF
            b = (p >> 21) & 0x1FFFFF
            kind = template_kind(t, a, b, c)
            if kind == TO_HASHED and (t == T_LEX_BEGIN_C0 or t == T_LEX_END_C0):
                # read from the character's lexicon row (lexc), not hashed
                if self.char_row(b) < 0:
                    return -1
                memcpy(self.lexc + self.uni_index[b] * LEXC_W
                       + (LEX_VALUES * 4 if t == T_LEX_END_C0 else 0) + a * 4,
                       w, 4 * sizeof(float))
            elif kind == TO_HASHED and t == T_CLASS_WINDOW and class_window_row(a) >= 0:
                # class windows are read from a dense array (cwin, cwinf), not hashed
                if not self.half:
                    memcpy(self.cwinf + class_window_row(a) * 4, w, 4 * sizeof(float))
                elif to_half4(self.cwin + class_window_row(a) * 4, w, 4) < 0:
                    return -2
            elif kind == TO_HASHED:
                self.hashed[i] = 1
            elif kind == TO_BIAS:
                memcpy(self.f.bias, w, 4 * sizeof(float))
            elif kind == TO_CHAR:
                if self.place_char(t, a, w) < 0:
                    return -1
            elif kind == TO_PAIR:  # placed later, in bulk, with prefetching
                if self.add_reading(t, a, b, i) < 0:
                    return -1
            elif kind == TO_DENSE:
                memcpy(self.dense + dense_row(t, a, b, c) * 4, w, 4 * sizeof(float))
        return 0

    cdef int place_char(self, int t, uint64_t a, const float* w) noexcept nogil:
        """Template t's weights in character a's row (-1: out of memory)."""
        if self.char_row(a) < 0:
            return -1
        memcpy(self.uni + self.uni_index[a] * UNI_W + (t - T_C_M2) * 4, w, 4 * sizeof(float))
        return 0

    cdef int char_row(self, uint64_t a) noexcept nogil:
        """Character a's row, claimed (zeros) if it has none yet (-1: out of memory)."""
        if self.uni_index[a] == 0:
            if self.n_chars + 1 >= self.uni_cap and self.grow_chars() < 0:
                return -1
            self.n_chars += 1
            self.uni_index[a] = <int32_t>self.n_chars
        return 0

    cdef int add_reading(self, int t, uint64_t a, uint64_t b, Py_ssize_t i) noexcept nogil:
        """Note feature i as template t of the pair ab (-1: out of memory)."""
        if self.n_readings == self.readings_cap and self.grow_readings() < 0:
            return -1
        self.readings[self.n_readings].key = pair_hash(a, b)
        self.readings[self.n_readings].feature = <int32_t>i
        self.readings[self.n_readings].t = t
        self.n_readings += 1
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
        four readings (templates T_PAIR_M2..T_PAIR_P1): the table starts at half their number
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
            memcpy(self.claim_pair(r.key) + (r.t - T_PAIR_M2) * 4, &W[r.feature, 0], 4 * sizeof(float))
        free(self.readings)
        self.readings = NULL
        return 0

    cdef int grow_chars(self) noexcept nogil:
        cdef float* grown = <float*>realloc(self.uni, 2 * self.uni_cap * UNI_W * sizeof(float))
        if grown == NULL:
            return -1
        memset(grown + self.uni_cap * UNI_W, 0, self.uni_cap * UNI_W * sizeof(float))
        self.uni = grown
        if self.lexc != NULL:
            grown = <float*>realloc(self.lexc, 2 * self.uni_cap * LEXC_W * sizeof(float))
            if grown == NULL:
                return -1
            memset(grown + self.uni_cap * LEXC_W, 0, self.uni_cap * LEXC_W * sizeof(float))
            self.lexc = grown
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

    def __dealloc__(self):  # a stored table's slots, rows and dense weights are its owner's
        free(self.hslots)
        free(self.hpairs)
        free(self.hashed)
        free(self.readings)
        free(self.slots)
        free(self.pairs)
        free(self.uni_index)
        free(self.uni)
        free(self.lexc)
        free(self.cwin)
        free(self.cwinf)
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


cdef void regrouped_keys(Py_ssize_t n, const Tables* tb, Scratch* s) noexcept nogil:
    """Into s.keys (after prepare_chars): the keys the fast path still hashes
    (hk: n x N_HASHED, 0 = none), then the pair hashes ph[j] of (c[j], c[j + 1])
    for j < n + 3 and, after them, the raw-text buckets sb[j] of the same pairs
    (0 without statistics), as feature_keys computes them."""
    cdef Py_ssize_t i, p
    cdef uint64_t* o
    cdef uint64_t* hk = s.keys
    cdef uint64_t* ph = s.keys + n * N_HASHED
    cdef uint64_t* sb = ph + n + 3
    cdef const uint32_t* c = s.c
    cdef const uint8_t* k = s.k
    cdef const uint8_t* lb = s.lb
    cdef const uint8_t* le = s.le
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
        o[0] = fkey(T_SKIP, c[p - 1], c[p + 1], 0)
        o[1] = fkey(T_TRIGRAM, c[p - 1], c[p], c[p + 1])


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


cdef inline void prefetch_first_half(const Regrouped* T, Py_ssize_t n, const uint64_t* hk,
                                     const uint64_t* ph) noexcept nogil:
    """Fetch the first positions' pair and hashed slots of a half table."""
    cdef Py_ssize_t j
    cdef const char* pp
    for j in range(BI_AHEAD if BI_AHEAD < n + 3 else n + 3):
        pp = <const char*>(T.hpairs + (ph[j] & T.pmask))
        HANLEX_PREFETCH(pp)
        HANLEX_PREFETCH(pp + sizeof(HalfPairSlot) - 1)
    for j in range(HASH_AHEAD * N_HASHED if HASH_AHEAD < n else n * N_HASHED):
        if hk[j] != 0:
            HANLEX_PREFETCH(T.hslots + (hk[j] & T.mask))


cdef void regrouped_emissions(const Regrouped* T, Py_ssize_t n, const Scratch* sc,
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
    cdef const uint32_t* c = sc.c
    cdef const uint8_t* k = sc.k
    cdef const uint8_t* lb = sc.lb
    cdef const uint8_t* le = sc.le
    cdef const uint8_t* lm = sc.lm
    cdef const uint64_t* hk = sc.keys  # regrouped_keys' hashed keys, pair hashes, buckets
    cdef const uint64_t* ph = sc.keys + n * N_HASHED
    cdef const uint64_t* sb = ph + n + 3
    cdef const char* pp
    prefetch_first_half(T, n, hk, ph)
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
        add4(s, T.bias)                                   # T_BIAS
        add4(s, u + ui[c[p - 2]] * UNI_W)                 # T_C_M2 .. T_C_P2
        add4(s, u + ui[c[p - 1]] * UNI_W + 4)
        add4(s, u + ui[c[p]] * UNI_W + 8)
        add4(s, u + ui[c[p + 1]] * UNI_W + 12)
        add4(s, u + ui[c[p + 2]] * UNI_W + 16)
        add4_half(s, b0)                                  # T_PAIR_M2 .. T_PAIR_P1
        add4_half(s, b1 + 4)
        add4_half(s, b2 + 8)
        add4_half(s, b3 + 12)
        add_hashed(s, T, o[0])                            # T_SKIP
        add_hashed(s, T, o[1])                            # T_TRIGRAM
        add4(s, d + (D_CLASS + k[p]) * 4)
        add4(s, d + (D_CLASS_TRIGRAM + (k[p - 1] * N_CLASSES + k[p]) * N_CLASSES + k[p + 1]) * 4)
        add4_half(s, T.cwin + class_window_at(k, p) * 4)  # T_CLASS_WINDOW
        add4(s, d + (D_REPEAT + ((c[p - 1] == c[p]) | ((c[p] == c[p + 1]) << 1)
                                | ((c[p - 1] == c[p + 1]) << 2))) * 4)
        add4(s, d + (D_LEX_BEGIN + lb[i]) * 4)
        add4(s, d + (D_LEX_END + le[i]) * 4)
        add4(s, d + (D_LEX_MID + lm[i]) * 4)
        add4(s, d + (D_LEX_ALL + (lb[i] | (le[i] << 4) | (lm[i] << 8))) * 4)
        add4(s, T.lexc + ui[c[p]] * LEXC_W + lb[i] * 4)   # T_LEX_BEGIN_C0
        add4(s, T.lexc + ui[c[p]] * LEXC_W + LEX_VALUES * 4 + le[i] * 4)  # T_LEX_END_C0
        add4(s, d + (D_STAT_LEFT + sb[i + 1]) * 4)        # pair (c[p-1], c[p])
        add4(s, d + (D_STAT_RIGHT + sb[i + 2]) * 4)       # pair (c[p], c[p+1])
        add4(s, d + (D_STAT_BOTH + sb[i + 1] * STAT_BUCKETS + sb[i + 2]) * 4)
        em[i * 4] = s[0]
        em[i * 4 + 1] = s[1]
        em[i * 4 + 2] = s[2]
        em[i * 4 + 3] = s[3]
        b0 = b1
        b1 = b2
        b2 = b3


def float32_of_half(a):
    """A float16 array as float32, widened in compiled code, eight values at a
    time with F16C (numpy's own cast goes one value at a time, which showed in
    model load time: docs/lab/2026-12-03-speed-issue-26-second-session.md,
    item 3); any other array as np.ascontiguousarray(a, dtype=np.float32)."""
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


cdef void regrouped_rows_into(const Regrouped* T, Py_ssize_t n, const Scratch* sc,
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
    cdef const uint32_t* c = sc.c
    cdef const uint8_t* k = sc.k
    cdef const uint8_t* lb = sc.lb
    cdef const uint8_t* le = sc.le
    cdef const uint8_t* lm = sc.lm
    cdef const uint64_t* hk = sc.keys  # regrouped_keys' hashed keys, pair hashes, buckets
    cdef const uint64_t* ph = sc.keys + n * N_HASHED
    cdef const uint64_t* sb = ph + n + 3
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
        r[T_BIAS] = block_row(T.bias)
        r[T_C_M2] = block_row(u + ui[c[p - 2]] * UNI_W)
        r[T_C_M1] = block_row(u + ui[c[p - 1]] * UNI_W + 4)
        r[T_C0] = block_row(u + ui[c[p]] * UNI_W + 8)
        r[T_C_P1] = block_row(u + ui[c[p + 1]] * UNI_W + 12)
        r[T_C_P2] = block_row(u + ui[c[p + 2]] * UNI_W + 16)
        r[T_PAIR_M2] = block_row(b0)
        r[T_PAIR_M1] = block_row(b1 + 4)
        r[T_PAIR_0] = block_row(b2 + 8)
        r[T_PAIR_P1] = block_row(b3 + 12)
        r[T_SKIP] = hashed_row(T, o[0])
        r[T_TRIGRAM] = hashed_row(T, o[1])
        r[T_CLASS] = block_row(d + (D_CLASS + k[p]) * 4)
        r[T_CLASS_TRIGRAM] = block_row(d + (D_CLASS_TRIGRAM + (k[p - 1] * N_CLASSES + k[p]) * N_CLASSES + k[p + 1]) * 4)
        r[T_CLASS_WINDOW] = block_row(T.cwinf + class_window_at(k, p) * 4)
        r[T_REPEAT] = block_row(d + (D_REPEAT + ((c[p - 1] == c[p]) | ((c[p] == c[p + 1]) << 1)
                                      | ((c[p - 1] == c[p + 1]) << 2))) * 4)
        r[T_LEX_BEGIN] = block_row(d + (D_LEX_BEGIN + lb[i]) * 4)
        r[T_LEX_END] = block_row(d + (D_LEX_END + le[i]) * 4)
        r[T_LEX_MID] = block_row(d + (D_LEX_MID + lm[i]) * 4)
        r[T_LEX_ALL] = block_row(d + (D_LEX_ALL + (lb[i] | (le[i] << 4) | (lm[i] << 8))) * 4)
        r[T_LEX_BEGIN_C0] = block_row(T.lexc + ui[c[p]] * LEXC_W + lb[i] * 4)
        r[T_LEX_END_C0] = block_row(T.lexc + ui[c[p]] * LEXC_W + LEX_VALUES * 4 + le[i] * 4)
        r[T_STAT_LEFT] = block_row(d + (D_STAT_LEFT + sb[i + 1]) * 4)
        r[T_STAT_RIGHT] = block_row(d + (D_STAT_RIGHT + sb[i + 2]) * 4)
        r[T_STAT_BOTH] = block_row(d + (D_STAT_BOTH + sb[i + 1] * STAT_BUCKETS + sb[i + 2]) * 4)
        b0 = b1
        b1 = b2
        b2 = b3


