"""THULAC's files, memory-mapped and checked against their own length.

Layouts (all integers little-endian int32; learned from THULAC's public source):

    model (cws_model.bin, model_c_model.bin)
        l_size, f_size, then l_size x l_size transition weights (from, to),
        then f_size x l_size feature weights; nothing after them.
    double-array trie (*_dat.bin and the dictionaries *.dat)
        (base, check) pairs; the file is a whole number of pairs.
    t2s.dat
        n Traditional code points, then the n Simplified ones.
    labels (cws_label.txt, model_c_label.txt)
        one label per line: a position digit (0 B, 1 M, 2 E, 3 S) and the tag.

Every size field is checked against the file's length before anything is
mapped, so a foreign or truncated file is one ModelFormatError naming it, never
a huge allocation. Nothing is copied into Python objects: the arrays are views
of the mapped files, shared by every process that maps them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from ..errors import ModelFormatError

INT32 = np.dtype("<i4")


@dataclass(frozen=True)
class Weights:
    """A THULAC model: transitions[from, to] and features[feature, label]."""

    path: str
    transitions: np.ndarray  # int32 (labels, labels)
    features: np.ndarray  # int32 (features, labels)

    @property
    def n_labels(self) -> int:
        return self.transitions.shape[0]


def _mapped(path: str, what: str) -> np.ndarray:
    """The file as int32 words, memory-mapped (an empty array for an empty file)."""
    try:
        size = os.path.getsize(path)
    except OSError as e:
        raise ModelFormatError(f"{path}: cannot read THULAC's {what} ({e.strerror or e})") from None
    if size % 4:
        raise ModelFormatError(f"{path}: {size} bytes is not a whole number of int32 values; "
                               f"not THULAC's {what}, or truncated")
    if size == 0:
        return np.zeros(0, dtype=INT32)
    try:
        return np.memmap(path, dtype=INT32, mode="r")
    except (OSError, ValueError) as e:
        raise ModelFormatError(f"{path}: cannot map THULAC's {what} ({e})") from None


def read_weights(path: str) -> Weights:
    words = _mapped(path, "model")
    if len(words) < 2:
        raise ModelFormatError(f"{path}: too short for THULAC's model "
                               "(no label and feature counts)")
    labels, features = int(words[0]), int(words[1])
    need = 2 + labels * labels + features * labels  # Python ints: no overflow
    if labels <= 0 or features < 0 or need != len(words):
        raise ModelFormatError(
            f"{path}: its header says {labels} labels and {features} features, which need "
            f"{4 * need} bytes, but the file has {4 * len(words)}; not a THULAC model, "
            "or truncated")
    trans = words[2:2 + labels * labels].reshape(labels, labels)
    feats = words[2 + labels * labels:].reshape(features, labels)
    return Weights(path, trans, feats)


def read_trie(path: str, what: str = "dictionary") -> np.ndarray:
    """A double-array trie as an (n, 2) int32 array of (base, check). Its cells
    are not scanned here (the decoder bounds-checks every index it reads, and a
    scan would bring the whole file into memory); check_trie scans them."""
    words = _mapped(path, what)
    if len(words) % 2 or len(words) == 0:
        raise ModelFormatError(f"{path}: {4 * len(words)} bytes is not a whole, non-empty number "
                               f"of (base, check) pairs; not THULAC's {what}, or truncated")
    return words.reshape(-1, 2)


def check_trie(pairs: np.ndarray, source: str, what: str = "dictionary") -> np.ndarray:
    """`pairs` if they can be a trie: a check names a cell (a parent) or,
    negative, a free one, never beyond the trie."""
    check = pairs[:, 1]
    if not len(pairs) or int(check.max()) >= len(pairs) or int(check.min()) < -len(pairs):
        raise ModelFormatError(f"{source}: its cells point outside the trie; not THULAC's "
                               f"{what}, or damaged")
    return pairs


def read_labels(path: str, n_labels: int) -> list[str]:
    """The label lines, as THULAC's Python package reads them (each with its
    line end, which the package strips by dropping the last character)."""
    try:
        with open(path, encoding="utf-8", newline=None) as f:
            lines = f.readlines()
    except OSError as e:
        raise ModelFormatError(f"{path}: cannot read THULAC's labels ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise ModelFormatError(f"{path}: not UTF-8 text; not THULAC's label file") from None
    return check_labels(lines, n_labels, path)


def check_labels(lines: list, n_labels: int, source: str) -> list[str]:
    if not all(isinstance(line, str) for line in lines):
        raise ModelFormatError(f"{source}: labels must be text")
    bad = next((i for i, line in enumerate(lines) if line[:1] not in ("0", "1", "2", "3")), None)
    if bad is not None:
        raise ModelFormatError(f"{source}: line {bad + 1} does not start with a position digit "
                               "0-3; not THULAC's label file")
    if len(lines) != n_labels:
        raise ModelFormatError(f"{source}: {len(lines)} labels, but the model beside it has "
                               f"{n_labels}; the label file belongs to another model")
    return lines


def read_t2s(path: str) -> np.ndarray:
    """THULAC's Traditional-to-Simplified table: (2, n), the Traditional code
    points, then the Simplified ones."""
    words = _mapped(path, "Traditional-to-Simplified table")
    if len(words) % 2:
        raise ModelFormatError(f"{path}: an odd number of code points; not THULAC's t2s.dat, "
                               "or truncated")
    return words.reshape(2, -1)
