"""jieba's calls on hanlex, for moving code off jieba with few changes.

jieba keeps one global dictionary that `jieba.add_word` changes for every
caller; hanlex keeps no global state, so the calls live on an object::

    from hanlex.integrations.jieba import Tokenizer
    jieba = Tokenizer()                  # was: import jieba
    jieba.lcut("我爱北京天安门")          # ['我', '爱', '北京', '天安门']
    jieba.posseg.lcut("我爱北京")         # [Pair('我', 'r'), ...]: .word, .flag

Words come from the hanlex model, so they follow its standard (People's Daily
for the shipped model), not jieba's dictionary. What does not carry over:
- `HMM` is accepted and ignored (hanlex finds new words by itself);
- full mode (`cut_all=True`) has no hanlex counterpart and raises ValueError;
- a word's frequency (`add_word(word, freq)`, a `word freq tag` dictionary
  line, `suggest_freq`) does not weigh anything: a user word is always whole;
- tags are PKU tags; jieba's are close, except that it tags Latin words `eng`
  (PKU: `nx`) and punctuation `x` (PKU: `w`).
"""
from __future__ import annotations

import os
from typing import IO, Iterator, NamedTuple

from ..analyzer import Analyzer
from ..lexicon.entries import parse_entries


class Pair(NamedTuple):
    """A word and its tag, like jieba.posseg's pair (`.word`, `.flag`, unpacks)."""

    word: str
    flag: str


class Tokenizer:
    """jieba.Tokenizer's calls on one hanlex Analyzer (default: the shipped model)."""

    def __init__(self, model: str | None = None, user_dict=None, traditional: bool = False,
                 search_order: str = "hanlex", standard: str | None = None):
        """traditional=True for Traditional text (jieba's dict.txt.big use): Analyzer(traditional=True).
        search_order: "hanlex" gives cut_for_search's tokens by start offset, each word
        before the words inside it (what Lucene needs); "jieba" puts the words inside
        a word first, shorter before longer, then the word, as jieba does.
        standard: the segmentation standard to write, of those the model has
        (Analyzer(standard=...); None: the model's default)."""
        if search_order not in ("hanlex", "jieba"):
            raise ValueError(f"search_order is 'hanlex' or 'jieba', not {search_order!r}")
        self.analyzer = Analyzer(model, user_dict=user_dict, traditional=traditional,
                                 standard=standard)
        self.search_order = search_order
        self.posseg = PosTokenizer(self)

    def cut(self, sentence: str, cut_all: bool = False, HMM: bool = True) -> Iterator[str]:  # noqa: N803
        if cut_all:
            raise ValueError("hanlex has no full mode (cut_all=True): it outputs one "
                             "segmentation; for the dictionary words inside long words "
                             "use cut_for_search")
        return iter(self.analyzer.cut(_text(sentence)))

    def lcut(self, sentence: str, cut_all: bool = False, HMM: bool = True) -> list[str]:  # noqa: N803
        return list(self.cut(sentence, cut_all, HMM))

    def cut_for_search(self, sentence: str, HMM: bool = True) -> Iterator[str]:  # noqa: N803
        return iter(self.lcut_for_search(sentence))

    def lcut_for_search(self, sentence: str, HMM: bool = True) -> list[str]:  # noqa: N803
        text = _text(sentence)
        if self.search_order == "hanlex":
            return self.analyzer.cut_for_search(text)
        inside = sorted(((t.start, t.end) for t in self.analyzer.tokenize(text, mode="search")),
                        key=lambda s: (s[1] - s[0], s[0]))
        out, a = [], 0
        for word in self.analyzer.cut(text):
            b = a + len(word)
            out += [text[x:y] for x, y in inside if a <= x and y <= b and (x, y) != (a, b)]
            out.append(word)
            a = b
        return out

    def tokenize(self, unicode_sentence: str, mode: str = "default",
                 HMM: bool = True) -> Iterator[tuple[str, int, int]]:  # noqa: N803
        """(word, start, end) tuples; mode "search" adds the words inside long words."""
        if not isinstance(unicode_sentence, str):
            raise ValueError("jieba: the input parameter should be unicode.")
        for t in self.analyzer.tokenize(unicode_sentence, mode):
            yield t.word, t.start, t.end

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        """jieba's add_word: the frequency is checked, as jieba does, then ignored."""
        if freq is not None:
            try:
                int(freq)
            except (TypeError, ValueError):
                raise ValueError(f"freq must be a number, not {freq!r}; a tag goes as "
                                 f"add_word(word, tag={freq!r})") from None
        self.analyzer.add_word(word, tag)

    def suggest_freq(self, segment, tune: bool = False) -> int:
        """Make `segment` come out as written when `tune`: a string becomes a user
        word; a tuple's pieces are kept apart where their string occurs, and
        nothing else is forced (Analyzer.add_split). Returns 1 for a string, 0 for
        a tuple (a frequency that joins or splits, as jieba's does)."""
        if isinstance(segment, (str, bytes)):
            if tune:
                self.analyzer.add_word(_text(segment))
            return 1
        if tune:
            self.analyzer.add_split([_text(p) for p in segment])
        return 0

    def load_userdict(self, f: str | os.PathLike | IO) -> None:
        """jieba's dictionary lines: `word [freq] [tag]` (the frequency is ignored)."""
        if isinstance(f, (str, os.PathLike)):
            with open(f, "rb") as fh:  # a missing file is a FileNotFoundError, as in jieba
                data = fh.read()
            name = os.fspath(f)
        else:
            data, name = f.read(), getattr(f, "name", "user dictionary")
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        for entry in parse_entries(text.splitlines(), name):
            self.analyzer.add_word(entry.word, entry.tag)

    def del_word(self, word: str) -> None:
        """jieba's del_word takes a word out of its dictionary; here it takes back a
        user word (add_word, load_userdict), which the model then segments as it
        would. The model's own words cannot be removed."""
        self.analyzer.del_word(word)


class PosTokenizer:
    """jieba.posseg's calls: words with their part-of-speech tags."""

    def __init__(self, tokenizer: Tokenizer):
        self.tokenizer = tokenizer

    def cut(self, sentence: str, HMM: bool = True) -> Iterator[Pair]:  # noqa: N803
        for word, tag in self.tokenizer.analyzer.tag(_text(sentence)):
            yield Pair(word, tag)

    def lcut(self, sentence: str, HMM: bool = True) -> list[Pair]:  # noqa: N803
        return list(self.cut(sentence, HMM))


def _text(sentence) -> str:
    """jieba also takes bytes (UTF-8 or GBK); hanlex analyses str."""
    if isinstance(sentence, str):
        return sentence
    if isinstance(sentence, bytes):
        try:
            return sentence.decode("utf-8")
        except UnicodeDecodeError:
            return sentence.decode("gbk")
    return str(sentence)
