"""Fuzz the THULAC readers and decoder: any files must load and analyse text
losslessly, or raise a ModelFormatError; never crash.

    python fuzz/fuzz_thulac.py -atheris_runs=1000000

Each input becomes a small THULAC models directory: a segmentation or a joint
model (its label and feature counts, transition and feature weights), a feature
trie, a label file, the three dictionary tries and the Traditional-to-Simplified
table, each cut from the input's bytes (so sizes, counts and trie links are whatever the
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
    from hanlex.thulac.engine import DICTIONARIES, JOINT, SEGMENTER

DIRS = {names: tempfile.mkdtemp() for names in (SEGMENTER, JOINT)}


def _ints(fdp, count: int) -> bytes:
    """count little-endian int32 values, mostly small (so that trie links land)."""
    return b"".join(fdp.ConsumeIntInRange(-8, 300).to_bytes(4, "little", signed=True)
                    if fdp.ConsumeProbability() < 0.9 else fdp.ConsumeBytes(4).ljust(4, b"\0")
                    for _ in range(count))


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    model = JOINT if fdp.ConsumeBool() else SEGMENTER  # a joint or a segmenting model
    directory = DIRS[model]
    labels = fdp.ConsumeIntInRange(1, 6)
    for name in model + DICTIONARIES:
        with open(os.path.join(directory, name), "wb") as f:
            if fdp.ConsumeProbability() < 0.05:  # anything at all
                f.write(fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 64)))
            elif name == model[0]:  # a model whose counts fit its size
                features = fdp.ConsumeIntInRange(0, 40)
                f.write(labels.to_bytes(4, "little") + features.to_bytes(4, "little"))
                f.write(_ints(fdp, labels * labels + features * labels))
            elif name == model[2]:  # position digits and tags
                f.write("".join(str(fdp.ConsumeIntInRange(0, 3)) + fdp.ConsumeUnicode(2) + "\n"
                                for _ in range(labels)).encode("utf-8", "replace"))
            else:  # a trie of (base, check) pairs, or the t2s table's two halves
                f.write(_ints(fdp, 2 * fdp.ConsumeIntInRange(1, 48)))
    text = fdp.ConsumeUnicode(64)
    try:
        words = dictionary_words(os.path.join(directory, "ns.dat"))
        assert all(w for w, _ in words)
    except ModelFormatError:
        pass
    user = [text[:3]] if text[:3] and not any(c.isspace() for c in text[:3]) else None
    try:
        analyzer = Analyzer("thulac:" + directory, user_dict=user)
    except ModelFormatError:
        return
    except DictionaryError:  # a user word hanlex refuses (a control character, say)
        return
    analyses = [analyzer.tokenize(text)]
    if analyzer.engine.joint:
        analyses.append(analyzer.tokenize(text, pos=True))
    for tokens in analyses:
        assert "".join(t.word for t in tokens) == text, (text, tokens)
        assert all(text[t.start:t.end] == t.word and t.word for t in tokens), (text, tokens)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
