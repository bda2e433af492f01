"""Ways of combining training steps that the command line offers.

- `train_model`: the whole `hanlex train` recipe: raw-text words from a first
  model, the main model, and an embedded segmenter uptrained on raw text;
- `train_segmenter`: a fast segmentation-only model learned from the joint
  model's output ("uptraining");
- `raw_words`: the words a model finds in raw text, as a lexicon for the next;
- `tags_from` / `borrow_tags`: a words-only corpus tagged by a joint model.
"""
from __future__ import annotations

import os
import time
from dataclasses import replace
from typing import Callable, Iterable, Sequence

import numpy as np

from ..analyzer import Analyzer
from ..decoding.tables import compile_model
from ..errors import ConfigError
from ..evaluate import score_spans
from ..io.corpus import Sentence
from ..lexicon.discovery import WordCounter, chunks_of
from ..model.labels import LabelSet
from ..model.model import Model, model_file
from ..model.tagsets import namer
from ..text.normalize import codepoints
from .retag import train_retagger
from .trainer import TrainConfig, train

Log = Callable[[str], None]


def train_model(sents: Sequence[Sentence], dev: Sequence[Sentence], cfg: TrainConfig, *,
                raw: Sequence[str] = (), raw_text: Callable[[], Sequence[str]] | None = None,
                lexicon: Sequence[str] = (), raw_words_from: str | None = None,
                uptrain: Sequence[str] = (), segmenter: bool = False,
                own_tags: dict[str, list] | None = None, default_standard: str | None = None,
                meta: dict | None = None, log: Log = lambda s: None) -> Model:
    """`hanlex train`: a model of `sents`, learning from `raw` sentences too.

    raw_words_from: None, or the model whose words in all of the raw text
    (`raw_text()`, read only then) join the lexicon ('' = a first model trained
    with the same settings, 'default' = the shipped model). segmenter/uptrain:
    embed a segmentation-only model, uptrained on `uptrain` sentences.
    own_tags: {standard: each of its sentences' tags in its own tagset} for the
    standards whose corpus has another tagset (learned by a retagger).
    default_standard: the standard the model decodes in unless told. The raw-text
    words stay in the main standard's: written in the default one (王沪宁 rather
    than 沪宁) they put 26% more words in the lexicon and cost the main standard
    0.1-0.2 F (docs/lab/2026-12-04-standards-issue-34.md).
    """
    meta = dict(meta or {})
    lexicon = list(lexicon)
    if raw_words_from is not None:
        if raw_words_from:
            first = Model.load(model_file(raw_words_from))
            meta["raw_words_from"] = os.path.basename(raw_words_from)
        else:
            log("first pass: the model whose segmentation of the raw text gives the word list")
            first = train(sents, dev, cfg, log=lambda m: log("first pass: " + m), raw=raw,
                          lexicon=lexicon)
            meta["raw_words_from"] = "first pass"
        t = time.perf_counter()
        words = raw_words(first, raw_text() if raw_text is not None else raw, log=log)
        meta["raw_words"] = len(words)
        log(f"{len(words)} words from the raw text ({time.perf_counter() - t:.1f}s)")
        lexicon += words
    model = train(sents, dev, cfg, log=log, meta=meta, raw=raw, lexicon=lexicon)
    model.default_standard = default_standard
    for name, tags in (own_tags or {}).items():
        criterion = cfg.standards.index(name)
        corpus = [s for s in sents if s.criterion == criterion]
        # features seen once dropped: 2.5x smaller for 0.1-0.2 UPOS F
        model.standards[name].retagger = train_retagger(
            [(s.words, s.tags) for s in corpus], tags, model.tags, min_count=2, log=log)
        log(f"standard {name!r}: a retagger to {len(model.standards[name].retagger.tags)} tags")
    if segmenter or uptrain:
        model.segmenter = train_segmenter(model, sents, dev, cfg, log=log, uptrain=uptrain,
                                          lexicon=lexicon)
        margin = choose_tag_margin(model, [s for s in dev if s.criterion == 0], log=log)
        log(f"tagging prunes word positions by the segmenter, margin {margin:g}"
            if margin is not None else "tagging decodes every word position (no margin "
            "keeps dev accuracy)")
    return model


