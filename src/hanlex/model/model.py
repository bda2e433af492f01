"""A trained model: weights, feature index keys, lexicon, tag dictionary.

Which arrays a Model stores is model.stored's business, the file container
model.fileformat's; how it decodes is hanlex.decoding's.
"""
from __future__ import annotations

import mmap
import os
from dataclasses import dataclass, field, replace
from typing import Any

from .._core.constants import MASK_WORDS, N_CLASSES
from .._numpy import np
from ..errors import ModelFormatError
from ..io.files import replaced_atomically
from ..lexicon.compiled import compile_lexicon
from . import fileformat, stored
from .labels import LabelSet
from .standards import Standard, standard_names

HALF_MAX = 32768.0  # weights are scaled down by powers of 2 below this (float16 tops at 65504)


#: the models shipped in the package, by the name that loads them: "fast" is the
#: fast tier (segmentation only, distilled from the default: bench/build_fast.py)
SHIPPED = ("default", "fast")


def shipped_model_path(name: str = "default") -> str:
    """A shipped model's file (a path beside the package's modules rather than
    importlib.resources or pathlib, which a cold start would pay for)."""
    here = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    return os.path.join(here, "data", name + ".hlx")


def default_model_path() -> str:
    """The shipped default model's file."""
    return shipped_model_path("default")


def model_file(name: str) -> str:
    """A model named by the user: a shipped model's name ("default", "fast"; a file
    of that name is "./fast") or a path."""
    return shipped_model_path(name) if name in SHIPPED else name


def all_labels_masks(L: int, rows: int) -> np.ndarray:
    """Label bitsets (rows x MASK_WORDS uint64) allowing every one of L labels."""
    m = np.zeros((rows, MASK_WORDS), dtype=np.uint64)
    for l in range(L):
        m[:, l >> 6] |= np.uint64(1) << np.uint64(l & 63)
    return m


