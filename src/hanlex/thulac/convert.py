"""A THULAC model as one hanlex model file (`hanlex convert thulac:DIR -o model.hlx`).

The file is hanlex's container (model/fileformat.py: JSON header, aligned
arrays, checksums, memory-mapped) holding THULAC's arrays as they are: each
model's transitions, feature weights, feature trie and label lines, the three
dictionary tries and the Traditional-to-Simplified table. `Analyzer(path)`
then gives exactly what `Analyzer("thulac:DIR")` gives, from one file, with no
THULAC directory beside it.
"""
from __future__ import annotations

import numpy as np

from ..errors import ModelFormatError
from ..model import fileformat
from .engine import ThulacDecoder, ThulacEngine
from .files import check_labels

FORMAT = 1  # of the THULAC part of the header
_MODELS = ("segmenter", "tagger")
_TRIES = ("places", "idioms", "punctuation")


def to_bytes(model: ThulacEngine) -> bytes:
    arrays, config = {}, {"engine": "thulac", "thulac_format": FORMAT}
    for name in _MODELS:
        decoder = getattr(model, name)
        if decoder is None:
            continue
        config[name] = {"labels": decoder.lines}
        arrays[f"{name}/transitions"] = decoder.transitions.astype("<i4")
        arrays[f"{name}/weights"] = decoder.weights.astype("<i4")
        arrays[f"{name}/dat"] = decoder.dat.astype("<i4")
    for name in _TRIES:
        arrays[name] = getattr(model, name).astype("<i4")
    arrays["t2s"] = np.asarray(model.t2s).astype("<i4")
    return fileformat.pack(config, {"converted_from": model.path}, arrays)


def from_file(f: fileformat.ModelFile) -> ThulacEngine:
    """The ThulacEngine in a converted file (anything a damaged header makes go
    wrong is a ModelFormatError)."""
    with f.reading_header():
        return _engine_of(f)


def _engine_of(f: fileformat.ModelFile) -> ThulacEngine:
    config, array, source = f.config, f.array, f.source
    if config.get("thulac_format") != FORMAT:
        raise ModelFormatError(f"{source}: THULAC part in format {config.get('thulac_format')!r}; "
                               f"this hanlex reads {FORMAT}")
    decoders = {}
    for name in _MODELS:
        if name not in config:
            decoders[name] = None
            continue
        trans = array(f"{name}/transitions", "<i4")
        weights = array(f"{name}/weights", "<i4")
        L = trans.shape[0] if trans.ndim == 2 else -1
        if trans.shape != (L, L) or weights.ndim != 2 or weights.shape[1] != L or L < 1:
            raise ModelFormatError(f"{source} is corrupt (THULAC {name} arrays do not fit)")
        dat = _pairs(array(f"{name}/dat", "<i4"), source)
        lines = check_labels(list(config[name].get("labels", [])), L, source)
        decoders[name] = ThulacDecoder(trans, weights, dat, lines)
    tries = [_pairs(array(name, "<i4"), source) for name in _TRIES]
    t2s = array("t2s", "<i4")
    if t2s.ndim != 2 or t2s.shape[0] != 2:
        raise ModelFormatError(f"{source} is corrupt (THULAC t2s is not two rows)")
    return ThulacEngine(decoders["segmenter"], decoders["tagger"], *tries, t2s, source)


def _pairs(a: np.ndarray, source: str) -> np.ndarray:
    if a.ndim != 2 or a.shape[1] != 2:
        raise ModelFormatError(f"{source} is corrupt (a THULAC trie is not (base, check) pairs)")
    return a
