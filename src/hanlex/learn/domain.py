"""What a model learns of a domain from its raw text alone, without retraining:
the words it lacks (lexicon.adaptation) and the domain's character-bigram
statistics (learn.rawtext), both of which its learned weights score at decode time.

On CIPS-SIGHAN 2010's four domains the statistics are what helps (the joint model
reads them; docs/lab/2026-12-05-adaptation-issue-35.md); the words are about neutral.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

import numpy as np

from ..lexicon.adaptation import domain_words
from ..lexicon.discovery import NewWord, chunks_of
from ..model.model import Model
from .rawtext import BigramCounter

#: a domain bigram's statistics replace the model's once seen this often in the
#: domain's text (3, 5 and 10 tried on CIPS-SIGHAN 2010 computer; 5 was best there)
STATS_MIN_COUNT = 5


@dataclass
class Domain:
    """A domain as raw text shows it: its new words and its bigram statistics."""

    words: list[NewWord]
    stats_keys: np.ndarray
    stats_values: np.ndarray


def learn_domain(analyzer, texts: Iterable[str], top: int = 300, min_count: int = 3) -> Domain:
    """The domain of `texts` (iterated twice: a list, or an object whose __iter__
    reads its files anew), as `analyzer`'s model and standard judge its words."""
    counter = BigramCounter()
    words = domain_words(analyzer, _counted(chunks_of(iter(texts)), counter),
                         chunks_of(iter(texts)), top=top, min_count=min_count)
    keys, values = counter.statistics(STATS_MIN_COUNT)
    return Domain(words, keys, values)


def _counted(chunks: Iterator[str], counter: BigramCounter) -> Iterator[str]:
    for chunk in chunks:
        counter.add(chunk)
        yield chunk


def adapted_model(model: Model, domain: Domain, words: Iterable[str] = ()) -> Model:
    """`model` knowing `domain`: its words (and `words`) in the lexicon, its
    statistics in place of the model's (Model.with_statistics)."""
    known = list(words) + [w.word for w in domain.words]
    return model.with_words(known).with_statistics(domain.stats_keys, domain.stats_values)