@dataclass
class Model:
    """Everything needed to decode: weights, feature index keys and lexicon.

    `config` describes how features are built (it must match the extractor);
    `meta` records how the model was trained (corpus, epochs, dev score).
    """

    tags: tuple[str, ...]
    feature_keys: np.ndarray  # uint64 [n], sorted
    weights: np.ndarray  # float32 [n, 4]: per feature, a weight per word position B M E S
    transitions: np.ndarray  # float32 [L + 1, L]
    lexicon_keys: np.ndarray  # uint64 [m]: hashes of lexicon words and their prefixes
    lexicon_flags: np.ndarray  # int32 [m]: 1 = is a word, 2 = is a proper prefix
    # Joint (position x tag) weights, sparse: feature r has labels
    # joint_labels[joint_indptr[r]:joint_indptr[r+1]] (ascending) with weights.
    joint_indptr: np.ndarray = None  # type: ignore[assignment]  # int64 [n + 1]
    joint_labels: np.ndarray = None  # type: ignore[assignment]  # uint8 [nnz]
    joint_weights: np.ndarray = None  # type: ignore[assignment]  # float32 [nnz]
    # Tag dictionary for label pruning: known characters' label bitsets, and
    # per character class the bitset used for other characters.
    cand_keys: np.ndarray = None  # type: ignore[assignment]  # uint64 [c]
    cand_masks: np.ndarray = None  # type: ignore[assignment]  # uint64 [c, 4]
    class_masks: np.ndarray = None  # type: ignore[assignment]  # uint64 [9, 4]
    # Raw-text statistics: char-bigram key -> association bucket (empty: none).
    stats_keys: np.ndarray = None  # type: ignore[assignment]  # uint64 [s]
    stats_values: np.ndarray = None  # type: ignore[assignment]  # int32 [s]
    lex_max: int = 8
    #: closed span kinds (pretokenize.patterns.CLOSED) this model's training standard
    #: does not keep whole, so decoding leaves them to the model
    split_spans: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    #: the name of the standard the shared weights decode in (model.standards)
    standard: str = "main"
    #: other standards: private weights added to the shared ones to decode in them
    standards: dict[str, Standard] = field(default_factory=dict)
    #: the standard an Analyzer decodes in unless told (None: `standard`)
    default_standard: str | None = None
    path: str | None = None
    #: a segmentation-only model that `cut` uses instead (see the module docstring)
    segmenter: "Model | None" = None
    #: the tables `cut` decodes with, as the file stores them (model.stored.ReadyTables).
    #: Not an init field, so that every changed copy (dataclasses.replace: other
    #: words, statistics, a standard merged) goes without tables that no longer fit it
    ready: "stored.ReadyTables | None" = field(default=None, init=False, repr=False,
                                               compare=False)

    def __post_init__(self) -> None:
        n, L = len(self.feature_keys), 4 * len(self.tags)
        if self.joint_indptr is None:
            self.joint_indptr = np.zeros(n + 1, dtype=np.int64)
            self.joint_labels = np.zeros(0, dtype=np.uint8)
            self.joint_weights = np.zeros(0, dtype=np.float32)
        if self.stats_keys is None:
            self.stats_keys = np.zeros(0, dtype=np.uint64)
            self.stats_values = np.zeros(0, dtype=np.int32)
        if self.cand_keys is None:
            self.cand_keys = np.zeros(0, dtype=np.uint64)
            self.cand_masks = np.zeros((0, MASK_WORDS), dtype=np.uint64)
            self.class_masks = all_labels_masks(L, N_CLASSES)
        self._to_half_precision()
        if self.segmenter is not None and (self.segmenter.joint or self.segmenter.segmenter):
            raise ValueError("a segmenter must be a plain segmentation-only model")

    def _to_half_precision(self) -> None:
        """Round weights to what the file stores, so a model scores the same
        before saving and after loading. Scaling every score by a power of 2
        keeps float16 in range and changes no decision."""
        own = [s.weights for s in self.standards.values()]
        if (self.weights.dtype == np.float16 and self.joint_weights.dtype == np.float16
                and all(w.dtype == np.float16 for w in own)):
            return

        def top(a: np.ndarray) -> float:
            return float(np.abs(a).max()) if a.size else 0.0
        # a standard's weights are added to the shared ones: their sum must fit too
        highest = max(top(self.weights) + max(map(top, own), default=0.0),
                      top(self.joint_weights), top(self.transitions))
        scale = 1.0
        while highest * scale >= HALF_MAX:
            scale /= 2
        self.weights = (self.weights * scale).astype(np.float16)
        self.joint_weights = (self.joint_weights * scale).astype(np.float16)
        self.transitions = (self.transitions * scale).astype(np.float32)
        for s in self.standards.values():
            s.weights = (s.weights * scale).astype(np.float16)

    @property
    def joint(self) -> bool:
        return len(self.tags) > 1 or bool(self.tags[0])

    @property
    def labels(self) -> LabelSet:
        return LabelSet(self.tags)

    def config(self) -> dict[str, Any]:
        # v2 = v1 plus raw-statistics templates; a v1 reader must not ignore them
        templates = "v2" if len(self.stats_keys) else "v1"
        config = {"tags": list(self.tags), "lex_max": self.lex_max, "templates": templates,
                  "normalisation": "fullwidth-ascii-v1"}
        if self.split_spans:
            config["split_spans"] = list(self.split_spans)
        if self.standards:  # a one-standard model's header stays as it was
            config["standard"] = self.standard
            config["standards"] = {name: _standard_config(s)
                                   for name, s in sorted(self.standards.items())}
        if self.default_standard:
            config["default_standard"] = self.default_standard
        return config

    def describe(self) -> list[tuple[str, str]]:
        """(name, value) lines for `hanlex info`."""
        lines = [("tags", " ".join(t for t in self.tags if t) or "(segmentation only)"),
                 ("labels", str(4 * len(self.tags))),
                 ("features", str(len(self.feature_keys))),
                 ("lexicon keys", str(len(self.lexicon_keys)))]
        if self.split_spans:  # the corpus standard splits these (see pretokenize.plan.split_kinds)
            lines.append(("split spans", " ".join(self.split_spans)))
        default = self.default_standard or self.standard
        lines.append(("standards", " ".join(
            n + (" (default)" if n == default else "") for n in standard_names(self))))
        if self.standards:
            lines += [(f"standard {n}", f"{len(s.keys)} private features")
                      for n, s in sorted(self.standards.items())]
        lines += meta_lines(self.meta, self.joint)
        if self.ready is not None:
            lines.append(("tables stored ready (cut reads them in place)",
                          "standard " + " ".join(sorted(self.ready.standards))))
        if self.segmenter is not None:
            seg = self.segmenter
            lines += [("segmenter features", str(len(seg.feature_keys))),
                      ("segmenter lexicon keys", str(len(seg.lexicon_keys)))]
            lines += [(f"segmenter {k}", v) for k, v in meta_lines(seg.meta, seg.joint)]
        return lines

    def with_words(self, words: "list[str]") -> "Model":
        """This model with `words` added to its lexicon (and its segmenter's): soft
        evidence that its learned lexicon-feature weights score, unlike a user
        dictionary's constraints. Nothing is retrained; the standard is unchanged."""
        keys, flags = compile_lexicon(words, base=(self.lexicon_keys, self.lexicon_flags))
        seg = self.segmenter
        return replace(self, lexicon_keys=keys, lexicon_flags=flags,
                       segmenter=None if seg is None else seg.with_words(words))

    def with_statistics(self, keys: np.ndarray, values: np.ndarray) -> "Model":
        """This model reading a domain's bigram statistics (`keys` sorted, `values` as
        learn.rawtext scores them) in place of its own for those bigrams: its learned
        statistics weights score them, nothing is retrained. A model whose templates
        read no statistics is returned as it is; a segmenter that reads none is
        dropped, so that segmentation goes through the model that reads them."""
        seg = self.segmenter
        if seg is not None:
            seg = (seg.with_statistics(keys, values) if len(seg.stats_keys)
                   else None if len(self.stats_keys) else seg)
        if not len(self.stats_keys):
            return replace(self, segmenter=seg, path=None if seg is not self.segmenter else self.path)
        kept = ~np.isin(self.stats_keys, keys, assume_unique=True)
        merged = np.concatenate((self.stats_keys[kept], keys.astype(np.uint64)))
        order = np.argsort(merged, kind="stable")
        values = np.concatenate((self.stats_values[kept], values.astype(np.int32)))
        # path=None: the file at self.path does not hold these statistics (pickling reads it)
        return replace(self, stats_keys=merged[order], stats_values=values[order], segmenter=seg,
                       path=None)

    # ------------------------------------------------------------ files
    def to_bytes(self) -> bytes:
        return stored.to_bytes(self)

    def save(self, path: str | os.PathLike) -> None:
        """Write atomically: a temporary file beside `path`, renamed into place
        once whole; on any error or interrupt it is removed and `path` keeps
        what it held."""
        with replaced_atomically(path) as f:
            f.write(self.to_bytes())

    @classmethod
    def load(cls, path: str | os.PathLike, verify: bool = True) -> "Model":
        """A model file, memory-mapped (processes that load it share its pages)."""
        return cls.from_file(fileformat.open_file(os.fspath(path), verify))

    @classmethod
    def from_bytes(cls, data: bytes, verify: bool = True) -> "Model":
        return cls.from_file(fileformat.ModelFile(data, "<bytes>", verify))

    @classmethod
    def from_file(cls, f: fileformat.ModelFile) -> "Model":
        """The Model in an opened model file (memory-mapped ones stay mapped)."""
        if f.engine != "hanlex":
            raise ModelFormatError(f"{f.source} holds a {f.engine} model, not a hanlex one; "
                                   "load it with hanlex.Analyzer(path)")
        model = stored.from_file(cls, f)
        if isinstance(f.buf, mmap.mmap):
            model.path = f.source
            model._mapped = f.buf
            if model.segmenter is not None:
                model.segmenter._mapped = f.buf
        return model

    def release_pages(self) -> None:
        """Let go of the memory-mapped file's pages this process has read (they
        stay in the page cache and come back when touched again): a decoder
        calls this once its tables are built, since they hold most of what it
        reads (the arrays it still reads in place fault back in on use). A
        no-op for a model not read from a file."""
        buf = getattr(self, "_mapped", None)
        if buf is not None and hasattr(mmap, "MADV_DONTNEED"):
            buf.madvise(mmap.MADV_DONTNEED)


