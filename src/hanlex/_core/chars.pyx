# cython: language_level=3, boundscheck=False, wraparound=False
"""Character normalisation and classes over whole arrays, for Python."""

from libc.stdint cimport uint32_t, uint8_t

from hanlex._numpy import np

from hanlex._core.chars cimport normalize_into, char_class


def normalize_codepoints(const uint32_t[::1] cps):
    """The code points as the features see them (width-normalised, 二0 read as 二〇)."""
    cdef Py_ssize_t n = cps.shape[0]
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
