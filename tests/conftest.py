from __future__ import annotations

import random
from pathlib import Path

import pytest

from hanlex.io.corpus import Sentence, read_corpus
from hanlex.learn.trainer import TrainConfig, train

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


@pytest.fixture(scope="session")
def joint_with_segmenter(small_joint_model, sample_sentences):
    """small_joint_model with an embedded segmenter (uptrained on two lines)."""
    from hanlex.learn.recipes import train_segmenter
    from hanlex.model.model import Model

    seg = train_segmenter(small_joint_model, sample_sentences,
                          config=TrainConfig(epochs=3, min_count=1, folds=3),
                          uptrain=["我们在北京大学学习中文。", "他说：新年好！"])
    return Model(**{**{k: getattr(small_joint_model, k) for k in (
        "tags", "feature_keys", "weights", "transitions", "lexicon_keys", "lexicon_flags",
        "joint_indptr", "joint_labels", "joint_weights", "cand_keys", "cand_masks",
        "class_masks", "lex_max")}, "segmenter": seg})


def joined_copy(s: Sentence, joins) -> Sentence:
    """The tagged sentence in a made-up standard, criterion 1 of a two-standard
    corpus: a word joins the one before it where `joins(previous tag, its tag)`,
    keeping the first one's tag."""
    words: list[str] = []
    tags: list[str] = []
    for w, t in zip(s.words, s.tags):
        if words and joins(tags[-1], t):
            words[-1] += w
        else:
            words.append(w)
            tags.append(t)
    return Sentence(tuple(words), tuple(tags), criterion=1)


@pytest.fixture(scope="session")
def two_standard_model(sample_sentences):
    """A joint model of two standards: "pku" (its default: the fixture's) and
    "joined", which keeps 国家主席 whole where pku writes 国家 主席."""
    sents = sample_sentences[:150]
    # neighbouring words of one tag joined (国家/n 主席/n -> 国家主席/n)
    same_tag = [joined_copy(s, lambda a, b: a == b != "w") for s in sents]
    return train(sents + same_tag,
                 config=TrainConfig(epochs=2, min_count=1, folds=2, joint=True,
                                    standards=("pku", "joined")))


@pytest.fixture(scope="session")
def two_standard_model_file(two_standard_model, tmp_path_factory) -> str:
    """two_standard_model saved, for the command line and the integrations."""
    path = tmp_path_factory.mktemp("models") / "two_standards.hlx"
    two_standard_model.save(path)
    return str(path)


#: characters random test texts are drawn from: the kinds of input the decoders must survive
ALPHABET = list("中国人民政府北京大学的了是在一二三年月日１２３ＡＢｃ，。！？、　 abcXYZ0123456789.%@#"
                "😀👍🏽\u200d\u0301\u3000\t\n") + ["\ud800", "\U00020000", "\x00", "\u25cb"]


def random_texts(seed: int, count: int, sample_text: str):
    rng = random.Random(seed)
    pool = ALPHABET + list(sample_text)
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) for _ in range(count)]


@pytest.fixture(scope="session")
def thulac_dir() -> str:
    """The models directory of the thulac package (pip install thulac); skips without it."""
    import os
    import time

    thulac = pytest.importorskip("thulac")
    # Only the PyPI package will do: a module without a file (a namespace package made of
    # some folder named thulac on sys.path) or without the package's thulac class is not it.
    if getattr(thulac, "__file__", None) is None or not hasattr(thulac, "thulac"):
        pytest.skip("the thulac package is not installed (`import thulac` finds something else)")
    time.clock = time.perf_counter  # thulac 0.2.2 still calls time.clock on Python >= 3.8
    path = os.path.join(os.path.dirname(thulac.__file__), "models")
    if not os.path.exists(os.path.join(path, "cws_model.bin")):
        pytest.skip("the thulac package has no models")
    return path
