from __future__ import annotations

import random

import pytest
import reference

from hanlex._core import hashing
from hanlex.lexicon.compiled import compile_lexicon
from hanlex.text.normalize import codepoints

# a test-only compiled module, built when HANLEX_TEST_PROBES=1 (setup.py)
probes = pytest.importorskip("hanlex._core.probes")


def test_hashes_agree():
    for t, a, b, c in [(0, 0, 0, 0), (7, 0x4E2D, 0x56FD, 0), (21, 6, 0x110002, 0x10FFFF)]:
        assert hashing.feature_key(t, a, b, c) == reference.feature_key(t, a, b, c)
    cps = codepoints("中华人民共和国")
    assert probes.word_hashes(cps).tolist() == reference.word_hashes(cps.tolist())


def test_compiled_lexicon_is_every_words_prefix_hashes():
    rng = random.Random(2)
    words = ["".join(rng.choice("二0一九年〇○１Ａa北京大学") for _ in range(rng.randint(0, 6)))
             for _ in range(2000)]
    for min_len in (1, 2):
        want: dict[int, int] = {}
        for w in words:
            if len(w) < min_len:
                continue
            hs = reference.word_hashes(codepoints(w).tolist())  # each word normalised on its own
            for h in hs[:-1]:
                want[h] = want.get(h, 0) | 2
            want[hs[-1]] = want.get(hs[-1], 0) | 1
        keys, flags = compile_lexicon(words, min_len)
        assert dict(zip(keys.tolist(), flags.tolist())) == want and keys.tolist() == sorted(want)
        half = compile_lexicon(words[:700], min_len)
        both = compile_lexicon(words[700:], min_len, base=half)
        assert both[0].tolist() == keys.tolist() and both[1].tolist() == flags.tolist()
