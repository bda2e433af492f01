"""The UD Chinese GSD training split (an early UD release) in the UPOS of the
current GSDSimp release, which its dev and test sets follow.

The training file predates UD v2 and several later GSD releases. The treebank's own
changelog (UD_Chinese-GSDSimp/README.md) and UD v2's tagset list what changed since;
each change is read off the file's own columns (UPOS, XPOS, FEATS, DEPREL):

- UD v2: CONJ is CCONJ;
- v2.12 "Auxiliary must be tagged AUX": copulas (`cop`), auxiliaries (`aux`), the
  passive 被 (`auxpass`) and the aspect particles 了 着 过 (XPOS AS; v2.7-2.8 made them
  `aux`) are AUX;
- v2.8 / v2.13 "Some PART/ADV should be SCONJ": the relative-clause 的 (Case=Rel,
  `mark:rel` since v2.8) and the PART / ADV markers of clauses (`mark`) are SCONJ;
- v2.8: sentence-final particles (XPOS UH, `discourse`) are particles: PART, not X.

    python bench/ud_v2.py zh_gsd-train.conll OUT.conllu
"""
from __future__ import annotations

import sys


def upos_v2(upos: str, xpos: str, feats: str, deprel: str) -> str:
    """One token's UPOS under the current guidelines (see the module docstring)."""
    rel = deprel.split(":")[0]
    if upos == "CONJ":
        return "CCONJ"
    if rel in ("cop", "aux", "auxpass") or xpos == "AS":
        return "AUX"
    if "Case=Rel" in feats or (rel == "mark" and upos in ("PART", "ADV")):
        return "SCONJ"
    if xpos == "UH" and upos == "X":
        return "PART"
    return upos


def convert(lines):
    for line in lines:
        cols = line.rstrip("\n").split("\t")
        if len(cols) == 10 and cols[0].isdigit():
            cols[3] = upos_v2(cols[3], cols[4], cols[5], cols[7])
            yield "\t".join(cols) + "\n"
        else:
            yield line if line.endswith("\n") else line + "\n"


def main() -> None:
    src, out = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as g:
        g.writelines(convert(f))
    print(f"{out}: written")


if __name__ == "__main__":
    main()
