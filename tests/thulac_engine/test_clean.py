"""THULAC's preprocessing: the compiled clean equals clean.py, which equals the package's."""
from __future__ import annotations

import random

import numpy as np
import pytest
from reference_clean import clean

from hanlex.thulac._decode import clean as compiled_clean
from hanlex.thulac.clean import KINDS

# the characters the rules treat apart, and some they do not
CHARS = list("我爱北京天安门的了吧呢么啊嘛 　，。！？《》“”@#abcAB12-_/:.、…（）【】~")
CHARS += ["😀", "\ud800"]


def _texts(seed, count):
    rng = random.Random(seed)
    return ["".join(rng.choice(CHARS) for _ in range(rng.randint(0, 30))) for _ in range(count)]


def test_compiled_clean_equals_the_reference():
    texts = _texts(1, 3000)
    for start in range(0, len(texts), 5):
        batch = texts[start:start + 5]
        cps = np.array([ord(c) for c in "".join(batch)], dtype=np.int32)
        bounds = np.cumsum([0] + [len(t) for t in batch]).astype(np.int64)
        kept, pocs, origin, stops = compiled_clean(cps, bounds[:-1], bounds[1:], KINDS)
        k = 0
        for s, text in enumerate(batch):
            ref = clean(text)
            n = len(ref.text)
            assert "".join(map(chr, kept[k:k + n])) == ref.text
            assert pocs[k:k + n].tolist() == ref.pocs, text
            assert (origin[k:k + n] - bounds[s]).tolist() == ref.origin
            assert stops[s] == k + n
            k += n


def test_reference_equals_thulacs_preprocessing(thulac_dir):
    from thulac.manage.Preprocesser import Preprocesser

    theirs = Preprocesser()
    for text in _texts(2, 3000):
        ref = clean(text)
        assert (ref.text, ref.pocs) == theirs.clean(text), text


def test_compiled_clean_refuses_bad_bounds():
    cps = np.zeros(3, dtype=np.int32)
    with pytest.raises(ValueError):
        compiled_clean(cps, np.array([2], np.int64), np.array([5], np.int64), KINDS)
