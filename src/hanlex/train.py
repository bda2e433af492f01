"""Training loop: structured learning over character labels.

1. Build the lexicon feature data with jackknifing: sentence j sees a lexicon
   made from the other folds only, so the model learns how far to trust a
   lexicon match on words it has not memorised (the decoder sees the full one).
2. Collect every feature key the training text produces; keep those seen at
   least `min_count` times (the feature index is fixed before learning).
3. For each epoch, stream shuffled sentences through a PrefetchIterator that
   featurises the next batch on a background thread (the compiled featuriser
   releases the GIL) while the main thread decodes and updates.
4. After each epoch evaluate the averaged weights on dev; keep the best epoch.
"""
from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Sequence

import numpy as np

from . import _core
from .corpus import PrefetchIterator, Sentence
from .evaluate import Scores, score_spans
from .features import DEFAULT_LEX_MAX, STAT_BUCKETS, codepoints, normalize_text
from .labels import LabelSet
from .lexicon import compile_lexicon, lexicon_index
from .pretokenize import split_kinds
from .model import Model
from .optimizers import Optimizer, PassiveAggressive, SparseGrad, Updater, create


@dataclass
class TrainConfig:
    epochs: int = 10
    optimizer: str = "perceptron"
    min_count: int = 2
    folds: int = 10
    seed: int = 1
    batch_size: int = 256
    lex_max: int = DEFAULT_LEX_MAX
    joint: bool = False  # learn POS tags too (needs a tagged corpus)
    cand_min_count: int = 5  # chars seen this often keep only their seen labels (joint)
    raw_ratio: float = 1.0  # raw characters per labelled character in each epoch
    raw_labels: bool = True  # learn from punctuation partial labels of raw text
    raw_stats: bool = True  # add raw-text bigram association features
    stats_min_count: int = 3
    # joint weights below this fraction of the mean absolute joint weight are
    # dropped from the saved model: on the PD split 0.4 drops ~35% of them with
    # F unchanged to 0.01, and tagging gets faster (fewer weights per feature)
    joint_prune: float = 0.4
    optimizer_args: dict = field(default_factory=dict)


def _fold_lexicons(sentences: Sequence[Sentence], folds: int, lex_max: int,
                   extra: Iterable[str] = (), log: Callable[[str], None] = lambda s: None):
    """The full lexicon and one jackknifed lexicon per fold.

    `extra` words (an external word list) are in every lexicon, except those the
    corpus itself contains: they follow the jackknife like the corpus's words.
    A list that covers the corpus would otherwise put every training word in
    every fold's lexicon and teach the model that all words are dictionary words
    (the SIGHAN PKU training word list over People's Daily: PKU OOV recall 46%).
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
            split.update(r for r in _word_runs(words, lex_max) if r in candidates)
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


def _word_runs(words: Sequence[str], max_chars: int) -> Iterable[str]:
    """Every run of 2+ consecutive words, up to max_chars characters long."""
    for i in range(len(words) - 1):
        run = words[i]
        for k in range(i + 1, len(words)):  # no slice: a one-line corpus of 10^5 words stays linear
            run += words[k]
            if len(run) > max_chars:
                break
            yield run


def _collect_keys(texts: list[np.ndarray], lexicons, which: np.ndarray, min_count: int,
                  stats=None) -> np.ndarray:
    """Sorted unique keys seen at least min_count times."""
    uniq = np.zeros(0, dtype=np.uint64)
    counts = np.zeros(0, dtype=np.int64)
    chunk: list[np.ndarray] = []
    size = 0

    def merge():
        nonlocal uniq, counts, chunk, size
        if not chunk:
            return
        k, c = np.unique(np.concatenate(chunk).ravel(), return_counts=True)
        allk = np.concatenate([uniq, k])
        allc = np.concatenate([counts, c])
        uniq, inv = np.unique(allk, return_inverse=True)
        counts = np.bincount(inv, weights=allc).astype(np.int64)
        chunk, size = [], 0

    for j, cps in enumerate(texts):
        lex, lex_max = lexicons[which[j]]
        keys = _core.extract_keys(cps, lex, lex_max, stats)
        chunk.append(keys)
        size += keys.size
        if size > 8_000_000:
            merge()
    merge()
    keys = uniq[counts >= min_count]
    return keys[keys != 0]  # 0 marks "no feature"


def raw_statistics(texts: Sequence[str], min_count: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Association buckets of character bigrams in raw text: (keys, values).

    The bucket is 1 + clip(floor(PMI) + 2, 0, 12) (so 1..STAT_BUCKETS - 1), PMI = log2 p(ab) / (p(a) p(b))
    over normalised characters, for bigrams seen at least min_count times.
    """
    cps = _core.normalize_codepoints(codepoints("\n".join(texts))).astype(np.int64)
    a, b = cps[:-1], cps[1:]
    ok = (a != 10) & (b != 10)
    pairs = (a[ok] << 21) | b[ok]
    uniq, cnt = np.unique(pairs, return_counts=True)
    keep = cnt >= min_count
    uniq, cnt = uniq[keep], cnt[keep]
    uni = np.bincount(cps, minlength=0x110003).astype(np.float64)
    ua, ub = uniq >> 21, uniq & ((1 << 21) - 1)
    pmi = np.log2(cnt * float(ok.sum()) / (uni[ua] * uni[ub]))
    values = (1 + np.clip(np.floor(pmi).astype(np.int64) + 2, 0, STAT_BUCKETS - 2)).astype(np.int32)
    keys = np.array([_core.stat_key(x, y) for x, y in zip(ua.tolist(), ub.tolist())],
                    dtype=np.uint64)
    order = np.argsort(keys)
    return keys[order], values[order]


