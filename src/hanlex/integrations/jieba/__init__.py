"""jieba's API on hanlex: code written for jieba runs unchanged.

    import hanlex.integrations.jieba as jieba    # was: import jieba
    jieba.lcut("我爱北京天安门")                  # ['我', '爱', '北京', '天安门']
    import hanlex.integrations.jieba.posseg as pseg
    pseg.lcut("我爱北京")                          # [pair('我', 'r'), ...]: .word, .flag
    import hanlex.integrations.jieba.analyse      # extract_tags, textrank

As in jieba, the module-level calls share one default Tokenizer (`dt`, made on first
use), so `add_word` changes what every caller of the module gets. Code that wants its
own words makes its own `Tokenizer()`; nothing else in hanlex keeps global state.

Words come from the hanlex model, so they follow its standard (People's Daily's, names
whole, for the shipped model), not jieba's dictionary. What does not carry over:
- `HMM` is accepted and ignored (hanlex finds new words by itself);
- full mode (`cut_all=True`) gives each word of the segmentation and, before it, the
  model's dictionary words inside it, by start: not every dictionary word of the text;
- a frequency (`add_word(word, freq)`, `word freq tag` lines) weighs nothing: a user
  word is always whole, and `suggest_freq` joins a string or keeps a tuple's pieces
  apart (Analyzer.add_split); `get_FREQ` gives the word's count in the raw text the
  word statistics come from (analyse.py);
- `set_dictionary(path)` adds that dictionary's words to the model's lexicon as soft
  entries (the model weighs them) instead of replacing a dictionary hanlex does not use;
- `enable_parallel(n)` splits a text into lines and cuts them in n threads (hanlex
  releases the GIL), not in n processes.
Tags are jieba's names for the model's PKU tags (`eng` for Latin words, `x` for
punctuation: posseg.JIEBA_NAMES).
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Iterator

from ...analyzer import Analyzer
from ...lexicon.entries import parse_entries
from .posseg import POSTokenizer, pair

Pair = pair  # the name hanlex's adapter had before the drop-in


class Tokenizer:
    """jieba.Tokenizer's calls on one hanlex Analyzer (default: the shipped model)."""

    def __init__(self, dictionary=None, *, model: str | None = None, user_dict=None,
                 traditional: bool = False, search_order: str = "hanlex",
                 standard: str | None = None):
        """dictionary: as jieba's, a dictionary file (set_dictionary); model: a hanlex
        model path. traditional=True for Traditional text (jieba's dict.txt.big use).
        search_order: "hanlex" gives cut_for_search's tokens by start offset, each word
        before the words inside it (what Lucene needs); "jieba" puts the words inside a
        word first, shorter before longer, then the word, as jieba does. standard: the
        segmentation standard to write (Analyzer(standard=...))."""
        if search_order not in ("hanlex", "jieba"):
            raise ValueError(f"search_order is 'hanlex' or 'jieba', not {search_order!r}")
        self.analyzer = Analyzer(model, user_dict=user_dict, traditional=traditional,
                                 standard=standard, lexicon=dictionary)
        self.dictionary = dictionary
        self.search_order = search_order
        self.posseg = POSTokenizer(self)
        self.threads = 0  # enable_parallel

    # ------------------------------------------------------------ segmenting
    def cut(self, sentence, cut_all: bool = False, HMM: bool = True,  # noqa: N803
            use_paddle: bool = False) -> Iterator[str]:
        text = _text(sentence)
        if cut_all:
            return iter(_by_start(self.analyzer.tokenize(text, mode="search")))
        if self.threads > 1 and "\n" in text:
            return iter(self._cut_lines(text))
        return iter(self.analyzer.cut(text))

    def _cut_lines(self, text: str) -> list[str]:
        lines = text.splitlines(keepends=True)
        step = -(-len(lines) // self.threads)
        with ThreadPoolExecutor(self.threads) as pool:
            parts = pool.map(self.analyzer.cut_many,
                             [lines[k:k + step] for k in range(0, len(lines), step)])
        return [w for part in parts for words in part for w in words]

    def lcut(self, sentence, cut_all: bool = False, HMM: bool = True,  # noqa: N803
             use_paddle: bool = False) -> list[str]:
        return list(self.cut(sentence, cut_all, HMM))

    def cut_for_search(self, sentence, HMM: bool = True) -> Iterator[str]:  # noqa: N803
        return iter(self.lcut_for_search(sentence))

    def lcut_for_search(self, sentence, HMM: bool = True) -> list[str]:  # noqa: N803
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

    # ------------------------------------------------------------ words
    def add_word(self, word, freq: int | None = None, tag: str | None = None) -> None:
        """jieba's add_word: the frequency is checked, as jieba does, then ignored;
        add_word(word, 0) is jieba's way to delete a word."""
        if freq is not None:
            try:
                freq = int(freq)
            except (TypeError, ValueError):
                raise ValueError(f"freq must be a number, not {freq!r}; a tag goes as "
                                 f"add_word(word, tag={freq!r})") from None
            if freq == 0:
                return self.del_word(word)
        self.analyzer.add_word(_text(word), tag)

    def del_word(self, word) -> None:
        """jieba's del_word takes a word out of its dictionary; here it takes back a
        user word (add_word, load_userdict, suggest_freq), which the model then
        segments as it would. The model's own words cannot be removed."""
        self.analyzer.del_word(_text(word))

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

    def get_FREQ(self, k, d=None):  # noqa: N802
        """The word's count in the raw text of the word statistics (analyse.py), or d."""
        from .analyse import word_statistics  # lazy: 77,000 words, read on first use

        count = word_statistics().counts.get(_text(k))
        return d if count is None else count

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

    # ------------------------------------------------------------ jieba's set-up calls
    def initialize(self, dictionary=None) -> None:
        """Load now what the first call would (the model's tables)."""
        if dictionary is not None:
            self.set_dictionary(dictionary)
        self.analyzer.cut("初始化")

    def set_dictionary(self, dictionary_path) -> None:
        """The dictionary's words join the model's lexicon as soft entries (the model
        weighs them); user words stay."""
        path = os.path.abspath(dictionary_path)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"jieba: file does not exist: {path}")
        user = self.analyzer.user_dict
        self.analyzer = Analyzer(self.analyzer.engine.full, user_dict=user,
                                 traditional=self.analyzer.traditional,
                                 standard=self.analyzer.engine.standard, lexicon=path)
        self.dictionary = path

    def get_dict_file(self) -> IO[bytes]:
        if self.dictionary is None:
            raise FileNotFoundError("hanlex's model has no jieba dictionary file; "
                                    "set_dictionary(path) names one")
        return open(self.dictionary, "rb")


