from __future__ import annotations

import pytest

import hanlex
from hanlex import Analyzer
from hanlex.model.tagsets import PKU


def test_tag_api(small_joint_model):
    an = Analyzer(small_joint_model)
    pairs = an.tag("中共中央总书记、国家主席江泽民发表新年讲话。")
    assert "".join(w for w, _ in pairs) == "中共中央总书记、国家主席江泽民发表新年讲话。"
    assert all(t in small_joint_model.tags for _, t in pairs)
    assert dict(pairs).get("。") == "w"
    toks = an.tokenize("中共中央 总书记")
    assert [t.tag for t in toks][1] == "w"  # whitespace tokens are tagged w
    assert all(t.tag for t in toks)
    upos = an.tag("中共中央总书记", tagset="upos")
    assert [w for w, _ in upos] == [w for w, _ in an.tag("中共中央总书记")]
    assert all(t in {v[2] for v in PKU.values()} | {"X"} for _, t in upos)


def test_seg_only_model_refuses_tags(small_model):
    with pytest.raises(ValueError, match="no POS tags"):
        Analyzer(small_model).tag("你好")
    assert Analyzer(small_model).tokenize("你好")[0].tag is None


def test_closed_spans_get_sensible_tags():
    an = hanlex.default_analyzer()
    if not an.engine.joint:
        pytest.skip("needs a tagging model")
    tags = dict(an.tag("访问https://a.cn/x或发邮件a@b.com😀"))
    assert tags["https://a.cn/x"] == "nx" and tags["a@b.com"] == "nx" and tags["😀"] == "w"
