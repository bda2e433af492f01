"""jieba.analyse on hanlex: keywords by TF-IDF and by TextRank.

    import hanlex.integrations.jieba.analyse as analyse
    analyse.extract_tags(text, topK=10, withWeight=True, allowPOS=("n", "ns"))
    analyse.textrank(text, topK=10)

Inverse document frequencies come from `data/idf.tsv.gz`, shipped with hanlex: the
77,316 words of 2+ characters that occur in at least 3 of 840,357 lines of 2022-2026
CCTV news, Weibo hot searches and Zhihu questions, as the shipped model segments them
(bench/build_idf.py; only the counts are shipped). A word it lacks gets the median IDF,
as in jieba. `set_idf_path` reads jieba's own `word idf` files.
"""
from __future__ import annotations

import gzip
import math
import os
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from .posseg import POSTokenizer, pair

STATISTICS = os.path.join(os.path.dirname(__file__), "..", "..", "data", "idf.tsv.gz")
#: words that are never keywords, whatever their IDF (as jieba's default list, English)
STOP_WORDS = frozenset((
    "the of is and to in that we for an are by be as on with can if from which you it "
    "this then at have all not one has or that").split())


@dataclass(frozen=True)
class WordStatistics:
    counts: dict[str, int]  # word -> occurrences in the raw text
    idf: dict[str, float]
    median_idf: float


