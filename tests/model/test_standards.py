"""One model, several segmentation standards, chosen at decode time."""
from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import FIXTURES, joined_copy

from hanlex import Analyzer, Model
from hanlex.errors import ConfigError, ModelFormatError
from hanlex.io.corpus import Sentence, read_corpus
from hanlex.learn.trainer import TrainConfig, train
from hanlex.model.standards import in_standard


def _joined(s: Sentence) -> Sentence:
    """People's Daily's sentence with every word pair of a line of names (nr nr)
    and every number + measure word (m q) written as one word: another standard."""
    return joined_copy(s, lambda a, b: (a, b) in (("nr", "nr"), ("m", "q")))


@pytest.fixture(scope="module")
def corpora():
    pku = read_corpus(FIXTURES / "pd_sample.txt")
    return pku, [_joined(s) for s in pku]


@pytest.fixture(scope="module")
def two_standards(corpora):
    pku, joined = corpora
    cfg = TrainConfig(epochs=4, min_count=1, folds=2, joint=True, standards=("pku", "joined"))
    return train(pku + joined, config=cfg)


def _spans(words) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w)))
        pos += len(w)
    return out


def _own_words(words_of, ours: list[Sentence], theirs: list[Sentence]) -> float:
    """The share of the words only our standard writes (not theirs) that the
    analysis `words_of(texts)` gives."""
    hit = total = 0
    for a, b, words in zip(ours, theirs, words_of([s.text for s in ours])):
        only = _spans(a.words) - _spans(b.words)
        hit += len(only & _spans(words))
        total += len(only)
    return hit / total


def test_each_standard_writes_its_own_corpus(two_standards, corpora):
    pku, joined = corpora
    in_pku = Analyzer(two_standards, standard="pku")
    in_joined = Analyzer(two_standards, standard="joined")
    # the words the standards disagree on, in cut and in the tagging model
    for way in ("cut_many", "tag_many"):
        def words(an):
            return lambda texts: [[w if isinstance(w, str) else w[0] for w in ws]
                                  for ws in getattr(an, way)(texts)]
        # (150 sentences: the private weights learn the joining from few examples)
        assert _own_words(words(in_joined), joined, pku) > _own_words(words(in_pku), joined, pku) + 0.25
        assert _own_words(words(in_pku), pku, joined) > _own_words(words(in_joined), pku, joined) + 0.25
        assert _own_words(words(in_pku), pku, joined) > 0.8


def test_the_main_standard_decodes_with_the_shared_weights_alone(two_standards, corpora):
    plain = in_standard(two_standards, "pku")
    assert not plain.standards
    texts = [s.text for s in corpora[0]]
    assert Analyzer(two_standards).cut_many(texts) == Analyzer(plain).cut_many(texts)
    assert Analyzer(two_standards).engine.standard == "pku"


