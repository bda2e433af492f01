"""`hanlex segment --engine ray INPUT... -o OUTDIR`: files segmented on a Ray cluster
(the one `ray.init()` finds, or a local one), written as Parquet or JSON-lines shards."""
from __future__ import annotations

import argparse
import os
import re

from ..errors import HanlexError
from .common import CLIError, check_inputs

_PARQUET = (".parquet", ".pq")
_JSONL = (".jsonl", ".json", ".ndjson")


def _kind(path: str) -> str:
    name = path.lower()
    for ext in (".gz", ".bz2", ".xz", ".zst"):
        if name.endswith(ext):
            name = name[:-len(ext)]
    if name.endswith(_PARQUET):
        return "parquet"
    return "jsonl" if name.endswith(_JSONL) else "text"


def run_ray(args: argparse.Namespace) -> int:
    """Read INPUTs (text lines, JSON lines or Parquet, by their names), segment the
    text column, write OUTDIR's shards; Ray Data shows its own progress."""
    if not args.inputs or "-" in args.inputs:
        raise CLIError("--engine ray reads files (a cluster cannot read this standard input)")
    if args.output in (None, "-"):
        raise CLIError("--engine ray writes a folder of shards: give -o OUTDIR")
    if args.search or args.format != "text":
        raise CLIError("--engine ray writes Parquet or JSON lines (--output-format); "
                       "--search and --format belong to --engine local")
    if args.lexicon or args.adapt:
        raise CLIError("--lexicon and --adapt do not reach Ray's workers yet; segment with "
                       "--engine local, or give the words as --user-dict")
    check_inputs(args.inputs)
    if os.path.exists(args.output) and os.listdir(args.output):
        raise CLIError(f"{args.output}: is not empty; give a new folder for the shards")
    kinds = {_kind(p) for p in args.inputs}
    if len(kinds) > 1:
        raise CLIError("give inputs of one kind: text, JSON lines or Parquet files")
    import ray  # optional: the ray extra, imported only for --engine ray

    from ..integrations import ray as hanlex_ray  # optional, as ray

    if not ray.is_initialized():
        ray.init(num_cpus=args.jobs if args.jobs > 1 else None, include_dashboard=False,
                 log_to_driver=False)
    kind = kinds.pop()
    # reads and writes reserve a quarter of a CPU and the actors the rest of each core
    # (integrations/ray.py): neither starves the other, and the I/O reuses its workers
    paths = [os.path.abspath(p) for p in args.inputs]
    if kind == "text":
        ds = hanlex_ray.read_lines(paths)
    else:
        read = ray.data.read_json if kind == "jsonl" else ray.data.read_parquet
        ds = read(paths, **hanlex_ray.io_cpus(read))
    column = "text" if kind == "text" else args.column
    if column not in ds.columns():
        raise CLIError(f"the inputs have no column {column!r} (they have {ds.columns()}); "
                       "name the text column with --column")
    ds = hanlex_ray.segment(ds, column, pos=args.pos, model=args.model, user_dict=args.user_dict,
                            traditional=args.traditional, standard=args.standard,
                            tagset=args.tagset or "pku",
                            concurrency=args.jobs if args.jobs > 1 else None)
    out = os.path.abspath(args.output)
    write = ds.write_parquet if args.output_format == "parquet" else ds.write_json
    try:
        write(out, **hanlex_ray.io_cpus(write))
    except Exception as e:  # a worker's HanlexError comes back wrapped in Ray's errors
        cause = _hanlex_cause(e)
        if cause is None:
            raise
        raise CLIError(cause) from None
    return 0


def _hanlex_cause(error: BaseException) -> str | None:
    """The message of the HanlexError behind an error a Ray task raised, if any:
    the exception itself when Ray kept it, else its line in the remote traceback."""
    seen, e = set(), error
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, HanlexError):
            return str(e)
        e = getattr(e, "cause", None) or e.__cause__ or e.__context__
    found = re.findall(r"hanlex\.errors\.\w+Error: ([^\n]+)", str(error))
    return found[-1] if found else None
