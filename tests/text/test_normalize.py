from __future__ import annotations

import numpy as np
import pytest
import reference
from reference import normalize_cps

from hanlex._core import chars
from hanlex.text.normalize import CHINESE_DIGITS, char_class, codepoints, normalize_text

# a test-only compiled module, built when HANLEX_TEST_PROBES=1 (setup.py)
probes = pytest.importorskip("hanlex._core.probes")


def test_normalisation_and_classes_agree():
    cps = np.concatenate([np.arange(0, 0x30000, 7), np.arange(0x3000, 0x3200),  # kana and
                          np.arange(0xFF00, 0x10000)]).astype(np.uint32)       # half width
    norm = chars.normalize_codepoints(cps)
    assert norm.tolist() == normalize_cps(cps.tolist())
    assert chars.char_classes(norm).tolist() == [char_class(c) for c in norm.tolist()]


def test_fullwidth_is_normalised_like_ascii():
    assert chars.normalize_codepoints(codepoints("１２３ＡＢ％　")).tolist() == \
        codepoints("123AB% ").tolist()


def test_zero_after_a_chinese_digit_reads_as_ideographic_zero():
    text = "二０００年 二0一九年 一九九0 ○00 3∶０一胜 Win10一 0二"
    want = "二〇〇〇年 二〇一九年 一九九〇 ○〇〇 3∶0一胜 Win10一 0二"
    cps = codepoints(text)
    assert chars.normalize_codepoints(cps).tolist() == codepoints(want).tolist()
    assert normalize_cps(cps.tolist()) == codepoints(want).tolist()
    assert normalize_text(text) == want
    typed = probes.word_hashes(codepoints("二0一九年")).tolist()
    assert typed == probes.word_hashes(codepoints("二〇一九年")).tolist()
    assert typed == reference.word_hashes(codepoints("二0一九年").tolist())


def test_zero_rule_agrees_after_every_character():
    """The compiled list of Chinese digits is the one in features.CHINESE_DIGITS."""
    cps = np.empty(2 * 0x10000, dtype=np.uint32)
    cps[0::2] = np.arange(0x10000)
    cps[1::2] = ord("０")
    assert chars.normalize_codepoints(cps).tolist() == normalize_cps(cps.tolist())
    assert chars.normalize_codepoints(codepoints(CHINESE_DIGITS + "0")).tolist()[-1] == 0x3007
