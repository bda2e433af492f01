from __future__ import annotations

from hanlex import Analyzer


def test_raw_words_are_the_models_multichar_words(small_model, small_joint_model):
    from hanlex.learn.recipes import raw_words

    texts = ["我们发展电子商务，", "  他们  来了。", ""]
    for model in (small_model, small_joint_model):
        cut = [w for t in texts for w in Analyzer(model, segmenter=False).cut(t)]
        expected = sorted({w for w in cut if len(w) >= 2 and not w.isspace()})
        assert raw_words(model, texts, batch=2) == expected and expected
