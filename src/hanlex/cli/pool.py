"""Segmenting in worker processes: each has its own Analyzer over the shared
(memory-mapped) model, and results come back as a few large strings."""
from __future__ import annotations

import multiprocessing as mp
import signal
import sys

from .common import load_analyzer
from .formats import Job, Renderer, tokens, words_lines
from .inputs import utf8_error


def segment_pieces(analyzer, pieces: list[str], job: Job) -> list:
    """Pieces of long lines: their text-format strings, or (other formats)
    their tokens, which the parent renders once a line is complete."""
    if job.format == "text":
        return words_lines(analyzer, pieces, job)
    return tokens(analyzer, pieces, job)


def segment_lines(analyzer, name: str, offset: int, data: bytes, errors: str, job: Job,
                  first_line: int = 1) -> tuple[bytes, int, str | None]:
    """The output (encoded), line count and error of a "lines" unit of
    iter_input_units whose first line is line `first_line` of the input.
    Invalid UTF-8 ends the output with the line before it, and the error says
    where it is."""
    problem = None
    try:
        text = data.decode("utf-8", errors)
    except UnicodeDecodeError as e:
        problem = str(utf8_error(name, offset + e.start, data if offset <= 3 else b""))
        text = data[:data.rfind(b"\n", 0, e.start) + 1].decode("utf-8")
    lines = [line.rstrip("\r") for line in text.split("\n")[:-1]]  # data ends with a newline
    if not lines:
        return b"", 0, problem
    if job.format == "text":
        out = "\n".join(words_lines(analyzer, lines, job)) + "\n"
    else:
        render = Renderer(analyzer.engine.tags, job)
        out = "".join(render(line, toks, first_line + k)
                      for k, (line, toks) in enumerate(zip(lines, tokens(analyzer, lines, job))))
    return out.encode("utf-8"), len(lines), problem


_WORKER: dict = {}  # per worker process: its Analyzer


def _worker_init(model: str | None, user_dict: str | None, traditional: bool = False,
                 encoding: str | None = None, standard: str | None = None,
                 lexicon: str | None = None) -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it (one
    # line, exit 130), the workers are terminated by it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # SIGTERM (the parent ending the pool, or a kill of the group) and SIGHUP end a
    # worker at once and quietly: the parent's handler (cli.Stopped) is for the parent
    for stop in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if stop is not None:
            signal.signal(stop, signal.SIG_DFL)
    if "analyzer" not in _WORKER:  # a forked worker has its parent's already
        _WORKER["analyzer"] = load_analyzer(model, user_dict, traditional, encoding, standard,
                                            lexicon)


def _worker_run(pieces: list[str], job: Job) -> list:
    return segment_pieces(_WORKER["analyzer"], pieces, job)


def _worker_lines(unit: tuple, errors: str, job: Job, first_line: int):
    return segment_lines(_WORKER["analyzer"], *unit[1:], errors, job, first_line)


class WorkerPool:
    """N processes, each with its own Analyzer over the shared (mmapped) model."""

    def __init__(self, n: int, model: str | None, user_dict: str | None, analyzer=None,
                 traditional: bool = False, encoding: str | None = None,
                 standard: str | None = None, lexicon: str | None = None):
        ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        if ctx.get_start_method() == "fork" and analyzer is not None:
            _WORKER["analyzer"] = analyzer  # inherited, tables and all: no reload per worker
        self._pool = ctx.Pool(n, initializer=_worker_init,
                              initargs=(model, user_dict, traditional, encoding, standard, lexicon))

    def submit(self, pieces: list[str], job: Job):
        return self._pool.apply_async(_worker_run, (pieces, job))

    def submit_lines(self, unit: tuple, errors: str, job: Job, first_line: int):
        return self._pool.apply_async(_worker_lines, (unit, errors, job, first_line))

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()


class Done:
    """An already computed result, shaped like the pool's."""

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value