def _by_start(tokens) -> list[str]:
    """Full mode: the words by start, longer after shorter at one start."""
    return [t.word for t in sorted(tokens, key=lambda t: (t.start, t.end))]


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


# ------------------------------------------------------------ jieba's module-level API
_default: Tokenizer | None = None
_default_lock = threading.Lock()


def __getattr__(name: str):
    if name == "dt":  # jieba.dt, the default Tokenizer, made on first use
        return _dt()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _dt() -> Tokenizer:
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Tokenizer()
    return _default


def cut(sentence, cut_all: bool = False, HMM: bool = True, use_paddle: bool = False):  # noqa: N803
    return _dt().cut(sentence, cut_all, HMM)


def lcut(sentence, cut_all: bool = False, HMM: bool = True, use_paddle: bool = False):  # noqa: N803
    return _dt().lcut(sentence, cut_all, HMM)


def cut_for_search(sentence, HMM: bool = True):  # noqa: N803
    return _dt().cut_for_search(sentence, HMM)


def lcut_for_search(sentence, HMM: bool = True):  # noqa: N803
    return _dt().lcut_for_search(sentence, HMM)


def tokenize(unicode_sentence, mode: str = "default", HMM: bool = True):  # noqa: N803
    return _dt().tokenize(unicode_sentence, mode, HMM)


def add_word(word, freq=None, tag=None) -> None:
    _dt().add_word(word, freq, tag)


def del_word(word) -> None:
    _dt().del_word(word)


def suggest_freq(segment, tune: bool = False) -> int:
    return _dt().suggest_freq(segment, tune)


def get_FREQ(k, d=None):  # noqa: N802
    return _dt().get_FREQ(k, d)


def load_userdict(f) -> None:
    _dt().load_userdict(f)


def initialize(dictionary=None) -> None:
    _dt().initialize(dictionary)


def set_dictionary(dictionary_path) -> None:
    _dt().set_dictionary(dictionary_path)


def get_dict_file():
    return _dt().get_dict_file()


def enable_parallel(processnum: int | None = None) -> None:
    """Cut a text's lines in `processnum` threads (default: the cores)."""
    _dt().threads = processnum or os.cpu_count() or 1


def disable_parallel() -> None:
    _dt().threads = 0


def setLogLevel(log_level) -> None:  # noqa: N802
    """jieba logs its dictionary loading; hanlex has nothing to log."""
