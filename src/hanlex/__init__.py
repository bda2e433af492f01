"""hanlex: fast, accurate Chinese word segmentation and POS tagging.

The data path, room by room: text (normalisation, pre-tokenisation) -> model
(feature templates, decoder over the compiled core in _core) -> analyzer
(tokens out); corpus (io) -> learn (Trainer) -> model file (model.fileformat).
"""
from __future__ import annotations

__version__ = "0.1.0"

import threading
from typing import Iterable

from .analyzer import Analyzer, Token
from .errors import (
    AlignmentError,
    ConfigError,
    CorpusError,
    DictionaryError,
    HanlexError,
    MissingExtraError,
    ModelFormatError,
)
from .model import Model

__all__ = ["Analyzer", "Token", "Model", "cut", "tokenize", "cut_many", "cut_for_search", "tag",
           "default_analyzer", "HanlexError", "ModelFormatError", "CorpusError",
           "DictionaryError", "AlignmentError", "ConfigError", "MissingExtraError"]

_default: Analyzer | None = None
_default_lock = threading.Lock()


class _SharedAnalyzer(Analyzer):
    """The Analyzer behind hanlex.cut and friends: every caller in the process
    shares it, so it takes no words (one library's add_word would change
    another's output, as with jieba's global dictionary)."""

    def add_word(self, word: str, tag: str | None = None) -> None:
        raise TypeError("the shared default analyzer takes no user words; make your own, "
                        "sharing its tables: an = hanlex.default_analyzer().with_user_dict([...]), "
                        "then an.add_word(...)")


def default_analyzer() -> Analyzer:
    """The shared Analyzer of the shipped model, created on first use (read-only:
    for user words, make an Analyzer of your own)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = _SharedAnalyzer()
    return _default


def cut(text: str) -> list[str]:
    return default_analyzer().cut(text)


def tokenize(text: str, mode: str = "default") -> list[Token]:
    return default_analyzer().tokenize(text, mode)


def cut_many(texts: Iterable[str]) -> list[list[str]]:
    return default_analyzer().cut_many(texts)


def cut_for_search(text: str) -> list[str]:
    return default_analyzer().cut_for_search(text)


def tag(text: str, tagset: str = "pku", exact: bool = False) -> list[tuple[str, str]]:
    return default_analyzer().tag(text, tagset, exact)
