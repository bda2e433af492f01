"""The specification of hanlex's compiled core, in plain Python: character
normalisation and classes, hashes, feature keys, candidates, scores, Viterbi,
search-mode sub-words.

Slow and obvious on purpose, and used only by the tests, which require
`hanlex._core` to give exactly the same keys, rows, scores and label paths as
these functions; when the fast path changes, this file is what it must still
meet. Sizes and constants come from the compiled core's single definition
(`hanlex._core.constants`); the character tables and the templates are written
out here again, independently, so that the tests compare two readings of them.
"""
from __future__ import annotations

import re
from typing import Mapping, Sequence

from hanlex._core.constants import (
    BOS,
    CHAR_KEY_TEMPLATE,
    EOS,
    LEX_CAP,
    LEX_SEED,
    N_TEMPLATES,
    STAT_BUCKETS,
    STAT_KEY_TEMPLATE,
)
from hanlex.model.templates import GROUP_A, GROUP_B, GROUP_S

# ------------------------------------------------------------ characters

_HAN_NUMERALS = frozenset("〇○零一二三四五六七八九十百千万亿两")
_DATE_UNITS = frozenset("年月日时分秒号")
_SPACES = frozenset([0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F])
_KANA = ((0x3041, 0x3096), (0x3099, 0x309F), (0x30A1, 0x30FA), (0x30FC, 0x30FF),
         (0x31F0, 0x31FF), (0xFF66, 0xFF9F))
_ZERO_AFTER_CHINESE_DIGIT = re.compile("(?<=[〇○零一二三四五六七八九])0+")


def normalize_cps(cps: Sequence[int]) -> list[int]:
    """Full-width ASCII -> ASCII, ideographic space -> space, and a digit zero
    after a Chinese digit (or a zero so read) -> 〇."""
    text = "".join(chr(c - 0xFEE0) if 0xFF01 <= c <= 0xFF5E else " " if c == 0x3000 else chr(c)
                   for c in cps)
    text = _ZERO_AFTER_CHINESE_DIGIT.sub(lambda m: "\u3007" * len(m.group()), text)
    return [ord(c) for c in text]


def char_class(c: int) -> int:
    """Class of a normalised code point: 0 other, 1 han, 2 digit, 3 letter,
    4 punct, 5 han-numeral, 6 date-unit, 7 space, 8 boundary."""
    if c == BOS or c == EOS:
        return 8
    if c in _SPACES or 9 <= c <= 13 or 0x2000 <= c <= 0x200A:
        return 7
    if 48 <= c <= 57:
        return 2
    if 65 <= c <= 90 or 97 <= c <= 122:
        return 3
    if c < 0x110000 and chr(c) in _HAN_NUMERALS:
        return 5
    if c < 0x110000 and chr(c) in _DATE_UNITS:
        return 6
    if (0x4E00 <= c <= 0x9FFF or 0x3400 <= c <= 0x4DBF or 0x20000 <= c <= 0x3FFFF
            or 0xF900 <= c <= 0xFAFF):  # Extensions B-H too
        return 1
    if any(a <= c <= b for a, b in _KANA):  # a foreign script, like Greek
        return 3
    if (33 <= c <= 47 or 58 <= c <= 64 or 91 <= c <= 96 or 123 <= c <= 126
            or 0xA1 <= c <= 0xBF or 0x2010 <= c <= 0x206F or 0x3000 <= c <= 0x303F
            or 0xFE30 <= c <= 0xFE4F or 0xFF00 <= c <= 0xFFEF):
        return 4
    if 0xC0 <= c <= 0x24F or 0x370 <= c <= 0x3FF or 0x400 <= c <= 0x4FF or 0x300 <= c <= 0x36F:
        return 3  # combining diacritics with the letters they mark
    return 0


# ------------------------------------------------------------ hashes

M64 = (1 << 64) - 1


def mix64(x: int) -> int:
    x &= M64
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & M64
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & M64
    x ^= x >> 31
    return x


def feature_key(t: int, a: int, b: int, c: int) -> int:
    # a, b, c < 2**21 pack injectively; one mix spreads them and the template
    h = mix64(((a | (b << 21) | (c << 42)) + t * 0x9E3779B97F4A7C15) & M64)
    return h or 1


def lex_step(h: int, cp: int) -> int:
    return mix64(h ^ ((cp * 0xD6E8FEB86659FD93) & M64)) or 1


