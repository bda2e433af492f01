"""jieba.posseg on hanlex: words with part-of-speech tags, named as jieba names them.

    import hanlex.integrations.jieba.posseg as pseg
    for word, flag in pseg.cut("我爱北京天安门"): ...

The model's PKU tags are shown under jieba's names where jieba's differ (JIEBA_NAMES:
`eng` for Latin words, `x` for punctuation, lower-case morpheme tags); the others are
the same in both.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from . import Tokenizer

#: PKU tag -> jieba's name for it (the inverse of model.tagsets.JIEBA where jieba differs)
JIEBA_NAMES = {"nx": "eng", "w": "x", "Ag": "ag", "Bg": "bg", "Dg": "dg", "Mg": "mg",
               "Ng": "ng", "Rg": "rg", "Tg": "tg", "Vg": "vg", "Yg": "yg", "na": "n",
               "vvn": "vn"}


class pair:  # noqa: N801  # jieba's name
    """A word and its tag, like jieba.posseg's pair: `.word`, `.flag`, unpacks,
    prints as word/flag."""

    __slots__ = ("word", "flag")

    def __init__(self, word: str, flag: str):
        self.word, self.flag = word, flag

    def __iter__(self):
        return iter((self.word, self.flag))

    def __str__(self) -> str:
        return f"{self.word}/{self.flag}"

    def __repr__(self) -> str:
        return f"pair({self.word!r}, {self.flag!r})"

    def __eq__(self, other) -> bool:
        if isinstance(other, pair):
            return (self.word, self.flag) == (other.word, other.flag)
        return isinstance(other, tuple) and (self.word, self.flag) == other

    def __lt__(self, other: "pair") -> bool:
        return self.word < other.word

    def __hash__(self) -> int:
        return hash(self.word)


class POSTokenizer:
    """jieba.posseg.POSTokenizer: tagging on a Tokenizer (default: the module's)."""

    def __init__(self, tokenizer: "Tokenizer | None" = None):
        self._tokenizer = tokenizer

    @property
    def tokenizer(self) -> "Tokenizer":
        if self._tokenizer is None:
            from . import _dt  # lazy: the default Tokenizer, made on first use

            self._tokenizer = _dt()
        return self._tokenizer

    def __getattr__(self, name: str):  # add_word, load_userdict, ...: the tokenizer's
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.tokenizer, name)

    def cut(self, sentence, HMM: bool = True) -> Iterator[pair]:  # noqa: N803
        from . import _text  # lazy: the package imports this module

        for word, tag in self.tokenizer.analyzer.tag(_text(sentence)):
            yield pair(word, JIEBA_NAMES.get(tag, tag))

    def lcut(self, sentence, HMM: bool = True) -> list[pair]:  # noqa: N803
        return list(self.cut(sentence, HMM))


#: jieba.posseg.dt: tagging on the module-level default Tokenizer
dt = POSTokenizer()


def cut(sentence, HMM: bool = True, use_paddle: bool = False) -> Iterator[pair]:  # noqa: N803
    return dt.cut(sentence, HMM)


def lcut(sentence, HMM: bool = True, use_paddle: bool = False) -> list[pair]:  # noqa: N803
    return dt.lcut(sentence, HMM)
