"""A text column analysed in one batch: what the Ray and Spark integrations share.

A row's result is a list of words; with pos=True a list of {word, tag}; with
tokens=True a list of {word, start, end} (and tag with pos=True), offsets in
characters of the row's text. A null text gives a null result; a value that is
not a string is an error naming its row.
"""
from __future__ import annotations

import functools
from typing import Any, Sequence

import numpy as np

from ..analyzer import Analyzer
from ..errors import CorpusError
from ..text.normalize import codepoints


@functools.lru_cache(maxsize=8)
def cached_analyzer(model: str | None, user_dict: str | tuple | None,
                    traditional: bool, standard: str | None = None) -> Analyzer:
    """One Analyzer per process and settings: a worker loads the model once (it is
    memory-mapped, so the workers of one machine share its pages). standard: the
    segmentation standard to write (None: the model's default)."""
    words = list(user_dict) if isinstance(user_dict, tuple) else user_dict
    return Analyzer(model, user_dict=words, traditional=traditional, standard=standard)


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's malloc_trim, or None (another C library, another system)."""
    import ctypes  # lazy: only the long-lived workers of Ray and Spark call this
    import ctypes.util  # lazy: as above

    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def give_back_memory() -> None:
    """Return the heap's free pages to the system. A worker that analyses batch
    after batch frees large temporaries (the batch's text as code points, masks,
    labels), but glibc keeps their pages, so its private memory stays at its peak."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def frozen_words(user_dict) -> str | tuple | None:
    """A user dictionary as a cache key: a path stays a path, words become a tuple."""
    if user_dict is None or isinstance(user_dict, str):
        return user_dict
    return tuple(w if isinstance(w, str) else tuple(w) for w in user_dict)


def _texts(values: Sequence[Any], first_row: int) -> tuple[list[str], list[int]]:
    """(the string values, their indices); nulls are skipped, anything else is an
    error naming its row."""
    texts, where = [], []
    for i, value in enumerate(values):
        if value is None:
            continue
        if not isinstance(value, str):
            raise CorpusError(f"row {first_row + i}: the text column holds a "
                              f"{type(value).__name__} ({str(value)[:20]!r}), not a string")
        texts.append(value)
        where.append(i)
    return texts, where


def analyse(analyzer: Analyzer, values: Sequence[Any], pos: bool = False, tokens: bool = False,
            tagset: str = "pku", first_row: int = 0) -> list:
    """Each value's result (None for None), decoded as one batch."""
    texts, where = _texts(values, first_row)
    out: list = [None] * len(values)
    for i, result in zip(where, _results(analyzer, texts, pos, tokens, tagset)):
        out[i] = result
    return out


def words_column(analyzer: Analyzer, values: Sequence[Any], first_row: int = 0):
    """The words of each value as an Arrow list<string> array (null for None), built
    from word offsets in a few numpy calls rather than from Python strings."""
    import pyarrow as pa  # optional extra: imported where it is used

    texts, where = _texts(values, first_row)
    valid = np.zeros(len(values), dtype=bool)
    valid[where] = True
    joined, ends, bounds = analyzer.word_ends_many(texts)
    cps = codepoints(joined)
    width = 1 + (cps >= 0x80).astype(np.int64) + (cps >= 0x800) + (cps >= 0x10000)
    byte_at = np.zeros(len(cps) + 1, dtype=np.int64)
    np.cumsum(width, out=byte_at[1:])
    data = joined.encode("utf-8")
    starts = np.concatenate(([0], ends))
    string = pa.large_string() if len(data) >= 2**31 else pa.string()
    offsets = byte_at[starts].astype(np.int64 if string == pa.large_string() else np.int32)
    words = pa.Array.from_buffers(string, len(ends), [None, pa.py_buffer(offsets),
                                                      pa.py_buffer(data)])
    first_word = np.searchsorted(ends, bounds, side="right").astype(np.int32)
    rows = np.zeros(len(values) + 1, dtype=np.int32)
    rows[1:][valid] = first_word[1:] - first_word[:-1]
    np.cumsum(rows, out=rows)
    return pa.ListArray.from_arrays(pa.array(rows), words, mask=pa.array(~valid))


def arrow_column(analyzer: Analyzer, values: Sequence[Any], pos: bool = False,
                 tokens: bool = False, tagset: str = "pku", first_row: int = 0):
    """Each value's result as an Arrow array of arrow_type(pos, tokens): the words
    from offsets (words_column), tags and tokens through Python objects."""
    if not pos and not tokens:
        return words_column(analyzer, values, first_row)
    import pyarrow as pa  # optional extra: imported where it is used

    return pa.array(analyse(analyzer, values, pos, tokens, tagset, first_row),
                    type=arrow_type(pos, tokens))


def _results(analyzer: Analyzer, texts: list[str], pos: bool, tokens: bool, tagset: str) -> list:
    if tokens:
        return [[_token(t, pos) for t in ts]
                for ts in analyzer.tokenize_many(texts, pos=pos, tagset=tagset)]
    if pos:
        return [[{"word": w, "tag": t} for w, t in pairs]
                for pairs in analyzer.tag_many(texts, tagset)]
    return analyzer.cut_many(texts)


def _token(t, pos: bool) -> dict:
    item = {"word": t.word, "start": t.start, "end": t.end}
    if pos:
        item["tag"] = t.tag
    return item


def arrow_type(pos: bool = False, tokens: bool = False):
    """The Arrow type of a result column."""
    import pyarrow as pa  # optional extra: imported where it is used

    if not pos and not tokens:
        return pa.list_(pa.string())
    fields = [pa.field("word", pa.string())]
    if tokens:
        fields += [pa.field("start", pa.int64()), pa.field("end", pa.int64())]
    if pos:
        fields.append(pa.field("tag", pa.string()))
    return pa.list_(pa.struct(fields))