def word_hashes(cps: Sequence[int]) -> list[int]:
    """Hashes of each prefix of a word (normalised as the extractor does)."""
    out, h = [], LEX_SEED
    for c in normalize_cps(cps):
        h = lex_step(h, c)
        out.append(h)
    return out


def lexicon_spans(c: Sequence[int], lexicon: Mapping[int, int] | None,
                  lex_max: int) -> tuple[list[int], list[int], list[int]]:
    n = len(c)
    lb, le, lm = [0] * n, [0] * n, [0] * n
    if lexicon is None:
        return lb, le, lm
    for i in range(n):
        h = LEX_SEED
        for l in range(1, min(lex_max, n - i) + 1):
            h = lex_step(h, c[i + l - 1])
            f = lexicon.get(h, -1)
            if f < 0:
                break
            if f & 1 and l >= 2:
                v = min(l, LEX_CAP)
                lb[i] = max(lb[i], v)
                le[i + l - 1] = max(le[i + l - 1], v)
                for j in range(i + 1, i + l - 1):
                    lm[j] = max(lm[j], v)
            if not f & 2:
                break
    return lb, le, lm


def stat_bucket(stats: Mapping[int, int], a: int, b: int) -> int:
    v = stats.get(feature_key(STAT_KEY_TEMPLATE, a, b, 0), -1)
    return v if 0 < v < STAT_BUCKETS else 0


def extract_keys(raw: Sequence[int], lexicon: Mapping[int, int] | None,
                 lex_max: int, stats: Mapping[int, int] | None = None) -> list[list[int]]:
    """Feature keys of every position (0 = no feature); mirrors _core.feature_keys."""
    n = len(raw)
    norm = normalize_cps(raw)
    lb, le, lm = lexicon_spans(norm, lexicon, lex_max)
    c = [BOS, BOS] + norm + [EOS, EOS]
    k = [char_class(x) for x in c]
    fk = feature_key
    out = []
    for i in range(n):
        p = i + 2
        out.append([
            fk(0, 0, 0, 0),
            fk(1, c[p - 2], 0, 0), fk(2, c[p - 1], 0, 0), fk(3, c[p], 0, 0),
            fk(4, c[p + 1], 0, 0), fk(5, c[p + 2], 0, 0),
            fk(6, c[p - 2], c[p - 1], 0), fk(7, c[p - 1], c[p], 0),
            fk(8, c[p], c[p + 1], 0), fk(9, c[p + 1], c[p + 2], 0),
            fk(10, c[p - 1], c[p + 1], 0),
            fk(11, c[p - 1], c[p], c[p + 1]),
            fk(12, k[p], 0, 0), fk(13, k[p - 1], k[p], k[p + 1]),
            fk(14, (k[p - 2] << 16) | (k[p - 1] << 12) | (k[p] << 8)
               | (k[p + 1] << 4) | k[p + 2], 0, 0),
            fk(15, int(c[p - 1] == c[p]) | (int(c[p] == c[p + 1]) << 1)
               | (int(c[p - 1] == c[p + 1]) << 2), 0, 0),
            fk(16, lb[i], 0, 0), fk(17, le[i], 0, 0), fk(18, lm[i], 0, 0),
            fk(19, lb[i] | (le[i] << 4) | (lm[i] << 8), 0, 0),
            fk(20, lb[i], c[p], 0), fk(21, le[i], c[p], 0),
        ])
        if stats is not None:
            bl, br = stat_bucket(stats, c[p - 1], c[p]), stat_bucket(stats, c[p], c[p + 1])
            out[-1] += [fk(22, bl, 0, 0), fk(23, br, 0, 0), fk(24, bl, br, 0)]
        else:
            out[-1] += [0, 0, 0]
    assert all(len(r) == N_TEMPLATES for r in out)
    return out


def extract_rows(raw: Sequence[int], features: Mapping[int, int],
                 lexicon: Mapping[int, int] | None, lex_max: int,
                 stats: Mapping[int, int] | None = None) -> list[list[int]]:
    return [[features.get(key, -1) if key else -1 for key in keys]
            for keys in extract_keys(raw, lexicon, lex_max, stats)]


