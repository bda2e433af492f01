"""Part-of-speech tagsets: the PKU (People's Daily) tags hanlex learns, and maps.

Models trained on People's Daily 1998 predict the PKU tagset below.
`convert(tag, "thulac")` and `convert(tag, "upos")` map it to THULAC's tagset
and to Universal Dependencies UPOS; tags a map does not know become "x"/"X".
"""
from __future__ import annotations

from typing import Callable, Iterable

from ..errors import ConfigError

#: PKU tag -> (description, THULAC tag, UPOS tag)
PKU: dict[str, tuple[str, str, str]] = {
    "n": ("noun 名词", "n", "NOUN"),
    "nr": ("person name 人名", "np", "PROPN"),
    "ns": ("place name 地名", "ns", "PROPN"),
    "nt": ("organisation name 机构团体", "ni", "PROPN"),
    "nz": ("other proper noun 其他专名", "nz", "PROPN"),
    "nx": ("non-Chinese string 外文字符", "x", "X"),
    "na": ("noun (annotation variant)", "n", "NOUN"),
    "Ng": ("noun morpheme 名语素", "g", "NOUN"),
    "v": ("verb 动词", "v", "VERB"),
    "vn": ("verbal noun 名动词", "v", "VERB"),
    "vd": ("adverbial verb 副动词", "v", "ADV"),
    "vvn": ("verb (annotation variant)", "v", "VERB"),
    "Vg": ("verb morpheme 动语素", "g", "VERB"),
    "a": ("adjective 形容词", "a", "ADJ"),
    "ad": ("adverbial adjective 副形词", "a", "ADV"),
    "an": ("nominal adjective 名形词", "a", "NOUN"),
    "Ag": ("adjective morpheme 形语素", "g", "ADJ"),
    "b": ("distinguishing word 区别词", "a", "ADJ"),
    "Bg": ("distinguishing morpheme 区别语素", "g", "ADJ"),
    "z": ("status word 状态词", "a", "ADJ"),
    "d": ("adverb 副词", "d", "ADV"),
    "Dg": ("adverb morpheme 副语素", "g", "ADV"),
    "m": ("numeral 数词", "m", "NUM"),
    "Mg": ("numeral morpheme 数语素", "g", "NUM"),
    "q": ("classifier 量词", "q", "NOUN"),
    "t": ("time word 时间词", "t", "NOUN"),
    "Tg": ("time morpheme 时语素", "g", "NOUN"),
    "f": ("localizer 方位词", "f", "ADP"),
    "s": ("place word 处所词", "s", "NOUN"),
    "r": ("pronoun 代词", "r", "PRON"),
    "Rg": ("pronoun morpheme 代语素", "g", "PRON"),
    "p": ("preposition 介词", "p", "ADP"),
    "c": ("conjunction 连词", "c", "CCONJ"),
    "u": ("auxiliary 助词", "u", "PART"),
    "y": ("modal particle 语气词", "y", "PART"),
    "Yg": ("modal morpheme 语气语素", "g", "PART"),
    "e": ("interjection 叹词", "e", "INTJ"),
    "o": ("onomatopoeia 拟声词", "o", "ADV"),
    "h": ("prefix 前接成分", "h", "PART"),
    "k": ("suffix 后接成分", "k", "PART"),
    "i": ("idiom 成语", "i", "X"),
    "l": ("set phrase 习用语", "i", "X"),
    "j": ("abbreviation 简称略语", "j", "NOUN"),
    "w": ("punctuation, symbols and whitespace 标点符号", "w", "PUNCT"),
    "x": ("other 其他", "x", "X"),
}

#: the 17 Universal Dependencies UPOS tags (a model trained on a UD corpus has these)
UPOS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
        "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X")

#: THULAC's tags (a THULAC model, `thulac:DIR`, has these) -> UPOS: through the table
#: above where it has the tag, plus THULAC's numeral-classifier, idiom and user-word tags
THULAC_UPOS: dict[str, str] = {**{th: u for _, th, u in reversed(list(PKU.values()))},
                               "g": "X", "mq": "NUM", "id": "X", "uw": "X"}

#: jieba's dictionary tags (ICTCLAS-style, as in its dict.txt and sample user
#: dictionary) that PKU writes otherwise -> the PKU tag; the others are PKU's own
JIEBA: dict[str, str] = {
    "eng": "nx", "x": "w", "nrt": "nr", "nrfg": "nr", "ag": "Ag", "bg": "Bg", "dg": "Dg",
    "df": "d", "mg": "Mg", "mq": "m", "ng": "Ng", "rg": "Rg", "rr": "r", "rz": "r",
    "tg": "Tg", "ud": "u", "ug": "u", "uj": "u", "ul": "u", "uv": "u", "uz": "u",
    "vg": "Vg", "vi": "v", "vq": "v", "yg": "Yg", "zg": "z", "g": "Ng",
}


def user_tag(tag: str, model_tags: Iterable[str]) -> str | None:
    """A user word's tag in a model's tags: itself, or jieba's name for a PKU tag,
    or that PKU tag in UPOS for a UPOS-tagged model; None when none of them is."""
    tags = set(model_tags)
    if tag in tags:
        return tag
    pku = JIEBA.get(tag, tag)
    for candidate in (pku, convert(pku, "upos") if pku in PKU else None):
        if candidate in tags:
            return candidate
    return None


TAGSETS = ("pku", "thulac", "upos")
_COLUMN = {"thulac": 1, "upos": 2}  # where a tagset's tag sits in a PKU entry


def convert(tag: str | None, tagset: str) -> str | None:
    """A PKU tag in another tagset (pku, thulac or upos)."""
    if tag is None or tagset == "pku":
        return tag
    try:
        col = _COLUMN[tagset]
    except KeyError:
        raise ConfigError(f"unknown tagset {tagset!r}; choose from {', '.join(TAGSETS)}") from None
    entry = PKU.get(tag)
    if entry is None:
        return "x" if tagset == "thulac" else "X"
    return entry[col]


def namer(model_tags: Iterable[str], tagset: str) -> Callable[[str | None], str | None]:
    """How a model's tags are shown in `tagset`.

    A PKU-tagged model's tags are mapped; a model trained on tags already in
    `tagset` (e.g. `hanlex train --tags-from default --tagset upos`, or a
    CoNLL-U corpus) keeps them, instead of every tag becoming "X"."""
    if tagset == "pku":  # the model's own tags
        return lambda t: t
    convert("n", tagset)  # an unknown tagset fails here
    tags = [t for t in model_tags if t]
    if all(t in PKU for t in tags):
        return lambda t: convert(t, tagset)
    if all(t in THULAC_UPOS for t in tags):  # a THULAC model's tags
        return (lambda t: t) if tagset == "thulac" else (lambda t: THULAC_UPOS.get(t, t))
    own = {entry[_COLUMN[tagset]] for entry in PKU.values()} | (set(UPOS) if tagset == "upos" else set())
    if all(t in own for t in tags):
        return lambda t: t
    odd = sorted(set(t for t in tags if t not in PKU and t not in own))[:3]
    raise ConfigError(f"this model's tags (e.g. {', '.join(odd)}) are neither PKU nor {tagset} "
                     "tags, so they cannot be mapped; ask for tagset 'pku' to get them as they are")


def markdown_table() -> str:
    rows = ["| PKU | meaning | THULAC | UPOS |", "|---|---|---|---|"]
    rows += [f"| {t} | {d} | {th} | {u} |" for t, (d, th, u) in PKU.items()]
    return "\n".join(rows)
