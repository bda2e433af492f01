"""`hanlex train`: a model from a segmented (or tagged) corpus, optionally with
raw text, word lists and an embedded fast segmenter (learn.recipes)."""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace

from ..errors import ConfigError
from ..io.corpus import read_corpus
from ..io.encoding import checked_encoding
from ..learn.rawtext import read_raw
from ..learn.recipes import borrow_tags, train_model
from ..learn.trainer import TrainConfig
from ..lexicon.entries import read_wordlist
from ..model.standards import check_name
from .common import CLIError, check_inputs, check_writable, command, refuse_input_as_output


def add_parser(sub) -> None:
    t = command(sub, "train", "train a model from a segmented corpus")
    t.add_argument("train", metavar="TRAIN", nargs="?",
                   help="one sentence per line; words (or word/TAG) separated by whitespace, "
                   "or CoNLL-U")
    t.add_argument("--name", default="main", metavar="NAME",
                   help="the name of TRAIN's standard (e.g. pku), the one the shared weights "
                   "follow (default: main)")
    t.add_argument("--standard", action="append", default=[], metavar="NAME=CORPUS",
                   help="a training corpus annotated to another standard, e.g. "
                   "weibo=nlpcc-train.txt (repeat for more): the model learns from it what the "
                   "standards share and decodes in any of them (Analyzer(standard=NAME), "
                   "segment --standard NAME); words-only corpora beside a tagged TRAIN are "
                   "tagged by --tags-from MODEL")
    t.add_argument("--default-standard", metavar="NAME",
                   help="the standard the model decodes in unless told (default: TRAIN's)")
    t.add_argument("--dev", help="development corpus: per-epoch F, best epoch kept")
    t.add_argument("-o", "--output", required=True,
                   help="model file to write (only once training has succeeded)")
    t.add_argument("--epochs", type=int, default=10,
                   help="passes over the training data (the best on --dev is kept)")
    t.add_argument("--optimizer", default="perceptron",
                   help="perceptron (averaged), pa, adagrad")
    t.add_argument("--min-count", type=int, default=2, help="drop features seen fewer times")
    t.add_argument("--seed", type=int, default=1, help="seed of the sentence order")
    t.add_argument("--encoding", help="encoding of TRAIN, DEV, raw text and word lists "
                   "(default: utf-8; a byte-order mark always wins)")
    t.add_argument("--force", action="store_true",
                   help="train even on a TRAIN that looks unsegmented (no word separators)")
    t.add_argument("--joint-prune", type=float, default=0.4, metavar="FRACTION",
                   help="drop joint (POS) weights below this fraction of their mean magnitude "
                   "(smaller, faster model; 0 keeps all)")
    t.add_argument("--lexicon", nargs="+", metavar="WORDS", default=[],
                   help="word lists (one word per line) as extra lexicon features: soft "
                   "evidence the model learns to weigh, stored in the model")
    t.add_argument("--raw", nargs="+", metavar="RAW", default=[],
                   help="raw text files (gzip, bz2, xz ok): punctuation gives partial labels (Li & Sun 2009)")
    t.add_argument("--raw-words", nargs="?", const="", metavar="MODEL",
                   help="add the words of all of the --raw text, as MODEL segments it ('default' = "
                   "the shipped model's joint model; without MODEL: a first model trained with the "
                   "same settings), to the lexicon features")
    t.add_argument("--raw-ratio", type=float, default=1.0,
                   help="raw characters learned per labelled character in each epoch")
    t.add_argument("--raw-max-chars", type=int, default=None,
                   help="read at most this many raw characters")
    t.add_argument("--no-raw-labels", action="store_true",
                   help="use raw text for statistics features only, not punctuation labels")
    t.add_argument("--no-raw-stats", action="store_true",
                   help="use raw text for punctuation labels only, not statistics features")
    t.add_argument("--seg-only", action="store_true",
                   help="ignore POS tags of a word/TAG corpus (default: a tagged corpus trains a "
                   "joint segmentation + POS model)")
    t.add_argument("--tags-from", metavar="MODEL",
                   help="TRAIN has words only: tag it (and DEV) with this joint model ('default' = "
                   "the shipped one), keeping its segmentation, and train a joint model")
    t.add_argument("--tagset", choices=("pku", "thulac", "upos"), default="pku",
                   help="with --tags-from: map the borrowed PKU tags (upos: 13 tags instead of 41, "
                   "a faster model with the same segmentation accuracy on Weibo)")
    t.add_argument("--segmenter", action="store_true",
                   help="also train a segmentation-only model and embed it, so that `segment` "
                   "without --pos runs several times faster (joint models only)")
    t.add_argument("--segmenter-prune", type=float, default=0.0, metavar="FRACTION",
                   help="drop the embedded segmenter's features whose largest weight is below "
                   "this fraction of the mean (a smaller file; 0 keeps all)")
    t.add_argument("--uptrain", nargs="+", metavar="RAW", default=[],
                   help="raw text files (gzip, bz2, xz ok) the joint model segments for the segmenter to "
                   "learn from (uptraining)")
    t.add_argument("--uptrain-max-chars", type=int, default=4_000_000,
                   help="read at most this many uptraining characters (default 4000000)")
    t.add_argument("-q", "--quiet", action="store_true", help="print nothing while training")
    t.set_defaults(func=cmd_train)


