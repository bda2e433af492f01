"""A standard's own tagset learned from the joint model's PKU tags (learn.retag)."""
from __future__ import annotations

import numpy as np

from hanlex.learn.retag import sentence_keys, train_retagger
from hanlex.model.retag import TEMPLATES, word_values
from hanlex.text.normalize import codepoints

PKU = ("n", "u", "v", "a")


def test_neighbours_stop_at_each_sentence():
    words = ["我们", "的", "书", "好", "看"]
    bounds = np.array([0, 2, 3, 4, 5, 6])
    tags = np.array([0, 1, 0, 3, 2])
    firsts = np.array([True, False, False, True, False])  # two texts: 我们的书 | 好看
    v = word_values(codepoints("".join(words)), bounds, tags, firsts)
    edge = v["t-1"][0]
    assert v["t-1"][3] == edge and v["t+1"][2] == edge  # 书 ends a text, 好 begins one
    assert v["t-1"][1] == v["t0"][0] and v["t+1"][1] == v["t0"][2]
    assert v["w+1"][0] == v["w0"][1] and v["w-1"][4] == v["w0"][3]
    assert list(v["n0"]) == [2, 1, 1, 1, 1]
    keys, starts = sentence_keys([(words[:3], ["n", "u", "n"]), (words[3:], ["a", "v"])],
                                 {t: i for i, t in enumerate(PKU)})
    assert keys.shape == (5, len(TEMPLATES)) and list(starts) == [0, 3, 5]
    assert len(set(keys[:, 0].tolist())) == 5  # the word template tells the words apart


def test_the_context_decides_what_a_word_is():
    """的 after a verb closes a relative clause (SCONJ), after a noun it marks
    the genitive (PART): a table from (word, PKU tag) cannot tell them apart."""
    pku, own = [], []
    for noun in ("书", "车", "家", "门"):
        for verb in ("买", "卖", "看", "写"):
            pku.append(((verb, "的", noun), ("v", "u", "n")))
            own.append(("VERB", "SCONJ", "NOUN"))
            pku.append(((noun, "的", verb + noun), ("n", "u", "n")))
            own.append(("NOUN", "PART", "NOUN"))
    retagger = train_retagger(pku, own, PKU, epochs=5)
    assert retagger.tags == ("NOUN", "PART", "SCONJ", "VERB")
    keys, _ = sentence_keys([(("拿", "的", "笔"), ("v", "u", "n")),
                             (("笔", "的", "拿笔"), ("n", "u", "n"))],
                            {t: i for i, t in enumerate(PKU)})
    tags = [retagger.tags[i] for i in retagger.predict(keys)]
    assert tags == ["VERB", "SCONJ", "NOUN", "NOUN", "PART", "NOUN"]
    assert retagger.check()
