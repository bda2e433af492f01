"""hanlex words as a Hugging Face `tokenizers` pre-tokenizer (needs: pip install tokenizers).

    from tokenizers import Tokenizer
    from hanlex.integrations.huggingface import pre_tokenizer
    tok = Tokenizer(...)                      # e.g. a BPE model to train on Chinese text
    tok.pre_tokenizer = pre_tokenizer()       # merges never cross a hanlex word boundary

Pre-tokens keep their offsets in the original string; whitespace is dropped
(keep_whitespace=True keeps it as pre-tokens). `tokenizers` cannot save a
custom pre-tokenizer in tokenizer.json: set it again after loading.
"""
from __future__ import annotations

from ..errors import require

require("tokenizers", "huggingface")  # a missing package is one line naming the pip command

from tokenizers import NormalizedString, PreTokenizedString  # noqa: E402
from tokenizers.pre_tokenizers import PreTokenizer  # noqa: E402

from ..analyzer import Analyzer  # noqa: E402


class HanlexPreTokenizer:
    """Splits each pre-token into hanlex words (for PreTokenizer.custom)."""

    def __init__(self, analyzer: Analyzer | None = None, keep_whitespace: bool = False):
        self.analyzer = analyzer if analyzer is not None else Analyzer()
        self.keep_whitespace = keep_whitespace

    def split(self, index: int, normalized: NormalizedString) -> list[NormalizedString]:
        pieces, pos = [], 0
        for word in self.analyzer.cut(str(normalized)):
            if self.keep_whitespace or not word.isspace():
                pieces.append(normalized[pos:pos + len(word)])
            pos += len(word)
        return pieces

    def pre_tokenize(self, pretok: PreTokenizedString) -> None:
        pretok.split(self.split)


def pre_tokenizer(analyzer: Analyzer | None = None, keep_whitespace: bool = False) -> PreTokenizer:
    """A `tokenizers` PreTokenizer that splits text into hanlex words."""
    return PreTokenizer.custom(HanlexPreTokenizer(analyzer, keep_whitespace))