def test_a_standard_adds_its_weights_to_the_shared_ones(two_standards):
    own = two_standards.standards["joined"]
    merged = in_standard(two_standards, "joined")
    assert merged.standard == "joined" and not merged.standards
    for r in (0, len(own.keys) // 2, len(own.keys) - 1):
        key = own.keys[r]
        shared = np.searchsorted(two_standards.feature_keys, key)
        base = (two_standards.weights[shared].astype(np.float32)
                if shared < len(two_standards.feature_keys)
                and two_standards.feature_keys[shared] == key else np.zeros(4, np.float32))
        row = np.searchsorted(merged.feature_keys, key)
        assert merged.feature_keys[row] == key
        expected = (base + own.weights[r].astype(np.float32)).astype(np.float16)
        assert np.array_equal(merged.weights[row], expected)
    # a shared feature's joint weights stay with it
    k = len(two_standards.feature_keys) // 2
    row = np.searchsorted(merged.feature_keys, two_standards.feature_keys[k])
    a, b = two_standards.joint_indptr[k:k + 2]
    c, d = merged.joint_indptr[row:row + 2]
    assert np.array_equal(two_standards.joint_labels[a:b], merged.joint_labels[c:d])


def test_standards_survive_the_file(two_standards, tmp_path, corpora):
    path = tmp_path / "two.hlx"
    two_standards.default_standard = "joined"
    try:
        two_standards.save(path)
    finally:
        two_standards.default_standard = None
    loaded = Model.load(path)
    assert (loaded.standard, list(loaded.standards), loaded.default_standard) == \
        ("pku", ["joined"], "joined")
    own, back = two_standards.standards["joined"], loaded.standards["joined"]
    assert np.array_equal(own.keys, back.keys) and np.array_equal(own.weights, back.weights)
    texts = [s.text for s in corpora[1]]
    assert Analyzer(path).engine.standard == "joined"
    assert Analyzer(path).cut_many(texts) == Analyzer(two_standards, standard="joined").cut_many(texts)
    assert ("standards", "pku joined (default)") in loaded.describe()


def test_an_unknown_standard_is_refused_with_the_names(two_standards, small_model):
    with pytest.raises(ConfigError, match="pku, joined"):
        Analyzer(two_standards, standard="weibo")
    with pytest.raises(ConfigError, match="main"):
        Analyzer(small_model, standard="weibo")
    assert Analyzer(small_model, standard="main").engine.standard == "main"


def _rewritten(model: Model, change) -> bytes:
    """The model's file with its header's config changed by `change`."""
    data = model.to_bytes()
    hlen = int.from_bytes(data[12:16], "little")
    header = json.loads(data[16:16 + hlen])
    change(header["config"])
    hb = json.dumps(header).encode()
    return data[:12] + len(hb).to_bytes(4, "little") + hb + data[16 + hlen:]


@pytest.mark.parametrize("change", [
    lambda c: c.__setitem__("default_standard", "nope"),
    lambda c: c.__setitem__("default_standard", ["a"]),
    lambda c: c.__setitem__("standard", "Bad Name"),
    lambda c: c["standards"].__setitem__("missing", {}),
    lambda c: c["standards"]["joined"].__setitem__("split_spans", ["nonsense"]),
])
def test_a_damaged_standards_header_is_a_format_error(two_standards, change):
    with pytest.raises(ModelFormatError):
        Model.from_bytes(_rewritten(two_standards, change))


@pytest.fixture(scope="module")
def upos_standard(corpora):
    """pku plus a standard `ud` whose corpus is tagged in UPOS: its tags come from a
    retagger (model.retag) over the joint model's PKU tags."""
    from hanlex.learn.recipes import train_model
    from hanlex.model.tagsets import convert

    pku = corpora[0]
    ud = [Sentence(s.words, s.tags, criterion=1) for s in pku[:100]]
    own = {"ud": [tuple(convert(t, "upos") for t in s.tags) for s in pku[:100]]}
    cfg = TrainConfig(epochs=3, min_count=1, folds=2, joint=True, standards=("pku", "ud"))
    return train_model(pku + ud, [], cfg, own_tags=own)


def test_a_standard_with_its_own_tagset_tags_in_it(upos_standard, tmp_path):
    from hanlex.model.tagsets import UPOS

    path = tmp_path / "ud.hlx"
    upos_standard.save(path)
    text = "中共中央总书记、国家主席江泽民发表新年讲话。"
    ud, pku = Analyzer(path, standard="ud"), Analyzer(path, standard="pku")
    tags = [t for _, t in ud.tag(text)]
    assert set(tags) <= set(UPOS) and "NOUN" in tags
    assert {t for _, t in pku.tag(text)} <= set(upos_standard.tags)
    assert ud.tag(text, tagset="upos") == ud.tag(text)
    assert ud.engine.tags == upos_standard.standards["ud"].retagger.tags
    # user words take the standard's own tags
    assert ud.with_user_dict([("新年讲话", "NOUN")]).tag(text)[-2] == ("新年讲话", "NOUN")
    ud.add_word("新年讲话", "n")  # a PKU tag becomes the standard's UPOS one
    assert ud.tag(text)[-2] == ("新年讲话", "NOUN")
    with pytest.warns(UserWarning, match="kept without a tag"):
        ud.add_word("新年讲话", "zzz")


def test_a_damaged_retagger_is_a_format_error(upos_standard):
    def shorter(c):
        c["standards"]["ud"]["tags"] = c["standards"]["ud"]["tags"][:-1]
    with pytest.raises(ModelFormatError):
        Model.from_bytes(_rewritten(upos_standard, shorter))


def test_the_union_of_sorted_keys_is_numpys():
    from hanlex.model.standards import _union

    rng = np.random.RandomState(3)
    a = np.unique(rng.randint(0, 2**62, 2000, dtype=np.int64).astype(np.uint64))
    b = np.unique(np.concatenate((a[::3], rng.randint(0, 2**62, 700, dtype=np.int64).astype(np.uint64))))
    for x, y in ((a, b), (b, a), (a[:0], b), (a, b[:0]), (a[:0], b[:0])):
        assert np.array_equal(_union(x, y), np.union1d(x, y))


def test_user_words_apply_in_every_standard(two_standards):
    text = "中共中央总书记、国家主席江泽民发表新年讲话。"
    for standard in ("pku", "joined"):
        an = Analyzer(two_standards, standard=standard, user_dict=["泽民发", "新年讲话"])
        assert "泽民发" in an.cut(text) and "新年讲话" in an.cut(text)
        assert ("新年讲话", None) in [(w, None) for w, _ in an.tag(text)]


@pytest.mark.parametrize("standard", [None, "pku", "weibo", "ud"])
def test_the_joint_model_merged_late_tags_as_one_merged_at_once(standard):
    """An engine that only cuts leaves the joint model's weights unmerged (~20 MB and
    0.1 s per process); tagging merges them then, to the same tags."""
    text = "中共中央总书记、国家主席江泽民发表新年讲话。杨超越的猫回来了，@头条新闻 #话题#"
    cut_first = Analyzer(standard=standard)
    words = cut_first.cut(text)
    joint_only = Analyzer(standard=standard, segmenter=False)  # merges at once
    assert cut_first.tag(text) == joint_only.tag(text)
    assert cut_first.cut(text) == words  # the segmenter is kept, not made again
