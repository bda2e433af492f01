"""THULAC's models and dictionaries, read and run as THULAC runs them.

`Analyzer("thulac:DIR")` analyses text with the models of a THULAC models
directory and gives the words (and tags) THULAC's Python package gives;
`dictionary_words` lists the words of one of its double-array trie files.
"""
from __future__ import annotations

import importlib

#: a model argument naming a THULAC models directory ("thulac:DIR")
PREFIX = "thulac:"

# imported on first use: `import hanlex` (and the first cut) should not pay for
# THULAC support that most programs never touch
_WHERE = {"ThulacEngine": ".engine", "UserWords": ".engine", "dictionary_words": ".dictionary"}

__all__ = ["PREFIX", "ThulacEngine", "UserWords", "dictionary_words"]


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
