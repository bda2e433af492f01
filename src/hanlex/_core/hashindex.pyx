# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""HashIndex (feature, lexicon and statistics tables) and the tag dictionary."""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t
from libc.stdlib cimport calloc, malloc, free
from libc.string cimport memcpy

from hanlex._core.common cimport Slot, MASK_WORDS, N_CLASSES, LEX_SEED
from hanlex._core.hashing cimport lex_step
from hanlex._core.hashindex cimport known_bit, probe_ends, slot_find


cdef uint64_t insert_key(char* slots, size_t stride, uint64_t mask, uint64_t key,
                         str table) except? 0xFFFFFFFFFFFFFFFF:
    """Claim the slot for `key` by linear probing and return its index.

    `slots` is an array of records of `stride` bytes, each starting with its
    uint64 key (0 = empty), as in Slot and the regrouped table's slots.
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


_STORED = object()  # HashIndex(_STORED): an empty index for from_stored


cdef class HashIndex:
    """Open-addressing map uint64 key -> int32 value, built once, read-only.

    Keys are already well-mixed hashes (never 0), so the low bits index the
    table directly. Lookups are thread-safe and need no GIL.
    """

    def __cinit__(self, keys, values=None):
        if keys is _STORED:  # from_stored fills it in
            return
        self.build(keys, values)

    cdef int build(self, const uint64_t[::1] keys, const int32_t[::1] values) except -1:
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
        return 0

    @staticmethod
    def from_stored(const uint64_t[:, ::1] slots, Py_ssize_t size,
                    const uint8_t[::1] word_starts not None, const uint64_t[::1] known not None):
        """A lexicon's index read in place from the arrays `stored()` gave (a
        model file's, memory-mapped), kept alive by the index. Any slots of the
        right shape can be probed safely: a power-of-two count with one empty
        slot, where a probe that finds nothing ends. Values are flags here, not
        row numbers: nothing is indexed by them."""
        cdef HashIndex t = HashIndex.__new__(HashIndex, _STORED)
        cdef Py_ssize_t cap = slots.shape[0]
        if (sizeof(Slot) != 16 or slots.shape[1] != 2
                or not probe_ends(&slots[0, 0] if cap else NULL, cap, 2)):
            raise ValueError("a hash index's slots have the wrong shape or no empty slot")
        if word_starts.shape[0] != 0x10000 or known.shape[0] != KNOWN_BITS // 64:
            raise ValueError("the word-start table or the key filter has the wrong size")
        t.owner = (slots, word_starts, known)
        t.borrowed = True
        t.slots = <Slot*>&slots[0, 0]  # read-only: a stored index is never inserted into
        t.mask = cap - 1
        t.size = size
        t.word_starts = <uint8_t*>&word_starts[0]
        t.known = <uint64_t*>&known[0]
        return t

    def stored(self) -> tuple:
        """(slots as a (capacity, 2) uint64 array, the word-start table, the key
        filter): copies, for a model file. A lexicon's index only (index_word_starts
        first)."""
        import numpy as np  # lazy: reading a stored index needs no numpy

        cdef uint64_t[:, ::1] o
        if self.word_starts == NULL:
            raise ValueError("index_word_starts() first: a stored lexicon index has the table")
        slots = np.empty((self.mask + 1, 2), dtype=np.uint64)
        o = slots
        memcpy(&o[0, 0], self.slots, (self.mask + 1) * sizeof(Slot))
        known = np.empty(KNOWN_BITS // 64, dtype=np.uint64)
        cdef uint64_t[::1] kn = known
        memcpy(&kn[0], self.known, KNOWN_BITS // 8)
        return slots, np.frombuffer(bytes((<const char*>self.word_starts)[:0x10000]),
                                    dtype=np.uint8).copy(), known

    def __dealloc__(self):
        if not self.borrowed:
            free(self.slots)
            free(self.word_starts)
            free(self.known)

    def __len__(self):
        return self.size

    def index_word_starts(self):
        """For a lexicon (lexicon.compiled): whether each BMP character is the
        prefix of a word, in a 64 KiB table, and the filter of its keys
        (maybe_known). The lexicon matcher then reads a word's first character
        there, and asks the filter before each probe, instead of probing this far
        larger table (features.lexicon_spans); the answers are the table's own."""
        cdef uint32_t cp
        cdef int32_t f
        cdef uint8_t* starts
        cdef uint64_t* known
        cdef uint64_t pos, b
        if self.word_starts != NULL:
            return
        starts = <uint8_t*>malloc(0x10000)
        known = <uint64_t*>calloc(KNOWN_BITS // 64, sizeof(uint64_t))
        if starts == NULL or known == NULL:
            free(starts)
            free(known)
            raise MemoryError()
        with nogil:
            for pos in range(self.mask + 1):
                if self.slots[pos].key != 0:
                    b = known_bit(self.slots[pos].key)
                    known[b >> 6] |= (<uint64_t>1) << (b & 63)
            for cp in range(0x10000):
                f = slot_find(self.slots, self.mask, lex_step(LEX_SEED, cp))
                starts[cp] = 1 if f >= 0 and (f & 2) else 0
        self.known = known
        self.word_starts = starts

    def get(self, uint64_t key):
        return slot_find(self.slots, self.mask, key)


cdef class LabelCandidates:
    """Which labels each character may take (a tag dictionary), for pruning.

    Characters seen often enough in training keep the labels they were seen
    with; all others fall back to the labels seen with their character class.
    """

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