#: the tag margins choose_tag_margin tries, smallest (fastest) first, in the
#: segmenter's own score units (perceptron weights: their scale grows with training)
TAG_MARGINS = (25.0, 50.0, 100.0, 200.0, 400.0, 800.0, 1600.0)


def choose_tag_margin(model: Model, dev: Sequence[Sentence], tolerance: float = 0.02,
                      log: Log = lambda s: None) -> float | None:
    """The smallest of TAG_MARGINS at which tagging `dev` (words with tags, in the
    model's main standard) pruned by the segmenter scores within `tolerance` F
    points of the exact decode, both word F and word+tag F; None if none does.

    Pruning keeps, at each character, the word positions the segmenter scores
    within the margin of its best path (decoding.engine: tag_margin): most
    characters then keep one, and the joint model's Viterbi and emissions run
    over a quarter of the labels. Sets model.segmenter.meta["tag_margin"]."""
    seg = model.segmenter
    if seg is None or not model.joint or not dev or any(s.tags is None for s in dev):
        return None
    seg.meta.pop("tag_margin", None)
    texts = [s.text for s in dev]
    gold = [list(zip(s.words, s.tags)) for s in dev]
    an = Analyzer(model, standard=model.standard)  # reads the margin at each call

    def scores(exact: bool):
        return score_spans(gold, [[(w, t) for w, t in p if not w.isspace()]
                                  for p in an.tag_many(texts, exact=exact)])
    full = scores(True)
    for margin in TAG_MARGINS:
        seg.meta["tag_margin"] = margin
        s = scores(False)
        log(f"tag margin {margin:g}: dev word F {100 * s.f:.2f}, word+tag F {100 * s.f_joint:.2f} "
            f"(exact {100 * full.f:.2f}, {100 * full.f_joint:.2f})")
        if 100 * (full.f - s.f) <= tolerance and 100 * (full.f_joint - s.f_joint) <= tolerance:
            seg.meta.update(tag_margin_dev=[round(100 * s.f, 2), round(100 * s.f_joint, 2)],
                            tag_exact_dev=[round(100 * full.f, 2), round(100 * full.f_joint, 2)])
            return margin
    seg.meta.pop("tag_margin", None)
    return None


def borrow_tags(tagger_name: str, tagset: str, sents: Sequence[Sentence],
                dev: Sequence[Sentence], log: Log = lambda s: None):
    """(sents, dev) tagged by the joint model `tagger_name` ('default' = the
    shipped one), their segmentation kept; dev's own tags, if any, are replaced."""
    path = model_file(tagger_name)
    tagger = Model.load(path)
    t = time.perf_counter()
    try:
        sents = tags_from(tagger, sents, tagset=tagset)
        dev = tags_from(tagger, dev, tagset=tagset)
    except ValueError as e:
        raise ConfigError(f"{path}: {e}") from None
    log(f"tagged {len(sents) + len(dev)} sentences with {path}, their segmentation kept "
        f"({time.perf_counter() - t:.1f}s)")
    return sents, dev


def train_segmenter(model: Model, train_sents: Sequence[Sentence],
                    dev_sents: Sequence[Sentence] = (), config: TrainConfig | None = None,
                    log: Callable[[str], None] = lambda s: None, uptrain: Sequence[str] = (),
                    lexicon: Iterable[str] = ()) -> Model:
    """A segmentation-only model to embed in the joint `model` for fast `cut`.

    It learns from the same corpus without tags, plus `uptrain` raw sentences
    as segmented by the joint model ("uptraining", Petrov et al. 2010): the
    joint model segments better because it sees POS context, and its output
    on unlimited raw text passes much of that to the 4-label model, which
    decodes several times faster.
    """
    cfg = config or TrainConfig()
    cfg = replace(cfg, joint=False, position_prune=cfg.segmenter_prune)
    sents = [Sentence(s.words, criterion=s.criterion) for s in train_sents]
    if uptrain:
        t = time.perf_counter()
        # in the main standard: the silver sentences are main-standard sentences;
        # by the joint model even when `model` already embeds a segmenter (the
        # fast tier is distilled from a model that has one)
        analyzer = Analyzer(model, standard=model.standard, segmenter=False)
        silver = [Sentence(tuple(ws)) for ws in cut_in_batches(analyzer, uptrain, 1000) if ws]
        log(f"segmenter: {len(silver)} raw sentences segmented by the joint model "
            f"({time.perf_counter() - t:.1f}s)")
        sents += silver
    seg = train(sents, [Sentence(s.words) for s in dev_sents], cfg,
                log=lambda m: log("segmenter: " + m), lexicon=lexicon)
    seg.meta.update(uptrain_sentences=len(uptrain),
                    uptrain_chars=sum(map(len, uptrain)))
    return seg


