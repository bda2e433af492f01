# cython: language_level=3
"""What every compiled module shares: sizes, constants, the hash slot, compiler hints.

The numbers here are the single source of truth: `hanlex._core.constants`
hands them to Python, and the Python side imports them from there instead of
keeping copies.
"""

from libc.stdint cimport uint64_t, int32_t, uint16_t

cdef enum:
    STAT_BUCKETS = 14  # raw-statistics buckets 1..13 (learn.rawtext.raw_statistics), 0 = none
    MASK_WORDS = 4     # label bitsets hold up to 256 labels
    MAX_LABELS = 256
    N_CLASSES = 9      # character classes (hanlex.text.normalize.CLASS_NAMES)
    BOS = 0x110001     # padding code point before a segment
    EOS = 0x110002     # padding code point after a segment
    NCP = 0x110003     # code points plus BOS and EOS
    PAD = 2            # padding characters on each side of a segment
    LEX_CAP = 6        # lexicon word lengths above this share one feature value
    # word positions: a label is tag * 4 + position
    POS_B = 0
    POS_M = 1
    POS_E = 2
    POS_S = 3
    # bits of a position mask: which positions a character may take
    ALLOW_B = 1
    ALLOW_M = 2
    ALLOW_E = 4
    ALLOW_S = 8
    ALLOW_ANY = 15
    # template ids used outside the feature templates, as fkey's first argument
    STAT_KEY_TEMPLATE = 30   # raw-statistics table: character bigram -> bucket
    CHAR_KEY_TEMPLATE = 31   # tag dictionary: character -> label bitset row

cdef extern from *:
    """
    #define HANLEX_LEX_SEED 0x51ED270B2705F1A3ULL
    #define HANLEX_TEMPLATE_STEP 0x9E3779B97F4A7C15ULL
    #if defined(__GNUC__) || defined(__clang__)
    #define HANLEX_PREFETCH(p) __builtin_prefetch((const void*)(p))
    #define HANLEX_CTZ64(x) __builtin_ctzll(x)
    #else
    #define HANLEX_PREFETCH(p) ((void)0)
    #if defined(_MSC_VER)
    #include <intrin.h>
    static __inline int HANLEX_CTZ64(unsigned long long x) { unsigned long i; _BitScanForward64(&i, x); return (int)i; }
    #endif
    #endif
    """
    const uint64_t LEX_SEED "HANLEX_LEX_SEED"            # first state of a word hash
    const uint64_t TEMPLATE_STEP "HANLEX_TEMPLATE_STEP"  # fkey adds template * this
    void HANLEX_PREFETCH(const void* p) noexcept nogil
    int ctz64 "HANLEX_CTZ64"(uint64_t x) noexcept nogil

# Half-precision weights (every model stores float16): widened exactly, four at a
# time with F16C where the build enabled it (setup.py), else by exponent
# rebiasing (exact for finite values, subnormals included).
cdef extern from *:
    """
    #include <string.h>
    #if defined(__F16C__)
    #include <immintrin.h>
    #endif
    static inline float hanlex_half_to_float(uint16_t h) {
        uint32_t x = ((uint32_t)(h & 0x7fffu)) << 13, y;
        float f;
        memcpy(&f, &x, 4);
        f *= 0x1p112f;
        memcpy(&y, &f, 4);
        y |= ((uint32_t)(h & 0x8000u)) << 16;
        memcpy(&f, &y, 4);
        return f;
    }
    /* the inverse, for a float that holds a float16 value exactly */
    static inline uint16_t hanlex_float_to_half(float f) {
        uint32_t x, sign;
        memcpy(&x, &f, 4);
        sign = (x >> 16) & 0x8000u;
        x &= 0x7fffffffu;
        memcpy(&f, &x, 4);
        f *= 0x1p-112f;
        memcpy(&x, &f, 4);
        return (uint16_t)(sign | (x >> 13));
    }
    static inline void hanlex_add4_half(double* s, const uint16_t* w) {
    #if defined(__F16C__)
        __m128 f = _mm_cvtph_ps(_mm_loadl_epi64((const __m128i*)w));
        _mm256_storeu_pd(s, _mm256_add_pd(_mm256_loadu_pd(s), _mm256_cvtps_pd(f)));
    #else
        s[0] += (double)hanlex_half_to_float(w[0]);
        s[1] += (double)hanlex_half_to_float(w[1]);
        s[2] += (double)hanlex_half_to_float(w[2]);
        s[3] += (double)hanlex_half_to_float(w[3]);
    #endif
    }
    /* n float16 values widened into dst: eight at a time with F16C */
    static inline void hanlex_widen_half(float* dst, const uint16_t* src, Py_ssize_t n) {
        Py_ssize_t i = 0;
    #if defined(__F16C__)
        for (; i + 8 <= n; i += 8)
            _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*)(src + i))));
    #endif
        for (; i < n; i++) {
            if ((src[i] & 0x7c00u) == 0x7c00u) {  /* infinity or NaN, as F16C widens them */
                uint32_t x = ((uint32_t)(src[i] & 0x8000u) << 16) | 0x7f800000u
                             | ((uint32_t)(src[i] & 0x03ffu) << 13);
                if (src[i] & 0x03ffu) x |= 0x00400000u;  /* a quiet NaN */
                memcpy(dst + i, &x, 4);
            } else {
                dst[i] = hanlex_half_to_float(src[i]);
            }
        }
    }
    """
    float half_to_float "hanlex_half_to_float"(uint16_t h) noexcept nogil
    uint16_t float_to_half "hanlex_float_to_half"(float f) noexcept nogil
    void add4_half "hanlex_add4_half"(double* s, const uint16_t* w) noexcept nogil
    void widen_half "hanlex_widen_half"(float* dst, const uint16_t* src, Py_ssize_t n) noexcept nogil

ctypedef fused real:
    float
    double


cdef struct Slot:          # one entry of a HashIndex (key 0 = empty)
    uint64_t key
    int32_t value
    int32_t _pad
