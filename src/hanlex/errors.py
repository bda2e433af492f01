"""hanlex's errors: one base class, so callers can catch every error hanlex raises
about their data (and the command line turns exactly these into one-line messages)."""
from __future__ import annotations

import importlib


class HanlexError(ValueError):
    """A problem with input hanlex was given: a file, a model, a corpus, a word.

    A ValueError, so code that caught ValueError before keeps working.
    """


class ModelFormatError(HanlexError):
    """A model file is missing, truncated, corrupt or of another version."""


class ModelNotFoundError(HanlexError, FileNotFoundError):
    """A model file that does not exist: a FileNotFoundError naming the path, not a
    format error (nothing was read)."""


class CorpusError(HanlexError):
    """A training, evaluation or raw-text file cannot be read as such."""


class DictionaryError(HanlexError):
    """A user dictionary or word list, or a word given to one, is malformed."""


class AlignmentError(HanlexError):
    """Gold and prediction do not contain the same characters."""


class ConfigError(HanlexError):
    """Settings that do not fit together (a tagset for an untagged model, say)."""


class MissingExtraError(HanlexError, ImportError):
    """An optional extra (a package hanlex can use) is not installed; the
    message names the pip command. An ImportError too, as a missing package is."""


def require(module: str, extra: str, package: str | None = None):
    """`module` imported, or a MissingExtraError naming the pip command."""
    try:
        return importlib.import_module(module)
    except ImportError:
        # the package alone: installing hanlex's extra ('hanlex[ray]') would build hanlex again
        raise MissingExtraError(f"this needs {package or module}: pip install "
                                f"{package or module}") from None


class DictionaryWarning(UserWarning):
    """A user word kept without its tag: the model has no such tag, nor one it maps to."""
