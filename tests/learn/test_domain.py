"""A domain learned from raw text: bigram statistics counted text by text, and a
model that reads a domain's statistics in place of its own."""
from __future__ import annotations

import pickle
import random

import numpy as np

from hanlex import Analyzer
from hanlex.learn.domain import adapted_model, learn_domain
from hanlex.learn.rawtext import BigramCounter, raw_statistics
from hanlex.model import Model

FILLER = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"


def domain_text(seed: int = 3, times: int = 300) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(FILLER) for _ in range(rng.randint(2, 6))) + "丘疱疹"
            + "".join(rng.choice(FILLER) for _ in range(rng.randint(2, 6))) + "。"
            for _ in range(times)]


def test_counting_text_by_text_gives_the_statistics_of_the_whole():
    lines = domain_text()
    counter = BigramCounter()
    for k in range(0, len(lines), 7):  # many small texts: merges happen
        counter.add("\n".join(lines[k:k + 7]))
    keys, values = counter.statistics(3)
    whole_keys, whole_values = raw_statistics(lines, 3)
    assert len(keys) > 100
    assert np.array_equal(keys, whole_keys) and np.array_equal(values, whole_values)


def test_a_domains_statistics_replace_the_models_own_and_the_rest_stay():
    base = Model.load(Analyzer().engine.path)
    k = len(base.stats_keys) // 2
    changed = int(base.stats_values[k]) % 12 + 1  # another bucket than the model's
    new_key = np.uint64(1)  # no bigram's key: a new entry
    assert new_key not in base.stats_keys
    keys = np.array([new_key, base.stats_keys[k]], np.uint64)
    adapted = base.with_statistics(keys, np.array([5, changed], np.int32))
    assert len(adapted.stats_keys) == len(base.stats_keys) + 1
    assert np.all(np.diff(adapted.stats_keys.astype(np.float64)) > 0)
    table = dict(zip(adapted.stats_keys.tolist(), adapted.stats_values.tolist()))
    assert table[int(base.stats_keys[k])] == changed != base.stats_values[k]
    assert table[1] == 5
    assert table[int(base.stats_keys[k + 1])] == base.stats_values[k + 1]
    # the segmenter reads no statistics: segmentation goes through the joint model
    assert base.segmenter is not None and not len(base.segmenter.stats_keys)
    assert adapted.segmenter is None
    assert adapted.path is None  # the file on disk does not hold these statistics


def test_a_model_without_statistics_is_not_changed(small_model):
    assert not len(small_model.stats_keys)
    same = small_model.with_statistics(np.array([1], np.uint64), np.array([3], np.int32))
    assert not len(same.stats_keys)


def test_an_adapted_analyzer_knows_the_domain_and_pickles_with_it():
    lines = domain_text()
    adapted = Analyzer(standard="pku").adapted(lines)
    model = adapted.engine.full
    domain = learn_domain(Analyzer(standard="pku"), lines)
    assert len(domain.stats_keys) > 0
    table = dict(zip(model.stats_keys.tolist(), model.stats_values.tolist()))
    assert all(table[k] == v for k, v in zip(domain.stats_keys.tolist(), domain.stats_values.tolist()))
    again = pickle.loads(pickle.dumps(adapted))
    assert again.cut_many(lines[:50]) == adapted.cut_many(lines[:50])
    assert len(again.engine.full.stats_keys) == len(model.stats_keys)
    assert adapted_model(Model.load(Analyzer().engine.path), domain).segmenter is None
