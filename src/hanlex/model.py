"""Model files: a versioned JSON header followed by raw, aligned numpy arrays.

Layout (all integers little-endian):

    8 bytes   magic  b"HANLEXM\\0"
    4 bytes   format version (uint32)
    4 bytes   header length H (uint32)
    H bytes   UTF-8 JSON header: {"format_version", "config", "meta",
              "arrays": {name: {"dtype", "shape", "offset", "nbytes", "crc32"}}}
    ...       each array's bytes at its offset (64-byte aligned)

A model may embed a *segmenter*: a second, segmentation-only model (its
arrays named "segmenter/<name>", its config and meta under "segmenter" in the
header) that `cut` uses because it decodes several times faster than the
joint model. Weights are stored in half precision (the decoders widen them
exactly to float32; rounding moved no PKU/PD score by 0.01 F).

Version 2 (half-precision weights, 32-bit joint pointers, segmenter) reads
no version 1 files: retrain those.

No pickle, no code: loading a model can only ever produce arrays and JSON.
Arrays are memory-mapped, so loading is cheap and processes share pages.
"""
from __future__ import annotations

import json
import mmap
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .features import STAT_BUCKETS
from .files import open_problem
from .labels import LabelSet
from .pretokenize import CLOSED

MAGIC = b"HANLEXM\0"
FORMAT_VERSION = 2
_ALIGN = 64
_PREFIX = 16

REQUIRED_ARRAYS = ("feature_keys", "weights", "joint_indptr", "joint_labels", "joint_weights",
                   "transitions", "lexicon_keys", "lexicon_flags", "cand_keys", "cand_masks",
                   "class_masks")
OPTIONAL_ARRAYS = ("stats_keys", "stats_values")  # absent in models without raw statistics
_DTYPES = {"stats_keys": "<u8", "stats_values": "<i4", "feature_keys": "<u8", "weights": "<f2",
           "joint_indptr": "<i4", "joint_labels": "u1", "joint_weights": "<f2", "transitions": "<f4", "lexicon_keys": "<u8",
           "lexicon_flags": "<i4", "cand_keys": "<u8", "cand_masks": "<u8", "class_masks": "<u8"}
SEGMENTER = "segmenter/"  # name prefix of the embedded segmenter's arrays
HALF_MAX = 32768.0  # weights are scaled down by powers of 2 below this (float16 tops at 65504)
N_CLASSES = 9
MASK_WORDS = 4


def all_labels_masks(L: int, rows: int) -> np.ndarray:
    """Label bitsets (rows x MASK_WORDS uint64) allowing every one of L labels."""
    m = np.zeros((rows, MASK_WORDS), dtype=np.uint64)
    for l in range(L):
        m[:, l >> 6] |= np.uint64(1) << np.uint64(l & 63)
    return m


