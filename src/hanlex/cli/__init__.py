"""hanlex command line, one module per command: `segment` (with `inputs`
reading files and stdin in bounded memory, `pool` for -j workers, `formats` for
JSONL/CoNLL-U output, `progress`, `distributed` for --engine ray), `train`,
`evaluate` (hanlex eval), `convert`, `info`, `words`, `adapt` and `thulac`
(thulac-words); `common` holds the user's-mistake error and safe outputs.

Errors a user can cause (bad files, bad models, bad arguments: every
HanlexError) print one line `hanlex: error: ...` on stderr and exit with
status 2; never a traceback.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import warnings
from typing import Sequence

from .. import __version__
from ..errors import DictionaryWarning, HanlexError
from . import adapt, convert, evaluate, info, segment, thulac, train, words
from .common import EXIT_USAGE, CLIError

__all__ = ["main", "build_parser", "CLIError"]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hanlex", description="Chinese word segmentation.")
    p.add_argument("--version", action="version", version=f"hanlex {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    for command in (segment, train, evaluate, convert, info, thulac, words, adapt):
        command.add_parser(sub)
    return p


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, met as Ctrl-C is: outputs keep what they held, temporary
    files and folders go, -j workers are ended, one line is printed."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum, frame) -> None:
    raise Stopped(signum)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    stops = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    before = {s: signal.signal(s, _stop) for s in stops}
    try:
        with warnings.catch_warnings():  # hanlex's warnings are one line, as errors are
            warnings.showwarning = _shower(warnings.showwarning)
            return _run(args)
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def _shower(others):
    """showwarning for hanlex's own warnings; other libraries' go to `others`."""
    def show(message, category, filename, lineno, file=None, line=None) -> None:
        if issubclass(category, DictionaryWarning):
            print(f"hanlex: warning: {message}", file=sys.stderr)
        else:
            others(message, category, filename, lineno, file, line)
    return show


def _run(args) -> int:
    try:
        if getattr(args, "epochs", 1) < 1:
            raise CLIError("--epochs must be at least 1")
        if getattr(args, "jobs", 1) == 0:
            args.jobs = os.cpu_count() or 1
        if getattr(args, "jobs", 1) < 0:
            raise CLIError("--jobs must be 0 (all cores) or more")
        return args.func(args)
    except HanlexError as e:
        print(f"hanlex: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except Stopped as e:
        print(f"hanlex: stopped by {signal.Signals(e.signum).name}", file=sys.stderr)
        return 128 + e.signum
    except KeyboardInterrupt:
        print("hanlex: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = None  # type: ignore[assignment]
        except Exception:
            pass
        return 0
    except OSError as e:  # e.g. the disk filled up while writing
        print(f"hanlex: error: {e.filename + ': ' if e.filename else ''}{e.strerror or e}",
              file=sys.stderr)
        return EXIT_USAGE
