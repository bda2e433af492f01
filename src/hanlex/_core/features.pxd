# cython: language_level=3
"""Feature extraction: the keys of the N_TEMPLATES templates at every position.

The templates are listed in hanlex.model.templates.TEMPLATES; feature_keys
is their compiled definition, and tests/reference.py their specification.
"""

from libc.stdint cimport uint64_t, uint32_t, int32_t, uint8_t
from libc.string cimport memset
from hanlex._core.common cimport Slot, STAT_BUCKETS, HANLEX_PREFETCH
from hanlex._core.templates cimport T_CLASS_WINDOW
from hanlex._core.scratch cimport Scratch
from hanlex._core.hashing cimport fkey, stat_pair_key
from hanlex._core.hashindex cimport HashIndex, LabelCandidates, slot_find

cdef enum:
    LEX_AHEAD = 6      # characters the lexicon matcher prefetches ahead


cdef struct Tables:        # the read-only tables one decode consults (NULL: absent)
    const Slot* fslots        # feature key -> row
    uint64_t fmask
    const Slot* lslots        # lexicon: word/prefix hash -> flags (1 word, 2 prefix)
    uint64_t lmask
    const uint8_t* lstarts    # the lexicon's word_starts (NULL: probe lslots instead)
    const uint64_t* lknown    # the lexicon's key filter (hashindex.maybe_known; NULL: none)
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
    t.lstarts = lexicon.word_starts if lexicon is not None else NULL
    t.lknown = lexicon.known if lexicon is not None else NULL
    t.lex_max = lex_max
    return t


cdef inline void set_candidates(Tables* t, LabelCandidates cands):
    if cands is not None:
        t.cslots = cands.index.slots
        t.cmask = cands.index.mask
        t.cand_masks = cands.masks
        t.class_masks = cands.classes


cdef inline int32_t valid_bucket(int32_t v) noexcept nogil:
    """A stored bucket, or 0 for one outside 1..STAT_BUCKETS - 1 (which
    training never writes)."""
    return v if 0 < v < STAT_BUCKETS else 0


cdef inline int32_t stat_bucket(const Tables* tb, uint32_t a, uint32_t b) noexcept nogil:
    """Association bucket of the character bigram ab in raw text (0: unseen or rare)."""
    return valid_bucket(slot_find(tb.sslots, tb.smask, stat_pair_key(a, b)))


cdef inline uint64_t class_window_key(const uint8_t* k, Py_ssize_t p) noexcept nogil:
    """The classes of the five characters around p (T_CLASS_WINDOW)."""
    return fkey(T_CLASS_WINDOW, (<uint64_t>k[p - 2] << 16) | (<uint64_t>k[p - 1] << 12)
                | (<uint64_t>k[p] << 8) | (<uint64_t>k[p + 1] << 4) | k[p + 2], 0, 0)


cdef inline void lookup_rows(const uint64_t* keys, Py_ssize_t m, const Tables* tb,
                             int32_t* rows) noexcept nogil:
    """The feature row of each key (-1: not a feature of the model)."""
    cdef Py_ssize_t j
    for j in range(m):
        if j + 16 < m:  # the table is far bigger than the caches: fetch ahead
            HANLEX_PREFETCH(tb.fslots + (keys[j + 16] & tb.fmask))
        rows[j] = slot_find(tb.fslots, tb.fmask, keys[j]) if keys[j] != 0 else -1


cdef void prepare_chars(const uint32_t* raw, Py_ssize_t n, const Tables* tb,
                        Scratch* s) noexcept nogil

cdef void feature_keys(const uint32_t* raw, Py_ssize_t n, const Tables* tb,
                       Scratch* s) noexcept nogil
