"""The compiled core must agree exactly with the pure-Python reference."""
from __future__ import annotations

import random

import numpy as np
import pytest

from hanlex import _core, reference
from hanlex.decoder import Decoder
from hanlex.features import CHINESE_DIGITS, char_class, codepoints, normalize_cps, normalize_text
from hanlex.lexicon import compile_lexicon, lexicon_index
from hanlex.pretokenize import plan
from hanlex.train import TrainConfig, train

ALPHABET = list("中国人民政府北京大学的了是在一二三年月日１２３ＡＢｃ，。！？、　 abcXYZ0123456789.%@#"
                "😀👍🏽\u200d\u0301\u3000\t\n") + ["\ud800", "\U00020000", "\x00", "\u25cb"]


def random_texts(seed: int, count: int, sample_text: str):
    rng = random.Random(seed)
    pool = ALPHABET + list(sample_text)
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) for _ in range(count)]


def test_normalisation_and_classes_agree():
    cps = np.concatenate([np.arange(0, 0x30000, 7), np.arange(0x3000, 0x3200),  # kana and
                          np.arange(0xFF00, 0x10000)]).astype(np.uint32)       # half width
    norm = _core.normalize_codepoints(cps)
    assert norm.tolist() == normalize_cps(cps.tolist())
    assert _core.char_classes(norm).tolist() == [char_class(c) for c in norm.tolist()]


def test_fullwidth_is_normalised_like_ascii():
    assert _core.normalize_codepoints(codepoints("１２３ＡＢ％　")).tolist() == \
        codepoints("123AB% ").tolist()


def test_zero_after_a_chinese_digit_reads_as_ideographic_zero():
    text = "二０００年 二0一九年 一九九0 ○00 3∶０一胜 Win10一 0二"
    want = "二〇〇〇年 二〇一九年 一九九〇 ○〇〇 3∶0一胜 Win10一 0二"
    cps = codepoints(text)
    assert _core.normalize_codepoints(cps).tolist() == codepoints(want).tolist()
    assert normalize_cps(cps.tolist()) == codepoints(want).tolist()
    assert normalize_text(text) == want
    typed = _core.word_hashes(codepoints("二0一九年")).tolist()
    assert typed == _core.word_hashes(codepoints("二〇一九年")).tolist()
    assert typed == reference.word_hashes(codepoints("二0一九年").tolist())


def test_zero_rule_agrees_after_every_character():
    """The compiled list of Chinese digits is the one in features.CHINESE_DIGITS."""
    cps = np.empty(2 * 0x10000, dtype=np.uint32)
    cps[0::2] = np.arange(0x10000)
    cps[1::2] = ord("０")
    assert _core.normalize_codepoints(cps).tolist() == normalize_cps(cps.tolist())
    assert _core.normalize_codepoints(codepoints(CHINESE_DIGITS + "0")).tolist()[-1] == 0x3007


def test_hashes_agree():
    for t, a, b, c in [(0, 0, 0, 0), (7, 0x4E2D, 0x56FD, 0), (21, 6, 0x110002, 0x10FFFF)]:
        assert _core.feature_key(t, a, b, c) == reference.feature_key(t, a, b, c)
    cps = codepoints("中华人民共和国")
    assert _core.word_hashes(cps).tolist() == reference.word_hashes(cps.tolist())


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


def test_keys_and_rows_agree(small_model, sample_sentences):
    lex_keys, lex_flags = compile_lexicon(["中国", "中国人", "人民", "北京大学", "１２３"])
    lex = lexicon_index(lex_keys, lex_flags)
    lex_map = dict(zip(lex_keys.tolist(), lex_flags.tolist()))
    feats = dict(zip(small_model.feature_keys.tolist(), range(len(small_model.feature_keys))))
    dec = Decoder(small_model)
    for text in random_texts(1, 200, sample_sentences[0].text) + ["北京大学中国人民１２３"]:
        cps = codepoints(text)
        keys = _core.extract_keys(cps, lex, 8)
        assert keys.tolist() == reference.extract_keys(cps.tolist(), lex_map, 8)
        rows = _core.extract_rows(cps, dec.features, lex, 8)
        assert rows.tolist() == reference.extract_rows(cps.tolist(), feats, lex_map, 8)


def test_lexicon_spans_found():
    lex_keys, lex_flags = compile_lexicon(["中国", "中国人", "人民"])
    lex_map = dict(zip(lex_keys.tolist(), lex_flags.tolist()))
    lb, le, lm = reference.lexicon_spans(codepoints("我中国人民").tolist(), lex_map, 8)
    assert lb == [0, 3, 0, 2, 0]
    assert le == [0, 0, 2, 3, 2]
    assert lm == [0, 0, 3, 0, 0]


