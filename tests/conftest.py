from __future__ import annotations

from pathlib import Path

import pytest

from hanlex.corpus import read_corpus
from hanlex.train import TrainConfig, train

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def shared(*parts: str) -> Path:
    """A file under ../shared/data; skips the test when it is not there."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"needs {p} (the shared data folder beside the repo)")
    return p


@pytest.fixture(scope="session")
def sample_sentences():
    return read_corpus(FIXTURES / "pd_sample.txt")


@pytest.fixture(scope="session")
def small_model(sample_sentences):
    """A model trained on the 150-line fixture (deterministic)."""
    return train(sample_sentences, config=TrainConfig(epochs=5, min_count=1, folds=3))


@pytest.fixture(scope="session")
def small_joint_model(sample_sentences):
    """A joint segmentation + POS model trained on the fixture."""
    return train(sample_sentences, config=TrainConfig(epochs=5, min_count=1, folds=3, joint=True,
                                                      cand_min_count=2))
