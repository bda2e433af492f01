"""hanlex on Ray Data: a text column segmented across a cluster (needs: pip install 'ray[data]' pyarrow).

    import ray
    from hanlex.integrations.ray import segment
    ds = ray.data.read_parquet("s3://bucket/posts/")      # any Dataset with a text column
    ds = segment(ds, column="text", output_column="words")  # other columns are kept
    ds.write_parquet("s3://bucket/posts-segmented/")

Built on `Dataset.map_batches` with a callable class, so each actor loads the model
once (memory-mapped: the actors of one node share its pages) and analyses Arrow
batches without the GIL. A null text gives a null result; a value that is not a
string stops the job with an error naming its row (columns.py).
"""
from __future__ import annotations

import inspect
import os
from typing import Iterable

from ..errors import ConfigError, require
from .columns import arrow_column, cached_analyzer, frozen_words, give_back_memory

require("ray", "ray", "ray[data]")

import ray.data  # noqa: E402


class Segmenter:
    """The callable class map_batches runs in each actor: one Analyzer per actor,
    made from `analyzer_settings`, cached_analyzer's arguments (model, user words,
    traditional, standard)."""

    def __init__(self, column: str, output_column: str, pos: bool, tokens: bool, tagset: str,
                 analyzer_settings: tuple):
        self.column, self.output_column = column, output_column
        self.pos, self.tokens, self.tagset = pos, tokens, tagset
        self.analyzer = cached_analyzer(*analyzer_settings)
        self.analyzer.cut("预热")  # the tables are built now, their temporaries freed...
        give_back_memory()  # ...and given back (docs/lab/2026-12-05-everyday-issue-36.md)
        self.rows = 0  # rows seen by this actor, to name a bad row

    def __call__(self, batch):
        if self.column not in batch.column_names:
            raise KeyError(f"no column {self.column!r}; the columns are {batch.column_names}")
        values = batch.column(self.column).to_pylist()
        column = arrow_column(self.analyzer, values, self.pos, self.tokens, self.tagset,
                              self.rows)
        self.rows += len(values)
        del values
        give_back_memory()
        if self.output_column in batch.column_names:
            batch = batch.drop_columns([self.output_column])
        return batch.append_column(self.output_column, column)


def _lines(batch):
    """A batch of whole files as one row per non-empty line (split in Arrow's C++)."""
    import pyarrow as pa  # optional extra: imported where it is used
    import pyarrow.compute as pc  # optional extra: imported where it is used

    text = pc.cast(batch.column("bytes"), pa.large_string())  # validates UTF-8
    lines = pc.utf8_rtrim(pc.list_flatten(pc.split_pattern(text, "\n")), characters="\r")
    return pa.table({"text": pc.filter(lines, pc.not_equal(lines, ""))})


# Each core runs one segmenting actor (3/4 of a CPU) and at most one read or write
# task (1/4). I/O that reserved no CPU at all was never starved by the actors, but
# Ray then started a new worker process for every pending I/O task, and starting
# them slowed the whole job down (docs/lab/2026-12-02-distributed-issue-25.md,
# "Why Ray's actors waited").
ACTOR_CPUS = 0.75
IO_CPUS = 0.25

# An actor builds each output block in its own memory, then holds it in the object
# store until the next operator takes it. At Ray's default (128 MiB) a block of
# segmented text is a whole file's words, ~80 MB for 10 M characters, and actors
# peaked at ~350 MB of private memory; at 16 MiB, ~160 MB, at the same speed
# (docs/lab/2026-12-05-tables-ready-issues-36-37.md).
MAX_BLOCK_BYTES = 16 << 20


def io_cpus(function) -> dict:
    """The argument that makes a Ray Data read or write reserve IO_CPUS (named
    num_cpus in newer Ray, inside ray_remote_args in older)."""
    if "num_cpus" in inspect.signature(function).parameters:
        return {"num_cpus": IO_CPUS}
    return {"ray_remote_args": {"num_cpus": IO_CPUS}}


def read_lines(paths, **read_args) -> "ray.data.Dataset":
    """The non-empty lines of text files (UTF-8; gzip, bz2 and the like told by their
    names) as a `text` column, like `ray.data.read_text`, with the lines split in
    Arrow rather than in Python: the reading then costs a fraction of the CPU that
    segmenting needs. Reading reserves IO_CPUS unless read_args say otherwise."""
    read = ray.data.read_binary_files
    if "num_cpus" not in read_args and "ray_remote_args" not in read_args:
        read_args = io_cpus(read)
    return read(paths, **read_args).map_batches(_lines, batch_format="pyarrow", batch_size=1,
                                                num_cpus=IO_CPUS)


def segment(ds: "ray.data.Dataset", column: str = "text", *, output_column: str = "words",
            pos: bool = False, tokens: bool = False, model: str | os.PathLike | None = None,
            user_dict: str | os.PathLike | Iterable | None = None, traditional: bool = False,
            standard: str | None = None, tagset: str = "pku", batch_size: int = 4096,
            concurrency: int | tuple[int, int] | None = None,
            num_cpus: float = ACTOR_CPUS, preserve_order: bool = True,
            max_block_bytes: int | None = MAX_BLOCK_BYTES) -> "ray.data.Dataset":
    """`ds` with `output_column` added: each row's words (pos=True: {word, tag};
    tokens=True: {word, start, end[, tag]}). `model` and a `user_dict` file must be
    readable at the same path on every node (a shared or object-store mount), or
    pass user words as a list. concurrency: actors (default: one per CPU), each
    reserving num_cpus (default 3/4, leaving each core room for one I/O task).
    standard: the segmentation standard to write, of those the model has (None:
    the model's default).
    preserve_order: rows come out in the order they went in (Ray Data's execution
    option, set for this Dataset; False lets batches finish in any order).
    max_block_bytes: the largest block this Dataset makes (Ray Data's
    target_max_block_size, set for this Dataset when it is lower; None keeps it)."""
    if concurrency is None:
        concurrency = max(1, int(ray.cluster_resources().get("CPU", 1)))
    model = os.fspath(model) if model is not None else None
    words = os.fspath(user_dict) if isinstance(user_dict, os.PathLike) else frozen_words(user_dict)
    settings = (model, words, traditional, standard)
    if pos or standard is not None:  # a model without them fails here, not in every actor
        analyzer = cached_analyzer(*settings)  # an unknown standard: ConfigError
        if pos and not analyzer.engine.joint:
            raise ConfigError("pos=True needs a joint model; this one segments only")
    size = dict(zip(("min_size", "max_size"), concurrency)) if isinstance(concurrency, tuple) \
        else {"size": concurrency}
    out = ds.map_batches(
        Segmenter, batch_format="pyarrow", batch_size=batch_size,
        compute=ray.data.ActorPoolStrategy(**size), num_cpus=num_cpus,
        fn_constructor_kwargs=dict(column=column, output_column=output_column, pos=pos,
                                   tokens=tokens, tagset=tagset, analyzer_settings=settings))
    if preserve_order:
        out.context.execution_options.preserve_order = True
    if max_block_bytes is not None and max_block_bytes < (out.context.target_max_block_size
                                                          or max_block_bytes + 1):
        out.context.target_max_block_size = max_block_bytes
    return out
