"""The pure-Python reference of THULAC's preprocessing (the package's clean(),
rule by rule), which the compiled clean (thulac/_decode.pyx) must equal."""
from __future__ import annotations

from dataclasses import dataclass

from hanlex.thulac.clean import ANY, MODAL, OTHER, SINGLE, SPACES, TITLE_CLOSE, TITLE_OPEN, B, E, M, S


@dataclass(frozen=True)
class Cleaned:
    """A sentence as THULAC decodes it."""

    text: str  # the kept characters
    pocs: list[int]  # each one's allowed positions
    origin: list[int]  # each one's offset in the sentence given


def clean(sentence: str) -> Cleaned:
    """The reference: readable, and what the compiled clean must equal."""
    kept: list[str] = []
    pocs: list[int] = []
    origin: list[int] = []
    space = other = single = in_title = False
    title_start, title = 0, []
    titles: list[tuple[int, list[int]]] = []

    def keep(i: int, ch: str, p: int) -> None:
        kept.append(ch)
        pocs.append(p)
        origin.append(i)

    for i, ch in enumerate(sentence):
        c = ord(ch)
        if c in SPACES:
            other = False
            if space:
                continue
            if pocs:
                pocs[-1] &= E | S
            space = True
            keep(i, ch, B | S)
            continue  # spaces never count towards a title
        if c in OTHER:
            starts_word = c in SINGLE or c in MODAL
            if space:
                keep(i, ch, S if starts_word else B | S)
                if c in SINGLE or not starts_word:  # a lone particle leaves it as it was
                    single = c in SINGLE
                space = False
            elif other:
                if starts_word:
                    if pocs:
                        pocs[-1] &= E | S
                    keep(i, ch, S)
                    if c in SINGLE:
                        single = True
                else:
                    if not single and pocs[-1] == 0:
                        pocs[-1] = B | M | E
                    keep(i, ch, B | S if single else M)
                    single = False
            else:
                keep(i, ch, B | S)
                single = c in SINGLE
            if c == TITLE_CLOSE and in_title:
                titles.append((title_start, title))
                in_title = False
            other = True
        else:
            if space:
                keep(i, ch, B | S)
            elif other:
                pocs[-1] &= E | S
                keep(i, ch, B | S if single else ANY)
                single = False
            else:
                keep(i, ch, ANY)
            space = other = False
        if c == TITLE_OPEN:
            in_title, title_start, title = True, len(pocs), []
        elif in_title:
            title.append(c)
    for start, chars in titles:
        if not 0 < len(chars) <= 10 or any(c in OTHER for c in chars):
            continue
        if len(chars) == 1:
            pocs[start] = B | S
            continue
        pocs[start] = B
        for j in range(start + 1, start + len(chars) - 1):
            pocs[j] = M
        pocs[start + len(chars) - 1] = E
    if pocs:  # in this order: a one-character sentence is both first and last
        pocs[0] &= B | S
        pocs[-1] &= E | S
        pocs[0] = pocs[0] or B | S
        pocs[-1] = pocs[-1] or E | S
    return Cleaned("".join(kept), pocs, origin)
