"""Which arrays a Model stores in a model file (model/fileformat.py), and
the checks that they fit together when read back."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._core.constants import MASK_WORDS, N_CLASSES, STAT_BUCKETS
from .._numpy import np
from ..errors import ModelFormatError
from ..pretokenize.patterns import CLOSED
from . import fileformat
from .retag import Retagger
from .standards import NAME, Standard

if TYPE_CHECKING:
    from .model import Model

REQUIRED_ARRAYS = ("feature_keys", "weights", "joint_indptr", "joint_labels", "joint_weights",
                   "transitions", "lexicon_keys", "lexicon_flags", "cand_keys", "cand_masks",
                   "class_masks")
OPTIONAL_ARRAYS = ("stats_keys", "stats_values")  # absent in models without raw statistics
DTYPES = {"stats_keys": "<u8", "stats_values": "<i4", "feature_keys": "<u8", "weights": "<f2",
          "joint_indptr": "<i4", "joint_labels": "u1", "joint_weights": "<f2",
          "transitions": "<f4", "lexicon_keys": "<u8", "lexicon_flags": "<i4",
          "cand_keys": "<u8", "cand_masks": "<u8", "class_masks": "<u8"}
SEGMENTER = "segmenter/"  # name prefix of the embedded segmenter's arrays
READY = "ready/"  # name prefix of the decoder's tables, stored ready (ReadyTables)
#: a ready standard's arrays: the segmenter's half table (RegroupedTable.stored), its
#: transitions and which are allowed (Weights.for_half_table)
READY_TABLE = {"hslots": "<u8", "hpairs": "<u8", "uni": "<f4", "lexc": "<f4", "cwin": "<u2",
               "uni_chars": "<i4", "dense": "<f4", "bias": "<f4", "transitions": "<f4",
               "allowed": "|u1"}
#: the ready lexicon index (HashIndex.stored), one for every standard
READY_LEXICON = {"slots": "<u8", "word_starts": "|u1", "known": "<u8"}
STANDARDS = "standards/"  # name prefix of a standard's private weights (model.standards)
CANDIDATES = ("cand_keys", "cand_masks", "class_masks")  # a tag dictionary's arrays


def model_arrays(model: "Model", prefix: str = "") -> dict[str, np.ndarray]:
    """The arrays of `model` as stored, names prefixed by `prefix`."""
    names = REQUIRED_ARRAYS + (OPTIONAL_ARRAYS if len(model.stats_keys) else ())
    out = {prefix + name: np.ascontiguousarray(getattr(model, name), dtype=DTYPES[name])
           for name in names}
    if not len(model.joint_labels):  # no joint weights: no pointers either
        out[prefix + "joint_indptr"] = out[prefix + "joint_indptr"][:0]
    for name, own in model.standards.items():
        out[f"{prefix}{STANDARDS}{name}/keys"] = np.ascontiguousarray(own.keys, dtype="<u8")
        out[f"{prefix}{STANDARDS}{name}/weights"] = np.ascontiguousarray(own.weights, dtype="<f2")
        if own.candidates is not None:
            for array, field in zip(own.candidates, CANDIDATES):
                out[f"{prefix}{STANDARDS}{name}/{field}"] = np.ascontiguousarray(
                    array, dtype=DTYPES[field])
        if own.retagger is not None:
            at = f"{prefix}{STANDARDS}{name}/retag_"
            out.update({at + k: v for k, v in _sparse(own.retagger).items()})
    return out


def _sparse(r: Retagger) -> dict[str, np.ndarray]:
    """A retagger's weights as stored: a feature's nonzero weights only (about
    a fifth of them), as in the joint weights."""
    rows, cols = np.nonzero(r.weights)
    indptr = np.zeros(len(r.keys) + 1, dtype="<i4")
    np.cumsum(np.bincount(rows, minlength=len(r.keys)), out=indptr[1:])
    return {"keys": np.ascontiguousarray(r.keys, dtype="<u8"), "indptr": indptr,
            "tags": cols.astype("u1"),
            "values": np.ascontiguousarray(r.weights[rows, cols], dtype="<f2")}


def _dense(f: fileformat.ModelFile, at: str, tags: tuple[str, ...]) -> Retagger:
    """A stored retagger (see _sparse), checked."""
    keys, indptr = f.array(at + "keys", "<u8"), f.array(at + "indptr", "<i4")
    cols, values = f.array(at + "tags", "u1"), f.array(at + "values", "<f2")
    n, nnz = len(keys), len(values)
    if (indptr.shape != (n + 1,) or cols.shape != (nnz,) or (n and (indptr[0] != 0 or indptr[-1] != nnz))
            or np.any(np.diff(indptr) < 0) or (nnz and int(cols.max()) >= len(tags))):
        raise ModelFormatError(f"{f.source} is corrupt (a retagger's arrays do not fit together)")
    weights = np.zeros((n, len(tags)), dtype=np.float16)
    weights[np.repeat(np.arange(n), np.diff(indptr)), cols] = values
    return Retagger(tags, keys, weights)


class ReadyTables:
    """The tables `cut` decodes with, stored in the layout the decoder reads
    (the segmenter's half table in a standard, and its lexicon index), read on
    request: a process that only tags never touches them. Written for the
    model's default standard (each standard's table is ~30 MB); the others are
    built at load."""

    def __init__(self, f: fileformat.ModelFile, about: dict):
        with f.reading_header():
            self.f = f
            self.standards = {str(k): int(v["features"]) for k, v in about["standards"].items()}
            self.lexicon_size = int(about["lexicon"]["size"])
            self.lex_max = int(about["lex_max"])

    def arrays(self, standard: str) -> dict[str, memoryview] | None:
        """The standard's stored arrays (names as READY_TABLE's, the lexicon's
        prefixed "lexicon_") as views of the file, checked against it (no numpy);
        None if it has none."""
        if standard not in self.standards:
            return None
        f = self.f
        out = {name: f.view(f"{READY}{standard}/{name}", dtype)
               for name, dtype in READY_TABLE.items()}
        out.update({"lexicon_" + name: f.view(f"{READY}lexicon/{name}", dtype)
                    for name, dtype in READY_LEXICON.items()})
        return out


def ready_arrays(tables: dict[str, dict[str, np.ndarray]], lexicon: dict[str, np.ndarray],
                 sizes: dict[str, int], lexicon_size: int, lex_max: int
                 ) -> tuple[dict, dict[str, np.ndarray]]:
    """(the header's "ready" entry, the arrays as stored) of ready tables: per
    standard its half table's arrays and feature count, and the lexicon index."""
    arrays = {f"{READY}{name}/{k}": np.ascontiguousarray(a, dtype=READY_TABLE[k])
              for name, table in tables.items() for k, a in table.items()}
    arrays.update({f"{READY}lexicon/{k}": np.ascontiguousarray(a, dtype=READY_LEXICON[k])
                   for k, a in lexicon.items()})
    about = {"standards": {name: {"features": n} for name, n in sizes.items()},
             "lexicon": {"size": lexicon_size}, "lex_max": lex_max}
    return about, arrays


def to_bytes(model: "Model") -> bytes:
    """The model file's bytes, with the tables `cut` decodes with ready."""
    from ..decoding.tables import ready_tables  # lazy: the file stores the decoder's layout

    arrays, extra = model_arrays(model), {}
    if model.segmenter is not None:
        arrays.update(model_arrays(model.segmenter, SEGMENTER))
        extra["segmenter"] = {"config": model.segmenter.config(), "meta": model.segmenter.meta}
    ready = ready_tables(model)
    if ready is not None:
        extra["ready"], more = ready
        arrays.update(more)
    return fileformat.pack(model.config(), model.meta, arrays, extra)


def from_file(cls: "type[Model]", f: fileformat.ModelFile) -> "Model":
    """The Model (of class `cls`) in a model file, with its segmenter if it has one."""
    with f.reading_header():
        parts = [("", f.config, f.meta)]
        if "segmenter" in f.header:
            sub = f.header["segmenter"]
            parts.append((SEGMENTER, sub["config"], sub.get("meta", {})))
    models = [read_part(cls, f, *part) for part in parts]
    if len(models) > 1:
        if models[1].joint:
            raise ModelFormatError(f"{f.source} is corrupt (its segmenter has POS tags)")
        models[0].segmenter = models[1]
    if "ready" in f.header:
        models[0].ready = ReadyTables(f, f.header["ready"])
    return models[0]


def read_part(cls: "type[Model]", f: fileformat.ModelFile, prefix: str, config: dict,
              meta: dict) -> "Model":
    """One model's arrays (names prefixed by `prefix`), checked to fit together."""
    source = f.source
    tags, lex_max, split_spans = part_settings(f, config)
    with f.reading_header():
        arrays = {name: f.array(prefix + name, DTYPES[name])
                  for name in REQUIRED_ARRAYS + OPTIONAL_ARRAYS
                  if name in REQUIRED_ARRAYS or f.has(prefix + name)}
    n = arrays["feature_keys"].shape[0]
    if arrays["joint_labels"].shape[0] == 0 and arrays["joint_indptr"].shape == (0,):
        arrays["joint_indptr"] = np.zeros(n + 1, dtype=np.int32)  # stored without pointers
    if not _fit(arrays, 4 * len(tags)):
        raise ModelFormatError(f"{source} is corrupt (array shapes do not fit together)")
    if "stats_values" in arrays and len(arrays["stats_values"]):
        lo, hi = int(arrays["stats_values"].min()), int(arrays["stats_values"].max())
        if lo < 1 or hi >= STAT_BUCKETS:  # training writes 1..STAT_BUCKETS-1 only
            raise ModelFormatError(f"{source} is corrupt (raw-statistics buckets span {lo}..{hi}, "
                                   f"expected 1..{STAT_BUCKETS - 1})")
    model = cls(tags=tags, lex_max=lex_max, split_spans=split_spans, meta=meta, **arrays)
    model.standard, model.standards, model.default_standard = _standards(f, prefix, config, model)
    return model


def _standards(f: fileformat.ModelFile, prefix: str, config: dict,
               like: "Model") -> tuple[str, dict[str, Standard], str | None]:
    """(the main standard's name, the other standards, the default one) of a
    model part, each standard's arrays checked against its keys."""
    main, others, default = standard_settings(f, config)
    found = {}
    with f.reading_header():
        for name, (spans, own_tags) in others.items():
            about = config["standards"][name]
            at = f"{prefix}{STANDARDS}{name}/"
            candidates = (tuple(f.array(at + field, DTYPES[field]) for field in CANDIDATES)
                          if f.has(at + CANDIDATES[0]) else None)
            retagger = _dense(f, at + "retag_", own_tags) if own_tags is not None else None
            found[name] = Standard(f.array(at + "keys", DTYPES["feature_keys"]),
                                   f.array(at + "weights", DTYPES["weights"]),
                                   spans, dict(about.get("meta", {})), candidates, retagger)
    for name, own in found.items():
        own.check(f.source, name, like)
    return main, found, default


def part_settings(f: fileformat.ModelFile, config: dict) -> tuple[tuple, int, tuple[str, ...]]:
    """(tags, lex_max, split spans) of one model part's header, checked."""
    source = f.source
    with f.reading_header():
        tags = tuple(config["tags"])
        lex_max = int(config["lex_max"])
        split_spans = tuple(str(k) for k in config.get("split_spans", ()))
        if not CLOSED.issuperset(split_spans):
            raise ModelFormatError(f"{source} splits span kinds {list(split_spans)!r}; "
                                   f"this hanlex knows {sorted(CLOSED)}")
        if config.get("templates") not in ("v1", "v2"):
            raise ModelFormatError(f"{source} uses feature templates {config.get('templates')!r}, "
                                   "which this hanlex does not know")
    if not tags:
        raise ModelFormatError(f"{source} is corrupt (no tags)")
    return tags, lex_max, split_spans


def standard_settings(f: fileformat.ModelFile, config: dict
                      ) -> tuple[str, dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]],
                                 str | None]:
    """(the main standard's name, {other standard: (split spans, its own tags or
    None)}, the default standard) of one model part's header, checked."""
    source = f.source
    with f.reading_header():
        main = str(config.get("standard", "main"))
        others = {}
        for name, about in dict(config.get("standards", {})).items():
            spans = tuple(str(k) for k in about.get("split_spans", ()))
            if not CLOSED.issuperset(spans):
                raise ModelFormatError(f"{source} is corrupt (standard {name!r} splits unknown "
                                       "span kinds)")
            others[str(name)] = (spans, tuple(str(t) for t in about["tags"])
                                 if "tags" in about else None)
        default = config.get("default_standard")
        default = None if default is None else str(default)
    for name in [main, *others]:
        if not NAME.fullmatch(name):
            raise ModelFormatError(f"{source} is corrupt (a standard named {name[:40]!r})")
    if default is not None and default != main and default not in others:
        raise ModelFormatError(f"{source} is corrupt (its default standard {str(default)[:40]!r} "
                               "is not one of its standards)")
    return main, others, default


