# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""What the learner needs from the compiled side: sparse gradients and path scores."""

from libc.stdint cimport int32_t, uint8_t, int64_t

import numpy as np

from hanlex._core.templates cimport N_TEMPLATES



cdef inline int64_t joint_slot(const int64_t* jptr, const uint8_t* jlab, int32_t r,
                               int label) noexcept nogil:
    """Index of (row r, label) among the joint weights, or -1 (binary search)."""
    cdef int64_t lo = jptr[r], hi = jptr[r + 1], mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if jlab[mid] < label:
            lo = mid + 1
        else:
            hi = mid
    if lo < jptr[r + 1] and jlab[lo] == label:
        return lo
    return -1


def perceptron_gradient(const int32_t[:, ::1] rows, const int32_t[::1] gold,
                        const int32_t[::1] pred, int L, const int64_t[::1] jptr=None,
                        const uint8_t[::1] jlab=None):
    """Sparse gradient phi(pred) - phi(gold) of every parameter.

    Returns (pos_index, pos_value, joint_index, joint_value, trans_grad):
    flat indices into the position weights (row * 4 + position) and into the
    joint weights (pairs the model does not have are skipped), values with
    repeats to be summed, and the dense (L+1) x L transition gradient.
    """
    cdef Py_ssize_t n = rows.shape[0], i, t, m = 0, mj = 0
    cdef int32_t r, gp, pp
    cdef int64_t k
    cdef bint joint = jptr is not None and jlab is not None and jlab.shape[0] > 0
    for i in range(n):
        if gold[i] != pred[i]:
            for t in range(N_TEMPLATES):
                if rows[i, t] >= 0:
                    m += 2
    idx = np.empty(m, dtype=np.int64)
    val = np.empty(m, dtype=np.float64)
    jidx = np.empty(m, dtype=np.int64)
    jval = np.empty(m, dtype=np.float64)
    tgrad = np.zeros((L + 1, L), dtype=np.float64)
    cdef int64_t[::1] ix = idx, jx = jidx
    cdef double[::1] v = val, jv = jval
    cdef double[:, ::1] tg = tgrad
    m = 0
    for i in range(n):
        if gold[i] != pred[i]:
            for t in range(N_TEMPLATES):
                r = rows[i, t]
                if r < 0:
                    continue
                if (gold[i] & 3) != (pred[i] & 3):
                    ix[m] = <int64_t>r * 4 + (pred[i] & 3)
                    v[m] = 1.0
                    ix[m + 1] = <int64_t>r * 4 + (gold[i] & 3)
                    v[m + 1] = -1.0
                    m += 2
                if joint:
                    k = joint_slot(&jptr[0], &jlab[0], r, pred[i])
                    if k >= 0:
                        jx[mj] = k
                        jv[mj] = 1.0
                        mj += 1
                    k = joint_slot(&jptr[0], &jlab[0], r, gold[i])
                    if k >= 0:
                        jx[mj] = k
                        jv[mj] = -1.0
                        mj += 1
        gp = gold[i - 1] if i > 0 else L
        pp = pred[i - 1] if i > 0 else L
        if gp != pp or gold[i] != pred[i]:
            tg[pp, pred[i]] += 1.0
            tg[gp, gold[i]] -= 1.0
    return idx[:m], val[:m], jidx[:mj], jval[:mj], tgrad


def sequence_score(const int32_t[:, ::1] rows, const int32_t[::1] labels,
                   const double[:, ::1] W, const int64_t[::1] jptr, const uint8_t[::1] jlab,
                   const double[::1] jw, const double[:, ::1] trans):
    """Model score of one labelling (used by passive-aggressive steps)."""
    cdef Py_ssize_t n = rows.shape[0], i, t
    cdef double s = 0.0
    cdef int32_t r
    cdef int64_t k
    cdef int L = trans.shape[1]
    cdef bint joint = jlab.shape[0] > 0
    for i in range(n):
        for t in range(N_TEMPLATES):
            r = rows[i, t]
            if r >= 0:
                s += W[r, labels[i] & 3]
                if joint:
                    k = joint_slot(&jptr[0], &jlab[0], r, labels[i])
                    if k >= 0:
                        s += jw[k]
        s += trans[labels[i - 1] if i > 0 else L, labels[i]]
    return s

