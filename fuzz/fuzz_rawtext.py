"""Fuzz what adaptation reads from a user's raw text: any text must count and score.

    python fuzz/fuzz_rawtext.py -atheris_runs=1000000

The bytes, decoded as `hanlex adapt` reads a file with --errors replace, are counted
text by text (learn.rawtext.BigramCounter, cut at a newline the input chooses) and as
one text: both must give the same statistics, sorted distinct keys with buckets in
1..STAT_BUCKETS - 1. Discovery (lexicon.discovery.discover) over the same lines must
find only strings of the text, and Model.with_statistics must keep a model's table
sorted and every bigram it had.
"""
import sys
from dataclasses import replace

import atheris
import numpy as np

with atheris.instrument_imports():
    import hanlex
    from hanlex._core.constants import STAT_BUCKETS
    from hanlex.learn.rawtext import BigramCounter, raw_statistics
    from hanlex.model import Model

# discovery runs uninstrumented: instrumented, its numpy comparisons made the fuzzer's
# memory grow by ~45 KB per execution (2 GB before 10^5), which a plain loop does not
assert "hanlex.lexicon.discovery" not in sys.modules
from hanlex.lexicon.discovery import discover  # noqa: E402

BASE = Model.load(hanlex.default_analyzer().engine.path)
# a slice of the shipped model's statistics: with_statistics merges onto the whole one
_KEYS, _VALUES = BASE.stats_keys[:2048].copy(), BASE.stats_values[:2048].copy()
TABLE = replace(BASE, stats_keys=_KEYS, stats_values=_VALUES, segmenter=None)


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    lines = text.split("\n")
    cut = data[0] % len(lines) if data else 0
    counter = BigramCounter()
    for part in ("\n".join(lines[:cut]), "\n".join(lines[cut:])):
        counter.add(part)
    keys, values = counter.statistics(1)
    whole_keys, whole_values = raw_statistics(lines, 1)
    assert np.array_equal(keys, whole_keys) and np.array_equal(values, whole_values)
    assert bool((keys[1:] > keys[:-1]).all())
    assert not len(values) or (values.min() >= 1 and values.max() <= STAT_BUCKETS - 1)
    words, _ = discover(iter(lines), iter(lines), min_count=2, top=20, max_len=4)
    assert all(w.word in text and w.count >= 2 for w in words)
    adapted = TABLE.with_statistics(keys, values)
    assert bool((adapted.stats_keys[1:] > adapted.stats_keys[:-1]).all())
    assert bool(np.isin(_KEYS, adapted.stats_keys).all())


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