def candidates(raw: Sequence[int], cand: "Mapping[int, int] | None", cand_masks, class_masks,
               L: int, posmask: Sequence[int], level: int) -> list[list[int]]:
    """Mirror of _core.fill_candidates: candidate labels per position.

    `cand` maps a character key to a row of cand_masks (label bitsets as
    lists of 64-bit words); None disables the tag dictionary.
    """
    out = []
    for i, c in enumerate(normalize_cps(raw)):
        bits = None
        if cand is not None and (level == 0 or (level == 1 and posmask[i] & 15 == 15)):
            r = cand.get(feature_key(CHAR_KEY_TEMPLATE, c, 0, 0), -1)
            bits = cand_masks[r] if r >= 0 else class_masks[char_class(c)]
        labs = [l for l in range(L)
                if (level == 3 or (posmask[i] >> (l & 3)) & 1)
                and (bits is None or (bits[l >> 6] >> (l & 63)) & 1)]
        out.append(labs)
    return out


def emissions(rows: Sequence[Sequence[int]], W, joint: "Mapping[int, list[tuple[int, float]]]",
              cands: Sequence[Sequence[int]], L: int) -> list[list[float]]:
    """Scores of each candidate label: p[pos] + group-A joint sum + group-S joint sum, then
    group-B joint weights."""
    out = []
    for r, cs in zip(rows, cands):
        p = [0.0] * 4
        for row in r:
            if row >= 0:
                for q in range(4):
                    p[q] += float(W[row][q])
        if joint:
            sums = []  # group-A and group-S templates, each group summed on its own first
            for group in (GROUP_A, GROUP_S):
                shared = [0.0] * L
                for t in group:
                    if r[t] >= 0:
                        for lab, w in joint.get(r[t], ()):
                            shared[lab] += float(w)
                sums.append(shared)
            e = [p[l & 3] + sums[0][l] + sums[1][l] for l in range(L)]
            for t in GROUP_B:
                if r[t] >= 0:
                    for lab, w in joint.get(r[t], ()):
                        e[lab] += float(w)
            out.append([e[l] for l in cs])
        else:
            out.append([p[l & 3] for l in cs])
    return out


def viterbi(em: Sequence[Sequence[float]], cands: Sequence[Sequence[int]], trans, allowed,
            L: int) -> list[int] | None:
    """Mirror of _core.viterbi; returns None when no path is feasible."""
    n = len(em)
    if n == 0:
        return []
    NEG = float("-inf")
    delta = [[NEG] * len(c) for c in cands]
    bp = [[-1] * len(c) for c in cands]
    for j, l in enumerate(cands[0]):
        if allowed[L][l]:
            delta[0][j] = float(trans[L][l]) + em[0][j]
    for i in range(1, n):
        for j, l in enumerate(cands[i]):
            best, arg = NEG, -1
            for pj, pl in enumerate(cands[i - 1]):
                if allowed[pl][l] and delta[i - 1][pj] != NEG:
                    s = delta[i - 1][pj] + float(trans[pl][l])
                    if s > best:
                        best, arg = s, pj
            bp[i][j] = arg
            delta[i][j] = best + em[i][j] if arg >= 0 else NEG
    best, arg = NEG, -1
    for j, l in enumerate(cands[n - 1]):
        if (l & 3) >= 2 and delta[n - 1][j] != NEG and delta[n - 1][j] > best:
            best, arg = delta[n - 1][j], j
    if arg < 0:
        return None
    out = [0] * n
    for i in range(n - 1, -1, -1):
        out[i] = cands[i][arg]
        arg = bp[i][arg]
    return out


def decode(raw: Sequence[int], model, posmask: Sequence[int],
           pruned: Sequence[int] | None = None, failed: list | None = None) -> list[int]:
    """Reference of _core.decode_batch for one segment of a hanlex.Model (pruned:
    the narrowed masks tried first, at level 0 only; failed: a list that gets
    each level tried without a path)."""
    if not raw:
        return []
    m = model
    L = 4 * len(m.tags)
    features = dict(zip(m.feature_keys.tolist(), range(len(m.feature_keys))))
    lexicon = dict(zip(m.lexicon_keys.tolist(), m.lexicon_flags.tolist()))
    ptr, labs, ws = m.joint_indptr.tolist(), m.joint_labels.tolist(), m.joint_weights.tolist()
    joint = {r: list(zip(labs[ptr[r]:ptr[r + 1]], ws[ptr[r]:ptr[r + 1]]))
             for r in range(len(ptr) - 1) if ptr[r + 1] > ptr[r]}
    cand = (dict(zip(m.cand_keys.tolist(), range(len(m.cand_keys))))
            if len(m.cand_keys) else None)
    stats = (dict(zip(m.stats_keys.tolist(), m.stats_values.tolist()))
             if len(m.stats_keys) else None)
    rows = extract_rows(raw, features, lexicon, m.lex_max, stats)
    W, trans, allowed = m.weights.tolist(), m.transitions.tolist(), m.labels.allowed().tolist()
    tries = ([(pruned, 0)] if pruned is not None else []) + [(posmask, lv) for lv in range(4)]
    for mask, level in tries:
        cs = candidates(raw, cand, m.cand_masks.tolist(), m.class_masks.tolist(), L, mask,
                        level)
        path = (None if any(not c for c in cs)
                else viterbi(emissions(rows, W, joint, cs, L), cs, trans, allowed, L))
        if path is not None:
            return path
        if failed is not None:
            failed.append(level)
    raise AssertionError("unreachable: level 3 always has a path")


