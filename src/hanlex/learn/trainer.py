"""Structured learning over character labels: corpus -> Trainer -> Model.

1. Build the lexicon feature data with jackknifing (learn.folds): sentence j
   sees a lexicon made from the other folds only.
2. Collect every feature key the training text produces; keep those seen at
   least `min_count` times (the feature index is fixed before learning).
3. For each epoch, stream shuffled sentences through a PrefetchIterator that
   featurises the next batch on a background thread (the compiled featuriser
   releases the GIL) while the main thread decodes and updates.
4. After each epoch evaluate the averaged weights on dev; keep the best epoch.

Raw sentences (Li & Sun 2009) are partially labelled examples inside the same
perceptron: their "gold" path is the model's best path among those that respect
the punctuation constraints (learn.rawtext.punctuation_mask), so an update
happens only when the unconstrained best path violates them.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np

from .._core.features import extract_rows_batch
from .._core.hashindex import HashIndex, LabelCandidates
from ..decoding._compiled import CompiledModel
from ..decoding._decode import Weights
from ..errors import CorpusError
from ..evaluate import evaluate_model
from ..io.corpus import Sentence, corpus_digest
from ..lexicon.compiled import lexicon_index
from ..model.labels import LabelSet
from ..model.model import Model
from ..model.standards import Standard
from ..model.templates import DEFAULT_LEX_MAX, TEMPLATES
from ..pretokenize.masks import ALLOW_ANY
from ..pretokenize.plan import split_kinds
from ..text.normalize import codepoints
from ._learn import perceptron_gradient, sequence_score
from .criteria import CriterionFeatures
from .folds import fold_lexicons
from .optimizers import Optimizer, PassiveAggressive, SparseGrad, Updater, create
from .prefetch import PrefetchIterator
from .rawtext import punctuation_mask, raw_statistics
from .tables import collect_keys, joint_pairs, label_candidates

Log = Callable[[str], None]

# the Updater's parameter indices
POSITION_WEIGHTS, TRANSITIONS, JOINT_WEIGHTS, CRITERION_WEIGHTS = 0, 1, 2, 3


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
    # dropped from the saved model: tagging gets faster (fewer weights per
    # feature) at no measurable cost in F (docs/lab/2026-12-02-default-model-builds.md,
    # joint-weight pruning)
    joint_prune: float = 0.4
    # features of a segmentation-only model whose largest position weight is below
    # this fraction of the mean are dropped (a smaller file at unchanged F for the
    # default's segmenter: docs/lab/2026-12-02-modern-chinese-issue-22.md, section 6);
    # `segmenter_prune` is the value train_segmenter uses for the segmenter it embeds
    position_prune: float = 0.0
    segmenter_prune: float = 0.0
    # the step of a sentence's private standard features relative to the shared
    # ones (learn.criteria): smaller moves more of its corrections into the
    # shared weights, as plain concatenation would
    private_step: float = 1.0
    # the names of the corpora's standards, by criterion (0 = the main one):
    # the model decodes in any of them (model.standards)
    standards: tuple[str, ...] = ("main",)
    dropped_templates: tuple[int, ...] = ()  # template ids left out (the fast tier's)
    optimizer_args: dict = field(default_factory=dict)


def train(train_sents: Sequence[Sentence], dev_sents: Sequence[Sentence] = (),
          config: TrainConfig | None = None, log: Log = lambda s: None,
          meta: dict | None = None, raw: Sequence[str] = (),
          lexicon: Iterable[str] = ()) -> Model:
    """Train a model (see Trainer); `raw` sentences add punctuation partial
    labels and statistics, `lexicon` words join the corpus's own words in the
    lexicon features (soft evidence the model learns to weigh; a user
    dictionary, by contrast, forces words at decode time)."""
    return Trainer(train_sents, dev_sents, config, log, raw, lexicon).fit(meta)


class Trainer:
    """One training run. The constructor fixes everything learning needs (labels,
    lexicons, statistics, the feature index, the joint tables, zero weights);
    `fit` then learns epoch by epoch and returns the best epoch's model."""

    def __init__(self, train_sents: Sequence[Sentence], dev_sents: Sequence[Sentence] = (),
                 config: TrainConfig | None = None, log: Log = lambda s: None,
                 raw: Sequence[str] = (), lexicon: Iterable[str] = ()):
        self.cfg = cfg = config or TrainConfig()
        if not train_sents:
            raise CorpusError("the training corpus has no sentences")
        self.sents, self.dev, self.log = train_sents, dev_sents, log
        self.lexicon = tuple(lexicon)
        self.t0 = time.perf_counter()
        self._set_labels()
        # the standard the model decodes in is criterion 0's (learn.criteria)
        self.main = [j for j, s in enumerate(train_sents) if s.criterion == 0]
        # A main-corpus sentence annotated again in another standard (People's
        # Daily with names written whole) would pull the shared weights both ways:
        # its corrections go to its standard's private weights only, it adds no
        # words to the lexicons and no counts to the features, and it sees the
        # jackknifed lexicon of its original's fold. {copy: original}
        first = {}
        for j in self.main:
            first.setdefault(train_sents[j].text, j)
        self.reannotated = {j: first[s.text] for j, s in enumerate(train_sents)
                            if s.criterion > 0 and s.text in first}
        self.split_spans = split_kinds([train_sents[j] for j in self.main] or train_sents)
        if self.split_spans:
            log(f"the corpus does not keep {', '.join(self.split_spans)} spans whole: "
                "the model decides them")
        self.texts = [codepoints(s.text) for s in train_sents]
        self.golds = [np.array(self.labels.encode_words(s.words, s.tags if cfg.joint else None),
                               dtype=np.int32) for s in train_sents]
        self.n_labelled = len(self.texts)
        self._set_lexicons()
        self._set_raw(raw)
        self._set_features()
        self._set_criteria()
        self._set_joint_tables()
        self._set_weights()

    # ------------------------------------------------------------ set-up steps
    def _set_labels(self) -> None:
        if self.cfg.joint:
            if any(s.tags is None for s in self.sents):
                raise CorpusError("joint training needs a word/TAG corpus")
            self.tags = tuple(sorted({t for s in self.sents for t in s.tags}))
        else:
            self.tags = ("",)
        self.labels = LabelSet(self.tags)

    def _set_lexicons(self) -> None:
        """The full lexicon (saved with the model) and one per fold; raw
        sentences, after the folds, use the full one."""
        cfg = self.cfg
        own = [Sentence(()) if j in self.reannotated else s for j, s in enumerate(self.sents)]
        (self.lex_keys, self.lex_flags), self.lexicons = fold_lexicons(
            own, cfg.folds, cfg.lex_max, self.lexicon, self.log)
        self.lexicons.append((lexicon_index(self.lex_keys, self.lex_flags), cfg.lex_max))

    def _set_raw(self, raw: Sequence[str]) -> None:
        """Raw-text statistics (over raw + training text) and the raw sentences'
        partial labels."""
        cfg = self.cfg
        self.stats_keys = np.zeros(0, dtype=np.uint64)
        self.stats_values = np.zeros(0, dtype=np.int32)
        self.stats = None
        if raw and cfg.raw_stats:
            self.stats_keys, self.stats_values = raw_statistics(
                list(raw) + [s.text for s in self.sents], cfg.stats_min_count)
            self.stats = HashIndex(self.stats_keys, self.stats_values)
            self.log(f"raw statistics for {len(self.stats_keys)} character bigrams")
        self.raw = raw if cfg.raw_labels else ()
        self.which = np.array([self.reannotated.get(j, j) % cfg.folds
                               for j in range(self.n_labelled)]
                              + [cfg.folds] * len(self.raw), dtype=np.int32)
        self.raw_masks = [punctuation_mask(r) for r in self.raw]
        self.texts += [codepoints(r) for r in self.raw]

    def _set_features(self) -> None:
        counted = [t[:0] if j in self.reannotated else t for j, t in enumerate(self.texts)]
        self.feature_keys = collect_keys(counted, self.lexicons, self.which,
                                         self.cfg.min_count, self.stats,
                                         self.cfg.dropped_templates)
        self.features = HashIndex(self.feature_keys)
        self.log(f"{len(self.sents)} sentences, {sum(len(t) for t in self.texts)} characters, "
                 f"{len(self.feature_keys)} features, {len(self.lex_keys)} lexicon keys "
                 f"({time.perf_counter() - self.t0:.1f}s)")

    def _set_criteria(self) -> None:
        """Private feature copies for sentences of other standards (learn.criteria)."""
        self.criteria = None
        crit = [s.criterion for s in self.sents]
        if not any(crit):
            return
        if self.cfg.optimizer in ("pa", "passive_aggressive"):
            raise CorpusError("corpora of several standards train with the perceptron or "
                              "adagrad, not passive-aggressive steps")
        self.criteria = CriterionFeatures(self.texts[:self.n_labelled], crit, self.lexicons,
                                          self.which, self.cfg.min_count, self.stats,
                                          self.cfg.dropped_templates)
        self.log(f"{len(self.criteria.rows)} sentences of other standards, "
                 f"{len(self.criteria.keys)} private features")

    def _set_joint_tables(self) -> None:
        """Which (feature, label) pairs get joint weights, and the tag dictionary."""
        cfg, L = self.cfg, self.labels.size
        self.cand_keys = self.cand_masks = self.class_masks = None
        self.candidates = None
        self.saved_candidates = (None, None, None)
        if not cfg.joint:
            self.jptr = np.zeros(len(self.feature_keys) + 1, dtype=np.int64)
            self.jlab = np.zeros(0, dtype=np.uint8)
            return
        self.jptr, self.jlab = joint_pairs(self.texts[:self.n_labelled], self.golds,
                                           self.features, self.lexicons, cfg.folds, L, self.stats)
        # Training decodes with the tags every corpus gives a character, so that
        # each gold path stays reachable; the saved model keeps those of the main
        # standard only, which it decodes in: tags borrowed for another corpus
        # (--tags-from) give characters more labels, which would slow its Viterbi,
        # while restricting training to them too cost accuracy
        # (docs/lab/2026-12-02-modern-chinese-issue-22.md).
        self.cand_keys, self.cand_masks, self.class_masks = label_candidates(
            self.sents, self.golds, L, cfg.cand_min_count)
        self.candidates = LabelCandidates(self.cand_keys, self.cand_masks, self.class_masks)
        self.saved_candidates = (self.cand_keys, self.cand_masks, self.class_masks)
        if self.main and len(self.main) < len(self.sents):
            self.saved_candidates = label_candidates(
                [self.sents[j] for j in self.main], [self.golds[j] for j in self.main], L,
                cfg.cand_min_count)
        self.log(f"{len(self.jlab)} joint (feature, label) weights, {L} labels, "
                 f"{len(self.cand_keys)} characters in the tag dictionary")

    def _set_weights(self) -> None:
        L = self.labels.size
        self.W = np.zeros((len(self.feature_keys), 4), dtype=np.float64)
        self.J = np.zeros(len(self.jlab), dtype=np.float64)
        self.T = np.zeros((L + 1, L), dtype=np.float64)
        # decodes training's rows with the weights as they are updated in place
        self.compiled = CompiledModel(Weights(self.W, self.jptr, self.jlab, self.J, self.T,
                                              self.labels.allowed()),
                                      candidates=self.candidates)
        self.optimizer: Optimizer = create(self.cfg.optimizer, **self.cfg.optimizer_args)
        self.updater = Updater(self.optimizer)
        self.raw_cursor = 0  # the next raw sentence to learn from
        self._facts: dict[int, tuple] = {}  # each other standard's, see standard_facts

    # ------------------------------------------------------------ learning
    def fit(self, meta: dict | None = None) -> Model:
        """Learn for cfg.epochs epochs; the model of the best epoch on dev (the
        last one without dev), with `meta` and how it was trained."""
        best: tuple[float, int, Model | None] = (-1.0, 0, None)
        history = []
        self.dev_word_f: list[float] = []
        for epoch in range(1, self.cfg.epochs + 1):
            te = time.perf_counter()
            order = self.epoch_order(epoch)
            errors = self.run_epoch(order)
            model = self.averaged_model()
            msg = (f"epoch {epoch}: {errors}/{len(order)} sentences wrong, "
                   f"{time.perf_counter() - te:.1f}s")
            if self.dev:
                f, msg = self.score_dev(model, msg)
                history.append(round(100 * f, 2))
                if f > best[0]:
                    best = (f, epoch, model)
            else:
                best = (0.0, epoch, model)
            self.log(msg)
        f, epoch, model = best
        assert model is not None
        self.describe(model, meta, epoch, f, history)
        self.log(f"kept epoch {epoch}; {len(model.feature_keys)} features after pruning "
                 f"({time.perf_counter() - self.t0:.1f}s total)")
        return model

    def epoch_order(self, epoch: int) -> list[int]:
        """This epoch's sentences, shuffled: every labelled one, and the next
        share of the raw ones in rotation (cfg.raw_ratio of the labelled characters)."""
        n = self.n_labelled
        ids = list(range(n))
        if self.raw:
            budget = self.cfg.raw_ratio * sum(len(t) for t in self.texts[:n])
            taken = 0
            while taken < budget and len(ids) < n + len(self.raw):
                ids.append(n + self.raw_cursor)
                taken += len(self.raw[self.raw_cursor])
                self.raw_cursor = (self.raw_cursor + 1) % len(self.raw)
        rng = np.random.RandomState(self.cfg.seed + epoch)
        return [ids[k] for k in rng.permutation(len(ids))]

    def featurise(self, batch: list[int]) -> list[tuple[int, np.ndarray]]:
        """The feature rows of a batch of sentences (run on the prefetch thread)."""
        idx = np.array(batch, dtype=np.int32)
        rows = extract_rows_batch([self.texts[j] for j in batch], self.features, self.lexicons,
                                  np.ascontiguousarray(self.which[idx]), self.stats)
        return list(zip(batch, rows))

    def run_epoch(self, order: list[int]) -> int:
        """One pass over `order`; returns how many sentences were decoded wrong."""
        errors = 0
        for batch in PrefetchIterator(order, self.cfg.batch_size, self.featurise):
            for j, rows in batch:
                if rows.shape[0]:
                    errors += self.learn_sentence(j, rows)
        return errors

    def learn_sentence(self, j: int, rows: np.ndarray) -> bool:
        """Decode sentence j, update towards its gold path; whether it was wrong."""
        texts = self.texts
        mask = np.full(rows.shape[0], ALLOW_ANY, dtype=np.uint8)
        private = self.criteria is not None and j in self.criteria
        offset = self.criteria.offset(j) if private else None
        pred = self.compiled.viterbi_rows(texts[j], rows, mask, offset)
        if j < self.n_labelled:
            gold = self.golds[j]
        else:  # partial labels: the best path that respects them
            gold = self.compiled.viterbi_rows(texts[j], rows, self.raw_masks[j - self.n_labelled])
        idx, val, jidx, jval, tgrad = perceptron_gradient(rows, gold, pred, self.labels.size,
                                                          self.jptr, self.jlab)
        grad, jgrad = SparseGrad(idx, val), SparseGrad(jidx, jval)
        wrong = not np.array_equal(pred, gold)
        if wrong and isinstance(self.optimizer, PassiveAggressive):
            grad, jgrad, tgrad = self._with_margin(rows, gold, pred, grad, jgrad, tgrad)
        if not (private and j in self.reannotated):
            self.updater(POSITION_WEIGHTS, grad, self.W)
            self.updater(TRANSITIONS, tgrad, self.T)
            if self.cfg.joint:
                self.updater(JOINT_WEIGHTS, jgrad, self.J)
        if private and wrong:
            cidx, cval, _, _, _ = perceptron_gradient(self.criteria.rows[j], gold, pred,
                                                      self.labels.size)
            self.updater(CRITERION_WEIGHTS, SparseGrad(cidx, self.cfg.private_step * cval),
                         self.criteria.W)
        return wrong

    def _with_margin(self, rows, gold, pred, grad, jgrad, tgrad):
        """The gradients with the example's loss and squared norm, which
        passive-aggressive steps are sized by."""
        W, J, T, jptr, jlab = self.W, self.J, self.T, self.jptr, self.jlab
        g, jg = grad.coalesce(), jgrad.coalesce()
        loss = (sequence_score(rows, pred, W, jptr, jlab, J, T)
                - sequence_score(rows, gold, W, jptr, jlab, J, T)
                + float(np.count_nonzero(pred != gold)) ** 0.5)
        sq = float((g.values ** 2).sum() + (jg.values ** 2).sum() + (tgrad ** 2).sum())
        flat = tgrad.ravel()
        return (SparseGrad(g.indices, g.values, loss, sq),
                SparseGrad(jg.indices, jg.values, loss, sq),
                SparseGrad(np.flatnonzero(tgrad), flat[flat != 0], loss, sq))

    # ------------------------------------------------------------ the model
    def averaged_model(self) -> Model:
        """The averaged weights as a compact Model: features whose weights all
        stayed 0 are dropped, and joint weights below cfg.joint_prune x their
        mean magnitude."""
        cfg, up = self.cfg, self.updater
        Wa = up.finalized(POSITION_WEIGHTS, self.W).astype(np.float32)
        Ta = up.finalized(TRANSITIONS, self.T).astype(np.float32)
        Ja = (up.finalized(JOINT_WEIGHTS, self.J) if JOINT_WEIGHTS in up.states
              else self.J).astype(np.float32)
        jptr, n = self.jptr, len(self.feature_keys)
        entry_row = np.repeat(np.arange(n), np.diff(jptr))
        live = Ja != 0
        if cfg.joint_prune > 0 and live.any():
            live &= np.abs(Ja) >= cfg.joint_prune * float(np.abs(Ja[live]).mean())
        keep = np.any(Wa != 0, axis=1) | (np.bincount(entry_row[live], minlength=n) > 0)
        if cfg.position_prune > 0 and not cfg.joint and keep.any():
            magnitude = np.abs(Wa).max(axis=1)
            keep &= magnitude >= cfg.position_prune * float(magnitude[keep].mean())
        new_row = np.cumsum(keep) - 1
        kept_entries = live & keep[entry_row]
        indptr = np.zeros(int(keep.sum()) + 1, dtype=np.int64)
        np.cumsum(np.bincount(new_row[entry_row[kept_entries]], minlength=len(indptr) - 1),
                  out=indptr[1:])
        return Model(tags=self.tags, standard=self.standard_name(0),
                     standards=self.private_standards(),
                     feature_keys=self.feature_keys[keep], weights=Wa[keep],
                     transitions=Ta, lexicon_keys=self.lex_keys, lexicon_flags=self.lex_flags,
                     joint_indptr=indptr, joint_labels=self.jlab[kept_entries],
                     joint_weights=Ja[kept_entries], cand_keys=self.saved_candidates[0],
                     cand_masks=self.saved_candidates[1], class_masks=self.saved_candidates[2],
                     stats_keys=self.stats_keys, stats_values=self.stats_values,
                     lex_max=cfg.lex_max, split_spans=self.split_spans)

    def standard_name(self, criterion: int) -> str:
        names = self.cfg.standards
        return names[criterion] if criterion < len(names) else f"standard{criterion}"

    def private_standards(self) -> dict[str, Standard]:
        """Each other standard's averaged private weights (learn.criteria)."""
        if self.criteria is None or CRITERION_WEIGHTS not in self.updater.states:
            return {}
        W = self.updater.finalized(CRITERION_WEIGHTS, self.criteria.W)
        return {self.standard_name(c): Standard(keys, weights.astype(np.float32),
                                                *self.standard_facts(c))
                for c, (keys, weights) in self.criteria.deltas(W).items()}

    def standard_facts(self, c: int) -> tuple:
        """What standard c's Standard holds besides its weights, found once (each
        epoch's model asks): the span kinds its corpus splits, its meta, and a
        joint model's tag dictionary in it, the labels its corpus's words and the
        main corpus's take."""
        if c not in self._facts:
            ids = [j for j, s in enumerate(self.sents) if s.criterion == c]
            corpus = [self.sents[j] for j in ids]
            candidates = None
            if self.cfg.joint:
                both = self.main + ids
                candidates = label_candidates([self.sents[j] for j in both],
                                              [self.golds[j] for j in both],
                                              self.labels.size, self.cfg.cand_min_count)
            self._facts[c] = (split_kinds(corpus), {"train_sentences": len(corpus)}, candidates)
        return self._facts[c]

    def score_dev(self, model: Model, msg: str) -> tuple[float, str]:
        """(the F that picks the best epoch, msg with the dev scores)."""
        joint = self.cfg.joint
        s = evaluate_model(model, self.dev, joint=joint)
        msg += f", dev F {100 * s.f:.2f}" + (f" joint F {100 * s.f_joint:.2f}" if joint else "")
        self.dev_word_f.append(round(100 * s.f, 2))  # the word F too, for hanlex info
        return (s.f_joint if joint else s.f), msg

    def describe(self, model: Model, meta: dict | None, epoch: int, f: float,
                 history: list[float]) -> None:
        """Record in model.meta how the model was trained."""
        cfg = self.cfg
        model.meta = dict(meta or {}, best_epoch=epoch, epochs=cfg.epochs,
                          optimizer=cfg.optimizer, min_count=cfg.min_count, folds=cfg.folds,
                          seed=cfg.seed, dev_history=history,
                          train_sentences=len(self.sents),
                          train_sha256=corpus_digest(self.sents))
        if self.dev:
            model.meta["dev_f"] = round(100 * f, 2)
            if cfg.joint:  # dev_f is the joint word+tag F then
                model.meta["dev_word_f"] = self.dev_word_f[epoch - 1]
        if self.raw:
            model.meta.update(raw_sentences=len(self.raw), raw_ratio=cfg.raw_ratio)
        if len(self.stats_keys):
            model.meta.update(raw_stats_bigrams=len(self.stats_keys))
        if self.lexicon:  # the words the lexicon features can use (one character is no match)
            model.meta.update(lexicon_words=len({w for w in self.lexicon if len(w) >= 2}))
        if cfg.dropped_templates:
            model.meta.update(dropped_templates=[TEMPLATES[t] for t in cfg.dropped_templates])
