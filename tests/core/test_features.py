from __future__ import annotations

import numpy as np
import pytest
import reference
from conftest import random_texts

from hanlex._core import features
from hanlex._core.hashindex import HashIndex
from hanlex.decoding.tables import compile_model
from hanlex.lexicon.compiled import compile_lexicon, lexicon_index
from hanlex.text.normalize import codepoints

# a test-only compiled module, built when HANLEX_TEST_PROBES=1 (setup.py)
probes = pytest.importorskip("hanlex._core.probes")


def test_keys_and_rows_agree(small_model, sample_sentences):
    lex_keys, lex_flags = compile_lexicon(["中国", "中国人", "人民", "北京大学", "１２３"])
    lex = lexicon_index(lex_keys, lex_flags)
    lex_map = dict(zip(lex_keys.tolist(), lex_flags.tolist()))
    feats = dict(zip(small_model.feature_keys.tolist(), range(len(small_model.feature_keys))))
    dec = compile_model(small_model, generic=True)
    for text in random_texts(1, 200, sample_sentences[0].text) + ["北京大学中国人民１２３"]:
        cps = codepoints(text)
        keys = features.extract_keys(cps, lex, 8)
        assert keys.tolist() == reference.extract_keys(cps.tolist(), lex_map, 8)
        rows = probes.extract_rows(cps, dec.features, lex, 8)
        assert rows.tolist() == reference.extract_rows(cps.tolist(), feats, lex_map, 8)


def test_lexicon_spans_found():
    lex_keys, lex_flags = compile_lexicon(["中国", "中国人", "人民"])
    lex_map = dict(zip(lex_keys.tolist(), lex_flags.tolist()))
    lb, le, lm = reference.lexicon_spans(codepoints("我中国人民").tolist(), lex_map, 8)
    assert lb == [0, 3, 0, 2, 0]
    assert le == [0, 0, 2, 3, 2]
    assert lm == [0, 0, 3, 0, 0]


def test_the_first_character_table_gives_the_lexicon_probes_answers():
    """lexicon_index adds a 64 KiB table of word-initial BMP characters; spans
    read through it equal those from probing the hash table alone, for words
    that begin inside and outside the BMP."""
    words = ["中国", "中国人", "人民", "𠀀𠀁", "𠀀中国", "ａｂ", "12"]
    lex_keys, lex_flags = compile_lexicon(words)
    with_table = lexicon_index(lex_keys, lex_flags)
    probing = HashIndex(np.ascontiguousarray(lex_keys), np.ascontiguousarray(lex_flags))
    lex_map = dict(zip(lex_keys.tolist(), lex_flags.tolist()))
    for text in ["我中国人民", "𠀀𠀁中国人", "𠀀中国人民ａｂ12", "人", ""] + random_texts(2, 100, "".join(words)):
        cps = codepoints(text)
        keys = features.extract_keys(cps, with_table, 8)
        assert keys.tolist() == features.extract_keys(cps, probing, 8).tolist()
        assert keys.tolist() == reference.extract_keys(cps.tolist(), lex_map, 8)
