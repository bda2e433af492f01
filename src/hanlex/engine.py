"""What the Analyzer needs from a model, and the one loader that picks the engine.

Two engines implement `Engine`: the hanlex engine (decoding.engine.HanlexEngine,
a hanlex Model) and the THULAC engine (thulac.engine.ThulacEngine, THULAC's own
models run as its Python package runs them). The Analyzer holds one and has no
branch on which.
"""
from __future__ import annotations

import os
from typing import Protocol, Sequence, runtime_checkable

from ._numpy import np
from .decoding.engine import HanlexEngine
from .errors import ConfigError, ModelNotFoundError
from .lexicon.userdict import UserDict
from .model import fileformat
from .model.model import SHIPPED, Model, shipped_model_path
from .thulac import PREFIX as THULAC


@runtime_checkable
class Engine(Protocol):
    """A model the Analyzer can analyse text with."""

    @property
    def tags(self) -> Sequence[str]:
        """The model's tags; a label is tag index * 4 + word position."""

    @property
    def joint(self) -> bool:
        """Whether the model tags words."""

    @property
    def path(self) -> str | None:
        """The file or directory it was read from (None: built in memory)."""

    @property
    def standard(self) -> str | None:
        """The segmentation standard it decodes in (None: the model has only one)."""

    def source(self) -> str | bytes:
        """What load_engine takes to make the engine again (its path, or bytes)."""

    def describe(self) -> list[tuple[str, str]]:
        """(name, value) lines for `hanlex info`."""

    def analyse(self, texts: Sequence[str], tagging: bool, user: UserDict,
                traditional: bool, exact: bool = False) -> tuple[str, np.ndarray, dict]:
        """(the texts joined, a label per character, {(start, end): tag} of the
        spans whose tag is forced), decoded with the tagging model or not, the
        user's words honoured, Traditional text read as Simplified; exact: a
        tagging decode over every word position, where the engine would prune."""

    def gives_tags(self, tagging: bool) -> bool:
        """Whether the labels of analyse(..., tagging) carry tags."""

    def sub_words(self, cps: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                  user: UserDict, traditional: bool) -> np.ndarray:
        """Search mode's (word, start, end) rows of the dictionary words inside
        the words [starts, ends); ConfigError if the model has no word list."""

    def one_text_cut(self, traditional: bool):
        """An object whose cut(text) gives one text's words faster than a batch
        (None from it: take the batch path), or None."""

    def user_tags(self, user: UserDict) -> UserDict:
        """The user words with tags the model can give: jieba's names mapped, a tag
        it has no counterpart of dropped with a DictionaryWarning."""

    def user_tag(self, word: str, tag: str | None) -> str | None:
        """add_word's tag as the model can give it (as user_tags does)."""

    def prepare_traditional(self) -> None:
        """Fail now, not at the first call, if reading Traditional text cannot work."""


def load_engine(model: "str | os.PathLike | bytes | Model | Engine | None" = None,
                segmenter: bool = True, verify: bool = True,
                standard: str | None = None, words: Sequence[str] = ()) -> Engine:
    """The engine for `model`: a hanlex model file (or its bytes), a converted
    THULAC file, "thulac:DIR" (THULAC's models directory), a Model, an Engine,
    or None for the shipped model ("default" or "fast" name a shipped model). segmenter=False: a hanlex model analyses
    everything with its joint model, not its embedded segmenter. verify=False
    skips the arrays' checksums (the sizes and shapes are always checked).
    standard: the segmentation standard to decode in, of those the model has
    (None: its default). words: added to a hanlex model's lexicon (Model.with_words)."""
    engine = _engine(model, segmenter, verify, standard, tuple(words))
    if words and getattr(engine, "lexicon_words", None) != tuple(words):
        raise ConfigError("a lexicon needs a hanlex model file or Model (THULAC's models and "
                          "ready engines have no lexicon to add words to)")
    if standard is not None and engine.standard != standard:
        if engine.standard is None:
            raise ConfigError(f"standard {standard!r}: THULAC's models write THULAC's one "
                              "standard; leave the standard out")
        raise ConfigError(f"standard={standard!r}: the engine given decodes in "
                          f"{engine.standard!r}; pass its model instead")
    return engine


def _engine(model, segmenter: bool, verify: bool, standard: str | None,
            words: tuple[str, ...]) -> Engine:
    if model is None or (isinstance(model, str) and model in SHIPPED):
        name = model or "default"
        model = shipped_model_path(name)
        if not os.path.exists(model):
            raise ModelNotFoundError(f"the shipped model {name!r} is missing ({model}); "
                                     "reinstall hanlex or pass model=PATH")
    if isinstance(model, Model):
        return HanlexEngine(model, segmenter, standard, words)
    if isinstance(model, Engine):
        return model
    if isinstance(model, bytes):
        f = fileformat.ModelFile(model, "<bytes>", verify)
    elif os.fspath(model).startswith(THULAC):
        return _thulac().ThulacEngine.from_directory(os.fspath(model))
    else:
        f = fileformat.open_file(os.fspath(model), verify)
    if f.engine == "thulac":
        return _thulac_file(f)
    return HanlexEngine(f, segmenter, standard, words)  # it reads the arrays it needs


def _thulac():
    """THULAC's engine, imported lazily: most programs never touch it, and
    `import hanlex` should not pay for it."""
    from .thulac import engine  # lazy: see the docstring

    return engine


def _thulac_file(f: fileformat.ModelFile) -> Engine:
    from .thulac.convert import from_file  # lazy, as _thulac

    return from_file(f)
