"""Person names whole: does each segmenter write a person's name as one word?

    python bench/names.py [--model default] [--standard NAME] [--hanlex-only] [--errors SYSTEM]

Probe: bench/data/names_probe.tsv (its header says how it was built): held-out raw
lines of CCTV news, Weibo hot searches and Zhihu questions (the last lines of the raw
files, which no model build reads), each with the [start, end) offsets of every
person-name occurrence in it, judged by hand. A name is whole when a word of the
output has exactly its offsets. The requirement for hanlex's default standard is
98% or more.

Systems: hanlex `cut` (the segmenter) and the joint model (`tag_many`, its words),
--model and --standard as `hanlex.Analyzer(model, standard=...)`; peers in the same
run with their own default models (jieba, rjieba, pkuseg, thulac), each skipped with
a note when it is not installed. Prints a Markdown table per source and overall;
--errors NAME lists the misses of each system whose row name contains NAME.
"""
from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import commit, default_peers, machine  # noqa: E402

PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "names_probe.tsv")
PEERS = ("jieba", "rjieba", "pkuseg", "thulac")


def read_probe(path: str = PROBE) -> list[tuple[str, str, list[tuple[int, int]]]]:
    """(source, text, name spans) of each probe line; the spans are checked."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            source, text, spans = line.rstrip("\n").split("\t")
            spans = [(a, b) for a, b in json.loads(spans)]
            end = 0
            for a, b in spans:
                assert end <= a < b <= len(text), f"{path}:{n}: bad span {[a, b]}"
                assert not any(c.isspace() for c in text[a:b]), \
                    f"{path}:{n}: span {[a, b]} {text[a:b]!r} holds whitespace"
                end = b
            out.append((source, text, spans))
    return out


def word_spans(text: str, words: list[str]) -> set[tuple[int, int]]:
    """[start, end) of each word in text; words may leave out whitespace only."""
    out, i = set(), 0
    for w in words:
        if not w or w.isspace():
            continue
        j = text.find(w, i)
        if j < 0 or text[i:j].strip():
            raise ValueError(f"output is not the input at {i}: {w!r} in {text!r}")
        out.add((j, j + len(w)))
        i = j + len(w)
    if text[i:].strip():
        raise ValueError(f"output stops at {i}: {text!r}")
    return out


def systems(model: str, standard: str | None, hanlex_only: bool):
    """(row name, segment(texts) -> word lists) of each system."""
    import hanlex
    from hanlex.errors import ConfigError
    from hanlex.model import model_file

    try:
        an = hanlex.Analyzer(model_file(model), standard=standard)
    except ConfigError as e:
        sys.exit(f"--model {model} --standard {standard}: {e}")
    label = f"{model}, standard {an.engine.standard or 'its only one'}"
    yield f"hanlex `cut` ({label})", an.cut_many
    if an.engine.joint:
        yield f"hanlex joint model ({label})", \
            lambda xs: [[w for w, _ in ws] for ws in an.tag_many(xs)]
    else:
        print(f"hanlex joint model: skipped ({model} has no joint model)", file=sys.stderr)
    if hanlex_only:
        return
    here = [p for p in PEERS if importlib.util.find_spec(p) is not None]
    for p in PEERS:
        if p not in here:
            print(f"{p}: skipped (not installed)", file=sys.stderr)
    yield from default_peers(here)


def cell(hits: int, total: int) -> str:
    return f"{100 * hits / total:.1f}% ({hits}/{total})" if total else "-"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="default")
    ap.add_argument("--standard", help="the hanlex standard to write (default: the model's)")
    ap.add_argument("--hanlex-only", action="store_true")
    ap.add_argument("--errors", metavar="SYSTEM", help="list the misses of this system")
    args = ap.parse_args()
    if not os.path.exists(PROBE):
        print(f"bench/names.py: skipped, no probe at {PROBE}")
        return
    probe = read_probe()
    texts = [t for _, t, _ in probe]
    sources = sorted({s for s, _, _ in probe}, key=[s for s, _, _ in probe].index)
    occ = {s: sum(len(sp) for src, _, sp in probe if src == s) for s in sources}
    total = sum(occ.values())
    rows = list(systems(args.model, args.standard, args.hanlex_only))  # load before the table
    print(f"Person names whole: {len(probe)} held-out lines, {total} name occurrences "
          f"of {len({t[a:b] for _, t, sp in probe for a, b in sp})} names "
          f"(bench/data/names_probe.tsv)\n")
    print("| system | " + " | ".join(f"{s} ({occ[s]})" for s in sources) + f" | all ({total}) |")
    print("|---|" + "---|" * (len(sources) + 1))
    for name, segment in rows:
        hits = dict.fromkeys(sources, 0)
        misses = []
        for (source, text, spans), words in zip(probe, segment(texts)):
            got = word_spans(text, list(words))
            for a, b in spans:
                if (a, b) in got:
                    hits[source] += 1
                else:
                    misses.append((text[a:b], " ".join(w for w in words if not w.isspace())))
        print(f"| {name} | " + " | ".join(cell(hits[s], occ[s]) for s in sources)
              + f" | {cell(sum(hits.values()), total)} |", flush=True)
        if args.errors and args.errors in name:
            for word, out in misses:
                print(f"    {name}: {word}: {out}", file=sys.stderr)
    command = " ".join(["python bench/names.py"] + sys.argv[1:])
    print(f"\n`{command}`, {commit()}, {datetime.date.today()}, {machine()}")


if __name__ == "__main__":
    main()
