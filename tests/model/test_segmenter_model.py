from __future__ import annotations

import pickle

import pytest
from conftest import random_texts

from hanlex import Analyzer, Model, ModelFormatError
from hanlex.model.stored import model_arrays

TEXT = "中共中央总书记、国家主席江泽民发表新年讲话。"


def test_cut_uses_the_segmenter_and_tag_the_joint_model(joint_with_segmenter, tmp_path):
    m = joint_with_segmenter
    p = tmp_path / "m.hlx"
    m.save(p)
    loaded = Model.load(p)
    assert loaded.segmenter is not None and not loaded.segmenter.joint
    assert loaded.to_bytes() == m.to_bytes()
    texts = random_texts(11, 100, TEXT) + [TEXT]
    an = Analyzer(loaded)
    only_seg = Analyzer(loaded.segmenter)
    joint = Analyzer(loaded, segmenter=False)
    assert an.cut_many(texts) == only_seg.cut_many(texts)
    assert [[t.word for t in ts] for ts in an.tokenize_many(texts)] == only_seg.cut_many(texts)
    assert an.tag_many(texts) == joint.tag_many(texts)
    assert joint.cut_many(texts) == [[w for w, _ in ps] for ps in joint.tag_many(texts)]
    for a in (an, joint):
        assert pickle.loads(pickle.dumps(a)).cut_many(texts) == a.cut_many(texts)
    assert all("".join(ws) == t for ws, t in zip(an.cut_many(texts), texts))


def test_damaged_segmenter_is_reported(joint_with_segmenter, tmp_path):
    data = bytearray(joint_with_segmenter.to_bytes())
    blob = model_arrays(joint_with_segmenter.segmenter)["weights"].tobytes()
    at = bytes(data).rfind(blob[:64])
    assert at > 0
    data[at + 3] ^= 0x55
    p = tmp_path / "d.hlx"
    p.write_bytes(bytes(data))
    with pytest.raises(ModelFormatError, match="segmenter/"):
        Model.load(p)
