"""Fuzz the dictionary reader: any file must read as entries or raise a HanlexError.

    python fuzz/fuzz_dictionary.py -atheris_runs=1000000

The bytes are written to a file and read as a user dictionary (lexicon.entries,
UserDict.load: jieba's `word [freq] [tag]` lines, UTF-8 or gzip/bz2/xz of it). What
reads must give words without whitespace, and an Analyzer with those words (when
their tags are the model's) must segment a text made of them losslessly.
"""
import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    import hanlex
    from hanlex.errors import HanlexError
    from hanlex.lexicon.userdict import UserDict

BASE = hanlex.default_analyzer()
PATH = os.path.join(tempfile.mkdtemp(), "user.txt")


def test_one_input(data: bytes) -> None:
    with open(PATH, "wb") as f:
        f.write(data)
    try:
        ud = UserDict.load(PATH)
    except HanlexError:
        return
    words = list(ud.entries)
    assert all(w and not any(ch.isspace() for ch in w) for w in words)
    if not words:
        return
    text = "的".join(words[:5])
    try:
        an = BASE.with_user_dict(ud)
    except HanlexError:  # a tag the model does not know: said, with file and line
        assert any(t is not None for t in ud.entries.values())
        return
    got = an.cut(text)
    assert "".join(got) == text


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