def raw_words(model: Model, texts: Sequence[str], batch: int = 2000,
              log: Log = lambda s: None) -> list[str]:
    """The distinct words of 2+ characters in `texts` as `model` segments them,
    less its repeated errors.

    As lexicon features (`train(..., lexicon=...)`) they bring what a model has
    read in raw text to the next one: new words the labelled corpus lacks, in
    the corpus's own standard (a closed-setting counterpart of an outside word
    list). A joint model segments with its joint model, not its embedded
    segmenter. A model's systematic errors would come back as words (以习 and
    近平 from 以习近平同志, 务院 from 国务院); the text itself tells them apart
    (`fragments`).
    """
    words: set[str] = set()
    for ws in cut_in_batches(Analyzer(model, segmenter=False), texts, batch):
        words.update(w for w in ws if len(w) >= 2 and not w.isspace())
    bad = fragments(sorted(words), texts)
    if bad:
        log(f"{len(bad)} of the raw text's words left out: fragments of longer strings "
            f"(e.g. {', '.join(sorted(bad, key=len)[:5])})")
    return sorted(words - bad)


def fragments(words: Sequence[str], texts: Sequence[str], min_count: int = 10,
              min_free: float = 0.1) -> set[str]:
    """The words that, in `texts`, are nearly always part of one longer string.

    A string seen `min_count` times or more whose left or right branching
    entropy stays below `min_free` nats (one neighbouring character on that side
    ~98% of the time or more: 近平 is preceded by 习 in all of 21,922
    occurrences in the raw news) is a fragment, whatever a model made of it;
    free words have many neighbours (央视 0.4 nats on its least free side,
    书记 0.8, 习近平 3.0).
    """
    counter = WordCounter(max_len=6)
    for chunk in chunks_of(iter(texts)):
        counter.add(chunk)
    count, left, right = counter.contexts(list(words))
    bad = (count >= min_count) & (np.minimum(left, right) < min_free)
    return {w for w, b in zip(words, bad.tolist()) if b}


def cut_in_batches(analyzer, texts: Sequence[str], batch: int):
    """Each text's words, decoded `batch` texts per call (bounded memory)."""
    for i in range(0, len(texts), batch):
        yield from analyzer.cut_many(texts[i:i + batch])


def tags_from(tagger: Model, sentences: Sequence[Sentence], batch: int = 1000,
              tagset: str = "pku") -> list[Sentence]:
    """The sentences' own words, each tagged by a joint model that may not move a boundary.

    Lets a corpus without POS tags train a joint model: every word boundary
    still comes from the corpus, and the tags bring what the tagger learned
    from its own corpus (a Weibo joint model trained on tags from the default
    model segments Weibo better than a segmentation-only one, see
    docs/lab/2026-12-02-weibo-experiments.md).
    `tagset` "upos" (13 tags) or "thulac" maps a PKU-tagged tagger's tags: fewer
    labels make the model trained on them decode faster.
    """
    if len(tagger.tags) < 2:
        raise ConfigError("borrowing tags needs a joint (POS-tagging) model; this one segments only")
    name = namer(tagger.tags, tagset)  # fails before any work if the tags cannot be mapped
    names = [name(t) for t in tagger.tags]
    decoder = compile_model(tagger)
    positions = LabelSet()
    out: list[Sentence] = []
    for b in range(0, len(sentences), batch):
        part = sentences[b:b + batch]
        cps = codepoints("".join(s.text for s in part))
        lengths = np.array([len(s.text) for s in part], dtype=np.int64)
        ends = np.cumsum(lengths)
        gold = np.concatenate([np.array(positions.encode_words(s.words), dtype=np.int64)
                               for s in part])
        labels = decoder.decode(cps, ends - lengths, ends, (1 << gold).astype(np.uint8))
        for s, start in zip(part, (ends - lengths).tolist()):
            last = start + np.cumsum([len(w) for w in s.words], dtype=np.int64) - 1
            out.append(Sentence(s.words, tuple(names[int(l) >> 2] for l in labels[last])))
    return out
