# cython: language_level=3
"""Words out of labels (words.pyx)."""


from libc.stdint cimport int32_t


cdef object word_of(str text, int kind, void* data, Py_ssize_t a, Py_ssize_t b)

cdef list words_between(str text, int kind, void* data, const int32_t* labels,
                        Py_ssize_t start, Py_ssize_t stop)
