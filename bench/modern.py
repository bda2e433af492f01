"""Modern-text probe: do terms of 2015-2026 that People's Daily 1998 never writes come out right?

    python bench/modern.py [--model PATH] [--per-term 2] [--hanlex-only] [--errors SYSTEM]

Terms: bench/data/modern_terms.tsv ('whole': no standard splits it; 'edges': standards
differ inside it, e.g. names). Sentences: up to --per-term sentences of the raw news
(../shared, read at run time, never committed) holding each term, plus
bench/data/modern_sentences.txt (written for this probe, for terms news rarely writes).
A term People's Daily 1998-01 contains is refused. Every occurrence of every term in
every probe sentence is scored (a term inside a longer term or glued to Latin letters
or digits is left to the longer one): both edges word boundaries, and for 'whole'
terms one word. Peers run when importable (jieba, rjieba, pkuseg, thulac).
Prints a Markdown table; --errors NAME lists that system's misses.
"""
from __future__ import annotations

import argparse
import gzip
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import PD, RAW, default_peers, machine  # noqa: E402

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")
_ALNUM = re.compile(r"[A-Za-z0-9]")


def read_terms() -> list[tuple[str, str]]:
    """(term, kind) of the terms file; kind 'not' marks a string that holds a term
    without being it (核糖核酸 holds 核酸)."""
    out = []
    for line in open(os.path.join(HERE, "modern_terms.tsv"), encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            term, kind = line.rstrip("\n").split("\t")
            out.append((term, kind))
    return out


def check_not_in_pd(terms) -> None:
    from hanlex.text.normalize import normalize_text

    text = re.sub(r"/[A-Za-z]+|\[|\][a-z]+|\s+", "", PD.read_text(encoding="utf-8"))
    text = normalize_text(text)
    found = [t for t, kind in terms if kind != "not" and normalize_text(t) in text]
    if found:
        sys.exit(f"bench/data/modern_terms.tsv: People's Daily 1998 contains {found}")


def probe_sentences(terms, per_term: int) -> list[str]:
    """Up to per_term raw-news sentences per term (first found, in file order), then
    the written ones."""
    want = {t: per_term for t, kind in terms if kind != "not"}
    picked: list[str] = []
    seen = set()
    with gzip.open(RAW, "rt", encoding="utf-8") as f:
        for line in f:
            for s in (s for part in line.split() for s in _SENTENCE.findall(part)):
                if not (8 <= len(s) <= 150) or s in seen:
                    continue
                hit = [t for t in want if want[t] and t in s]
                if hit:
                    seen.add(s)
                    picked.append(s)
                    for t in hit:
                        want[t] -= 1
            if not any(want.values()):
                break
    own = [x.strip() for x in open(os.path.join(HERE, "modern_sentences.txt"), encoding="utf-8")
           if x.strip() and not x.startswith("#")]
    return picked + own


def occurrences(sentences, terms) -> list[tuple[int, int, int, str, str]]:
    """(sentence, start, end, term, kind) of every scored occurrence."""
    out = []
    nots = [t for t, kind in terms if kind == "not"]
    for k, s in enumerate(sentences):
        spans = []
        held = [(m.start(), m.end()) for t in nots for m in re.finditer(re.escape(t), s)]
        for term, kind in terms:
            if kind == "not":
                continue
            for m in re.finditer(re.escape(term), s):
                a, b = m.span()
                if (_ALNUM.match(term[0]) and a > 0 and _ALNUM.match(s[a - 1])) or \
                        (_ALNUM.match(term[-1]) and b < len(s) and _ALNUM.match(s[b])):
                    continue  # part of a longer name (运-20B)
                if any(x <= a and b <= y for x, y in held):
                    continue  # not the term (核酸 in 核糖核酸)
                spans.append((a, b, term, kind))
        for a, b, term, kind in spans:
            if any(x <= a and b <= y and (x, y) != (a, b) for x, y, _, _ in spans):
                continue  # inside a longer term (大湾区 in 粤港澳大湾区)
            out.append((k, a, b, term, kind))
    return out


def systems(model, hanlex_only: bool, standard: str | None = None):
    import hanlex

    an = hanlex.Analyzer(model, standard=standard)
    yield "hanlex `cut`", lambda xs: an.cut_many(xs)
    joint = hanlex.Analyzer(model, segmenter=False, standard=standard)
    yield "hanlex joint model", lambda xs: joint.cut_many(xs)
    if hanlex_only:
        return
    yield from default_peers()


def boundaries(words) -> set[int]:
    out, i = {0}, 0
    for w in words:
        i += len(w)
        out.add(i)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--standard", help="the model's standard to decode in (default: its default)")
    ap.add_argument("--per-term", type=int, default=2)
    ap.add_argument("--hanlex-only", action="store_true")
    ap.add_argument("--errors", metavar="SYSTEM", help="list this system's misses")
    args = ap.parse_args()
    terms = read_terms()
    check_not_in_pd(terms)
    sentences = probe_sentences(terms, args.per_term)
    occ = occurrences(sentences, terms)
    scored_terms = {t for _, _, _, t, _ in occ}
    whole_occ = [o for o in occ if o[4] == "whole"]
    print(f"Machine: {machine()}\n\n{len(sentences)} sentences, {len(occ)} occurrences of "
          f"{len(scored_terms)} distinct terms ({len(whole_occ)} occurrences of "
          f"{len({o[3] for o in whole_occ})} terms no standard splits)\n")
    print("| system | both edges right | whole terms one word | all right |\n|---|---|---|---|")
    for name, fn in systems(args.model, args.hanlex_only, args.standard):
        out = fn(sentences)
        for s, ws in zip(sentences, out):
            if "".join(ws) != s:
                sys.exit(f"{name}: output is not the input: {s!r}")
        bounds = [boundaries(ws) for ws in out]
        edges = [a in bounds[k] and b in bounds[k] for k, a, b, _, _ in occ]
        whole = [edges[i] and not any(a < x < b for x in bounds[k])
                 for i, (k, a, b, _, kind) in enumerate(occ)]
        ok_whole = [w for w, o in zip(whole, occ) if o[4] == "whole"]
        right = [w if o[4] == "whole" else e for e, w, o in zip(edges, whole, occ)]
        print(f"| {name} | {100 * sum(edges) / len(occ):.1f}% | "
              f"{100 * sum(ok_whole) / len(ok_whole):.1f}% | "
              f"{100 * sum(right) / len(occ):.1f}% ({sum(right)} of {len(occ)}) |", flush=True)
        if args.errors and args.errors in name:
            for r, (k, a, b, term, kind) in zip(right, occ):
                if not r:
                    print(f"    {term} ({kind}): {' '.join(out[k])}", file=sys.stderr)


if __name__ == "__main__":
    main()
