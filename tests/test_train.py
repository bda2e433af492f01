from __future__ import annotations

from collections import Counter

from hanlex import Analyzer
from hanlex.corpus import read_corpus
from hanlex.evaluate import score_spans
from hanlex.lexicon import lexicon_index
from hanlex.train import TrainConfig, evaluate_model, train

from conftest import FIXTURES


def test_learns_the_training_data(sample_sentences, small_model):
    s = evaluate_model(small_model, sample_sentences)
    assert s.f > 0.97, s.f  # a perceptron fits its own 150 sentences almost perfectly


def test_untrained_baseline_is_worse(sample_sentences):
    m = train(sample_sentences, config=TrainConfig(epochs=1, min_count=1, folds=3))
    full = train(sample_sentences, config=TrainConfig(epochs=6, min_count=1, folds=3))
    assert evaluate_model(full, sample_sentences).f > evaluate_model(m, sample_sentences).f


def test_training_is_deterministic(sample_sentences):
    cfg = TrainConfig(epochs=2, min_count=1, folds=3)
    a = train(sample_sentences, sample_sentences[:20], config=cfg).to_bytes()
    b = train(sample_sentences, sample_sentences[:20], config=cfg).to_bytes()
    assert a == b


def test_keeps_best_dev_epoch(sample_sentences):
    logs = []
    m = train(sample_sentences[:120], sample_sentences[120:], TrainConfig(epochs=4, min_count=1, folds=3),
              log=logs.append)
    hist = m.meta["dev_history"]
    assert len(hist) == 4
    assert m.meta["dev_f"] == max(hist)
    assert m.meta["best_epoch"] == hist.index(max(hist)) + 1
    assert any("dev F" in line for line in logs)


def test_other_optimizers_learn(sample_sentences):
    for name in ("pa", "adagrad"):
        m = train(sample_sentences, config=TrainConfig(epochs=4, min_count=1, folds=3, optimizer=name))
        assert evaluate_model(m, sample_sentences).f > 0.9, name


def test_generalises_a_little(sample_sentences):
    # trained on 130 lines, tested on 20 unseen ones: clearly better than
    # cutting every character apart
    held_out = sample_sentences[130:]
    m = train(sample_sentences[:130], config=TrainConfig(epochs=5, min_count=1, folds=3))
    singles = score_spans([[(w, None) for w in s.words] for s in held_out],
                          [[(c, None) for c in s.text] for s in held_out])
    assert evaluate_model(m, held_out).f > singles.f + 0.15


def test_plain_and_tagged_formats_give_same_words(tmp_path):
    tagged = read_corpus(FIXTURES / "pd_sample.txt")
    plain_file = tmp_path / "plain.txt"
    plain_file.write_text("\n".join(" ".join(s.words) for s in tagged), encoding="utf-8")
    plain = read_corpus(plain_file)
    assert [s.words for s in plain] == [s.words for s in tagged]
    assert all(s.tags is None for s in plain)
    assert Analyzer  # imported API surface


def test_joint_pruning_drops_only_small_weights(sample_sentences, small_joint_model):
    import numpy as np

    full = train(sample_sentences, config=TrainConfig(epochs=5, min_count=1, folds=3, joint=True,
                                                      cand_min_count=2, joint_prune=0))
    pruned = small_joint_model  # the default joint_prune
    assert 0 < len(pruned.joint_weights) < len(full.joint_weights)
    kept = np.abs(pruned.joint_weights.astype(np.float32))
    cut = TrainConfig().joint_prune * float(np.abs(full.joint_weights.astype(np.float32)).mean())
    assert kept.min() >= cut * 0.999  # (half precision rounding)
    # the words it learned survive pruning
    an = Analyzer(pruned)
    s = sample_sentences[0]
    assert [w for w, _ in an.tag(s.text)] == list(s.words)


def in_lexicon(index, word: str) -> bool:
    """Whether a lexicon index holds `word` as a word (not only as a prefix)."""
    from hanlex import _core
    from hanlex.features import codepoints

    value = index.get(int(_core.word_hashes(codepoints(word))[-1]))
    return value > 0 and value & 1 == 1  # -1: absent


def test_external_lexicon_follows_the_jackknife(sample_sentences):
    """Words of an external list the corpus contains stay out of the folds they come from."""
    from hanlex.train import _fold_lexicons

    counts = Counter(w for s in sample_sentences for w in s.words if len(w) >= 2)
    once = next(w for w, c in counts.items() if c == 1)
    fold = next(j % 3 for j, s in enumerate(sample_sentences) if once in s.words)
    (keys, flags), folds = _fold_lexicons(sample_sentences, 3, 8, extra=[once, "罢免案", "x"])
    full = lexicon_index(keys, flags)
    assert in_lexicon(full, once) and in_lexicon(full, "罢免案")
    assert all(in_lexicon(index, "罢免案") for index, _ in folds)  # not in the corpus: every fold
    assert [in_lexicon(index, once) for index, _ in folds] == [j != fold for j in range(3)]


def test_added_words_the_corpus_splits_are_left_out_and_widths_compare_normalised():
    """多云 written 多 云 by the corpus stays out of every lexicon; ASCII 2008年
    is the corpus's full-width ２００８年 and follows the jackknife with it."""
    from hanlex.corpus import Sentence
    from hanlex.train import _fold_lexicons

    sents = [Sentence(("明天", "多", "云", "。")), Sentence(("２００８年", "奥运会", "。")),
             Sentence(("今天", "晴", "。"))]
    logged = []
    (keys, flags), folds = _fold_lexicons(sents, 3, 8, extra=["多云", "2008年", "晴朗"],
                                          log=logged.append)
    full = lexicon_index(keys, flags)
    assert not in_lexicon(full, "多云") and not any(in_lexicon(index, "多云") for index, _ in folds)
    assert in_lexicon(full, "晴朗") and all(in_lexicon(index, "晴朗") for index, _ in folds)
    assert in_lexicon(full, "2008年") and [in_lexicon(index, "2008年") for index, _ in folds] == [True, False, True]
    assert logged == ["1 added words left out: the corpus writes them split"]


def test_external_lexicon_is_learned_and_stored(sample_sentences):
    cfg = TrainConfig(epochs=5, min_count=1, folds=3)
    words = ["罢免案", "电子商务", "多云转晴", "罢"]  # one character: no lexicon match
    plain = train(sample_sentences, config=cfg)
    enriched = train(sample_sentences, config=cfg, lexicon=words)
    assert enriched.meta["lexicon_words"] == 3 and "lexicon_words" not in plain.meta
    assert len(enriched.lexicon_keys) > len(plain.lexicon_keys)
    text = "议会通过罢免案，"
    assert "罢免案" not in Analyzer(plain).cut(text)
    assert "罢免案" in Analyzer(enriched).cut(text)


def test_raw_words_are_the_models_multichar_words(small_model, small_joint_model):
    from hanlex.train import raw_words

    texts = ["我们发展电子商务，", "  他们  来了。", ""]
    for model in (small_model, small_joint_model):
        cut = [w for t in texts for w in Analyzer(model, segmenter=False).cut(t)]
        expected = sorted({w for w in cut if len(w) >= 2 and not w.isspace()})
        assert raw_words(model, texts, batch=2) == expected and expected
