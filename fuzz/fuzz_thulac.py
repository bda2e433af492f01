"""Fuzz the THULAC readers and decoder: any files must load and analyse text
losslessly, or raise a ModelFormatError; never crash.

    python fuzz/fuzz_thulac.py -atheris_runs=1000000

Each input becomes a small THULAC models directory: a model file (its label and
feature counts, transition and feature weights), a feature trie, a label file,
the three dictionary tries and the Traditional-to-Simplified table, each cut
from the input's bytes (so sizes, counts and trie links are whatever the
fuzzer makes them). What loads must segment and tag a text, also cut from the
input, with every character in exactly one word; `dictionary_words` must list
any trie file or refuse it.
"""
import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from hanlex import Analyzer
    from hanlex.errors import DictionaryError, ModelFormatError
    from hanlex.thulac import dictionary_words
    from hanlex.thulac.model import DICTIONARIES, SEGMENTER

DIR = tempfile.mkdtemp()
PARTS = (SEGMENTER[0], SEGMENTER[1], SEGMENTER[2]) + DICTIONARIES


def _ints(fdp, count: int) -> bytes:
    """count little-endian int32 values, mostly small (so that trie links land)."""
    return b"".join(fdp.ConsumeIntInRange(-8, 300).to_bytes(4, "little", signed=True)
                    if fdp.ConsumeProbability() < 0.9 else fdp.ConsumeBytes(4).ljust(4, b"\0")
                    for _ in range(count))


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    labels = fdp.ConsumeIntInRange(1, 6)
    for name in PARTS:
        with open(os.path.join(DIR, name), "wb") as f:
            if fdp.ConsumeProbability() < 0.05:  # anything at all
                f.write(fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 64)))
            elif name == SEGMENTER[0]:  # a model whose counts fit its size
                features = fdp.ConsumeIntInRange(0, 40)
                f.write(labels.to_bytes(4, "little") + features.to_bytes(4, "little"))
                f.write(_ints(fdp, labels * labels + features * labels))
            elif name == SEGMENTER[2]:  # position digits and tags
                f.write("".join(str(fdp.ConsumeIntInRange(0, 3)) + fdp.ConsumeUnicode(2) + "\n"
                                for _ in range(labels)).encode("utf-8", "replace"))
            else:  # a trie of (base, check) pairs, or the t2s table's two halves
                f.write(_ints(fdp, 2 * fdp.ConsumeIntInRange(1, 48)))
    text = fdp.ConsumeUnicode(64)
    try:
        words = dictionary_words(os.path.join(DIR, "ns.dat"))
        assert all(w for w, _ in words)
    except ModelFormatError:
        pass
    user = [text[:3]] if text[:3] and not any(c.isspace() for c in text[:3]) else None
    try:
        analyzer = Analyzer("thulac:" + DIR, user_dict=user)
    except ModelFormatError:
        return
    except DictionaryError:  # a user word hanlex refuses (a control character, say)
        return
    for tokens in (analyzer.tokenize(text), analyzer.tokenize(text, pos=True)
                   if analyzer.model.joint else []):
        assert "".join(t.word for t in tokens) == text
        assert all(text[t.start:t.end] == t.word and t.word for t in tokens)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
