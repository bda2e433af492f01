"""Position masks: which word positions each character may take.

Bit ALLOW_B (1) = may begin a word, ALLOW_M (2) = inside one, ALLOW_E (4) = end
one, ALLOW_S (8) = be a word alone; ALLOW_ANY (15) leaves a character free. The
decoders only consider labels whose position the mask allows (the bit values
are set in the compiled core, `_core/common.pxd`).
"""
from __future__ import annotations

from .._core.constants import ALLOW_ANY, ALLOW_B, ALLOW_E, ALLOW_M, ALLOW_S
from .._numpy import np

__all__ = ["ALLOW_ANY", "ALLOW_B", "ALLOW_E", "ALLOW_M", "ALLOW_S", "close_span", "close_spans",
           "open_span", "open_spans", "boundaries"]


def close_span(mask: np.ndarray, a: int, b: int) -> None:
    """Force text[a:b] to be exactly one word."""
    if b - a == 1:
        mask[a] = ALLOW_S
    elif b > a:
        mask[a] = ALLOW_B
        mask[a + 1:b - 1] = ALLOW_M
        mask[b - 1] = ALLOW_E


def close_spans(mask: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> None:
    """close_span for every [starts[i], ends[i]), non-empty and disjoint, in a few numpy calls."""
    if len(starts) == 0:
        return
    single = ends - starts == 1
    mask[starts[single]] = ALLOW_S
    a, b = starts[~single], ends[~single]
    mask[a] = ALLOW_B
    mask[b - 1] = ALLOW_E
    mask[_inner_positions(a, b)] = ALLOW_M


def _inner_positions(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The positions starts[i] + 1 .. ends[i] - 2 of every span, in one array."""
    inner = ends - starts - 2
    total = int(inner.sum()) if len(inner) else 0
    if total <= 0:
        return np.zeros(0, dtype=np.intp)
    first = np.repeat(starts + 1, inner)
    step = np.arange(total) - np.repeat(np.cumsum(inner) - inner, inner)
    return first + step


def open_span(mask: np.ndarray, a: int, b: int) -> None:
    """Forbid word boundaries strictly inside text[a:b]."""
    if b - a >= 2:
        mask[a] &= ALLOW_B | ALLOW_M
        mask[a + 1:b - 1] &= ALLOW_M
        mask[b - 1] &= ALLOW_M | ALLOW_E


def open_spans(mask: np.ndarray, bounds: list[int]) -> None:
    """open_span for every [a, b) in the flat list `bounds` (a0, b0, a1, b1, ...),
    spans of 2+ characters that do not overlap: one numpy call per kind of
    position instead of three per span (news text has a number every ~90 characters)."""
    if not bounds:
        return
    ab = np.array(bounds, dtype=np.intp).reshape(-1, 2)
    starts, ends = ab[:, 0], ab[:, 1]
    mask[starts] &= ALLOW_B | ALLOW_M
    mask[ends - 1] &= ALLOW_M | ALLOW_E
    mask[_inner_positions(starts, ends)] &= ALLOW_M


def boundaries(mask: np.ndarray) -> np.ndarray:
    """Per position 0..n, whether a word boundary may fall there: the character
    after it may begin a word and the one before it may end one."""
    ok = np.ones(len(mask) + 1, dtype=bool)
    ok[:-1] &= (mask & (ALLOW_B | ALLOW_S)) != 0
    ok[1:] &= (mask & (ALLOW_E | ALLOW_S)) != 0
    return ok
