"""hanlex as a spaCy tokenizer (needs spaCy: `pip install ".[spacy]"` from the source tree).

    import spacy
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "hanlex.Tokenizer.v1"}}})
    doc = nlp("我爱北京天安门")             # tokens are hanlex's words; doc.text == the input

or, on an existing pipeline, `nlp.tokenizer = HanlexTokenizer(nlp.vocab)`.
`traditional=True` reads Traditional Chinese (Analyzer(traditional=True)),
`standard="NAME"` writes that segmentation standard of a model that has
several (Analyzer(standard=...); default: the model's default).
With `pos=True` tokens also get hanlex's tags: `token.tag_` the model's own
(PKU) tag, `token.pos_` its UPOS mapping. Whitespace follows spaCy's
convention: one space after a word is that token's trailing space, any other
whitespace is a token of its own (tag `_SP`, POS `SPACE`).

The tokenizer is saved with the pipeline as its settings only (model path,
POS flag, standard and user words), never as pickled objects.
"""
from __future__ import annotations

import json

from ..errors import require

require("spacy", "spacy")  # a missing spaCy is one line naming the pip command

from spacy.tokens import Doc  # noqa: E402
from spacy.util import registry  # noqa: E402
from spacy.vocab import Vocab  # noqa: E402

from ..analyzer import Analyzer  # noqa: E402
from ..model.tagsets import convert  # noqa: E402


class HanlexTokenizer:
    """A spaCy tokenizer that segments (and optionally tags) with a hanlex Analyzer."""

    def __init__(self, vocab: Vocab, model: str | None = None, pos: bool = False,
                 user_dict=None, traditional: bool = False, standard: str | None = None):
        self.vocab = vocab
        self.model = model
        self.pos = pos
        self.traditional = traditional
        self.standard = standard
        self.analyzer = Analyzer(model, user_dict=user_dict, traditional=traditional,
                                 standard=standard)
        if pos and not self.analyzer.engine.joint:
            raise ValueError("pos=True needs a joint (tagging) model; this one segments only")

    def __call__(self, text: str) -> Doc:
        return next(self._docs([text]))

    def pipe(self, texts, batch_size: int = 1000):
        """Docs of many texts, each batch analysed in one call."""
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) == batch_size:
                yield from self._docs(batch)
                batch = []
        yield from self._docs(batch)

    def _docs(self, texts: list[str]):
        if self.pos:
            analysed = self.analyzer.tag_many(texts)
        else:
            analysed = [[(w, None) for w in words] for words in self.analyzer.cut_many(texts)]
        for pairs in analysed:
            yield self._doc(pairs)

    def _doc(self, pairs) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        for word, tag in pairs:
            if word.isspace():
                if word[0] == " " and words and not spaces[-1] and not words[-1].isspace():
                    spaces[-1] = True  # one space after a word belongs to it
                    word = word[1:]
                if not word:
                    continue
                tag = "_SP"
            words.append(word)
            spaces.append(False)
            tags.append(tag or "")
        if not self.pos:
            return Doc(self.vocab, words=words, spaces=spaces)
        upos = ["SPACE" if t == "_SP" else convert(t, "upos") for t in tags]
        return Doc(self.vocab, words=words, spaces=spaces, tags=tags, pos=upos)

    # spaCy saves a pipeline's tokenizer with these: settings as JSON, no pickle
    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return json.dumps({"model": self.model, "pos": self.pos, "traditional": self.traditional,
                           "standard": self.standard,
                           "user_dict": sorted(self.analyzer.user_dict.entries.items())},
                          ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "HanlexTokenizer":
        cfg = json.loads(data.decode("utf-8"))
        self.__init__(self.vocab, cfg["model"], cfg["pos"], [tuple(e) for e in cfg["user_dict"]],
                      cfg.get("traditional", False), cfg.get("standard"))
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path.mkdir(parents=True, exist_ok=True)
        (path / "hanlex.json").write_bytes(self.to_bytes())

    def from_disk(self, path, *, exclude=tuple()) -> "HanlexTokenizer":
        return self.from_bytes((path / "hanlex.json").read_bytes())


@registry.tokenizers("hanlex.Tokenizer.v1")
def create_tokenizer(model: str | None = None, pos: bool = False, traditional: bool = False,
                     standard: str | None = None):
    """For a pipeline config: [nlp.tokenizer] @tokenizers = "hanlex.Tokenizer.v1"."""
    def make(nlp):
        return HanlexTokenizer(nlp.vocab, model=model, pos=pos, traditional=traditional,
                               standard=standard)
    return make