def _standard_config(s: Standard) -> dict[str, Any]:
    """What a model file's header says of one of its other standards."""
    config: dict[str, Any] = {"split_spans": list(s.split_spans), "meta": s.meta}
    if s.retagger is not None:
        config["tags"] = list(s.retagger.tags)
    return config


#: how `hanlex info` names what training recorded (model.meta); other keys show as they are
META_LABELS = {
    "best_epoch": "best epoch (highest dev F)", "dev_file": "dev file",
    "dev_word_f": "dev word F (of that epoch)", "epochs": "epochs",
    "folds": "lexicon folds (each sentence's words left out of its lexicon)",
    "lexicon_files": "lexicon word lists", "lexicon_words": "lexicon words (2+ characters)",
    "min_count": "min count of a feature", "optimizer": "optimizer", "seed": "random seed",
    "raw_files": "raw text files", "raw_ratio": "raw characters per labelled one, each epoch",
    "raw_sentences": "raw sentences (punctuation partial labels)",
    "raw_stats_bigrams": "raw-text bigram statistics", "raw_words": "raw-text words (lexicon)",
    "raw_words_from": "raw-text words found by", "standard_files": "corpora of other standards",
    "tags_from": "tags of words-only corpora from", "tags_tagset": "their tagset",
    "train_file": "training file", "train_sentences": "training sentences",
    "train_sha256": "training corpus fingerprint (sha256, 16 hex digits)",
    "uptrain_chars": "uptraining raw characters", "uptrain_files": "uptraining raw text files",
    "uptrain_sentences": "uptraining raw sentences", "adapted": "adapted (hanlex adapt)",
    "tag_margin": "tag margin (tagging keeps the word positions scored within it of the best)",
    "tag_margin_dev": "dev word F and word+tag F, tagging pruned by that margin",
    "tag_exact_dev": "dev word F and word+tag F, tagging exactly",
    "dropped_templates": "templates left out", "distilled_from": "distilled from",
    "tier": "tier",
}


def meta_lines(meta: dict, joint: bool) -> list[tuple[str, str]]:
    """(label, value) of each meta entry: every figure says what it is (the dev F of a
    joint model is its word+tag F, a segmenter's its word F)."""
    which = "word+tag F (joint)" if joint else "word F"
    labels = {**META_LABELS, "dev_f": f"dev {which}, which chose the epoch",
              "dev_history": f"dev {which} by epoch"}
    return [(labels.get(k, k), str(meta[k])) for k in sorted(meta)]