def cmd_train(args: argparse.Namespace) -> int:
    _find_train(args)
    checked_encoding(args.encoding)
    others = args.standard_files = _standard_files(args)  # {name: corpus}, checked once
    refuse_input_as_output(args.output, [args.train, args.dev, *args.raw, *args.uptrain,
                                         *args.lexicon, *others.values(), args.raw_words,
                                         args.tags_from])
    check_inputs([args.train, args.dev, *args.raw, *args.uptrain, *args.lexicon,
                  *others.values()])
    check_writable(args.output)  # before training, not after hours of it
    log = (lambda s: None) if args.quiet else (lambda s: print(s, file=sys.stderr, flush=True))
    sents, dev = _corpora(args, log)
    joint = not args.seg_only and all(s.tags is not None for s in sents)
    if joint and dev and any(s.tags is None for s in dev):
        raise CLIError(f"{args.dev}: the training corpus is tagged but the dev corpus is not "
                       "(use --seg-only, or a word/TAG dev file)")
    cfg = TrainConfig(epochs=args.epochs, optimizer=args.optimizer, min_count=args.min_count,
                      seed=args.seed, joint=joint, raw_ratio=args.raw_ratio,
                      raw_labels=not args.no_raw_labels, raw_stats=not args.no_raw_stats,
                      joint_prune=args.joint_prune, segmenter_prune=args.segmenter_prune,
                      standards=(args.name, *others))
    enc = args.encoding
    raw = read_raw(args.raw, max_chars=args.raw_max_chars, encoding=enc) if args.raw else []
    lexicon = [w for p in args.lexicon for w in read_wordlist(p, enc)]
    if args.lexicon and not lexicon:
        raise CLIError(f"{', '.join(args.lexicon)}: no words (one word per line expected)")
    if args.raw:
        log(f"{len(raw)} raw sentences with punctuation ({sum(map(len, raw))} characters)")
    if (args.segmenter or args.uptrain) and not joint:
        raise CLIError("--segmenter/--uptrain embed a segmenter in a joint model; train from a "
                       "word/TAG corpus without --seg-only")
    if args.raw_words is not None and not args.raw:
        raise CLIError("--raw-words takes its words from the --raw text; give --raw RAW")
    uptrain = (read_raw(args.uptrain, max_chars=args.uptrain_max_chars,
                        require_punctuation=False, encoding=enc) if args.uptrain else [])
    model = train_model(sents, dev, cfg, raw=raw, lexicon=lexicon,
                        raw_text=lambda: read_raw(args.raw, require_punctuation=False,
                                                  encoding=enc),
                        raw_words_from=args.raw_words, uptrain=uptrain,
                        own_tags=args.own_tags,
                        default_standard=args.default_standard,
                        segmenter=args.segmenter or bool(args.uptrain), meta=_meta(args),
                        log=log)
    if args.uptrain:
        model.segmenter.meta["uptrain_files"] = [os.path.basename(p) for p in args.uptrain]
    try:
        model.save(args.output)
    except OSError as e:
        raise CLIError(f"{args.output}: cannot write model ({e.strerror})") from None
    log(f"wrote {args.output}")
    return 0


def _corpora(args: argparse.Namespace, log):
    """TRAIN (with the --standard corpora, learn.criteria) and DEV, tagged
    by --tags-from if asked."""
    sents = read_corpus(args.train, encoding=args.encoding)
    if not args.force:
        _refuse_unsegmented(args.train, sents)
    dev = read_corpus(args.dev, encoding=args.encoding) if args.dev else []
    others, args.own_tags = _other_standards(args, sents, log)
    if args.tags_from and others:
        if all(s.tags is None for s in sents):
            raise CLIError(f"{args.train}: --tags-from with --standard tags the other "
                           "corpora to match a tagged TRAIN (word/TAG); TRAIN has words only")
        return sents + others, dev
    sents += others
    if not args.tags_from:
        if args.tagset != "pku":
            raise CLIError("--tagset maps the tags --tags-from borrows; it needs --tags-from")
        return sents, dev
    if args.seg_only:
        raise CLIError("--tags-from adds tags to train a joint model; it cannot go with --seg-only")
    if any(s.tags is not None for s in sents):
        raise CLIError(f"{args.train}: already tagged (word/TAG); --tags-from is for a corpus "
                       "of words only")
    return borrow_tags(args.tags_from, args.tagset, sents, dev, log)


