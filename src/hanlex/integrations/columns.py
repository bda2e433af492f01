"""A text column analysed in one batch: what the Ray and Spark integrations share.

A row's result is a list of words; with pos=True a list of {word, tag}; with
tokens=True a list of {word, start, end} (and tag with pos=True), offsets in
characters of the row's text. A null text gives a null result; a value that is
not a string is an error naming its row.
"""
from __future__ import annotations

import functools
from typing import Any, Sequence

from ..analyzer import Analyzer
from ..errors import CorpusError


@functools.lru_cache(maxsize=8)
def cached_analyzer(model: str | None, user_dict: str | tuple | None,
                    traditional: bool) -> Analyzer:
    """One Analyzer per process and settings: a worker loads the model once (it is
    memory-mapped, so the workers of one machine share its pages)."""
    words = list(user_dict) if isinstance(user_dict, tuple) else user_dict
    return Analyzer(model, user_dict=words, traditional=traditional)


def frozen_words(user_dict) -> str | tuple | None:
    """A user dictionary as a cache key: a path stays a path, words become a tuple."""
    if user_dict is None or isinstance(user_dict, str):
        return user_dict
    return tuple(w if isinstance(w, str) else tuple(w) for w in user_dict)


def analyse(analyzer: Analyzer, values: Sequence[Any], pos: bool = False, tokens: bool = False,
            tagset: str = "pku", first_row: int = 0) -> list:
    """Each value's result (None for None), decoded as one batch."""
    texts, where = [], []
    for i, value in enumerate(values):
        if value is None:
            continue
        if not isinstance(value, str):
            raise CorpusError(f"row {first_row + i}: the text column holds a "
                              f"{type(value).__name__} ({str(value)[:20]!r}), not a string")
        texts.append(value)
        where.append(i)
    out: list = [None] * len(values)
    for i, result in zip(where, _results(analyzer, texts, pos, tokens, tagset)):
        out[i] = result
    return out


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
    import pyarrow as pa

    if not pos and not tokens:
        return pa.list_(pa.string())
    fields = [pa.field("word", pa.string())]
    if tokens:
        fields += [pa.field("start", pa.int64()), pa.field("end", pa.int64())]
    if pos:
        fields.append(pa.field("tag", pa.string()))
    return pa.list_(pa.struct(fields))
