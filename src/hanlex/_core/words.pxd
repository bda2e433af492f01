# cython: language_level=3
"""Words out of labels (words.pyx)."""


cdef object word_of(str text, Py_ssize_t a, Py_ssize_t b)
