"""Fuzz the Analyzer with atheris: any str must round-trip and never crash.

    python fuzz/fuzz_analyzer.py -atheris_runs=1000000

Checks, for every input decoded as UTF-16 code units (lone surrogates
included) and as UTF-8: tokenize() offsets cover it exactly, cut() (the
compiled one-text path) agrees with tokenize(), tag() with tokenize(pos=True)
(both the joint model, pruned by the segmenter; tag(exact=True) round-trips too), the
fast tier's cut() and tokenize() the same, and a user dictionary built from part of the
input keeps its words whole.
"""
import sys

import atheris
import numpy  # noqa: F401  (not fuzzed; hanlex imports it on first use, mid-run otherwise)

with atheris.instrument_imports():
    import hanlex
    from hanlex import Analyzer

AN = hanlex.default_analyzer()
FAST = Analyzer("fast")  # the fast tier: no hashed templates, its own tables


def check(an: Analyzer, text: str) -> None:
    toks = an.tokenize(text)
    assert "".join(t.word for t in toks) == text
    pos = 0
    for t in toks:
        assert t.start == pos < t.end and text[t.start:t.end] == t.word
        pos = t.end
    assert pos == len(text)
    # cut() of one text takes the compiled one-text path (CompiledModel.cut in
    # decoding/_compiled.pyx) when the Analyzer has no user words: it must give
    # tokenize()'s words
    assert an.cut(text) == [t.word for t in toks]
    if an.engine.joint:
        # tagging decodes with the joint model, whose words may differ from the
        # embedded segmenter's: compare it with the joint model's own tokens
        joint = an.tokenize(text, pos=True)
        assert "".join(t.word for t in joint) == text
        assert [(w, tag) for w, tag in an.tag(text)] == [(t.word, t.tag) for t in joint]
        # tag() is pruned by the segmenter's max-marginals (tag_margin); the full
        # decode must round-trip too
        assert "".join(w for w, _ in an.tag(text, exact=True)) == text


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    choice = fdp.ConsumeIntInRange(0, 2)
    if choice == 0:
        text = fdp.ConsumeUnicode(200)
    elif choice == 1:
        text = fdp.ConsumeBytes(400).decode("utf-8", "replace")
    else:
        text = fdp.ConsumeUnicodeNoSurrogates(200)
    check(AN, text)
    check(FAST, text)
    words = [w for w in text.split() if 0 < len(w) <= 6][:3]
    if words:
        an = AN.with_user_dict(words)
        check(an, text)
        cut = an.cut(text)
        for w in words:
            if w in text and not any(w in big and big != w for big in words):
                # a dictionary word occurring in the text is never split
                assert any(w in piece for piece in cut)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
