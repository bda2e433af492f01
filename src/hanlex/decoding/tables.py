"""A Model's arrays turned into the CompiledModel that decodes with them."""
from __future__ import annotations

import sys

from .._core.hashindex import HashIndex, LabelCandidates
from .._numpy import np
from ..errors import ModelFormatError
from ..lexicon.compiled import lexicon_index
from ..model import stored
from ..model.model import Model
from ..model.standards import segmenter_in
from ..pretokenize._scan import Scanner
from ._compiled import CompiledModel
from ._decode import Weights
from ._regrouped import RegroupedTable, float32_of_half, row_table_weights


def compile_model(model: Model, scanner: Scanner | None = None,
                  generic: bool = False) -> CompiledModel:
    """The CompiledModel of `model`. A segmentation-only model decodes from a
    half table of its weights (faster, the same labels) unless `generic`: the
    path every model can take, which tests hold the fast one to. `scanner`:
    pre-tokenisation for CompiledModel.cut."""
    try:
        keys = _checked_keys(model.feature_keys)
        lexicon = lexicon_index(model.lexicon_keys, model.lexicon_flags)
        stats = (HashIndex(np.ascontiguousarray(model.stats_keys, dtype=np.uint64),
                           np.ascontiguousarray(model.stats_values, dtype=np.int32))
                 if len(model.stats_keys) else None)
        weights = _weights(model)
        candidates = (LabelCandidates(
            np.ascontiguousarray(model.cand_keys, dtype=np.uint64),
            np.ascontiguousarray(model.cand_masks, dtype=np.uint64),
            np.ascontiguousarray(model.class_masks, dtype=np.uint64))
            if len(model.cand_keys) else None)
        if segments_only(model) and not generic:
            table = RegroupedTable(keys, weights.W, stats=stats is not None, half=True)
            # decode_bmes reads the half table only: the float32 weights (13 MB for the
            # shipped segmenter, private to each process) go once it is built
            compiled = CompiledModel(Weights.for_half_table(weights.trans, weights.allowed),
                                     lexicon, model.lex_max, stats, None, table, scanner=scanner)
        elif weights.joint:
            # joint decoding reads feature rows from a regrouped table (fewer hashed
            # lookups); it gives exactly the hash index's rows
            rows = RegroupedTable(keys, row_table_weights(len(keys)), stats=stats is not None)
            compiled = CompiledModel(weights, lexicon, model.lex_max, stats, candidates, rows)
        else:
            compiled = CompiledModel(weights, lexicon, model.lex_max, stats, candidates,
                                     features=HashIndex(keys))
    except ValueError as e:  # duplicate or zero keys, shapes that do not fit: damaged file
        raise ModelFormatError(f"{model.path or 'model'} is corrupt ({e})") from None
    model.release_pages()  # the tables hold what decoding reads
    return compiled


def segments_only(model: Model) -> bool:
    """Whether `model` decodes from a half table: no tags, no joint weights, no
    tag dictionary."""
    return not model.joint and not len(model.joint_labels) and not len(model.cand_keys)


def cut_part(model: Model) -> Model | None:
    """The part of `model` whose half table `cut` decodes with: its embedded
    segmenter, or the model itself if it segments only (None: a joint model
    without a segmenter cuts with its joint model)."""
    part = model.segmenter if model.segmenter is not None else model
    return part if segments_only(part) else None


def ready_tables(model: Model) -> tuple[dict, dict[str, np.ndarray]] | None:
    """The tables `cut` decodes with in the model's default standard, as a model
    file stores them (model.stored.ReadyTables), or None if `cut` has no half table."""
    part = cut_part(model)
    if part is None:
        return None
    name = model.default_standard or model.standard
    compiled = compile_model(segmenter_in(part, name) if part.standards else part)
    slots, starts, known = compiled.lexicon.stored()
    table = compiled.table.stored()
    table["transitions"] = np.ascontiguousarray(part.transitions, dtype=np.float32)
    table["allowed"] = part.labels.allowed()
    return stored.ready_arrays({name: table}, {"slots": slots, "word_starts": starts,
                                               "known": known},
                               {name: len(compiled.table)}, len(compiled.lexicon), part.lex_max)


def compile_ready(ready: stored.ReadyTables | None, standard: str,
                  scanner: Scanner) -> CompiledModel | None:
    """`cut`'s CompiledModel read in place from the tables a model file stores
    for `standard`, or None if it stores none for it: nothing is built but the
    characters' row index, processes that map the file share the rest, and
    no numpy is imported."""
    a = ready.arrays(standard) if ready is not None else None
    if a is None or sys.byteorder != "little":  # slots are stored little-endian
        return None
    try:
        table = RegroupedTable.from_stored(a, ready.standards[standard])
        lexicon = HashIndex.from_stored(a["lexicon_slots"], ready.lexicon_size,
                                        a["lexicon_word_starts"], a["lexicon_known"])
        weights = Weights.for_half_table(a["transitions"], a["allowed"])
        return CompiledModel(weights, lexicon, ready.lex_max, None, None, table, scanner=scanner)
    except ValueError as e:
        raise ModelFormatError(f"{ready.f.source} is corrupt (its ready tables: {e})") from None


def _weights(model: Model) -> Weights:
    """The model's weights widened from the file's float16 to float32, each
    feature's joint weights grouped by word position (grouped_by_position)."""
    jptr = np.ascontiguousarray(model.joint_indptr, dtype=np.int64)
    jlab = np.ascontiguousarray(model.joint_labels, dtype=np.uint8)
    jw = float32_of_half(model.joint_weights)
    jsub = None
    if len(jlab) and int(np.diff(jptr).max()) <= 255:
        jlab, jw, jsub = grouped_by_position(jptr, jlab, jw)
    return Weights(float32_of_half(model.weights), jptr, jlab, jw,
                   np.ascontiguousarray(model.transitions, dtype=np.float32),
                   model.labels.allowed(), jsub)


def grouped_by_position(jptr: np.ndarray, jlab: np.ndarray, jw: np.ndarray):
    """Each row's joint weights reordered by the word position of their label
    (B, M, E, S; within one, in the row's own order), and where each position's
    begin in its row (features x 4 uint8): a decode that knows a character's
    possible positions adds only theirs. The sums a decode forms are those of
    float16 values in double precision, exact in any order, so no score changes.
    One stable sort of (row, position): first `tag` waits on it."""
    n = len(jptr) - 1
    key = np.repeat(np.arange(n, dtype=np.int64) * 4, np.diff(jptr)) + (jlab & 3)
    order = np.argsort(key, kind="stable")
    per = np.bincount(key, minlength=4 * n).reshape(n, 4)
    sub = np.zeros((n, 4), dtype=np.uint8)
    sub[:, 1:] = np.cumsum(per[:, :3], axis=1)
    return (np.ascontiguousarray(jlab[order]), np.ascontiguousarray(jw[order]), sub)


def _checked_keys(keys: np.ndarray) -> np.ndarray:
    """The feature keys as contiguous uint64, refused if a damaged file left a
    zero or duplicate key: the regrouped tables store most keys in rows, not
    hash slots, so they cannot notice that themselves (saved keys are sorted,
    so the check is one comparison pass)."""
    keys = np.ascontiguousarray(keys, dtype=np.uint64)
    if len(keys) and not keys.all():
        raise ValueError("key 0 is reserved")
    if len(keys) > 1 and not (keys[1:] > keys[:-1]).all() and len(np.unique(keys)) != len(keys):
        raise ValueError("duplicate feature keys")
    return keys