@dataclass(frozen=True)
class Outline:
    """What an engine needs to know of a model before it decodes: its tags,
    standards and parts, from the file's header alone (no arrays, no numpy:
    a process that only cuts from stored tables reads no more), or from a Model."""

    source: str
    tags: tuple[str, ...]
    standard: str  # the main one
    #: every other standard: (the span kinds it splits, its own tags or None)
    standards: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]]
    default_standard: str | None
    split_spans: tuple[str, ...]  # the main standard's
    segmenter: bool
    ready: "ReadyTables | None"

    @property
    def joint(self) -> bool:
        return len(self.tags) > 1 or bool(self.tags[0])

    def split_spans_in(self, standard: str) -> tuple[str, ...]:
        return self.standards[standard][0] if standard in self.standards else self.split_spans

    def tags_in(self, standard: str) -> tuple[str, ...]:
        """The tags words get in `standard` (its own tagset, if it has one)."""
        own = self.standards[standard][1] if standard in self.standards else None
        return own if own is not None and self.joint else self.tags

    @classmethod
    def of_file(cls, f: fileformat.ModelFile) -> "Outline":
        tags, _, split_spans = part_settings(f, f.config)
        main, others, default = standard_settings(f, f.config)
        segmenter = "segmenter" in f.header
        if segmenter:
            with f.reading_header():
                seg_tags = tuple(f.header["segmenter"]["config"]["tags"])
            if len(seg_tags) != 1 or seg_tags[0]:
                raise ModelFormatError(f"{f.source} is corrupt (its segmenter has POS tags)")
        ready = ReadyTables(f, f.header["ready"]) if "ready" in f.header else None
        return cls(f.source, tags, main, others, default, split_spans, segmenter, ready)

    @classmethod
    def of_model(cls, model: "Model") -> "Outline":
        others = {name: (s.split_spans, s.retagger.tags if s.retagger is not None else None)
                  for name, s in model.standards.items()}
        return cls(model.path or "model", tuple(model.tags), model.standard, others,
                   model.default_standard, tuple(model.split_spans),
                   model.segmenter is not None, model.ready)


def _fit(a: dict[str, np.ndarray], L: int) -> bool:
    """Whether one model's arrays fit each other and its L labels."""
    n, nnz, ptr = a["feature_keys"].shape[0], a["joint_labels"].shape[0], a["joint_indptr"]
    if (a["weights"].shape != (n, 4) or a["transitions"].shape != (L + 1, L)
            or a["lexicon_keys"].shape != a["lexicon_flags"].shape
            or ptr.shape != (n + 1,) or a["joint_weights"].shape != (nnz,)
            or a["cand_masks"].shape != (len(a["cand_keys"]), MASK_WORDS)
            or a["class_masks"].shape != (N_CLASSES, MASK_WORDS) or L > 256):
        return False
    if n and (ptr[0] != 0 or ptr[-1] != nnz or np.any(np.diff(ptr) < 0)):
        return False
    if nnz and int(a["joint_labels"].max()) >= L:
        return False
    stats = [name for name in OPTIONAL_ARRAYS if name in a]
    return not stats or (len(stats) == 2 and a["stats_keys"].shape == a["stats_values"].shape)
