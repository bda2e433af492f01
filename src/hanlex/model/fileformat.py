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
import zlib
from typing import TYPE_CHECKING, Any

import numpy as np

from .._core.constants import MASK_WORDS, N_CLASSES, STAT_BUCKETS
from ..errors import ModelFormatError
from ..text.patterns import CLOSED

if TYPE_CHECKING:
    from .model import Model

MAGIC = b"HANLEXM\0"
FORMAT_VERSION = 2
_ALIGN = 64
_PREFIX = 16

REQUIRED_ARRAYS = ("feature_keys", "weights", "joint_indptr", "joint_labels", "joint_weights",
                   "transitions", "lexicon_keys", "lexicon_flags", "cand_keys", "cand_masks",
                   "class_masks")
OPTIONAL_ARRAYS = ("stats_keys", "stats_values")  # absent in models without raw statistics
DTYPES = {"stats_keys": "<u8", "stats_values": "<i4", "feature_keys": "<u8", "weights": "<f2",
          "joint_indptr": "<i4", "joint_labels": "u1", "joint_weights": "<f2",
          "transitions": "<f4", "lexicon_keys": "<u8", "lexicon_flags": "<i4",
          "cand_keys": "<u8", "cand_masks": "<u8", "class_masks": "<u8"}
SEGMENTER = "segmenter/"  # name prefix of the embedded segmenter's arrays


def model_arrays(model: "Model", prefix: str = "") -> dict[str, np.ndarray]:
    """The arrays of `model` as stored, names prefixed by `prefix`."""
    names = REQUIRED_ARRAYS + (OPTIONAL_ARRAYS if len(model.stats_keys) else ())
    out = {prefix + name: np.ascontiguousarray(getattr(model, name), dtype=DTYPES[name])
           for name in names}
    if not len(model.joint_labels):  # no joint weights: no pointers either
        out[prefix + "joint_indptr"] = out[prefix + "joint_indptr"][:0]
    return out


def to_bytes(model: "Model") -> bytes:
    """The model file's bytes."""
    arrays, extra = model_arrays(model), {}
    if model.segmenter is not None:
        arrays.update(model_arrays(model.segmenter, SEGMENTER))
        extra["segmenter"] = {"config": model.segmenter.config(), "meta": model.segmenter.meta}
    return pack(model.config(), model.meta, arrays, extra)


def pack(config: dict, meta: dict, arrays: dict[str, np.ndarray], extra: dict | None = None
         ) -> bytes:
    """A model file of these arrays and this header (config, meta and `extra`)."""
    arrays = {name: np.ascontiguousarray(a) for name, a in arrays.items()}
    specs: dict[str, dict[str, Any]] = {}
    offset = 0
    for name, a in arrays.items():
        specs[name] = {"dtype": a.dtype.str, "shape": list(a.shape), "offset": offset,
                       "nbytes": a.nbytes, "crc32": zlib.crc32(a.data)}
        offset += -(-a.nbytes // _ALIGN) * _ALIGN
    header = {"format_version": FORMAT_VERSION, "config": config,
              "meta": meta, "arrays": specs, "data_bytes": offset, **(extra or {})}
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


def from_buffer(cls, buf: Any, source: str, verify: bool = True) -> "Model":
    """The Model (of class `cls`) in a model file's bytes; `source` names it in errors."""
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
        if config.get("engine") == "thulac":  # a THULAC model converted (thulac/convert.py)
            from ..thulac.convert import from_file

            def array(name: str, dtype: str) -> np.ndarray:
                return read_array(buf, source, specs, name, np.dtype(dtype), data_start, size,
                                  verify)
            return from_file(config, array, source)
        parts = [("", config, header.get("meta", {}))]
        if "segmenter" in header:
            sub = header["segmenter"]
            parts.append((SEGMENTER, sub["config"], sub.get("meta", {})))
        models = [read_part(cls, buf, source, specs, data_start, size, verify, *part)
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


def checksum(buf: Any, start: int, nbytes: int, step: int = 1 << 22) -> int:
    """crc32 of buf[start:start + nbytes]. Of a memory-mapped file, each step's
    pages are let go once read (they stay in the page cache): checking a model
    would otherwise hold the whole file in memory at once."""
    release = isinstance(buf, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED")
    crc = 0
    with memoryview(buf) as view:
        for off in range(0, nbytes, step):
            end = min(off + step, nbytes)
            crc = zlib.crc32(view[start + off:start + end], crc)
            if release:
                lo = (start + off) // mmap.PAGESIZE * mmap.PAGESIZE
                buf.madvise(mmap.MADV_DONTNEED, lo, start + end - lo)
    return crc


def read_array(buf: Any, source: str, specs: dict, name: str, dtype: np.dtype, data_start: int,
               size: int, verify: bool) -> np.ndarray:
    """Array `name` of a model file, of the type the reader expects (never a
    dtype string from the file), checked against the file's size and checksum."""
    if name not in specs:
        raise ModelFormatError(f"{source} is corrupt (no array {name})")
    spec = specs[name]
    if spec["dtype"] != dtype.str:
        raise ModelFormatError(f"{source} is corrupt (array {name} has type "
                               f"{str(spec['dtype'])[:20]!r}, expected {dtype.str})")
    shape = tuple(int(x) for x in spec["shape"])
    if any(x < 0 or x > 1 << 40 for x in shape):
        raise ModelFormatError(f"{source} is corrupt (array {name} has a bad shape)")
    start = data_start + int(spec["offset"])
    nbytes = int(spec["nbytes"])
    if nbytes != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
        raise ModelFormatError(f"{source} is corrupt (array {name} has a bad size)")
    if start < data_start or start + nbytes > size:
        raise ModelFormatError(f"{source} is truncated ({size} bytes, array {name} needs "
                               f"{start + nbytes}); re-copy or retrain the model")
    a = np.frombuffer(buf, dtype=dtype, count=nbytes // dtype.itemsize, offset=start).reshape(shape)
    if verify and checksum(buf, start, nbytes) != int(spec["crc32"]):
        raise ModelFormatError(f"{source} is corrupt (checksum of {name} differs)")
    return a


def read_part(cls, buf: Any, source: str, specs: dict, data_start: int, size: int,
               verify: bool, prefix: str, config: dict, meta: dict) -> "Model":
    """One model's arrays (names prefixed by `prefix`), checked to fit together."""
    try:
        arrays = {}
        for name in REQUIRED_ARRAYS + tuple(n for n in OPTIONAL_ARRAYS if prefix + n in specs):
            arrays[name] = read_array(buf, source, specs, prefix + name, np.dtype(DTYPES[name]),
                                      data_start, size, verify)
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