class ModelFormatError(ValueError):
    """A model file is missing, truncated, corrupt or of another version."""


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
    #: closed span kinds (pretokenize.CLOSED) this model's training standard
    #: does not keep whole, so decoding leaves them to the model
    split_spans: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    path: str | None = None
    #: a segmentation-only model that `cut` uses instead (see the module docstring)
    segmenter: "Model | None" = None

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
        if self.weights.dtype == np.float16 and self.joint_weights.dtype == np.float16:
            return
        top = max(float(np.abs(a).max()) if a.size else 0.0
                  for a in (self.weights, self.joint_weights, self.transitions))
        scale = 1.0
        while top * scale >= HALF_MAX:
            scale /= 2
        self.weights = (self.weights * scale).astype(np.float16)
        self.joint_weights = (self.joint_weights * scale).astype(np.float16)
        self.transitions = (self.transitions * scale).astype(np.float32)

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
        return config

    # ------------------------------------------------------------ saving
    def _arrays(self, prefix: str = "") -> dict[str, np.ndarray]:
        names = REQUIRED_ARRAYS + (OPTIONAL_ARRAYS if len(self.stats_keys) else ())
        out = {prefix + name: np.ascontiguousarray(getattr(self, name), dtype=_DTYPES[name])
               for name in names}
        if not len(self.joint_labels):  # no joint weights: no pointers either
            out[prefix + "joint_indptr"] = out[prefix + "joint_indptr"][:0]
        return out

    def to_bytes(self) -> bytes:
        arrays = self._arrays()
        if self.segmenter is not None:
            arrays.update(self.segmenter._arrays(SEGMENTER))
        specs: dict[str, dict[str, Any]] = {}
        offset = 0
        for name, a in arrays.items():
            specs[name] = {"dtype": a.dtype.str, "shape": list(a.shape), "offset": offset,
                           "nbytes": a.nbytes, "crc32": zlib.crc32(a.data)}
            offset += -(-a.nbytes // _ALIGN) * _ALIGN
        header = {"format_version": FORMAT_VERSION, "config": self.config(),
                  "meta": self.meta, "arrays": specs, "data_bytes": offset}
        if self.segmenter is not None:
            header["segmenter"] = {"config": self.segmenter.config(), "meta": self.segmenter.meta}
        hbytes = json.dumps(header, sort_keys=True, ensure_ascii=False).encode("utf-8")
        data_start = -(-(_PREFIX + len(hbytes)) // _ALIGN) * _ALIGN
        buf = bytearray(data_start + offset)
        buf[0:8] = MAGIC
        buf[8:12] = FORMAT_VERSION.to_bytes(4, "little")
        buf[12:16] = len(hbytes).to_bytes(4, "little")
        buf[16:16 + len(hbytes)] = hbytes
        for name, a in arrays.items():
            start = data_start + specs[name]["offset"]
            buf[start:start + a.nbytes] = a.tobytes()
        return bytes(buf)

    def save(self, path: str | os.PathLike) -> None:
        """Write atomically: a crash never leaves a half-written model behind."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(self.to_bytes())
        os.replace(tmp, path)

    # ------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: str | os.PathLike, verify: bool = True) -> "Model":
        path = os.fspath(path)
        try:
            with open(path, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                if size == 0:
                    raise ModelFormatError(f"model file {path} is empty")
                buf: Any = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except OSError as e:
            raise ModelFormatError("model file " + open_problem(path, e)) from None
        model = cls.from_buffer(buf, source=path, verify=verify)
        model.path = path
        return model

    @classmethod
    def from_bytes(cls, data: bytes, verify: bool = True) -> "Model":
        return cls.from_buffer(data, source="<bytes>", verify=verify)

    @classmethod
    def from_buffer(cls, buf: Any, source: str, verify: bool = True) -> "Model":
        size = len(buf)
        if size < _PREFIX or bytes(buf[0:8]) != MAGIC:
            raise ModelFormatError(f"{source} is not a hanlex model file (bad magic bytes)")
        version = int.from_bytes(buf[8:12], "little")
        if version != FORMAT_VERSION:
            raise ModelFormatError(
                f"{source} has model format version {version}, but this hanlex reads version "
                f"{FORMAT_VERSION}; retrain the model or install a matching hanlex")
        hlen = int.from_bytes(buf[12:16], "little")
        if _PREFIX + hlen > size:
            raise ModelFormatError(f"{source} is truncated (header cut off)")
        try:
            header = json.loads(bytes(buf[_PREFIX:_PREFIX + hlen]).decode("utf-8"))
            specs = header["arrays"]
            config = header["config"]
            data_start = -(-(_PREFIX + hlen) // _ALIGN) * _ALIGN
            expected = data_start + int(header["data_bytes"])
            if size < expected:
                raise ModelFormatError(f"{source} is truncated ({size} bytes, expected {expected}); "
                                       "re-copy or retrain the model")
            if size > expected:
                raise ModelFormatError(f"{source} is corrupt ({size - expected} unexpected bytes "
                                       "after the model data)")
            parts = [("", config, header.get("meta", {}))]
            if "segmenter" in header:
                sub = header["segmenter"]
                parts.append((SEGMENTER, sub["config"], sub.get("meta", {})))
            models = [cls._read_part(buf, source, specs, data_start, size, verify, *part)
                      for part in parts]
        except ModelFormatError:
            raise
        except Exception as e:  # anything a damaged header can make go wrong
            raise ModelFormatError(f"{source} is corrupt (bad header: {type(e).__name__})") from None
        if len(models) > 1:
            if models[1].joint:
                raise ModelFormatError(f"{source} is corrupt (its segmenter has POS tags)")
            models[0].segmenter = models[1]
        return models[0]

    @classmethod
    def _read_part(cls, buf: Any, source: str, specs: dict, data_start: int, size: int,
                   verify: bool, prefix: str, config: dict, meta: dict) -> "Model":
        """One model's arrays (names prefixed by `prefix`), checked to fit together."""
        try:
            arrays = {}
            for name in REQUIRED_ARRAYS + tuple(n for n in OPTIONAL_ARRAYS if prefix + n in specs):
                spec = specs[prefix + name]
                dtype = np.dtype(_DTYPES[name])  # never a dtype string from the file
                if spec["dtype"] != dtype.str:
                    raise ModelFormatError(f"{source} is corrupt (array {prefix}{name} has type "
                                           f"{str(spec['dtype'])[:20]!r}, expected {dtype.str})")
                shape = tuple(int(x) for x in spec["shape"])
                if any(x < 0 or x > 1 << 40 for x in shape):
                    raise ModelFormatError(f"{source} is corrupt (array {prefix}{name} has a bad shape)")
                start = data_start + int(spec["offset"])
                nbytes = int(spec["nbytes"])
                if nbytes != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
                    raise ModelFormatError(f"{source} is corrupt (array {prefix}{name} has a bad size)")
                if start + nbytes > size:
                    raise ModelFormatError(
                        f"{source} is truncated ({size} bytes, array {prefix}{name} needs "
                        f"{start + nbytes}); re-copy or retrain the model")
                a = np.frombuffer(buf, dtype=dtype, count=nbytes // dtype.itemsize,
                                  offset=start).reshape(shape)
                if verify and zlib.crc32(a.data) != int(spec["crc32"]):
                    raise ModelFormatError(f"{source} is corrupt (checksum of {prefix}{name} differs)")
                arrays[name] = a
            tags = tuple(config["tags"])
            lex_max = int(config["lex_max"])
            split_spans = tuple(str(k) for k in config.get("split_spans", ()))
            if not CLOSED.issuperset(split_spans):
                raise ModelFormatError(f"{source} splits span kinds {list(split_spans)!r}; "
                                       f"this hanlex knows {sorted(CLOSED)}")
            if config.get("templates") not in ("v1", "v2"):
                raise ModelFormatError(f"{source} uses feature templates {config.get('templates')!r}, "
                                       "which this hanlex does not know")
        except ModelFormatError:
            raise
        except Exception as e:  # anything a damaged header can make go wrong
            raise ModelFormatError(f"{source} is corrupt (bad header: {type(e).__name__})") from None
        L = 4 * len(tags)
        if not tags:
            raise ModelFormatError(f"{source} is corrupt (no tags)")
        n = arrays["feature_keys"].shape[0]
        nnz = arrays["joint_labels"].shape[0]
        ptr = arrays["joint_indptr"]
        if nnz == 0 and ptr.shape == (0,):  # stored without pointers
            ptr = arrays["joint_indptr"] = np.zeros(n + 1, dtype=ptr.dtype)
        if (arrays["weights"].shape != (n, 4) or arrays["transitions"].shape != (L + 1, L)
                or arrays["lexicon_keys"].shape != arrays["lexicon_flags"].shape
                or ptr.shape != (n + 1,) or arrays["joint_weights"].shape != (nnz,)
                or arrays["cand_masks"].shape != (len(arrays["cand_keys"]), MASK_WORDS)
                or arrays["class_masks"].shape != (N_CLASSES, MASK_WORDS) or L > 256
                or (n and (ptr[0] != 0 or ptr[-1] != nnz or np.any(np.diff(ptr) < 0)))
                or (nnz and int(arrays["joint_labels"].max()) >= L)
                or ("stats_keys" in arrays) != ("stats_values" in arrays)
                or ("stats_keys" in arrays
                    and arrays["stats_keys"].shape != arrays["stats_values"].shape)):
            raise ModelFormatError(f"{source} is corrupt (array shapes do not fit together)")
        if "stats_values" in arrays and len(arrays["stats_values"]):
            lo, hi = int(arrays["stats_values"].min()), int(arrays["stats_values"].max())
            if lo < 1 or hi >= STAT_BUCKETS:  # training writes 1..STAT_BUCKETS-1 only
                raise ModelFormatError(f"{source} is corrupt (raw-statistics buckets span {lo}..{hi}, "
                                       f"expected 1..{STAT_BUCKETS - 1})")
        return cls(tags=tags, lex_max=lex_max, split_spans=split_spans, meta=meta, **arrays)
