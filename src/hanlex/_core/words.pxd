# cython: language_level=3
"""Words out of labels (words.pyx)."""


cdef object word_of(str text, int kind, void* data, Py_ssize_t a, Py_ssize_t b)
