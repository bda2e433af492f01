"""Character labels: word position (B, M, E, S) combined with a tag.

Label id = tag_index * 4 + position, so `label & 3` is the position and
`label >> 2` the tag. A segmentation-only model has a single empty tag.
"""
from __future__ import annotations

from typing import Sequence

from .._core.constants import POS_B as B
from .._core.constants import POS_E as E
from .._core.constants import POS_M as M
from .._core.constants import POS_S as S
from .._numpy import np

POSITIONS = "BMES"  # their letters, by position id


def word_ends(labels: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Where each word ends in the labels of texts joined back to back (`bounds`:
    where each text starts, then where the last one ends): after each E or S,
    and at each text's end; sorted, each once."""
    ends = np.flatnonzero((labels & 3) >= 2).astype(np.int64) + 1  # a word ends at E or S
    ends = np.sort(np.concatenate((ends, bounds[1:][bounds[1:] > 0])))  # and at each text's end
    return ends[np.concatenate((ends[:1] >= 0, ends[1:] != ends[:-1]))]


class LabelSet:
    """The labels of a model and which transitions between them are legal."""

    def __init__(self, tags: Sequence[str] = ("",)):
        if not tags:
            raise ValueError("a label set needs at least one tag")
        self.tags = tuple(tags)
        self.tag_index = {t: i for i, t in enumerate(self.tags)}
        self.size = 4 * len(self.tags)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LabelSet) and other.tags == self.tags

    def label(self, position: int, tag: str = "") -> int:
        return self.tag_index[tag] * 4 + position

    def name(self, label: int) -> str:
        tag = self.tags[label >> 2]
        return POSITIONS[label & 3] + ("-" + tag if tag else "")

    def allowed(self) -> np.ndarray:
        """(L+1) x L matrix of legal transitions; row L is the start state.

        Inside a word (after B or M) only M or E of the same tag may follow;
        after a word ends (E, S, or at the start) any B or S may follow.
        """
        L = self.size
        a = np.zeros((L + 1, L), dtype=np.uint8)
        for prev in range(L + 1):
            for cur in range(L):
                if prev == L or (prev & 3) in (E, S):
                    ok = (cur & 3) in (B, S)
                else:
                    ok = (cur & 3) in (M, E) and (cur >> 2) == (prev >> 2)
                a[prev, cur] = ok
        return a

    def encode_words(self, words: Sequence[str], tags: Sequence[str] | None = None) -> list[int]:
        """Per-character labels of a segmented (and optionally tagged) sentence."""
        out: list[int] = []
        for j, w in enumerate(words):
            t = self.tag_index[tags[j]] * 4 if tags is not None else 0
            if len(w) == 1:
                out.append(t + S)
            else:
                out.append(t + B)
                out.extend([t + M] * (len(w) - 2))
                out.append(t + E)
        return out


def spans(labels: Sequence[int]) -> list[tuple[int, int, int]]:
    """(start, end, tag_index) of the words of a well-formed label sequence."""
    out = []
    start = 0
    n = len(labels)
    for i, lab in enumerate(labels):
        if (lab & 3) >= 2 or i == n - 1:
            out.append((start, i + 1, lab >> 2))
            start = i + 1
    return out
