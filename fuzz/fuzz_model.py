"""Fuzz the model loader: any byte string must load or raise ModelFormatError.

    python fuzz/fuzz_model.py -atheris_runs=100000

Inputs are mutations of a small real model (trained on the test fixture), so
the fuzzer reaches the header, array and shape checks, not just the magic bytes.
"""
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from hanlex import Analyzer
    from hanlex.io.corpus import read_corpus
    from hanlex.learn.trainer import TrainConfig, train
    from hanlex.model import Model, ModelFormatError

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "pd_sample.txt"
SEED = train(read_corpus(FIXTURE)[:30], config=TrainConfig(epochs=1, min_count=1, folds=2)).to_bytes()


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 2)
    if mode == 0:
        blob = fdp.ConsumeBytes(len(data))
    else:
        # flip bytes / truncate a real model
        blob = bytearray(SEED)
        for _ in range(fdp.ConsumeIntInRange(1, 8)):
            i = fdp.ConsumeIntInRange(0, len(blob) - 1)
            blob[i] = fdp.ConsumeIntInRange(0, 255)
        if mode == 2:
            blob = blob[:fdp.ConsumeIntInRange(0, len(blob))]
        blob = bytes(blob)
    try:
        model = Model.from_bytes(blob, verify=fdp.ConsumeBool())
    except ModelFormatError:
        return
    # a model that loads must either be refused cleanly or decode without crashing
    try:
        an = Analyzer(model)
    except ModelFormatError:
        return
    text = "中共中央总书记发表新年讲话。hello 123"
    assert "".join(an.cut(text)) == text


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
