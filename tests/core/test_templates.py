"""Every feature template gives the same keys and rows in every implementation:
the compiled extractor, the pure-Python specification, and the regrouped
tables' row and score readings."""
from __future__ import annotations

import numpy as np
import pytest
import reference
from conftest import random_texts

from hanlex._core import features, hashindex, hashing
from hanlex._core.constants import ALLOW_B, ALLOW_E, ALLOW_M, ALLOW_S, N_TEMPLATES
from hanlex.decoding import _decode as decode
from hanlex.decoding import _regrouped as regrouped
from hanlex.lexicon.compiled import compile_lexicon, lexicon_index
from hanlex.model.labels import B, E, M, S
from hanlex.model.templates import GROUP_A, GROUP_B, GROUP_S, TEMPLATES
from hanlex.text.normalize import codepoints

# a test-only compiled module, built when HANLEX_TEST_PROBES=1 (setup.py)
probes = pytest.importorskip("hanlex._core.probes")


@pytest.fixture(scope="module")
def world(sample_sentences):
    """Texts, a lexicon, raw-text statistics, and every key the texts produce."""
    texts = random_texts(3, 150, sample_sentences[2].text) + [s.text for s in sample_sentences]
    texts = [t for t in texts if t]
    lex_keys, lex_flags = compile_lexicon(["中国", "中国人", "人民", "北京大学", "１２３", "新年讲话"])
    lex = lexicon_index(lex_keys, lex_flags)
    cps = codepoints("".join(texts))
    pairs = sorted({(int(x), int(y)) for x, y in zip(cps[:-1], cps[1:])})
    stats_keys = np.array(sorted({hashing.stat_key(x, y) for x, y in pairs}), dtype=np.uint64)
    stats_values = np.random.default_rng(2).integers(1, 14, len(stats_keys)).astype(np.int32)
    stats = hashindex.HashIndex(stats_keys, stats_values)
    keys = [features.extract_keys(codepoints(t), lex, 8, stats) for t in texts]
    return {"texts": texts, "lex": lex, "lex_map": dict(zip(lex_keys.tolist(), lex_flags.tolist())),
            "stats": stats, "stats_map": dict(zip(stats_keys.tolist(), stats_values.tolist())),
            "keys": keys}


def test_the_template_list_matches_the_compiled_count_and_groups():
    assert len(TEMPLATES) == N_TEMPLATES
    assert decode.TEMPLATE_GROUPS == (GROUP_A, GROUP_S, GROUP_B)
    assert sorted(GROUP_A + GROUP_S + GROUP_B) == list(range(N_TEMPLATES))


def test_position_ids_and_mask_bits_agree():
    """The decoders test `mask >> (label & 3) & 1`: bit p of a mask is position p."""
    assert [1 << p for p in (B, M, E, S)] == [ALLOW_B, ALLOW_M, ALLOW_E, ALLOW_S]


@pytest.mark.parametrize("t", range(N_TEMPLATES), ids=lambda t: TEMPLATES[t])
def test_compiled_keys_equal_the_specification(world, t):
    for text, keys in zip(world["texts"], world["keys"]):
        spec = reference.extract_keys(codepoints(text).tolist(), world["lex_map"], 8,
                                      world["stats_map"])
        assert keys[:, t].tolist() == [row[t] for row in spec], text


@pytest.mark.parametrize("t", range(N_TEMPLATES), ids=lambda t: TEMPLATES[t])
def test_regrouped_rows_and_scores_equal_the_hashed_rows(world, t):
    """A table of every key: its rows equal the hash index's, and tables whose
    only weights are template t's (each key a different weight) score each
    position with exactly that template's feature."""
    all_keys = np.unique(np.concatenate([k.ravel() for k in world["keys"]]))
    all_keys = all_keys[all_keys != 0]
    index = hashindex.HashIndex(all_keys)
    row_table = regrouped.RegroupedTable(all_keys, regrouped.row_table_weights(len(all_keys)))
    mine = np.unique(np.concatenate([k[:, t] for k in world["keys"]]))
    mine = mine[mine != 0]
    # a half table (as the segmenter uses) holds integers up to 2048 exactly:
    # template t's keys weigh 1, 2, ... in chunks of 2047
    chunks = []
    for lo in range(0, len(mine), 2047):
        part = mine[lo:lo + 2047]
        weights = np.zeros((len(part), 4), dtype=np.float32)
        weights[:, 0] = np.arange(1, len(part) + 1)
        chunks.append((np.searchsorted(all_keys, part), regrouped.RegroupedTable(part, weights, half=True)))
    for text in world["texts"]:
        cps = codepoints(text)
        rows = probes.extract_rows(cps, index, world["lex"], 8, world["stats"])
        got = probes.regrouped_rows(cps, row_table, world["lex"], 8, world["stats"])
        assert got[:, t].tolist() == rows[:, t].tolist(), text
        for part_rows, table in chunks:
            scores = probes.regrouped_scores(cps, table, world["lex"], 8, world["stats"])
            where = {int(r): j + 1 for j, r in enumerate(part_rows)}
            assert scores[:, 0].tolist() == [where.get(int(r), 0) for r in rows[:, t]], text
