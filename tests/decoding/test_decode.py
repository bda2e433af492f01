from __future__ import annotations

import numpy as np
import pytest
import reference
from conftest import random_texts

from hanlex.decoding.tables import compile_model
from hanlex.learn.trainer import TrainConfig, train
from hanlex.pretokenize.plan import plan
from hanlex.text.normalize import codepoints

# a test-only compiled module, built when HANLEX_TEST_PROBES=1 (setup.py)
probes = pytest.importorskip("hanlex._core.probes")


def _check_decoding(model, texts):
    dec = compile_model(model)
    for text in texts:
        p = plan([text])
        joined, segments, mask = p.text, p.segments, p.mask
        cps = codepoints(joined)
        seg = np.array(segments, dtype=np.int64).reshape(-1, 2)
        fast = dec.decode(cps, np.ascontiguousarray(seg[:, 0]), np.ascontiguousarray(seg[:, 1]),
                          mask)
        for a, b in segments:
            slow = reference.decode(cps[a:b].tolist(), model, mask[a:b].tolist())
            assert fast[a:b].tolist() == slow, text


def test_group_sums_carried_between_calls_are_exact(small_joint_model, sample_sentences):
    """The joint decoder keeps its group-A sums from call to call: a decoder
    that has seen other texts gives exactly a fresh decoder's labels."""
    import numpy as np

    from hanlex.decoding.tables import compile_model
    from hanlex.pretokenize.plan import plan
    from hanlex.text.normalize import codepoints

    def batch(texts):
        p = plan(texts)
        joined, mask = p.text, p.mask
        seg = np.array(p.segments, dtype=np.int64).reshape(-1, 2)
        return (codepoints(joined), np.ascontiguousarray(seg[:, 0]),
                np.ascontiguousarray(seg[:, 1]), mask)

    texts = [s.text for s in sample_sentences]
    used = compile_model(small_joint_model)
    used.decode(*batch(texts[::-1]))
    assert len(used.caches) == 1
    for part in (texts[:50], texts[50:]):
        assert np.array_equal(used.decode(*batch(part)),
                              compile_model(small_joint_model).decode(*batch(part)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_decoding_agrees(small_model, sample_sentences, seed):
    texts = random_texts(seed, 60, "".join(s.text for s in sample_sentences[:20]))
    texts += [s.text for s in sample_sentences[seed * 10: seed * 10 + 10]]
    _check_decoding(small_model, texts)


@pytest.mark.parametrize("seed", [4, 5])
def test_joint_decoding_agrees(small_joint_model, sample_sentences, seed):
    assert small_joint_model.joint and len(small_joint_model.joint_labels) > 0
    texts = random_texts(seed, 40, "".join(s.text for s in sample_sentences[:20]))
    texts += [s.text for s in sample_sentences[seed * 10: seed * 10 + 10]]
    _check_decoding(small_joint_model, texts)


def test_joint_decoding_with_raw_statistics_agrees(sample_sentences):
    """A joint model with raw-text statistics: their templates are summed in
    group B, the same in the compiled decoder and the reference."""
    raw = [s.text for s in sample_sentences[60:]] * 3
    m = train(sample_sentences[:60], config=TrainConfig(epochs=2, min_count=1, folds=3, joint=True,
                                                       cand_min_count=2, raw_labels=False,
                                                       stats_min_count=2), raw=raw)
    assert len(m.stats_keys) and len(m.joint_labels)
    texts = random_texts(6, 20, "".join(s.text for s in sample_sentences[60:80]))
    _check_decoding(m, texts + [s.text for s in sample_sentences[60:70]])


def test_candidates_agree(small_joint_model, sample_sentences):
    m = small_joint_model
    dec = compile_model(m)
    cand = dict(zip(m.cand_keys.tolist(), range(len(m.cand_keys))))
    L = 4 * len(m.tags)
    text = sample_sentences[3].text + "𠀀x５"
    cps = codepoints(text)
    mask = np.full(len(cps), 15, dtype=np.uint8)
    mask[2] = 8
    for level in range(4):
        fast = probes.label_candidates(cps, dec.candidates, L, mask, level)
        slow = reference.candidates(cps.tolist(), cand, m.cand_masks.tolist(),
                                    m.class_masks.tolist(), L, mask.tolist(), level)
        assert fast == slow
    pruned = probes.label_candidates(cps, dec.candidates, L, mask, 0)
    assert sum(map(len, pruned)) < len(cps) * L / 4  # the tag dictionary prunes hard
    # level 1 drops the tag dictionary only where the position mask constrains
    local = probes.label_candidates(cps, dec.candidates, L, mask, 1)
    assert local[2] == [l for l in range(L) if l & 3 == 3]  # every S label
    assert local[:2] + local[3:] == pruned[:2] + pruned[3:]


def test_viterbi_respects_masks(small_model):
    dec = compile_model(small_model)
    text = "中华人民共和国成立了"
    cps = codepoints(text)
    mask = np.full(len(cps), 15, dtype=np.uint8)
    mask[:] = 8  # every character a single-character word
    out = dec.decode(cps, np.array([0]), np.array([len(cps)]), mask)
    assert all((l & 3) == 3 for l in out.tolist())


def test_contradictory_mask_falls_back(small_model):
    dec = compile_model(small_model)
    cps = codepoints("中国")
    mask = np.array([4, 1], dtype=np.uint8)  # E then B: no legal path
    out = dec.decode(cps, np.array([0]), np.array([2]), mask)
    assert (out[-1] & 3) >= 2


def test_forced_span_relaxes_only_its_own_positions(small_joint_model, sample_sentences):
    """A URL forced whole whose characters share no tag in the tag dictionary
    (`:` and `/` were only ever punctuation) must not free the labels of the
    whole segment: the other characters keep tag-dictionary labels."""
    m = small_joint_model
    dec = compile_model(m)
    L = 4 * len(m.tags)
    for k in range(3, 8):
        text = sample_sentences[k].text[:12] + "http://t.cn/x" + sample_sentences[k + 1].text[:12]
        p = plan([text])
        joined, segments, mask = p.text, p.segments, p.mask
        assert len(segments) == 1
        cps = codepoints(joined)
        out = dec.decode(cps, np.array([0]), np.array([len(cps)]), mask).tolist()
        assert out == reference.decode(cps.tolist(), m, mask.tolist())
        dictionary = probes.label_candidates(cps, dec.candidates, L, mask, 0)
        free = [i for i in range(len(cps)) if mask[i] == 15]
        assert len(free) >= 20
        assert all(out[i] in dictionary[i] for i in free), text
