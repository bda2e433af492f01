"""A standard's own tagset, predicted word by word from the joint model's words
and PKU tags.

UD's corpus tags words with UPOS, which People's Daily's PKU tags do not map to
one for one (的 is PART, 是 VERB or AUX by its use, a classifier NOUN). The joint
model decodes every standard with PKU tags, which it learned from a million
words; a Retagger, learned on the standard's own corpus, then names each word
in the standard's tagset from the word, its PKU tag and its neighbours'. A table
from (word, PKU tag) to UPOS cannot see the context (docs/lab/2026-12-04-standards-issue-34.md).

Features are hashed keys of (template, values) over whole arrays of words, so
retagging a batch costs a few numpy passes, not a Python step per feature.
"""
from __future__ import annotations

from dataclasses import dataclass

from .._core.chars import normalize_codepoints
from .._core.hashing import prefix_hashes
from .._numpy import np

_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_EDGE = 0x9E3779B97F4A7C15  # the value of a neighbour beyond the text

#: the templates: which word values each one combines (w word, t PKU tag,
#: f / l first / last character, n length; -1 / +1 the neighbours)
TEMPLATES = (("w0",), ("t0",), ("w0", "t0"), ("t-1", "t0"), ("t0", "t+1"),
             ("t-1", "t0", "t+1"), ("w-1", "t0"), ("w+1", "t0"), ("f0", "t0"),
             ("l0", "t0"), ("n0", "t0"), ("w0", "t+1"), ("w-1",), ("w+1",), (),
             ("t-1", "w0"), ("w0", "t-1", "t+1"), ("w-1", "w0"), ("w0", "w+1"))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, over a uint64 array."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(_M1)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(_M2)
        return x ^ (x >> np.uint64(31))


def word_values(cps: np.ndarray, bounds: np.ndarray, tags: np.ndarray,
                firsts: np.ndarray) -> dict[str, np.ndarray]:
    """Each template value of every word (uint64 arrays). The words cover the
    code points `cps` back to back: word k is cps[bounds[k]:bounds[k + 1]];
    `tags` are their PKU tag ids, `firsts` True where a word begins a text (its
    left neighbour is the edge, and the word before it has no right neighbour)."""
    n = len(bounds) - 1
    cps = np.ascontiguousarray(cps[:bounds[-1]], dtype=np.uint32)
    offsets = np.ascontiguousarray(bounds - bounds[0], dtype=np.int64)
    hashes, _ = prefix_hashes(cps, offsets)
    norm = normalize_codepoints(cps).astype(np.uint64)
    v = {"w0": hashes[offsets[1:] - 1],
         "t0": tags.astype(np.uint64) + np.uint64(1),
         "f0": norm[offsets[:-1]],
         "l0": norm[offsets[1:] - 1],
         "n0": np.minimum(np.diff(offsets), 5).astype(np.uint64)}
    last = np.ones(n, dtype=bool)
    last[:-1] = firsts[1:]
    for name in ("w", "t"):
        own = v[name + "0"]
        edge = np.uint64(_EDGE)
        v[name + "-1"] = np.where(firsts, edge, np.concatenate(([edge], own[:-1]))[:n])
        v[name + "+1"] = np.where(last, edge, np.concatenate((own[1:], [edge]))[:n])
    return v


def feature_keys(values: dict[str, np.ndarray], n: int) -> np.ndarray:
    """n x len(TEMPLATES) keys: each template's hash of its values."""
    out = np.empty((n, len(TEMPLATES)), dtype=np.uint64)
    for k, names in enumerate(TEMPLATES):
        h = np.full(n, np.uint64(((k + 1) * _EDGE) & 0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
        for name in names:
            h = _mix(h ^ values[name])
        out[:, k] = _mix(h)
    return out


@dataclass
class Retagger:
    """A standard's tags (`tags`) from features of words with PKU tags: a
    weight per tag for each known feature key (sorted)."""

    tags: tuple[str, ...]
    keys: np.ndarray     # uint64 [f], sorted
    weights: np.ndarray  # float16 [f, len(tags)]

    def scores(self, keys: np.ndarray) -> np.ndarray:
        """n x len(tags): the summed weights of each word's feature keys."""
        n = keys.shape[0]
        out = np.zeros((n, len(self.tags)), dtype=np.float32)
        if not len(self.keys):
            return out
        pos = np.searchsorted(self.keys, keys).clip(0, len(self.keys) - 1)
        found = self.keys[pos] == keys
        for k in range(keys.shape[1]):
            hit = found[:, k]
            out[hit] += self.weights[pos[hit, k]]
        return out

    def predict(self, keys: np.ndarray) -> np.ndarray:
        """Each word's tag index."""
        return self.scores(keys).argmax(axis=1).astype(np.int32)

    def check(self) -> bool:
        k = self.keys
        return (bool(self.tags) and self.weights.shape == (len(k), len(self.tags))
                and (len(k) < 2 or bool(np.all(k[1:] > k[:-1]))))
