"""Segmentation standards of one model: decoded at the user's choice.

A model trained on corpora of several standards (learn.criteria) has shared
weights, which follow its main standard, and per other standard a sparse set
of private position weights. Decoding in standard s adds s's weights to the
shared ones: `in_standard` builds that as a plain Model once (at load time, not
per character), so every standard decodes on the same paths at the same speed
as a one-standard model.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .._numpy import np
from ..errors import ConfigError, ModelFormatError
from .retag import Retagger

if TYPE_CHECKING:
    from .model import Model

#: what a standard may be called (on the command line, in a file's header)
NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")


def check_name(name: str) -> str:
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ConfigError(f"{name!r} is not a standard name: lower-case letters, digits, "
                          "'-' and '_', starting with a letter (e.g. weibo)")
    return name


@dataclass
class Standard:
    """One other standard's private weights: features (keyed as the shared
    ones, sorted) and a position weight per B M E S to add to theirs."""

    keys: np.ndarray     # uint64 [p], sorted
    weights: np.ndarray  # float16 [p, 4] in the model's scale (float64 while training)
    #: closed span kinds this standard does not keep whole (see Model.split_spans)
    split_spans: tuple[str, ...] = ()
    meta: dict = field(default_factory=dict)
    #: a joint model's tag dictionary in this standard (Model.cand_keys etc.): its
    #: words take labels the main standard's never do (１张/m where 张 is q)
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    #: the standard's own tagset, when its corpus has one (model.retag)
    retagger: Retagger | None = None

    def check(self, source: str, name: str, like: "Model") -> None:
        k = self.keys
        fits = self.weights.shape == (len(k), 4) and (len(k) < 2 or bool(np.all(k[1:] > k[:-1])))
        if self.candidates is not None:
            keys, masks, classes = self.candidates
            fits &= (masks.shape == (len(keys), like.cand_masks.shape[1])
                     and classes.shape == like.class_masks.shape)
        if self.retagger is not None:
            fits &= self.retagger.check()
        if not fits:
            raise ModelFormatError(f"{source} is corrupt (the arrays of standard {name!r} "
                                   "do not fit together)")


def standard_names(model: "Model") -> list[str]:
    """The standards `model` decodes in: its main one first."""
    return [model.standard] + sorted(model.standards)


def check_standard(name: str, names: list[str]) -> None:
    """ConfigError unless `name` is one of a model's standards `names` (its main one first)."""
    if name not in names:
        raise ConfigError(f"this model has no standard {name!r}; it has "
                          f"{', '.join(names)} (hanlex info MODEL lists them)")


def in_standard(model: "Model", name: str | None, joint: bool = True) -> "Model":
    """`model` (and its segmenter) as a plain one-standard Model decoding in
    standard `name` (None: the model's default standard). joint=False merges
    nothing: the Model has the standard's settings but neither the joint model's
    weights nor the segmenter's are merged into it, so it must not decode; the
    segmenter keeps its standards for `segmenter_in` (HanlexEngine merges each part
    when it compiles it, and keeps only the compiled tables: a process that only
    cuts never holds the merged joint weights, ~20 MB, nor the segmenter's, ~14 MB)."""
    name = name or model.default_standard or model.standard
    if name == model.standard:
        seg = model.segmenter
        return replace(model, standards={},
                       segmenter=None if seg is None else replace(seg, standards={}))
    check_standard(name, standard_names(model))
    seg = model.segmenter
    if joint or seg is None:
        merged = _merged(model, name)
        if seg is not None:
            merged.segmenter = segmenter_in(seg, name)
        return merged
    own = model.standards[name]
    return replace(model, standard=name, standards={}, default_standard=None,
                   split_spans=own.split_spans, segmenter=seg,
                   meta=dict(model.meta, standard=name))


def segmenter_in(seg: "Model", name: str) -> "Model":
    """An embedded segmenter decoding in standard `name` (its own weights if it
    has none for that standard)."""
    return _merged(seg, name) if name in seg.standards else replace(seg, standards={})


def _merged(model: "Model", name: str) -> "Model":
    """The shared features plus standard `name`'s private weights, as one Model."""
    own = model.standards[name]
    keys = _union(model.feature_keys, own.keys)
    weights = np.zeros((len(keys), 4), dtype=np.float32)
    shared_rows = np.searchsorted(keys, model.feature_keys)
    weights[shared_rows] = model.weights
    weights[np.searchsorted(keys, own.keys)] += own.weights.astype(np.float32)
    # joint weights stay with their features, which move to their rows in `keys`
    counts = np.zeros(len(keys), dtype=np.int64)
    counts[shared_rows] = np.diff(model.joint_indptr)
    indptr = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    cand_keys, cand_masks, class_masks = own.candidates or (
        model.cand_keys, model.cand_masks, model.class_masks)
    return replace(model, feature_keys=keys, weights=weights.astype(np.float16),
                   joint_indptr=indptr, cand_keys=cand_keys, cand_masks=cand_masks,
                   class_masks=class_masks, standard=name, standards={}, default_standard=None,
                   split_spans=own.split_spans, segmenter=None,
                   meta=dict(model.meta, standard=name))


def _union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The sorted union of two sorted arrays of distinct keys, in linear time
    (np.union1d hashes them all again: ~0.6 s per model at load)."""
    if len(a):
        at = np.searchsorted(a, b).clip(max=len(a) - 1)
        b = b[a[at] != b]
    return np.sort(np.concatenate((a, b)), kind="stable")  # two sorted runs: one merge
