"""The words of a THULAC double-array trie (its "encrypted" .dat dictionaries)."""
from __future__ import annotations

import numpy as np

from .files import check_trie, read_trie


def dictionary_words(path: str) -> list[tuple[str, int]]:
    """Every word of the trie file at `path` with the value stored at its end
    (a word's index in the list THULAC built the trie from), in code point order.

    A cell whose check names another cell p is p's child by the offset from p's
    base: offset 0 ends a word at p, offset c > 0 is the character c."""
    dat = check_trie(read_trie(path), path)
    base = dat[:, 0].astype(np.int64)
    check = dat[:, 1].astype(np.int64)
    cells = np.arange(len(dat), dtype=np.int64)
    edge = (check >= 0) & (check < len(dat)) & (check != cells)
    parent, child = check[edge], cells[edge]
    offset = child - base[parent]
    keep = (offset >= 0) & (offset <= 0x10FFFF) & ((offset < 0xD800) | (offset > 0xDFFF))
    parent, child, offset = parent[keep], child[keep], offset[keep]
    order = np.lexsort((offset, parent))
    parent, child, offset = parent[order], child[order], offset[order]
    first = np.searchsorted(parent, cells)
    last = np.searchsorted(parent, cells, side="right")
    words, stack, seen = [], [(0, "")], set()
    while stack:
        node, prefix = stack.pop()
        if node in seen:  # a damaged trie may loop; each node is read once
            continue
        seen.add(node)
        for k in range(first[node], last[node]):
            c, cell = int(offset[k]), int(child[k])
            if c == 0:
                if prefix:
                    words.append((prefix, int(base[cell])))
            else:
                stack.append((cell, prefix + chr(c)))
    words.sort()
    return words
