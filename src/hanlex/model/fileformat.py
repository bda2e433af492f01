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
exactly to float32; the model rounds its weights when built, so it scores the
same before saving and after loading; DESIGN.md, "Model file").

Version 2 (half-precision weights, 32-bit joint pointers, segmenter) reads
no version 1 files: retrain those. Version 3 adds the tables `cut` decodes
with, in the decoder's own layout ("ready/<name>", model.stored.ReadyTables),
so loading builds nothing and processes share them through the page cache.
A version 2 file still loads (its tables are built at load); saving it again
writes version 3.

No pickle, no code: loading a model can only ever produce arrays and JSON.
Arrays are memory-mapped, so loading is cheap and processes share pages.
"""
from __future__ import annotations

import array
import contextlib
import json
import math
import mmap
import os
import zlib
from typing import Any

from .._numpy import np
from ..errors import ModelFormatError, ModelNotFoundError
from ..io.files import open_problem

MAGIC = b"HANLEXM\0"
FORMAT_VERSION = 3
READS = (2, 3)  # version 3 is 2 with the decoder's tables stored ready (model.stored.READY)
_ALIGN = 64
_PREFIX = 16

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


def is_model_file(path: str) -> bool:
    """Whether the file at `path` starts as a hanlex model file does."""
    try:
        with open(path, "rb") as f:
            return f.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def open_file(path: str, verify: bool = True) -> "ModelFile":
    """A model file on disk, memory-mapped (processes that load it share its pages);
    verify: check each array's checksum as it is read."""
    try:
        with open(path, "rb") as f:
            if os.fstat(f.fileno()).st_size == 0:
                raise ModelFormatError(f"model file {path} is empty")
            buf: Any = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError as e:  # a FileNotFoundError too, with the path
        raise ModelNotFoundError("model file " + open_problem(path, e)) from None
    except OSError as e:
        raise ModelFormatError("model file " + open_problem(path, e)) from None
    return ModelFile(buf, path, verify)


class ModelFile:
    """A model file's header, and its arrays read on request: each checked
    against the file's size, its declared type and (verify) its checksum.
    What the arrays mean is the reader's business (Model, THULAC's convert)."""

    def __init__(self, buf: Any, source: str, verify: bool = True):
        self.buf, self.source, self.verify, self.size = buf, source, verify, len(buf)
        if self.size < _PREFIX or bytes(buf[0:8]) != MAGIC:
            raise ModelFormatError(f"{source} is not a hanlex model file (bad magic bytes)")
        version = int.from_bytes(buf[8:12], "little")
        if version not in READS:
            raise ModelFormatError(
                f"{source} has model format version {version}, but this hanlex reads versions "
                f"{READS[0]} to {READS[-1]}; retrain the model or install a matching hanlex")
        hlen = int.from_bytes(buf[12:16], "little")
        if _PREFIX + hlen > self.size:
            raise ModelFormatError(f"{source} is truncated (header cut off)")
        with self.reading_header():
            self.header = json.loads(bytes(buf[_PREFIX:_PREFIX + hlen]).decode("utf-8"))
            self.specs = self.header["arrays"]
            self.config = self.header["config"]
            self.meta = self.header.get("meta", {})
            self.data_start = -(-(_PREFIX + hlen) // _ALIGN) * _ALIGN
            expected = self.data_start + int(self.header["data_bytes"])
        if self.size < expected:
            raise ModelFormatError(f"{source} is truncated ({self.size} bytes, expected "
                                   f"{expected}); re-copy or retrain the model")
        if self.size > expected:
            raise ModelFormatError(f"{source} is corrupt ({self.size - expected} unexpected "
                                   "bytes after the model data)")

    @property
    def engine(self) -> str:
        """Which engine reads the file: "hanlex", or "thulac" for a converted
        THULAC model."""
        return "thulac" if self.config.get("engine") == "thulac" else "hanlex"

    @contextlib.contextmanager
    def reading_header(self):
        """Anything a damaged header makes go wrong is a ModelFormatError."""
        try:
            yield
        except ModelFormatError:
            raise
        except Exception as e:
            raise ModelFormatError(f"{self.source} is corrupt (bad header: "
                                   f"{type(e).__name__})") from None

    def has(self, name: str) -> bool:
        return name in self.specs

    def array(self, name: str, dtype: str) -> np.ndarray:
        """Array `name`, of the type the reader expects (never a dtype string
        from the file), checked against the file's size and checksum."""
        with self.reading_header():
            return read_array(self, name, np.dtype(dtype))

    def view(self, name: str, dtype: str) -> memoryview | array.array:
        """Array `name` as `array` reads it, checked the same way, as a memoryview
        of the file (no numpy: the tables `cut` reads at a cold start). A
        little-endian machine's own types only (VIEW_FORMATS)."""
        with self.reading_header():
            start, nbytes, shape = checked_place(self, name, dtype, VIEW_FORMATS[dtype][1])
            code = VIEW_FORMATS[dtype][0]
            if nbytes == 0:  # memoryview.cast takes no zero in a shape
                if len(shape) != 1:
                    raise ModelFormatError(f"{self.source} is corrupt (array {name} is empty)")
                return array.array(code)
            with memoryview(self.buf) as whole:
                return whole[start:start + nbytes].cast(code, shape)


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


#: struct codes (and sizes) of the types ModelFile.view reads, by their numpy names
VIEW_FORMATS = {"<u8": ("Q", 8), "<i4": ("i", 4), "<f4": ("f", 4), "<u2": ("H", 2),
                "|u1": ("B", 1)}


def checked_place(f: ModelFile, name: str, dtype: str, itemsize: int
                  ) -> tuple[int, int, tuple[int, ...]]:
    """(start, nbytes, shape) of array `name` of type `dtype` (a numpy type
    string, as numpy writes it: "<u8", "|u1"), checked against the file's size
    and (verify) its checksum."""
    if name not in f.specs:
        raise ModelFormatError(f"{f.source} is corrupt (no array {name})")
    spec = f.specs[name]
    if spec["dtype"] != dtype:
        raise ModelFormatError(f"{f.source} is corrupt (array {name} has type "
                               f"{str(spec['dtype'])[:20]!r}, expected {dtype})")
    shape = tuple(int(x) for x in spec["shape"])
    if any(x < 0 or x > 1 << 40 for x in shape):
        raise ModelFormatError(f"{f.source} is corrupt (array {name} has a bad shape)")
    start = f.data_start + int(spec["offset"])
    nbytes = int(spec["nbytes"])
    if nbytes != math.prod(shape) * itemsize:
        raise ModelFormatError(f"{f.source} is corrupt (array {name} has a bad size)")
    if start < f.data_start or start + nbytes > f.size:
        raise ModelFormatError(f"{f.source} is truncated ({f.size} bytes, array {name} needs "
                               f"{start + nbytes}); re-copy or retrain the model")
    if f.verify and checksum(f.buf, start, nbytes) != int(spec["crc32"]):
        raise ModelFormatError(f"{f.source} is corrupt (checksum of {name} differs)")
    return start, nbytes, shape


def read_array(f: ModelFile, name: str, dtype: np.dtype) -> np.ndarray:
    start, nbytes, shape = checked_place(f, name, dtype.str, dtype.itemsize)
    return np.frombuffer(f.buf, dtype=dtype, count=nbytes // dtype.itemsize,
                         offset=start).reshape(shape)
