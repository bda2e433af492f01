"""THULAC's dictionaries: every word listed, and merged as the package merges them."""
from __future__ import annotations

import os
import random
import subprocess
import sys

import numpy as np

from hanlex.thulac import dictionary_words
from hanlex.thulac._decode import contains, merge_words
from hanlex.thulac.files import read_trie


def _trie(words, path):
    """A THULAC trie file of `words`, built by THULAC's own maker."""
    from thulac.base.Dat import DATMaker

    maker = DATMaker()
    maker.makeDat([[w, i] for i, w in enumerate(words)])
    np.array(maker.dat, dtype="<i4").tofile(path)
    return str(path)


def test_lists_every_word_of_a_built_trie(thulac_dir, tmp_path):
    words = ["北京", "北京大学", "北", "天安门", "长江三峡", "😀表情", "a"]
    listed = dictionary_words(_trie(words, tmp_path / "w.dat"))
    assert sorted(w for w, _ in listed) == sorted(words)
    assert {w: v for w, v in listed} == {w: i for i, w in enumerate(words)}


def test_lists_thulacs_dictionaries(thulac_dir):
    from thulac.base.Dat import Dat

    path = os.path.join(thulac_dir, "idiom.dat")
    listed = [w for w, _ in dictionary_words(path)]
    assert len(listed) > 50_000 and "一心一意" in listed
    theirs = Dat(path)
    dat = read_trie(path)
    for w in random.Random(0).sample(listed, 2000):
        assert theirs.match(w) != -1 and contains(dat, w)


def test_command_writes_the_words(thulac_dir, tmp_path):
    out = tmp_path / "words.txt"
    r = subprocess.run([sys.executable, "-m", "hanlex", "thulac-words",
                        os.path.join(thulac_dir, "singlepun.dat"), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    words = out.read_text(encoding="utf-8").splitlines()
    assert {"//", "。", "《", "！", "…"} <= set(words)
    assert len(words) == len(set(words)) > 10


def test_merges_as_the_package_does(thulac_dir):
    from thulac.manage.Postprocesser import Postprocesser

    path = os.path.join(thulac_dir, "ns.dat")
    theirs = Postprocesser(path, "ns", False)
    dat = read_trie(path)
    places = [w for w, _ in dictionary_words(path) if 2 <= len(w) <= 6][::50]
    rng = random.Random(3)
    for _ in range(500):
        # a sentence of pieces of place names and other words
        words = []
        for _ in range(rng.randint(1, 8)):
            w = rng.choice(places + ["的", "在", "和", "省", "市"])
            cut = rng.randint(1, len(w))
            words += [w[:cut], w[cut:]] if cut < len(w) else [w]
        text = "".join(words)
        ends = np.cumsum([len(w) for w in words]).astype(np.int64)
        cps = np.array([ord(c) for c in text], dtype=np.int32)
        out, firsts, tags = merge_words(cps, ends, np.array([0, len(words)], np.int64),
                                        np.zeros(len(words), np.int32), dat, 1, -1)
        expected = list(words)
        theirs.adjustSeg(expected)
        starts = np.concatenate(([0], out[:-1]))
        assert [text[a:b] for a, b in zip(starts, out)] == expected
        assert firsts.tolist() == [0, len(out)]
