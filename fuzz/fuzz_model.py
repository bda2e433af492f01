"""Fuzz the model loader: any byte string must give an engine or raise
ModelFormatError, and an engine that loads must analyse text losslessly.

    python fuzz/fuzz_model.py -atheris_runs=1000000 -rss_limit_mb=8192

Inputs are raw bytes or mutations of two small real model files, so the fuzzer
reaches the header, array and shape checks of both engines behind the one
loader (`hanlex.engine.load_engine`): a hanlex model (trained on the test
fixture), a hanlex model of two standards whose second has its own tagset (a
retagger), a joint model embedding a segmenter that prunes its tagging (tag_margin in
its meta), and a converted THULAC model (a tiny directory written here, as
`hanlex convert` stores it). A model that loads is also decoded in each of its
standards.
"""
import struct
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import atheris
import numpy  # noqa: F401  (not fuzzed; hanlex imports it on first use, mid-run otherwise)

with atheris.instrument_imports():
    from hanlex import Analyzer
    from hanlex.engine import load_engine
    from hanlex.errors import ModelFormatError
    from hanlex.io.corpus import read_corpus
    from hanlex.learn.recipes import train_model
    from hanlex.learn.trainer import TrainConfig, train
    from hanlex.model.tagsets import convert
    from hanlex.thulac.convert import to_bytes

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "pd_sample.txt"


def _thulac_seed() -> bytes:
    """A well-formed four-label THULAC model with empty tries, converted."""
    d = Path(tempfile.mkdtemp())
    for name in ("ns.dat", "idiom.dat", "singlepun.dat", "t2s.dat", "cws_dat.bin"):
        (d / name).write_bytes(struct.pack("<4i", 0, 0, 0, 0))
    (d / "cws_label.txt").write_text("0\n1\n2\n3\n", encoding="utf-8")
    (d / "cws_model.bin").write_bytes(struct.pack("<2i28i", 4, 3, *range(28)))
    return to_bytes(load_engine(f"thulac:{d}"))


def _standards_seed() -> bytes:
    """pku plus a standard `ud` tagged in UPOS (a retagger), joint."""
    pku = read_corpus(FIXTURE)[:30]
    ud = [replace(s, criterion=1) for s in pku[:15]]
    own = {"ud": [tuple(convert(t, "upos") for t in s.tags) for s in pku[:15]]}
    cfg = TrainConfig(epochs=1, min_count=1, folds=2, joint=True, standards=("pku", "ud"))
    return train_model(pku + ud, [], cfg, own_tags=own).to_bytes()


def _segmenter_seed() -> bytes:
    """A joint model embedding a segmenter whose meta prunes tagging (tag_margin)."""
    pku = read_corpus(FIXTURE)[:30]
    cfg = TrainConfig(epochs=1, min_count=1, folds=2, joint=True)
    model = train_model(pku, [], cfg, segmenter=True, uptrain=[s.text for s in pku[:5]])
    model.segmenter.meta["tag_margin"] = 50.0
    return model.to_bytes()


SEEDS = [train(read_corpus(FIXTURE)[:30], config=TrainConfig(epochs=1, min_count=1, folds=2)).to_bytes(),
         _standards_seed(), _thulac_seed(), _segmenter_seed()]
TEXT = "中共中央总书记发表新年讲话。hello 123"


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 2)
    if mode == 0:
        blob = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, len(data)))
    else:
        # flip bytes of / truncate a real model
        blob = bytearray(SEEDS[fdp.ConsumeIntInRange(0, len(SEEDS) - 1)])
        for _ in range(fdp.ConsumeIntInRange(1, 8)):
            i = fdp.ConsumeIntInRange(0, len(blob) - 1)
            blob[i] = fdp.ConsumeIntInRange(0, 255)
        if mode == 2:
            blob = blob[:fdp.ConsumeIntInRange(0, len(blob))]
        blob = bytes(blob)
    try:
        engine = load_engine(blob, segmenter=fdp.ConsumeBool(), verify=fdp.ConsumeBool())
        an = Analyzer(engine)
    except ModelFormatError:
        return
    # a model that loads must decode without crashing and lose nothing, in every standard;
    # a damaged part may also be found when first read (the joint model when tagging)
    outline = getattr(an.engine, "outline", None)
    standards = [None] if outline is None else [outline.standard, *sorted(outline.standards)]
    try:
        for standard in standards:
            an = Analyzer(blob, standard=standard) if standard is not None else an
            assert "".join(an.cut(TEXT)) == TEXT
            tokens = an.tokenize(TEXT, pos=an.engine.joint)
            assert "".join(t.word for t in tokens) == TEXT
            if an.engine.joint:  # pruned by the segmenter where the model says so, and exact
                assert "".join(w for w, _ in an.tag(TEXT)) == TEXT
                assert "".join(w for w, _ in an.tag(TEXT, exact=True)) == TEXT
    except ModelFormatError:
        return


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
