"""Jackknifed lexicons: each training sentence sees the words of the other folds only.

The model then learns how far to trust a lexicon match on words it has not
memorised (the decoder sees the full lexicon), instead of learning that every
training word is in the lexicon.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable, Iterable, Sequence

from ..io.corpus import Sentence
from ..lexicon.compiled import compile_lexicon, lexicon_index
from ..text.normalize import normalize_text


def fold_lexicons(sentences: Sequence[Sentence], folds: int, lex_max: int,
                   extra: Iterable[str] = (), log: Callable[[str], None] = lambda s: None):
    """The full lexicon and one jackknifed lexicon per fold.

    `extra` words (an external word list) are in every lexicon, except those the
    corpus itself contains: they follow the jackknife like the corpus's words.
    A list that covers the corpus would otherwise put every training word in
    every fold's lexicon and teach the model that all words are dictionary words
    (with the SIGHAN PKU training word list over People's Daily, PKU OOV recall
    collapses: docs/lab/2026-12-02-raw-text-and-word-lists.md, rows "every fold").
    Added words the corpus writes only as a run of its words (People's Daily:
    多 云) are left out: its standard says they are not words. Words compare
    width-normalised, as the lexicon hashes them.
    """
    total: Counter = Counter()
    per_fold = [Counter() for _ in range(folds)]
    candidates = {normalize_text(w) for w in extra if len(w) >= 2}
    split: set[str] = set()  # added words the corpus writes as a run of its words
    for j, s in enumerate(sentences):
        words = [normalize_text(w) for w in s.words]
        long = [w for w in words if len(w) >= 2]
        total.update(long)
        per_fold[j % folds].update(long)
        if candidates:  # only runs that are added words: People's Daily has 2.7 M runs
            split.update(r for r in word_runs(words, lex_max) if r in candidates)
    added = candidates - set(total)
    outside = added - split
    if len(added) > len(outside):
        log(f"{len(added) - len(outside)} added words left out: the corpus writes them split")
    full = compile_lexicon(sorted(set(total) | outside))
    lexicons = []
    for f in range(folds):
        words = sorted({w for w, c in total.items() if c > per_fold[f][w]} | outside)
        lexicons.append((lexicon_index(*compile_lexicon(words)), lex_max))
    return full, lexicons


def word_runs(words: Sequence[str], max_chars: int) -> Iterable[str]:
    """Every run of 2+ consecutive words, up to max_chars characters long."""
    for i in range(len(words) - 1):
        run = words[i]
        for k in range(i + 1, len(words)):  # no slice: a one-line corpus of 10^5 words stays linear
            run += words[k]
            if len(run) > max_chars:
                break
            yield run
