"""What `hanlex segment` writes for each input line: text (words separated by a
space), JSON lines (the line with its tokens and their offsets) or CoNLL-U (one
sentence per line, for Universal Dependencies tools)."""
from __future__ import annotations

import json
from dataclasses import dataclass

from ..model.tagsets import namer

FORMATS = ("text", "jsonl", "conllu")

# a token as workers hand it back: (word, start, end, tag or None), offsets in the line
Tok = tuple[str, int, int, "str | None"]


@dataclass(frozen=True)
class Job:
    """What to write for each line (the same in every worker process)."""

    pos: bool = False
    tagset: str = "pku"
    sep: str = "/"
    search: bool = False
    format: str = "text"


def words_lines(analyzer, lines: list[str], job: Job) -> list[str]:
    """Text format: each line's tokens joined by spaces (whitespace tokens
    dropped), as one string per line, so that worker processes send back a few
    large strings instead of millions of small ones."""
    if job.pos:
        return [" ".join([f"{w}{job.sep}{t}" for w, t in pairs if not w.isspace()])
                for pairs in analyzer.tag_many(lines, job.tagset)]
    cut = analyzer.cut_for_search_many if job.search else analyzer.cut_many
    return [" ".join([w for w in words if not w.isspace()]) for words in cut(lines)]


def tokens(analyzer, lines: list[str], job: Job) -> list[list[Tok]]:
    """Each line's tokens with offsets (and under job.pos the model's own tags)."""
    if job.pos:
        toks = analyzer.tokenize_many(lines, pos=True, tagset="pku")
    else:
        toks = analyzer.tokenize_many(lines, mode="search" if job.search else "default")
    return [[(t.word, t.start, t.end, t.tag) for t in ts] for ts in toks]


class Renderer:
    """A line and its tokens as a JSON line or a CoNLL-U sentence."""

    def __init__(self, model_tags, job: Job):
        self.job = job
        if job.pos:
            self.tag_name = namer(model_tags, job.tagset)
            if job.format == "conllu":  # UPOS goes in its own column
                self.upos_name = namer(model_tags, "upos")

    def __call__(self, line: str, toks: list[Tok], line_no: int) -> str:
        toks = [t for t in toks if not t[0].isspace()]
        if self.job.format == "jsonl":
            return self.jsonl(line, toks) + "\n"
        return self.conllu(line, toks, line_no)

    def jsonl(self, line: str, toks: list[Tok]) -> str:
        items = []
        for word, start, end, tag in toks:
            item = {"word": word, "start": start, "end": end}
            if self.job.pos:
                item["tag"] = self.tag_name(tag)
            items.append(item)
        return json.dumps({"text": line, "tokens": items}, ensure_ascii=False)

    def conllu(self, line: str, toks: list[Tok], line_no: int) -> str:
        """A sentence of ten tab-separated columns per token (ID FORM LEMMA UPOS
        XPOS FEATS HEAD DEPREL DEPS MISC), `_` where hanlex knows nothing; a line
        without tokens gives no sentence (its number is skipped)."""
        if not toks:
            return ""
        rows = [f"# sent_id = {line_no}", f"# text = {line}"]
        for i, (word, start, end, tag) in enumerate(toks):
            upos = xpos = "_"
            if self.job.pos:
                upos, xpos = self.upos_name(tag) or "_", self.tag_name(tag) or "_"
            glued = i + 1 < len(toks) and toks[i + 1][1] == end
            misc = "SpaceAfter=No" if glued else "_"
            rows.append(f"{i + 1}\t{word}\t_\t{upos}\t{xpos}\t_\t_\t_\t_\t{misc}")
        return "\n".join(rows) + "\n\n"
