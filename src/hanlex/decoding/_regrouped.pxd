# cython: language_level=3
"""A model's feature rows regrouped by template for few cache misses.

The generic path looks up 25 hashed keys per character, most of them in a
table far larger than the caches. A RegroupedTable holds the same features
  - templates 1-5 (single characters) in one row per character,
  - templates 6-9 (adjacent character pairs) in one row per pair, so a pair
    is looked up once, not under four templates,
  - the small-domain templates (classes, lexicon lengths, raw-text buckets)
    in dense arrays,
  - templates 20 and 21 (lexicon length x character) in a second row per
    character, and the class windows (14) in a dense array of all of them,
  - the rest (10 11) hashed, with their weights in the slot.
The raw-text association bucket of each adjacent pair (templates 22-24) is
looked up once per pair, not once per position and side.
Feature keys are hashes, but fkey is invertible (mix64 is a bijection and the
packing is injective), so each key is read back into every (template,
arguments) it can stand for and its weights are put wherever the generic path
would find it. Emissions add the same float weights in the same template
order as the generic path, so the labels are identical.

A segmentation-only model's table holds its B M E S weights (decode_bmes.pyx
decodes with them) in half precision (half=True): the file's own float16
values, so the sums are the same, and the hashed and pair slots take half the
memory, which keeps more of them in the caches. A joint model's table holds
each feature's row number instead (row_table_weights, float32), which gives
the generic decoder its rows from fewer hashed lookups.
"""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t, uint16_t
from hanlex._core.common cimport N_CLASSES, STAT_BUCKETS
from hanlex._core.features cimport Tables
from hanlex._core.scratch cimport Scratch

cdef enum:
    N_HASHED = 2       # hashed templates per position: skip, trigram
    UNI_W = 20         # a character's row: templates T_C_M2..T_C_P2 x B M E S
    # values each small-domain template takes, and its first row in the dense array
    REPEAT_VALUES = 8        # three equality bits
    LEX_VALUES = 8           # a lexicon length 0..LEX_CAP
    LEX_ALL_VALUES = 2048    # Lb | Le << 4 | Lm << 8
    D_CLASS = 0
    D_CLASS_TRIGRAM = D_CLASS + N_CLASSES
    D_REPEAT = D_CLASS_TRIGRAM + N_CLASSES * N_CLASSES * N_CLASSES
    D_LEX_BEGIN = D_REPEAT + REPEAT_VALUES
    D_LEX_END = D_LEX_BEGIN + LEX_VALUES
    D_LEX_MID = D_LEX_END + LEX_VALUES
    D_LEX_ALL = D_LEX_MID + LEX_VALUES
    D_STAT_LEFT = D_LEX_ALL + LEX_ALL_VALUES
    D_STAT_RIGHT = D_STAT_LEFT + STAT_BUCKETS
    D_STAT_BOTH = D_STAT_RIGHT + STAT_BUCKETS
    D_END = D_STAT_BOTH + STAT_BUCKETS * STAT_BUCKETS
    # a character's lexicon row: T_LEX_BEGIN_C0 and T_LEX_END_C0 x a
    # lexicon length 0..LEX_VALUES-1 x B M E S, read where the hashed slots were
    LEXC_W = 2 * LEX_VALUES * 4
    # the class windows (T_CLASS_WINDOW): N_CLASSES ** 5 rows of B M E S
    CWIN_ROWS = N_CLASSES * N_CLASSES * N_CLASSES * N_CLASSES * N_CLASSES
    BI_AHEAD = 6       # positions the pair lookup prefetches ahead
    HASH_AHEAD = 4     # positions the hashed lookups prefetch ahead


cdef struct WeightSlot:
    uint64_t key
    float w[4]        # the feature's B M E S weights, in the slot: one cache miss per feature
    uint64_t _pad     # 32-byte slots never straddle a cache line


cdef struct PairSlot:
    uint64_t key      # pair_hash of the two characters (0 = empty)
    float w[16]       # templates 6 7 8 9 x B M E S
    uint64_t _pad     # 80 bytes: a slot spans at most two cache lines


cdef struct HalfSlot:      # a WeightSlot of a half table
    uint64_t key
    uint16_t w[4]         # float16 bits: four slots per cache line


cdef struct HalfPairSlot:  # a PairSlot of a half table
    uint64_t key
    uint16_t w[16]


cdef struct Regrouped:
    const HalfSlot* hslots    # half tables: these instead of slots and pairs (NULL)
    const HalfPairSlot* hpairs
    const WeightSlot* slots
    uint64_t mask
    const PairSlot* pairs
    uint64_t pmask
    const int32_t* uni_index  # [NCP] row of each character in uni (0: none)
    const float* uni          # [rows, UNI_W], row 0 all zeros
    const float* dense        # [D_END, 4]
    const float* lexc         # [rows, LEXC_W], row as uni_index gives it
    const uint16_t* cwin      # half tables: [CWIN_ROWS, 4] float16 bits
    const float* cwinf        # other tables: [CWIN_ROWS, 4] floats
    float bias[4]


cdef struct PairReading:       # a key read as template t (6-9) of the pair `key`
    uint64_t key
    int32_t feature
    int32_t t



cdef class RegroupedTable:
    cdef Regrouped f
    cdef WeightSlot* slots
    cdef PairSlot* pairs
    cdef HalfSlot* hslots
    cdef HalfPairSlot* hpairs
    cdef readonly bint half
    cdef int32_t* uni_index
    cdef float* uni
    cdef float* dense
    cdef float* lexc
    cdef uint16_t* cwin
    cdef float* cwinf
    cdef uint8_t* hashed           # construction scratch: keys that stay hashed...
    cdef PairReading* readings     # ...and the pair readings, placed in bulk
    cdef Py_ssize_t n_readings, readings_cap
    cdef Py_ssize_t uni_cap
    cdef readonly Py_ssize_t size, n_hashed, n_pairs, n_chars
    cdef object owner              # a stored table's arrays (from_stored), read in place

    cdef int build(self, const uint64_t[::1] keys, const float[:, ::1] W, bint stats,
                   bint half) except -1
    cdef int place_all(self, const uint64_t[::1] keys, const float[:, ::1] W) except -1
    cdef int place(self, uint64_t x, Py_ssize_t i, const float* w) noexcept nogil
    cdef int place_char(self, int t, uint64_t a, const float* w) noexcept nogil
    cdef int char_row(self, uint64_t a) noexcept nogil
    cdef int add_reading(self, int t, uint64_t a, uint64_t b, Py_ssize_t i) noexcept nogil
    cdef int fill_hashed(self, const uint64_t[::1] keys, const float[:, ::1] W) except -1
    cdef float* claim_pair(self, uint64_t key) noexcept nogil
    cdef int grow_readings(self) noexcept nogil
    cdef int place_pairs(self, const float[:, ::1] W) noexcept nogil
    cdef int grow_chars(self) noexcept nogil
    cdef int grow_pairs(self) noexcept nogil
    cdef int pairs_to_half(self) noexcept nogil


cdef void regrouped_keys(Py_ssize_t n, const Tables* tb, Scratch* s) noexcept nogil

cdef void regrouped_emissions(const Regrouped* T, Py_ssize_t n, const Scratch* s,
                              double* em) noexcept nogil

cdef void regrouped_rows_into(const Regrouped* T, Py_ssize_t n, const Scratch* s,
                              int32_t* rows) noexcept nogil