def _standard_files(args: argparse.Namespace) -> dict[str, str]:
    """{name: corpus} of the --standard options, in order; names checked."""
    out: dict[str, str] = {}
    for item in args.standard:
        name, sep, path = item.partition("=")
        if not sep or not path:
            raise CLIError(f"--standard {item}: give NAME=CORPUS, e.g. --standard weibo=train.txt")
        try:
            check_name(name)
        except ConfigError as e:
            raise CLIError(f"--standard {item}: {e}") from None
        if name in out or name == args.name:
            raise CLIError(f"--standard {item}: the standard {name!r} is named twice")
        out[name] = path
    check_name(args.name)
    if args.default_standard and args.default_standard not in (args.name, *out):
        raise CLIError(f"--default-standard {args.default_standard}: not one of the standards "
                       f"trained ({', '.join([args.name, *out])})")
    return out


def _other_standards(args: argparse.Namespace, sents, log) -> tuple[list, dict]:
    """The --standard corpora, criterion 1, 2, ... in order; words-only ones
    beside a tagged TRAIN tagged by --tags-from (their segmentation kept). A
    corpus tagged in another tagset (UPOS beside PKU) is tagged so too, and its
    own tags, {name: their lists}, are learned by its standard's retagger."""
    out, own_tags = [], {}
    tagged = bool(sents) and all(s.tags is not None for s in sents)
    train_tags = {t for s in sents for t in s.tags} if tagged else set()
    for criterion, (name, path) in enumerate(args.standard_files.items(), 1):
        corpus = read_corpus(path, encoding=args.encoding)
        if not args.force:
            _refuse_unsegmented(path, corpus)
        if (tagged and not args.seg_only and corpus and all(s.tags is not None for s in corpus)
                and not {t for s in corpus for t in s.tags} <= train_tags):
            own_tags[name] = [s.tags for s in corpus]
            corpus = [replace(s, tags=None) for s in corpus]
        if tagged and not args.seg_only and any(s.tags is None for s in corpus):
            if not args.tags_from:
                raise CLIError(f"{path}: words only, beside a tagged TRAIN: give --tags-from "
                               "MODEL (e.g. 'default') to tag it, or --seg-only")
            corpus, _ = borrow_tags(args.tags_from, args.tagset, corpus, [], log)
        out += [replace(s, criterion=criterion) for s in corpus]
        log(f"{path}: {len(corpus)} sentences of standard {name!r} (criterion {criterion})"
            + (", its own tags learned by a retagger" if name in own_tags else ""))
    return out, own_tags


def _find_train(args: argparse.Namespace) -> None:
    """TRAIN, when an option taking several files swallowed it (`--raw r.txt
    train.txt -o m.hlx`): the last file of the one such option that took two or
    more; said on stderr, and an error saying why when it cannot be told."""
    if args.train is not None:
        return
    greedy = [o for o in ("raw", "uptrain", "lexicon")
              if len(getattr(args, o)) >= 2]
    if len(greedy) != 1:
        raise CLIError("TRAIN is missing: give the training corpus before the options, e.g. "
                       "hanlex train TRAIN -o MODEL --raw RAW...")
    files = getattr(args, greedy[0])
    args.train = files.pop()
    option = "--" + greedy[0].replace("_", "-")
    print(f"hanlex: reading {args.train} as TRAIN ({option} takes the files before it: "
          f"{' '.join(files)})", file=sys.stderr)


def _refuse_unsegmented(path: str, sents) -> None:
    """A corpus whose lines are single unbroken tokens is raw text: a model
    trained on it would output whole lines."""
    if not sents:
        return
    single = sum(len(s.words) == 1 for s in sents)
    chars = sum(len(s.text) for s in sents) / len(sents)
    if single >= 0.9 * len(sents) and chars >= 5:
        raise CLIError(f"{path}: {100 * single // len(sents)}% of its lines are one unbroken "
                       f"token (on average {chars:.0f} characters): it looks like raw text, "
                       "not words separated by spaces; pass it as --raw, or give --force to "
                       "train on it anyway")


def _meta(args: argparse.Namespace) -> dict:
    """What the model records about the files it was trained from."""
    meta = {"train_file": os.path.basename(args.train),
            "dev_file": os.path.basename(args.dev) if args.dev else None}
    if args.tags_from:
        meta["tags_from"] = os.path.basename(args.tags_from)  # 'default' stays 'default'
        meta["tags_tagset"] = args.tagset
    if args.standard:
        meta["standard_files"] = {name: os.path.basename(p)
                                  for name, p in args.standard_files.items()}
    if args.lexicon:
        meta["lexicon_files"] = [os.path.basename(p) for p in args.lexicon]
    if args.raw:
        meta["raw_files"] = [os.path.basename(p) for p in args.raw]
    return meta
