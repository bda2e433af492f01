"""Model files: a versioned JSON header followed by raw, aligned numpy arrays.

Layout (all integers little-endian):

    8 bytes   magic  b"HANLEXM\\0"
    4 bytes   format version (uint32)
    4 bytes   header length H (uint32)
    H bytes   UTF-8 JSON header: {"format_version", "config", "meta",
              "arrays": {name: {"dtype", "shape", "offset", "nbytes", "crc32"}}}
    ...       each array's bytes at its offset (64-byte aligned)

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

from .labels import LabelSet

MAGIC = b"HANLEXM\0"
FORMAT_VERSION = 1
_ALIGN = 64
_PREFIX = 16

REQUIRED_ARRAYS = ("feature_keys", "weights", "transitions", "lexicon_keys", "lexicon_flags")


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
    weights: np.ndarray  # float32 [n, L]
    transitions: np.ndarray  # float32 [L + 1, L]
    lexicon_keys: np.ndarray  # uint64 [m]: hashes of lexicon words and their prefixes
    lexicon_flags: np.ndarray  # int32 [m]: 1 = is a word, 2 = is a proper prefix
    lex_max: int = 8
    meta: dict[str, Any] = field(default_factory=dict)
    path: str | None = None

    @property
    def labels(self) -> LabelSet:
        return LabelSet(self.tags)

    def config(self) -> dict[str, Any]:
        return {"tags": list(self.tags), "lex_max": self.lex_max, "templates": "v1",
                "normalisation": "fullwidth-ascii-v1"}

    # ------------------------------------------------------------ saving
    def to_bytes(self) -> bytes:
        arrays = {
            "feature_keys": np.ascontiguousarray(self.feature_keys, dtype="<u8"),
            "weights": np.ascontiguousarray(self.weights, dtype="<f4"),
            "transitions": np.ascontiguousarray(self.transitions, dtype="<f4"),
            "lexicon_keys": np.ascontiguousarray(self.lexicon_keys, dtype="<u8"),
            "lexicon_flags": np.ascontiguousarray(self.lexicon_flags, dtype="<i4"),
        }
        specs: dict[str, dict[str, Any]] = {}
        offset = 0
        for name, a in arrays.items():
            specs[name] = {"dtype": a.dtype.str, "shape": list(a.shape), "offset": offset,
                           "nbytes": a.nbytes, "crc32": zlib.crc32(a.data)}
            offset += -(-a.nbytes // _ALIGN) * _ALIGN
        header = {"format_version": FORMAT_VERSION, "config": self.config(),
                  "meta": self.meta, "arrays": specs, "data_bytes": offset}
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
        except FileNotFoundError:
            raise ModelFormatError(f"model file {path} does not exist") from None
        except IsADirectoryError:
            raise ModelFormatError(f"model path {path} is a directory, not a model file") from None
        except PermissionError:
            raise ModelFormatError(f"model file {path} cannot be read (permission denied)") from None
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
            arrays = {}
            for name in REQUIRED_ARRAYS:
                spec = specs[name]
                dtype = np.dtype(spec["dtype"])
                shape = tuple(int(x) for x in spec["shape"])
                start = data_start + int(spec["offset"])
                nbytes = int(spec["nbytes"])
                if nbytes != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
                    raise ModelFormatError(f"{source} is corrupt (array {name} has a bad size)")
                if start + nbytes > size:
                    raise ModelFormatError(
                        f"{source} is truncated ({size} bytes, array {name} needs "
                        f"{start + nbytes}); re-copy or retrain the model")
                a = np.frombuffer(buf, dtype=dtype, count=nbytes // dtype.itemsize,
                                  offset=start).reshape(shape)
                if verify and zlib.crc32(a.data) != int(spec["crc32"]):
                    raise ModelFormatError(f"{source} is corrupt (checksum of {name} differs)")
                arrays[name] = a
            tags = tuple(config["tags"])
            lex_max = int(config["lex_max"])
            if config.get("templates") != "v1":
                raise ModelFormatError(f"{source} uses feature templates {config.get('templates')!r}, "
                                       "which this hanlex does not know")
        except ModelFormatError:
            raise
        except (KeyError, TypeError, ValueError, UnicodeDecodeError) as e:
            raise ModelFormatError(f"{source} is corrupt (bad header: {e})") from None
        L = 4 * len(tags)
        n = arrays["feature_keys"].shape[0]
        if (arrays["weights"].shape != (n, L) or arrays["transitions"].shape != (L + 1, L)
                or arrays["lexicon_keys"].shape != arrays["lexicon_flags"].shape):
            raise ModelFormatError(f"{source} is corrupt (array shapes do not fit together)")
        return cls(tags=tags, lex_max=lex_max, meta=header.get("meta", {}), **arrays)
