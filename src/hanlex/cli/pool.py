"""Segmenting in worker processes: each has its own Analyzer over the shared
(memory-mapped) model, and results come back as a few large strings."""
from __future__ import annotations

import sys

from .common import load_analyzer
from .inputs import utf8_error


def segment_pieces(analyzer, pieces: list[str], pos: bool, tagset: str, sep: str,
                    search: bool = False) -> list[str]:
    """Each piece's output: its tokens joined by spaces (whitespace tokens dropped);
    search: also the dictionary words inside long words (Analyzer.cut_for_search).

    One string per piece, not a list of words, so that worker processes send
    back a few large strings instead of millions of small ones.
    """
    if pos:
        return [" ".join([f"{w}{sep}{t}" for w, t in pairs if not w.isspace()])
                for pairs in analyzer.tag_many(pieces, tagset)]
    cut = analyzer.cut_for_search_many if search else analyzer.cut_many
    return [" ".join([w for w in words if not w.isspace()]) for words in cut(pieces)]


def segment_lines(analyzer, name: str, offset: int, data: bytes, errors: str, pos: bool,
                   tagset: str, sep: str, search: bool = False) -> tuple[bytes, int, str | None]:
    """The output (encoded), line count and error of a "lines" unit of
    iter_input_units. Invalid UTF-8 ends the output with the line before
    it, and the error says where it is."""
    problem = None
    try:
        text = data.decode("utf-8", errors)
    except UnicodeDecodeError as e:
        problem = str(utf8_error(name, offset + e.start))
        text = data[:data.rfind(b"\n", 0, e.start) + 1].decode("utf-8")
    lines = [line.rstrip("\r") for line in text.split("\n")[:-1]]  # data ends with a newline
    out = segment_pieces(analyzer, lines, pos, tagset, sep, search)
    return ("\n".join(out) + "\n").encode("utf-8") if out else b"", len(lines), problem


_WORKER: dict = {}  # per worker process: its Analyzer


def _worker_init(model: str | None, user_dict: str | None, traditional: bool = False) -> None:
    if "analyzer" not in _WORKER:  # a forked worker has its parent's already
        _WORKER["analyzer"] = load_analyzer(model, user_dict, traditional)


def _worker_run(pieces: list[str], job: tuple) -> list[str]:
    return segment_pieces(_WORKER["analyzer"], pieces, *job)


def _worker_lines(unit: tuple, errors: str, job: tuple) -> tuple[bytes, int, str | None]:
    return segment_lines(_WORKER["analyzer"], *unit[1:], errors, *job)


class WorkerPool:
    """N processes, each with its own Analyzer over the shared (mmapped) model."""

    def __init__(self, n: int, model: str | None, user_dict: str | None, analyzer=None,
                 traditional: bool = False):
        import multiprocessing as mp

        ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        if ctx.get_start_method() == "fork" and analyzer is not None:
            _WORKER["analyzer"] = analyzer  # inherited, tables and all: no reload per worker
        self._pool = ctx.Pool(n, initializer=_worker_init, initargs=(model, user_dict, traditional))

    def submit(self, pieces: list[str], job: tuple):
        return self._pool.apply_async(_worker_run, (pieces, job))

    def submit_lines(self, unit: tuple, errors: str, job: tuple):
        return self._pool.apply_async(_worker_lines, (unit, errors, job))

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()


class Done:
    """An already computed result, shaped like the pool's."""

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value