def _check_decoding(model, texts):
    dec = Decoder(model)
    for text in texts:
        joined, segments, spaces, mask, _ = plan([text])
        cps = codepoints(joined)
        seg = np.array(segments, dtype=np.int64).reshape(-1, 2)
        fast = dec.decode(cps, np.ascontiguousarray(seg[:, 0]), np.ascontiguousarray(seg[:, 1]),
                          mask)
        for a, b in segments:
            slow = reference.decode(cps[a:b].tolist(), model, mask[a:b].tolist())
            assert fast[a:b].tolist() == slow, text


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
    dec = Decoder(m)
    cand = dict(zip(m.cand_keys.tolist(), range(len(m.cand_keys))))
    L = 4 * len(m.tags)
    text = sample_sentences[3].text + "𠀀x５"
    cps = codepoints(text)
    mask = np.full(len(cps), 15, dtype=np.uint8)
    mask[2] = 8
    for level in range(4):
        fast = _core.label_candidates(cps, dec.candidates, L, mask, level)
        slow = reference.candidates(cps.tolist(), cand, m.cand_masks.tolist(),
                                    m.class_masks.tolist(), L, mask.tolist(), level)
        assert fast == slow
    pruned = _core.label_candidates(cps, dec.candidates, L, mask, 0)
    assert sum(map(len, pruned)) < len(cps) * L / 4  # the tag dictionary prunes hard
    # level 1 drops the tag dictionary only where the position mask constrains
    local = _core.label_candidates(cps, dec.candidates, L, mask, 1)
    assert local[2] == [l for l in range(L) if l & 3 == 3]  # every S label
    assert local[:2] + local[3:] == pruned[:2] + pruned[3:]


def test_viterbi_respects_masks(small_model):
    dec = Decoder(small_model)
    text = "中华人民共和国成立了"
    cps = codepoints(text)
    mask = np.full(len(cps), 15, dtype=np.uint8)
    mask[:] = 8  # every character a single-character word
    out = dec.decode(cps, np.array([0]), np.array([len(cps)]), mask)
    assert all((l & 3) == 3 for l in out.tolist())


def test_contradictory_mask_falls_back(small_model):
    dec = Decoder(small_model)
    cps = codepoints("中国")
    mask = np.array([4, 1], dtype=np.uint8)  # E then B: no legal path
    out = dec.decode(cps, np.array([0]), np.array([2]), mask)
    assert (out[-1] & 3) >= 2


def test_forced_span_relaxes_only_its_own_positions(small_joint_model, sample_sentences):
    """A URL forced whole whose characters share no tag in the tag dictionary
    (`:` and `/` were only ever punctuation) must not free the labels of the
    whole segment: the other characters keep tag-dictionary labels."""
    m = small_joint_model
    dec = Decoder(m)
    L = 4 * len(m.tags)
    for k in range(3, 8):
        text = sample_sentences[k].text[:12] + "http://t.cn/x" + sample_sentences[k + 1].text[:12]
        joined, segments, _, mask, _ = plan([text])
        assert len(segments) == 1
        cps = codepoints(joined)
        out = dec.decode(cps, np.array([0]), np.array([len(cps)]), mask).tolist()
        assert out == reference.decode(cps.tolist(), m, mask.tolist())
        dictionary = _core.label_candidates(cps, dec.candidates, L, mask, 0)
        free = [i for i in range(len(cps)) if mask[i] == 15]
        assert len(free) >= 20
        assert all(out[i] in dictionary[i] for i in free), text


@pytest.mark.parametrize("seed", range(5))
def test_search_sub_words_agree(seed):
    rng = random.Random(seed)
    alphabet = "中华人民共和国北京大学生物一二三〇年月ＡB1２，"
    text = "".join(rng.choice(alphabet) for _ in range(400))
    vocab = set()
    for _ in range(300):  # pieces of the text, and words that are not in it
        i = rng.randrange(len(text))
        vocab.add(text[i:i + rng.randint(1, 5)])
        vocab.add("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))))
    model_words, user_words = sorted(vocab)[::2], sorted(vocab)[1::2]
    model_index = lexicon_index(*compile_lexicon(model_words))  # 2+ characters, as models keep
    user_index = lexicon_index(*compile_lexicon(user_words, min_len=1))  # as UserDict keeps
    cuts = sorted(set(rng.sample(range(1, len(text)), 60)))
    starts, ends = [0] + cuts, cuts + [len(text)]
    cps = codepoints(text)
    got = _core.sub_words(cps, np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64),
                          model_index, user_index)
    known = {tuple(normalize_cps(codepoints(w).tolist())) for w in model_words if len(w) >= 2}
    known |= {tuple(normalize_cps(codepoints(w).tolist())) for w in user_words}
    want = reference.sub_words(cps.tolist(), starts, ends, known)
    assert len(want) > 20
    assert [tuple(r) for r in got.tolist()] == want
    # without the second lexicon, only the first one's words
    alone = _core.sub_words(cps, np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64),
                            model_index)
    assert {tuple(r) for r in alone.tolist()} < set(want)
