"""Batches prepared on a second thread while the learner works on the last one."""
from __future__ import annotations

import queue
import threading
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
U = TypeVar("U")


class PrefetchIterator(Iterator[U]):
    """Yield transform(batch) for consecutive batches, computing the next ahead.

    The transform runs on a background thread; hanlex's featuriser releases
    the GIL, so preparing batch k+1 overlaps with learning from batch k.
    Exceptions raised by the transform surface in the consumer.
    """

    _DONE = object()

    def __init__(self, items: Iterable[T], batch_size: int,
                 transform: Callable[[list[T]], U], depth: int = 2):
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._finished = False
        self._thread = threading.Thread(
            target=self._run, args=(iter(items), batch_size, transform), daemon=True)
        self._thread.start()

    def _run(self, items: Iterator[T], batch_size: int, transform: Callable[[list[T]], U]) -> None:
        try:
            while not self._stop.is_set():
                batch = []
                for item in items:
                    batch.append(item)
                    if len(batch) == batch_size:
                        break
                if not batch:
                    break
                self._put((True, transform(batch)))
        except BaseException as e:  # handed to the consumer
            self._put((False, e))
        self._put(self._DONE)

    def _put(self, item: object) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def __iter__(self) -> "PrefetchIterator[U]":
        return self

    def __next__(self) -> U:
        if self._finished:
            raise StopIteration
        item = self._queue.get()
        if item is self._DONE:
            self._finished = True
            self._stop.set()
            raise StopIteration
        ok, value = item
        if not ok:
            self._finished = True
            self._stop.set()
            raise value
        return value

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