@lru_cache(maxsize=1)
def word_statistics() -> WordStatistics:
    """The shipped word statistics (read once)."""
    counts, docs, total = {}, {}, 1
    with gzip.open(STATISTICS, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("# documents "):
                total = int(line.split()[2])
                continue
            word, count, df = line.rstrip("\n").split("\t")
            counts[word], docs[word] = int(count), int(df)
    idf = {w: math.log(total / df) for w, df in docs.items()}
    return WordStatistics(counts, idf, _median(idf.values()))


def _median(values: Iterable[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def _read_idf(path: str) -> tuple[dict[str, float], float]:
    """jieba's IDF file: `word idf` per line."""
    idf = {}
    with open(path, "rb") as f:
        for k, raw in enumerate(f.read().decode("utf-8-sig").splitlines(), 1):
            fields = raw.split()
            if not fields:
                continue
            try:
                idf[fields[0]] = float(fields[1])
            except (IndexError, ValueError):
                raise ValueError(f"{path}:{k}: expected 'word idf', got {raw!r}") from None
    return idf, _median(idf.values())


class KeywordExtractor:
    """What both extractors share: stop words and the tagger."""

    def __init__(self, tokenizer=None):
        self.tokenizer = tokenizer  # a jieba-API Tokenizer; None: the module's default
        self.postokenizer = POSTokenizer(tokenizer)
        self.stop_words = set(STOP_WORDS)
        self._lock = threading.Lock()

    def set_stop_words(self, stop_words_path) -> None:
        """Add the words of a file (one per line) to the stop words."""
        path = os.path.abspath(stop_words_path)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"jieba: file does not exist: {path}")
        with open(path, "rb") as f:
            words = {w.strip() for w in f.read().decode("utf-8-sig").splitlines() if w.strip()}
        with self._lock:
            self.stop_words |= words

    def _candidates(self, sentence, allow_pos) -> list[tuple[str, pair | None]]:
        """(word, its pair when tags are asked for) of every word that may be a keyword:
        two characters or more, not a stop word, of an allowed tag if tags are given."""
        if allow_pos:
            allowed = frozenset(allow_pos)
            items = [(p.word, p) for p in self.postokenizer.cut(sentence) if p.flag in allowed]
        else:
            from . import _dt  # lazy: the package imports this module

            tokenizer = self.tokenizer or _dt()
            items = [(w, None) for w in tokenizer.cut(sentence)]
        return [(w, p) for w, p in items
                if len(w.strip()) >= 2 and w.lower() not in self.stop_words]

    @staticmethod
    def _top(weights: dict, pairs: dict, top_k, with_weight: bool, with_flag: bool) -> list:
        ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
        if top_k:
            ranked = ranked[:top_k]
        keys = [(pairs[w] if with_flag else w, weight) for w, weight in ranked]
        return keys if with_weight else [k for k, _ in keys]


class TFIDF(KeywordExtractor):
    """Keywords by term frequency x inverse document frequency."""

    def __init__(self, idf_path: str | None = None, tokenizer=None):
        super().__init__(tokenizer)
        self.idf_path = None
        self._idf: tuple[dict[str, float], float] | None = None
        if idf_path is not None:
            self.set_idf_path(idf_path)

    def set_idf_path(self, idf_path) -> None:
        path = os.path.abspath(idf_path)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"jieba: file does not exist: {path}")
        self._idf, self.idf_path = _read_idf(path), path

    def idf(self) -> tuple[dict[str, float], float]:
        if self._idf is None:
            stats = word_statistics()
            return stats.idf, stats.median_idf
        return self._idf

    def extract_tags(self, sentence, topK: int | None = 20, withWeight: bool = False,  # noqa: N803
                     allowPOS: Iterable[str] = (), withFlag: bool = False) -> list:
        """The topK words of `sentence` by TF-IDF (all if topK is None or 0); with
        withWeight (word, weight) pairs; allowPOS keeps words of those (jieba) tags,
        and withFlag then gives posseg pairs instead of words."""
        candidates = self._candidates(sentence, allowPOS)
        idf, median = self.idf()
        tf = Counter(w for w, _ in candidates)
        total = sum(tf.values()) or 1
        weights = {w: n * idf.get(w, median) / total for w, n in tf.items()}
        pairs = {w: p for w, p in candidates}
        return self._top(weights, pairs, topK, withWeight, bool(withFlag and allowPOS))


class TextRank(KeywordExtractor):
    """Keywords by PageRank over the graph of words that occur near each other."""

    def __init__(self, tokenizer=None, span: int = 5, damping: float = 0.85,
                 iterations: int = 10):
        super().__init__(tokenizer)
        self.span, self.damping, self.iterations = span, damping, iterations

    def textrank(self, sentence, topK: int | None = 20, withWeight: bool = False,  # noqa: N803
                 allowPOS: Iterable[str] = ("ns", "n", "vn", "v"), withFlag: bool = False) -> list:
        """The topK words by TextRank, weights scaled so the best is 1."""
        candidates = self._candidates(sentence, allowPOS)
        edges: dict[str, Counter] = defaultdict(Counter)
        words = [w for w, _ in candidates]
        for k, w in enumerate(words):  # words within `span` of each other are linked
            for v in words[k + 1:k + self.span]:
                if v != w:
                    edges[w][v] += 1
                    edges[v][w] += 1
        rank = self._pagerank(edges)
        top = max(rank.values(), default=1.0) or 1.0
        weights = {w: r / top for w, r in rank.items()}
        pairs = {w: p for w, p in candidates}
        return self._top(weights, pairs, topK, withWeight, bool(withFlag and allowPOS))

    extract_tags = textrank

    def _pagerank(self, edges: dict[str, Counter]) -> dict[str, float]:
        if not edges:
            return {}
        rank = {w: 1.0 / len(edges) for w in edges}
        out_weight = {w: sum(links.values()) for w, links in edges.items()}
        for _ in range(self.iterations):
            rank = {w: (1 - self.damping) + self.damping * sum(
                        n / out_weight[v] * rank[v] for v, n in links.items())
                    for w, links in edges.items()}
        return rank


default_tfidf = TFIDF()
default_textrank = TextRank()

extract_tags = tfidf = default_tfidf.extract_tags
set_idf_path = default_tfidf.set_idf_path
textrank = default_textrank.extract_tags


def set_stop_words(stop_words_path) -> None:
    default_tfidf.set_stop_words(stop_words_path)
    default_textrank.set_stop_words(stop_words_path)
