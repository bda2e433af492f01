"""`hanlex info`: what a model contains and how it was trained."""
from __future__ import annotations

import argparse
import os

from ..model.model import Model, default_model_path
from ..thulac import PREFIX as THULAC
from ..thulac import ThulacModel
from .common import command


def add_parser(sub) -> None:
    i = command(sub, "info", "describe a model")
    i.add_argument("--model", help="model file (default: the shipped model), or thulac:DIR")
    i.set_defaults(func=cmd_info)


def cmd_info(args: argparse.Namespace) -> int:
    path = args.model or str(default_model_path())
    m = ThulacModel.from_directory(path) if path.startswith(THULAC) else Model.load(path)
    if isinstance(m, ThulacModel):
        return thulac_info(path, m)
    size = os.path.getsize(path)
    print(f"model\t{path}")
    print(f"size\t{size} bytes")
    print(f"tags\t{' '.join(t for t in m.tags if t) or '(segmentation only)'}")
    print(f"labels\t{4 * len(m.tags)}")
    print(f"features\t{len(m.feature_keys)}")
    print(f"lexicon keys\t{len(m.lexicon_keys)}")
    if m.split_spans:  # the corpus standard splits these (see pretokenize.split_kinds)
        print(f"split spans\t{' '.join(m.split_spans)}")
    for k in sorted(m.meta):
        print(f"{k}\t{m.meta[k]}")
    if m.segmenter is not None:
        seg = m.segmenter
        print(f"segmenter features\t{len(seg.feature_keys)}")
        print(f"segmenter lexicon keys\t{len(seg.lexicon_keys)}")
        for k in sorted(seg.meta):
            print(f"segmenter {k}\t{seg.meta[k]}")
    return 0


def thulac_info(path: str, m: ThulacModel) -> int:
    print(f"model\t{path}")
    print("engine\tthulac (analysed as THULAC's Python package does)")
    print(f"tags\t{' '.join(t for t in m.tags if t)}")
    for name in ("segmenter", "tagger"):
        d = getattr(m, name)
        if d is not None:
            print(f"{name} labels\t{len(d.lines)}")
            print(f"{name} features\t{d.weights.shape[0]}")
    return 0
