# cython: language_level=3
"""Read-only open-addressing maps from well-mixed uint64 keys to int32 values."""

from libc.stdint cimport uint64_t, int32_t, uint8_t
from hanlex._core.common cimport Slot


cdef enum:
    KNOWN_BITS = 1 << 22   # a lexicon's filter of the keys it holds (512 KB: cache-sized)


cdef inline uint64_t known_bit(uint64_t h) noexcept nogil:
    """The bit of a lexicon's key filter that stands for key h (bits 40-61 of the
    hash: the table's slot comes from its low bits)."""
    return (h >> 40) & (KNOWN_BITS - 1)


cdef inline bint maybe_known(const uint64_t* known, uint64_t h) noexcept nogil:
    """False only if a lexicon whose filter is `known` has no key h: a probe for
    it would find an empty slot, so it need not touch the (far larger) table."""
    cdef uint64_t b = known_bit(h)
    return (known[b >> 6] >> (b & 63)) & 1


cdef inline bint probe_ends(const uint64_t* words, Py_ssize_t cap, Py_ssize_t stride) noexcept:
    """Whether a table of `cap` slots of `stride` uint64 words, each starting with
    its key, can be probed: cap a power of two and one slot empty (key 0), where
    every probe that finds no key ends. What a table read from a file must pass."""
    cdef Py_ssize_t pos
    if cap < 1 or cap & (cap - 1):
        return False
    for pos in range(cap):
        if words[pos * stride] == 0:
            return True
    return False


cdef inline int32_t slot_find(const Slot* slots, uint64_t mask, uint64_t key) noexcept nogil:
    """The value of `key`, or -1: linear probing from the key's low bits."""
    cdef uint64_t pos = key & mask
    while True:
        if slots[pos].key == key:
            return slots[pos].value
        if slots[pos].key == 0:
            return -1
        pos = (pos + 1) & mask


cdef uint64_t insert_key(char* slots, size_t stride, uint64_t mask, uint64_t key,
                         str table) except? 0xFFFFFFFFFFFFFFFF


cdef class HashIndex:
    cdef Slot* slots
    cdef uint64_t mask
    cdef readonly Py_ssize_t size
    cdef uint8_t* word_starts  # a lexicon's: [0x10000] 1 if a word of >= 2 chars may begin
                               # with this BMP char (NULL: not built; see index_word_starts)
    cdef uint64_t* known       # a lexicon's: KNOWN_BITS bits, one set per key (maybe_known;
                               # NULL: not built)
    cdef object owner          # a stored index's arrays (from_stored), read in place
    cdef bint borrowed         # slots and word_starts are the owner's, not freed here

    cdef int build(self, const uint64_t[::1] keys, const int32_t[::1] values) except -1


cdef class LabelCandidates:
    cdef HashIndex index
    cdef object masks_arr
    cdef object class_arr
    cdef const uint64_t* masks
    cdef const uint64_t* classes
