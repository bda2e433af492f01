from __future__ import annotations

import random

import numpy as np
import pytest
import reference
from reference import normalize_cps

from hanlex import Analyzer
from hanlex.decoding import _words as words
from hanlex.lexicon.compiled import compile_lexicon, lexicon_index
from hanlex.text.normalize import codepoints


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
    got = words.sub_words(cps, np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64),
                          model_index, user_index)
    known = {tuple(normalize_cps(codepoints(w).tolist())) for w in model_words if len(w) >= 2}
    known |= {tuple(normalize_cps(codepoints(w).tolist())) for w in user_words}
    want = reference.sub_words(cps.tolist(), starts, ends, known)
    assert len(want) > 20
    assert [tuple(r) for r in got.tolist()] == want
    # without the second lexicon, only the first one's words
    alone = words.sub_words(cps, np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64),
                            model_index)
    assert {tuple(r) for r in alone.tolist()} < set(want)


def test_words_of_texts_join_back():
    texts = ["", "ab", "c", "", "def"]
    # a b c are single words, "de" ends at e, "f" never ends: still a word
    labels = np.array([3, 3, 3, 0, 2, 0], dtype=np.int32)
    out = words.words_of_texts("".join(texts), labels, texts)
    assert out == [[], ["a", "b"], ["c"], [], ["de", "f"]]
    with pytest.raises(ValueError):
        words.words_of_texts("abc", labels, ["abc"])


def test_word_lists_leave_the_gc_state_as_it_was():
    """split_texts defers cyclic GC while it builds its lists; it must restore it."""
    import gc

    was = gc.isenabled()
    try:
        for state in (False, True):
            (gc.enable if state else gc.disable)()
            assert Analyzer().cut_many(["我爱北京", "北京"]) == [["我", "爱", "北京"], ["北京"]]
            assert gc.isenabled() is state
            with pytest.raises(ValueError):
                words.words_of_texts("abc", np.zeros(2, dtype=np.int32), ["abc"])
            assert gc.isenabled() is state
    finally:
        (gc.enable if was else gc.disable)()


def test_short_words_are_shared_strings_and_still_exact():
    """Words of one or two BMP characters come out as shared str objects (a
    result list of a million words would otherwise hold a million small
    strings); sharing must never change a word, under cache collisions too."""
    from hanlex.decoding._words import words_of_texts

    rng = random.Random(7)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)] + ["a", "\U00020000", "\ud800", "\x00"]
    texts = ["".join(rng.choice(chars) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    joined = "".join(texts)
    labels = np.array([rng.choice((0, 1, 2, 3)) for _ in joined], dtype=np.int32)
    words = words_of_texts(joined, labels, texts)
    assert ["".join(w) for w in words] == texts
    again = words_of_texts(joined, labels, texts)
    assert again == words
    flat, flat_again = [w for ws in words for w in ws], [w for ws in again for w in ws]
    assert any(w is v for w, v in zip(flat, flat_again) if len(w) == 2)
    assert all(w is v for w, v in zip(flat, flat_again) if len(w) == 1 and w < "\U00010000")
