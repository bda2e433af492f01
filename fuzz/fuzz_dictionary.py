"""Fuzz the dictionary reader: any file must read as entries or raise a HanlexError.

    python fuzz/fuzz_dictionary.py -atheris_runs=1000000

The bytes are written to a file and read as a user dictionary (lexicon.entries,
UserDict.load: jieba's `word [freq] [tag]` lines, UTF-8 or gzip/bz2/xz of it). What
reads must give words without whitespace; in an Analyzer every tag becomes one of the
model's (jieba's names mapped) or none, with at most one warning, and a text made of
the words must segment losslessly, also with two of them kept apart (a split). The same file
read as a soft word list (`--lexicon`, Analyzer(lexicon=)) must compile onto a lexicon
as sorted, distinct keys that keep every key it had.
"""
import os
import sys
import tempfile
import warnings

import atheris
import numpy as np

with atheris.instrument_imports():
    import hanlex
    from hanlex.errors import HanlexError
    from hanlex.lexicon.compiled import compile_lexicon
    from hanlex.lexicon.entries import read_wordlist
    from hanlex.lexicon.userdict import UserDict

BASE = hanlex.default_analyzer()
# a slice of the shipped model's lexicon: Model.with_words compiles onto the whole one
_KEYS, _FLAGS = (a[:4096] for a in (BASE.engine.model.lexicon_keys, BASE.engine.model.lexicon_flags))
PATH = os.path.join(tempfile.mkdtemp(), "user.txt")
TAGS = set(BASE.engine.tags)


def test_one_input(data: bytes) -> None:
    with open(PATH, "wb") as f:
        f.write(data)
    try:
        ud = UserDict.load(PATH)
    except HanlexError:
        return
    words = list(ud.entries)
    assert all(w and not any(ch.isspace() for ch in w) for w in words)
    soft = read_wordlist(PATH)
    assert set(soft) == set(words)
    keys, flags = compile_lexicon(soft, base=(_KEYS, _FLAGS))
    assert len(keys) == len(flags) and bool((keys[1:] > keys[:-1]).all())
    assert bool(np.isin(_KEYS, keys).all())
    if not words:
        return
    text = "的".join(words[:5])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        an = BASE.with_user_dict(ud)
    assert len(caught) <= 1
    assert all(t is None or t in TAGS for t in an.user_dict.entries.values())
    assert list(an.user_dict.entries) == words
    got = an.cut(text)
    assert "".join(got) == text
    if len(words) >= 2:  # the first two kept apart (jieba's suggest_freq with a tuple)
        an.add_split(words[:2])
        assert "".join(an.cut(text)) == text


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