def narrowed(raw: Sequence[int], model, posmask: Sequence[int], margin: float) -> list[int]:
    """Reference of CompiledModel.narrowed_masks for one segment of a
    segmentation-only Model: posmask less the word positions whose best path
    (forward Viterbi score + best continuation) is more than `margin` below the
    best path's; the best path's own positions stay. Without a path under
    posmask, posmask as given."""
    m, n, NEG = model, len(raw), float("-inf")
    features = dict(zip(m.feature_keys.tolist(), range(len(m.feature_keys))))
    lexicon = dict(zip(m.lexicon_keys.tolist(), m.lexicon_flags.tolist()))
    stats = (dict(zip(m.stats_keys.tolist(), m.stats_values.tolist()))
             if len(m.stats_keys) else None)
    rows = extract_rows(raw, features, lexicon, m.lex_max, stats)
    em = emissions(rows, m.weights.tolist(), {}, [[0, 1, 2, 3]] * n, 4)
    trans, allowed = m.transitions.tolist(), m.labels.allowed().tolist()
    ok = [[(posmask[i] >> q) & 1 for q in range(4)] for i in range(n)]
    cands = [[q for q in range(4) if ok[i][q]] for i in range(n)]
    if any(not c for c in cands):
        return list(posmask)
    path = viterbi([[em[i][q] for q in cands[i]] for i in range(n)], cands, trans, allowed, 4)
    if path is None:
        return list(posmask)
    alpha = [[NEG] * 4 for _ in range(n)]
    for q in range(4):
        if ok[0][q] and allowed[4][q]:
            alpha[0][q] = float(trans[4][q]) + em[0][q]
    for i in range(1, n):
        for q in range(4):
            best = NEG
            for p in range(4):
                if ok[i][q] and alpha[i - 1][p] != NEG and allowed[p][q]:
                    best = max(best, alpha[i - 1][p] + float(trans[p][q]))
            alpha[i][q] = best + em[i][q] if best != NEG else NEG
    beta = [[NEG] * 4 for _ in range(n)]
    beta[n - 1] = [NEG, NEG, 0.0, 0.0]
    for i in range(n - 2, -1, -1):
        for q in range(4):
            for r in range(4):
                if allowed[q][r] and ok[i + 1][r] and beta[i + 1][r] != NEG:
                    beta[i][q] = max(beta[i][q], float(trans[q][r]) + em[i + 1][r] + beta[i + 1][r])
    top = max(alpha[n - 1][2], alpha[n - 1][3])
    out = []
    for i in range(n):
        keep = 1 << path[i]
        for q in range(4):
            if alpha[i][q] != NEG and beta[i][q] != NEG and alpha[i][q] + beta[i][q] >= top - margin:
                keep |= 1 << q
        out.append((posmask[i] & ~15) | (posmask[i] & keep))
    return out


def sub_words(raw: Sequence[int], starts: Sequence[int], ends: Sequence[int],
              words: "set[tuple[int, ...]]") -> list[tuple[int, int, int]]:
    """Search mode: rows (k, start, end) of every dictionary word (`words`:
    normalised code point tuples) of 2+ Han characters strictly inside word k,
    by start, the longer first."""
    c = normalize_cps(raw)
    out = []
    for k, (a, b) in enumerate(zip(starts, ends)):
        for i in range(a, b - 1):
            for j in range(b, i + 1, -1):
                if ((i, j) != (a, b) and all(char_class(x) in (1, 5, 6) for x in c[i:j])
                        and tuple(c[i:j]) in words):
                    out.append((k, i, j))
    return out
