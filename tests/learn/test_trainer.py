from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest
from conftest import FIXTURES

import hanlex
from hanlex import Analyzer
from hanlex.evaluate import evaluate_model, score_spans
from hanlex.io.corpus import Sentence, read_corpus
from hanlex.learn.trainer import TrainConfig, train
from hanlex.lexicon.compiled import lexicon_index
from hanlex.pretokenize.plan import plan

# a test-only compiled module, built when HANLEX_TEST_PROBES=1 (setup.py)
probes = pytest.importorskip("hanlex._core.probes")


def in_lexicon(index, word: str) -> bool:
    """Whether a lexicon index holds `word` as a word (not only as a prefix)."""
    from hanlex.text.normalize import codepoints

    value = index.get(int(probes.word_hashes(codepoints(word))[-1]))
    return value > 0 and value & 1 == 1  # -1: absent


def test_a_model_of_a_splitting_standard_leaves_mentions_to_the_model(sample_sentences, tmp_path):
    weibo_like = [Sentence(("@", "头条", "新闻", "：", "今天", "#", "早安", "#")) for _ in range(12)]
    model = train(list(sample_sentences) + weibo_like, config=TrainConfig(epochs=3, min_count=1, folds=3))
    assert model.split_spans == ("hashtag", "mention")
    p = tmp_path / "m.hlx"
    model.save(p)
    loaded = hanlex.Model.load(p)
    assert loaded.split_spans == ("hashtag", "mention")
    info = subprocess.run([sys.executable, "-m", "hanlex.cli", "info", "--model", str(p)],
                          capture_output=True, text=True)
    assert info.returncode == 0 and "split spans\thashtag mention\n" in info.stdout
    p = plan(["请关注@头条新闻 #早安#"], frozenset(loaded.split_spans))
    assert p.closed == {} and p.mask.tolist() == [15] * len(p.mask)
    words = hanlex.Analyzer(loaded).cut("@头条新闻：今天#早安#")
    assert words[0] == "@" and "#早安#" not in words
    header = model.to_bytes().replace(b'"split_spans": ["hashtag", "mention"]', b'"split_spans": ["hashtag", "mentiox"]')
    with pytest.raises(hanlex.ModelFormatError, match="span kinds"):
        hanlex.Model.from_bytes(header, verify=False)


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


def test_external_lexicon_follows_the_jackknife(sample_sentences):
    """Words of an external list the corpus contains stay out of the folds they come from."""
    from hanlex.learn.folds import fold_lexicons

    counts = Counter(w for s in sample_sentences for w in s.words if len(w) >= 2)
    once = next(w for w, c in counts.items() if c == 1)
    fold = next(j % 3 for j, s in enumerate(sample_sentences) if once in s.words)
    (keys, flags), folds = fold_lexicons(sample_sentences, 3, 8, extra=[once, "罢免案", "x"])
    full = lexicon_index(keys, flags)
    assert in_lexicon(full, once) and in_lexicon(full, "罢免案")
    assert all(in_lexicon(index, "罢免案") for index, _ in folds)  # not in the corpus: every fold
    assert [in_lexicon(index, once) for index, _ in folds] == [j != fold for j in range(3)]


def test_added_words_the_corpus_splits_are_left_out_and_widths_compare_normalised():
    """多云 written 多 云 by the corpus stays out of every lexicon; ASCII 2008年
    is the corpus's full-width ２００８年 and follows the jackknife with it."""
    from hanlex.io.corpus import Sentence
    from hanlex.learn.folds import fold_lexicons

    sents = [Sentence(("明天", "多", "云", "。")), Sentence(("２００８年", "奥运会", "。")),
             Sentence(("今天", "晴", "。"))]
    logged = []
    (keys, flags), folds = fold_lexicons(sents, 3, 8, extra=["多云", "2008年", "晴朗"],
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


def test_position_prune_drops_the_weakest_features_of_a_segmenter(sample_sentences):
    import numpy as np

    from hanlex import Analyzer
    from hanlex.learn.trainer import TrainConfig, train

    cfg = dict(epochs=3, min_count=1, folds=3)
    full = train(sample_sentences, config=TrainConfig(**cfg))
    pruned = train(sample_sentences, config=TrainConfig(**cfg, position_prune=0.3))
    assert 0 < len(pruned.feature_keys) < len(full.feature_keys)
    assert np.isin(pruned.feature_keys, full.feature_keys).all()
    kept = np.isin(full.feature_keys, pruned.feature_keys)
    dropped = np.abs(np.asarray(full.weights)[~kept]).max(axis=1)
    assert dropped.max() < np.abs(np.asarray(pruned.weights)).max(axis=1).mean()
    texts = [s.text for s in sample_sentences[:40]]
    same = sum(a == b for a, b in zip(Analyzer(full).cut_many(texts), Analyzer(pruned).cut_many(texts)))
    assert same >= 36  # the weak features rarely decide a sentence


def test_a_joint_model_records_its_dev_word_f_beside_the_joint_f(sample_sentences):
    m = train(sample_sentences[:60], sample_sentences[60:80],
              config=TrainConfig(epochs=2, min_count=1, folds=2, joint=True))
    assert m.meta["dev_word_f"] >= m.meta["dev_f"]  # word F: tags are not scored
    labels = dict(m.describe())
    assert labels["dev word F (of that epoch)"] == str(m.meta["dev_word_f"])


def test_dropped_templates_get_no_weight_in_any_standard(sample_sentences):
    import numpy as np
    from conftest import joined_copy

    from hanlex._core.features import extract_keys
    from hanlex._core.templates import Template
    from hanlex.lexicon.compiled import lexicon_index
    from hanlex.text.normalize import codepoints

    sents = list(sample_sentences[:80])
    sents += [joined_copy(s, lambda a, b: a == b != "w") for s in sents]
    sents = [Sentence(s.words, criterion=s.criterion) for s in sents]
    dropped = (Template.T_SKIP, Template.T_TRIGRAM)
    cfg = dict(epochs=2, min_count=1, folds=2, standards=("pku", "joined"))
    full = train(sents, config=TrainConfig(**cfg))
    fast = train(sents, config=TrainConfig(**cfg, dropped_templates=dropped))
    empty = lexicon_index(np.zeros(0, np.uint64), np.zeros(0, np.int32))
    keys = np.concatenate([extract_keys(codepoints(s.text), empty, 8) for s in sents[:80]])

    def held(model, t, standard=None):
        own = model.standards[standard].keys if standard else model.feature_keys
        return int(np.isin(keys[:, t], own).sum())

    for t in dropped:
        assert held(full, t) > 0 and held(fast, t) == 0
        # the other standard's private copies leave them out too
        assert held(full, t, "joined") > 0 and held(fast, t, "joined") == 0
    assert held(fast, Template.T_PAIR_M1) > 0  # the others keep theirs
    assert held(fast, Template.T_PAIR_M1, "joined") > 0
    assert fast.meta["dropped_templates"] == ["c-1 c+1", "c-1 c0 c+1"]
    texts = [s.text for s in sample_sentences[:40]]
    same = sum(a == b for a, b in zip(Analyzer(full).cut_many(texts), Analyzer(fast).cut_many(texts)))
    assert same >= 30  # fewer templates, mostly the same words on the training text
