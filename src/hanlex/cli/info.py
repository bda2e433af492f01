"""`hanlex info`: what a model contains and how it was trained."""
from __future__ import annotations

import argparse
import os

from ..engine import load_engine
from ..model.model import model_file
from .common import command


def add_parser(sub) -> None:
    i = command(sub, "info", "describe a model")
    i.add_argument("--model", help="model file (default: the shipped model; 'fast': the "
                   "shipped fast tier), or thulac:DIR")
    i.set_defaults(func=cmd_info)


def cmd_info(args: argparse.Namespace) -> int:
    path = model_file(args.model or "default")
    engine = load_engine(path)
    print(f"model\t{path}")
    if os.path.isfile(path):
        print(f"size\t{os.path.getsize(path)} bytes")
    for name, value in engine.describe():
        print(f"{name}\t{value}")
    return 0
