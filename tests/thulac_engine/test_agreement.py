"""hanlex with thulac:DIR gives what THULAC's Python package gives, word for word."""
from __future__ import annotations

import os
import pickle

import numpy as np
import pytest
from conftest import FIXTURES, random_texts

from hanlex import Analyzer

SAMPLE = (FIXTURES / "thulac_sample.txt").read_text(encoding="utf-8").splitlines()


def _words(pairs):
    return [w for w, *_ in pairs if w.strip()]


@pytest.fixture(scope="module")
def analyzer(thulac_dir):
    return Analyzer("thulac:" + thulac_dir)


@pytest.fixture(scope="module")
def thulac_seg(thulac_dir):
    import thulac

    return thulac.thulac(seg_only=True)


@pytest.fixture(scope="module")
def thulac_joint(thulac_dir):
    import thulac

    return thulac.thulac()


def test_segmentation_is_thulacs(analyzer, thulac_seg):
    texts = SAMPLE + random_texts(7, 300, "".join(SAMPLE))
    ours = analyzer.cut_many(texts)
    for text, words in zip(texts, ours):
        assert _words((w,) for w in words) == _words(thulac_seg.cut(text)), text


def test_tagging_is_thulacs(analyzer, thulac_joint):
    texts = SAMPLE + random_texts(8, 100, "".join(SAMPLE))
    ours = analyzer.tag_many(texts)
    for text, pairs in zip(texts, ours):
        theirs = [(w, t) for w, t in thulac_joint.cut(text) if w.strip()]
        assert [(w, t) for w, t in pairs if w.strip()] == theirs, text


def test_user_words_are_thulacs(thulac_dir, tmp_path):
    import thulac

    words = ["天安门上", "太阳升", "公园吧", "不折不扣的"]
    path = tmp_path / "user.txt"
    path.write_text("\n".join(words) + "\n", encoding="utf-8")
    theirs = thulac.thulac(seg_only=True, user_dict=str(path))
    ours = Analyzer("thulac:" + thulac_dir, user_dict=words)
    for text in SAMPLE:
        assert _words((w,) for w in ours.cut(text)) == _words(theirs.cut(text)), text
    assert "天安门上" in ours.cut(SAMPLE[0])


def test_traditional_is_thulacs_t2s(thulac_dir):
    import thulac

    theirs = thulac.thulac(seg_only=True, T2S=True)
    ours = Analyzer("thulac:" + thulac_dir, traditional=True)
    for text in ["我愛北京天安門，天安門上太陽升。", "國務院新聞辦公室舉行發佈會。"]:
        # THULAC writes the Simplified characters; hanlex keeps the text as given
        ours_words = ours.cut(text)
        assert "".join(ours_words) == text
        assert [len(w) for w in ours_words] == [len(w) for w, _ in theirs.cut(text)]


def test_output_is_lossless(analyzer):
    texts = random_texts(9, 200, "".join(SAMPLE)) + ["a  \n\n  b", "\n", "", "   "]
    for text, tokens in zip(texts, analyzer.tokenize_many(texts)):
        assert "".join(t.word for t in tokens) == text
        assert all(text[t.start:t.end] == t.word for t in tokens)
    for text, pairs in zip(texts, analyzer.tag_many(texts)):
        assert "".join(w for w, _ in pairs) == text


def test_long_lines_are_cut_as_thulac_cuts_them(analyzer, thulac_seg):
    line = "我爱北京天安门。" * 7000  # 56,000 characters: over THULAC's 50,000
    assert _words((w,) for w in analyzer.cut(line)) == _words(thulac_seg.cut(line))


def test_pickles_as_its_directory(analyzer):
    data = pickle.dumps(analyzer)
    assert len(data) < 1000
    assert pickle.loads(data).cut(SAMPLE[0]) == analyzer.cut(SAMPLE[0])


def test_search_mode_says_what_to_do(analyzer):
    from hanlex.errors import ConfigError

    with pytest.raises(ConfigError, match="THULAC"):
        analyzer.cut_for_search(SAMPLE[0])


@pytest.mark.parametrize("labels", ["0\n1\n2\n3\n", "0\n0\n1\n1\n", "3\n3\n3\n3\n", "2\n1\n0\n3\n",
                                    "0a\n3a\n0b\n2b\n1a\n2a\n"])
def test_odd_label_sets_decode_as_thulac_does(tmp_path, thulac_dir, labels):
    """Label sets where some positions allow no label, or no label reaches
    another: the package's dead paths and defaults, reproduced, never a crash."""
    import random
    import shutil
    import struct

    import thulac

    L = labels.count("\n")
    rng = random.Random(L)
    for name in ("ns.dat", "idiom.dat", "singlepun.dat", "t2s.dat", "cws_dat.bin"):
        shutil.copy(os.path.join(thulac_dir, name), tmp_path / name)
    (tmp_path / "cws_label.txt").write_text(labels, encoding="utf-8")
    features = 2_500_000  # the real feature trie's ids fall inside, so emissions vary
    weights = [rng.randint(-50, 50) for _ in range(L * L)]
    body = struct.pack(f"<2i{L * L}i", L, features, *weights)
    block = np.random.default_rng(L).integers(-1000, 1000, 1 << 20, dtype="<i4")
    rows = np.resize(block, features * L)  # small weights: the package sums them in int32
    (tmp_path / "cws_model.bin").write_bytes(body + rows.tobytes())
    theirs = thulac.thulac(model_path=str(tmp_path), seg_only=True)
    ours = Analyzer(f"thulac:{tmp_path}")
    texts = SAMPLE[:12] + random_texts(12, 40, "".join(SAMPLE))
    for text, words in zip(texts, ours.cut_many(texts)):
        assert _words((w,) for w in words) == _words(theirs.cut(text)), text


def test_thulac_tags_show_in_upos(analyzer, thulac_dir):
    import subprocess
    import sys

    from hanlex.model.tagsets import UPOS

    pairs = analyzer.tag(SAMPLE[0], tagset="upos")
    assert [w for w, _ in pairs] == [w for w, _ in analyzer.tag(SAMPLE[0])]
    assert all(t in UPOS for _, t in pairs) and ("北京", "PROPN") in pairs
    r = subprocess.run([sys.executable, "-m", "hanlex", "segment", "--model", f"thulac:{thulac_dir}",
                        "--pos", "--format", "conllu"], input=SAMPLE[0] + "\n",
                       capture_output=True, text=True, encoding="utf-8")
    assert r.returncode == 0, r.stderr
    assert "\t北京\t_\tPROPN\tns\t" in r.stdout
