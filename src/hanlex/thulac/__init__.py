"""THULAC's models and dictionaries, read and run as THULAC runs them.

`Analyzer("thulac:DIR")` analyses text with the models of a THULAC models
directory and gives the words (and tags) THULAC's Python package gives;
`dictionary_words` lists the words of one of its double-array trie files.
"""
from .dictionary import dictionary_words
from .model import PREFIX, ThulacModel, UserWords

__all__ = ["PREFIX", "ThulacModel", "UserWords", "dictionary_words"]
