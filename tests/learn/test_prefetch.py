from __future__ import annotations

import threading
import time

import pytest

from hanlex.learn.prefetch import PrefetchIterator


def test_prefetch_keeps_order_and_runs_ahead():
    seen = []
    lock = threading.Lock()

    def transform(batch):
        with lock:
            seen.append(batch[0])
        return [x * 2 for x in batch]

    it = PrefetchIterator(range(10), 3, transform)
    first = next(it)
    time.sleep(0.2)
    with lock:
        assert len(seen) >= 2  # the next batch was prepared before we asked
    rest = list(it)
    assert [first] + rest == [[0, 2, 4], [6, 8, 10], [12, 14, 16], [18]]
    with pytest.raises(StopIteration):
        next(it)


def test_prefetch_propagates_errors():
    def transform(batch):
        if 4 in batch:
            raise RuntimeError("boom")
        return batch

    it = PrefetchIterator(range(10), 2, transform)
    assert next(it) == [0, 1]
    assert next(it) == [2, 3]
    with pytest.raises(RuntimeError, match="boom"):
        next(it)