def _joint_pairs(texts, golds, features, lexicons, folds: int, L: int, stats=None):
    """CSR (indptr, labels) of every (feature row, gold label) pair in training.

    Only these pairs get joint weights: a feature that never co-occurred with
    a label in gold data gets no weight for it (like CRFsuite's default).
    """
    chunk, merged, size = [], np.zeros(0, dtype=np.int64), 0

    def merge():
        nonlocal chunk, merged, size
        if chunk:
            merged = np.union1d(merged, np.unique(np.concatenate(chunk)))
            chunk, size = [], 0

    which = np.array([j % folds for j in range(len(texts))], dtype=np.int32)
    for start in range(0, len(texts), 512):
        rows_list = _core.extract_rows_batch(texts[start:start + 512], features, lexicons,
                                             which[start:start + 512], stats)
        for rows, gold in zip(rows_list, golds[start:start + 512]):
            pairs = rows.astype(np.int64) * L + gold[:, None]
            chunk.append(pairs[rows >= 0])
            size += rows.size
        if size > 8_000_000:
            merge()
    merge()
    n = len(features)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(merged // L, minlength=n), out=indptr[1:])
    return indptr, (merged % L).astype(np.uint8)


def _label_candidates(sentences, golds, L: int, min_count: int):
    """Tag dictionary: label bitsets of frequent characters and of char classes.

    A character keeps every position (B/M/E/S) of each tag it was seen with,
    not just the seen (position, tag) pairs: then a path of single-character
    words always exists, and training sees (and corrects) every position the
    decoder may choose.
    """
    from .features import char_class
    from .model import MASK_WORDS, N_CLASSES

    counts: Counter = Counter()
    masks: dict[int, int] = {}
    class_bits = [0] * N_CLASSES
    for s, gold in zip(sentences, golds):
        for ch, lab in zip(normalize_text(s.text), gold.tolist()):
            c = ord(ch)
            counts[c] += 1
            tag_bits = 0xF << (4 * (lab >> 2))
            masks[c] = masks.get(c, 0) | tag_bits
            class_bits[char_class(c)] |= tag_bits
    full = (1 << L) - 1
    class_bits = [b or full for b in class_bits]
    chars = sorted(c for c in counts if counts[c] >= min_count)

    def words(bits: int) -> list[int]:
        return [(bits >> (64 * w)) & ((1 << 64) - 1) for w in range(MASK_WORDS)]

    keys = np.array([_core.char_key(c) for c in chars], dtype=np.uint64)
    cand = np.array([words(masks[c]) for c in chars], dtype=np.uint64).reshape(-1, MASK_WORDS)
    cls = np.array([words(b) for b in class_bits], dtype=np.uint64)
    return keys, cand, cls


def train(train_sents: Sequence[Sentence], dev_sents: Sequence[Sentence] = (),
          config: TrainConfig | None = None,
          log: Callable[[str], None] = lambda s: None,
          meta: dict | None = None, raw: Sequence[str] = (),
          lexicon: Iterable[str] = ()) -> Model:
    """Train a model; `raw` sentences add punctuation-derived partial labels.

    `lexicon` words (an external word list) join the corpus's own words in the
    lexicon features: soft evidence the model learns how far to trust, stored
    in the model (a user dictionary, by contrast, forces words at decode time).

    A raw sentence is learned like Li & Sun (2009) suggest, as a partially
    labelled example inside the structured perceptron: its "gold" path is the
    model's best path among those that respect the punctuation constraints
    (corpus.punctuation_mask), and it is updated only when the unconstrained
    best path violates them.
    """
    cfg = config or TrainConfig()
    if not train_sents:
        raise ValueError("the training corpus has no sentences")
    if cfg.joint:
        if any(s.tags is None for s in train_sents):
            raise ValueError("joint training needs a word/TAG corpus")
        tags = tuple(sorted({t for s in train_sents for t in s.tags}))
    else:
        tags = ("",)
    labels = LabelSet(tags)
    L = labels.size
    allowed = labels.allowed()
    t0 = time.perf_counter()
    split_spans = split_kinds(train_sents)
    if split_spans:
        log(f"the corpus does not keep {', '.join(split_spans)} spans whole: the model decides them")

    texts = [codepoints(s.text) for s in train_sents]
    golds = [np.array(labels.encode_words(s.words, s.tags if cfg.joint else None), dtype=np.int32)
             for s in train_sents]
    lexicon = tuple(lexicon)
    (lex_keys, lex_flags), fold_lexicons = _fold_lexicons(train_sents, cfg.folds, cfg.lex_max,
                                                          lexicon, log)
    n_lab = len(texts)
    fold_lexicons.append((lexicon_index(lex_keys, lex_flags), cfg.lex_max))  # raw: full lexicon
    raw_masks = []
    stats_keys = np.zeros(0, dtype=np.uint64)
    stats_values = np.zeros(0, dtype=np.int32)
    stats = None
    if raw and cfg.raw_stats:
        stats_keys, stats_values = raw_statistics(list(raw) + [s.text for s in train_sents],
                                                  cfg.stats_min_count)
        stats = _core.HashIndex(stats_keys, stats_values)
        log(f"raw statistics for {len(stats_keys)} character bigrams")
    if not cfg.raw_labels:
        raw = ()
    which = np.array([j % cfg.folds for j in range(n_lab)] + [cfg.folds] * len(raw), dtype=np.int32)
    if raw:
        from .corpus import punctuation_mask
        texts += [codepoints(r) for r in raw]
        raw_masks = [punctuation_mask(r) for r in raw]
    feature_keys = _collect_keys(texts, fold_lexicons, which, cfg.min_count, stats)
    features = _core.HashIndex(feature_keys)
    log(f"{len(train_sents)} sentences, {sum(len(t) for t in texts)} characters, "
        f"{len(feature_keys)} features, {len(lex_keys)} lexicon keys "
        f"({time.perf_counter() - t0:.1f}s)")

    if cfg.joint:
        jptr, jlab = _joint_pairs(texts[:n_lab], golds, features, fold_lexicons, cfg.folds, L,
                                  stats)
        cand_keys, cand_masks, class_masks = _label_candidates(train_sents, golds, L,
                                                               cfg.cand_min_count)
        candidates = _core.LabelCandidates(cand_keys, cand_masks, class_masks)
        log(f"{len(jlab)} joint (feature, label) weights, {L} labels, "
            f"{len(cand_keys)} characters in the tag dictionary")
    else:
        jptr = np.zeros(len(feature_keys) + 1, dtype=np.int64)
        jlab = np.zeros(0, dtype=np.uint8)
        cand_keys = cand_masks = class_masks = None
        candidates = None
    W = np.zeros((len(feature_keys), 4), dtype=np.float64)
    J = np.zeros(len(jlab), dtype=np.float64)
    T = np.zeros((L + 1, L), dtype=np.float64)
    weights = _core.Weights(W, jptr, jlab, J, T, allowed)
    optimizer: Optimizer = create(cfg.optimizer, **cfg.optimizer_args)
    updater = Updater(optimizer)
    needs_loss = isinstance(optimizer, PassiveAggressive)
    lab_chars = sum(len(t) for t in texts[:n_lab])
    raw_cursor = 0

    def featurise(batch: list[int]):
        idx = np.array(batch, dtype=np.int32)
        rows = _core.extract_rows_batch([texts[j] for j in batch], features, fold_lexicons,
                                        np.ascontiguousarray(which[idx]), stats)
        return list(zip(batch, rows))

    best: tuple[float, int, Model | None] = (-1.0, 0, None)
    history = []
    for epoch in range(1, cfg.epochs + 1):
        te = time.perf_counter()
        ids = list(range(n_lab))
        if raw:  # this epoch's share of the raw sentences, in rotation
            budget, taken = cfg.raw_ratio * lab_chars, 0
            while taken < budget and len(ids) < n_lab + len(raw):
                ids.append(n_lab + raw_cursor)
                taken += len(raw[raw_cursor])
                raw_cursor = (raw_cursor + 1) % len(raw)
        rng = np.random.RandomState(cfg.seed + epoch)
        order = [ids[k] for k in rng.permutation(len(ids))]
        errors = 0
        it = PrefetchIterator(order, cfg.batch_size, featurise)
        for batch in it:
            for j, rows in batch:
                if rows.shape[0] == 0:
                    continue
                mask = np.full(rows.shape[0], 15, dtype=np.uint8)
                pred = _core.viterbi_rows(texts[j], rows, weights, candidates, mask)
                if j < n_lab:
                    gold = golds[j]
                else:  # partial labels: the best path that respects them
                    gold = _core.viterbi_rows(texts[j], rows, weights, candidates,
                                              raw_masks[j - n_lab])
                idx, val, jidx, jval, tgrad = _core.perceptron_gradient(rows, gold, pred, L,
                                                                        jptr, jlab)
                grad, jgrad = SparseGrad(idx, val), SparseGrad(jidx, jval)
                if not np.array_equal(pred, gold):
                    errors += 1
                    if needs_loss:
                        g, jg = grad.coalesce(), jgrad.coalesce()
                        loss = (_core.sequence_score(rows, pred, W, jptr, jlab, J, T)
                                - _core.sequence_score(rows, gold, W, jptr, jlab, J, T)
                                + float(np.count_nonzero(pred != gold)) ** 0.5)
                        sq = float((g.values ** 2).sum() + (jg.values ** 2).sum()
                                   + (tgrad ** 2).sum())
                        grad = SparseGrad(g.indices, g.values, loss, sq)
                        jgrad = SparseGrad(jg.indices, jg.values, loss, sq)
                        tgrad = SparseGrad(np.flatnonzero(tgrad), tgrad.ravel()[tgrad.ravel() != 0],
                                           loss, sq)
                updater(0, grad, W)
                updater(1, tgrad, T)
                if cfg.joint:
                    updater(2, jgrad, J)
        model = _finish(updater, W, T, J, jptr, jlab, tags, feature_keys, lex_keys, lex_flags,
                        cand_keys, cand_masks, class_masks, stats_keys, stats_values, cfg,
                        split_spans)
        train_secs = time.perf_counter() - te
        msg = f"epoch {epoch}: {errors}/{len(order)} sentences wrong, {train_secs:.1f}s"
        if dev_sents:
            s = evaluate_model(model, dev_sents, joint=cfg.joint)
            f = s.f_joint if cfg.joint else s.f
            msg += f", dev F {100 * s.f:.2f}" + (f" joint F {100 * s.f_joint:.2f}" if cfg.joint else "")
            history.append(round(100 * f, 2))
            if f > best[0]:
                best = (f, epoch, model)
        else:
            best = (0.0, epoch, model)
        log(msg)
    f, epoch, model = best
    assert model is not None
    model.meta = dict(meta or {}, best_epoch=epoch, epochs=cfg.epochs, optimizer=cfg.optimizer,
                      min_count=cfg.min_count, folds=cfg.folds, seed=cfg.seed,
                      dev_history=history, train_sentences=len(train_sents),
                      train_sha256=_corpus_digest(train_sents))
    if dev_sents:
        model.meta["dev_f"] = round(100 * f, 2)
    if raw:
        model.meta.update(raw_sentences=len(raw), raw_ratio=cfg.raw_ratio)
    if len(stats_keys):
        model.meta.update(raw_stats_bigrams=len(stats_keys))
    if lexicon:  # the words the lexicon features can use (one character is no match)
        model.meta.update(lexicon_words=len({w for w in lexicon if len(w) >= 2}))
    log(f"kept epoch {epoch}; {len(model.feature_keys)} features after pruning "
        f"({time.perf_counter() - t0:.1f}s total)")
    return model


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
    from .analyzer import Analyzer

    cfg = replace(config or TrainConfig(), joint=False)
    sents = [Sentence(s.words) for s in train_sents]
    if uptrain:
        t = time.perf_counter()
        analyzer = Analyzer(model)
        silver = [Sentence(tuple(ws)) for ws in _cut_in_batches(analyzer, uptrain, 1000) if ws]
        log(f"segmenter: {len(silver)} raw sentences segmented by the joint model "
            f"({time.perf_counter() - t:.1f}s)")
        sents += silver
    seg = train(sents, [Sentence(s.words) for s in dev_sents], cfg,
                log=lambda m: log("segmenter: " + m), lexicon=lexicon)
    seg.meta.update(uptrain_sentences=len(uptrain),
                    uptrain_chars=sum(map(len, uptrain)))
    return seg


def raw_words(model: Model, texts: Sequence[str], batch: int = 2000) -> list[str]:
    """The distinct words of 2+ characters in `texts` as `model` segments them.

    As lexicon features (`train(..., lexicon=...)`) they bring what a model has
    read in raw text to the next one: new words the labelled corpus lacks, in
    the corpus's own standard (a closed-setting counterpart of an outside word
    list). A joint model segments with its joint model, not its embedded
    segmenter.
    """
    from .analyzer import Analyzer

    words: set[str] = set()
    for ws in _cut_in_batches(Analyzer(model, segmenter=False), texts, batch):
        words.update(w for w in ws if len(w) >= 2 and not w.isspace())
    return sorted(words)


def _cut_in_batches(analyzer, texts: Sequence[str], batch: int):
    """Each text's words, decoded `batch` texts per call (bounded memory)."""
    for i in range(0, len(texts), batch):
        yield from analyzer.cut_many(texts[i:i + batch])


def tags_from(tagger: Model, sentences: Sequence[Sentence], batch: int = 1000,
              tagset: str = "pku") -> list[Sentence]:
    """The sentences' own words, each tagged by a joint model that may not move a boundary.

    Lets a corpus without POS tags train a joint model: every word boundary
    still comes from the corpus, and the tags bring what the tagger learned
    from its own corpus (a Weibo joint model trained on tags from the default
    model segments Weibo better than a segmentation-only one, see BENCHMARKS.md).
    `tagset` "upos" (13 tags) or "thulac" maps a PKU-tagged tagger's tags: fewer
    labels make the model trained on them decode faster.
    """
    from .decoder import Decoder
    from .tagsets import namer

    if len(tagger.tags) < 2:
        raise ValueError("borrowing tags needs a joint (POS-tagging) model; this one segments only")
    name = namer(tagger.tags, tagset)  # fails before any work if the tags cannot be mapped
    names = [name(t) for t in tagger.tags]
    decoder = Decoder(tagger)
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


def _finish(updater: Updater, W, T, J, jptr, jlab, tags, feature_keys, lex_keys, lex_flags,
            cand_keys, cand_masks, class_masks, stats_keys, stats_values, cfg,
            split_spans: tuple[str, ...]) -> Model:
    """The averaged weights as a compact Model (weights that stayed 0 dropped)."""
    Wa = updater.finalized(0, W).astype(np.float32)
    Ta = updater.finalized(1, T).astype(np.float32)
    Ja = (updater.finalized(2, J) if 2 in updater.states else J).astype(np.float32)
    n = len(feature_keys)
    entry_row = np.repeat(np.arange(n), np.diff(jptr))
    live = Ja != 0
    if cfg.joint_prune > 0 and live.any():
        live &= np.abs(Ja) >= cfg.joint_prune * float(np.abs(Ja[live]).mean())
    keep = np.any(Wa != 0, axis=1) | (np.bincount(entry_row[live], minlength=n) > 0)
    new_row = np.cumsum(keep) - 1
    kept_entries = live & keep[entry_row]
    indptr = np.zeros(int(keep.sum()) + 1, dtype=np.int64)
    np.cumsum(np.bincount(new_row[entry_row[kept_entries]], minlength=len(indptr) - 1),
              out=indptr[1:])
    return Model(tags=tags, feature_keys=feature_keys[keep], weights=Wa[keep], transitions=Ta,
                 lexicon_keys=lex_keys, lexicon_flags=lex_flags, joint_indptr=indptr,
                 joint_labels=jlab[kept_entries], joint_weights=Ja[kept_entries],
                 cand_keys=cand_keys, cand_masks=cand_masks, class_masks=class_masks,
                 stats_keys=stats_keys, stats_values=stats_values, lex_max=cfg.lex_max,
                 split_spans=split_spans)


def _corpus_digest(sents: Sequence[Sentence]) -> str:
    h = hashlib.sha256()
    for s in sents:
        h.update((" ".join(s.words) + "\n").encode("utf-8"))
    return h.hexdigest()[:16]


def evaluate_model(model: Model, sents: Sequence[Sentence], joint: bool = False) -> Scores:
    from .analyzer import Analyzer

    analyzer = Analyzer(model)
    toks = analyzer.tokenize_many([s.text for s in sents])
    gold = [list(zip(s.words, s.tags)) if joint and s.tags else [(w, None) for w in s.words]
            for s in sents]
    pred = [[(t.word, t.tag) for t in ts] for ts in toks]
    return score_spans(gold, pred)
