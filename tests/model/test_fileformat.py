from __future__ import annotations

import numpy as np
import pytest
from conftest import random_texts

from hanlex import Analyzer, HanlexError, Model, ModelFormatError
from hanlex.model import fileformat
from hanlex.model.fileformat import FORMAT_VERSION
from hanlex.model.model import HALF_MAX

TEXT = "中共中央总书记、国家主席江泽民发表新年讲话。"


def test_round_trip_is_identical(small_model, tmp_path):
    p = tmp_path / "m.hlx"
    small_model.save(p)
    loaded = Model.load(p)
    for name in ("feature_keys", "weights", "transitions", "lexicon_keys", "lexicon_flags"):
        assert np.array_equal(getattr(loaded, name), getattr(small_model, name)), name
    assert loaded.tags == small_model.tags
    assert loaded.to_bytes() == small_model.to_bytes()
    text = "中共中央总书记、国家主席江泽民发表新年讲话。"
    assert Analyzer(loaded).cut(text) == Analyzer(small_model).cut(text)


def test_arrays_are_memory_mapped(small_model, tmp_path):
    p = tmp_path / "m.hlx"
    small_model.save(p)
    m = Model.load(p)
    assert not m.weights.flags.writeable  # a read-only view of the mapped file


def test_wrong_version(small_model, tmp_path):
    data = bytearray(small_model.to_bytes())
    data[8:12] = (FORMAT_VERSION + 1).to_bytes(4, "little")
    p = tmp_path / "v.hlx"
    p.write_bytes(bytes(data))
    with pytest.raises(ModelFormatError, match="version"):
        Model.load(p)


def test_truncated(small_model, tmp_path):
    data = small_model.to_bytes()
    for cut in (4, 20, len(data) // 2, len(data) - 1):
        p = tmp_path / "t.hlx"
        p.write_bytes(data[:cut])
        with pytest.raises(ModelFormatError):
            Model.load(p)


def test_corrupt_payload(small_model, tmp_path):
    data = small_model.to_bytes()
    f = fileformat.ModelFile(data, "<test>")
    for name, load in (("weights", Model.load), ("ready/main/hpairs", Analyzer)):
        # the model's arrays are checked when it loads; the tables cut reads when it reads them
        damaged = bytearray(data)
        damaged[f.data_start + f.specs[name]["offset"] + 5] ^= 0xFF
        p = tmp_path / "c.hlx"
        p.write_bytes(bytes(damaged))
        with pytest.raises(ModelFormatError, match=f"corrupt.*{name}"):
            load(p)


@pytest.mark.parametrize("content", [b"", b"garbage", b"HANLEXM\0" + b"\x01\0\0\0" + b"\xff\xff\0\0",
                                     b"HANLEXM\0\x01\0\0\0\x05\0\0\0{bad}" + b"\0" * 100])
def test_garbage(tmp_path, content):
    p = tmp_path / "g.hlx"
    p.write_bytes(content)
    with pytest.raises(ModelFormatError):
        Model.load(p)


def test_missing_file(tmp_path):
    """A file-not-found error naming the path, not a format error (nothing was read)."""
    path = tmp_path / "nope.hlx"
    with pytest.raises(FileNotFoundError, match="no such file") as caught:
        Model.load(path)
    assert str(path) in str(caught.value)
    assert isinstance(caught.value, HanlexError) and not isinstance(caught.value, ModelFormatError)
    with pytest.raises(FileNotFoundError, match="no such file"):
        Analyzer(path)


def test_no_pickle_in_format(small_model):
    data = small_model.to_bytes()
    assert data[:8] == b"HANLEXM\0"
    assert b"\x80\x04\x95" not in data[:200]  # no pickle protocol header


@pytest.mark.parametrize("bad", ['"?[\\u00c0"', '"O"', '"<f8"', '7', '"(2,)i4"'])
def test_dtype_in_header_is_never_trusted(small_model, tmp_path, bad):
    """Regression: a fuzzed dtype string made numpy raise SyntaxError."""
    import json
    data = small_model.to_bytes()
    hlen = int.from_bytes(data[12:16], "little")
    header = json.loads(data[16:16 + hlen])
    header["arrays"]["weights"]["dtype"] = json.loads(bad)
    hb = json.dumps(header).encode()
    blob = data[:12] + len(hb).to_bytes(4, "little") + hb + data[16 + hlen:]
    p = tmp_path / "d.hlx"
    p.write_bytes(blob)
    with pytest.raises(ModelFormatError):
        Model.load(p)


def test_damaged_keys_without_checksum_are_a_format_error(small_model):
    """Regression (fuzz): zeroed/duplicated keys loaded with verify=False."""
    data = bytearray(small_model.to_bytes())
    m = Model.from_bytes(bytes(data))
    keys = np.array(m.feature_keys)
    keys[1] = keys[0]
    broken = Model(**{**{k: getattr(m, k) for k in ("tags", "weights", "transitions", "lexicon_keys",
                      "lexicon_flags", "joint_indptr", "joint_labels", "joint_weights",
                      "cand_keys", "cand_masks", "class_masks", "lex_max")},
                     "feature_keys": keys})
    with pytest.raises(ModelFormatError, match="corrupt"):
        Analyzer(broken)


@pytest.mark.parametrize("damage", ["duplicate", "zero"])
def test_damaged_joint_model_keys_are_a_format_error(small_joint_model, damage):
    """The joint decoder reads the regrouped row table, not a hash index, so
    the keys are checked up front."""
    m = small_joint_model
    keys = np.array(m.feature_keys)
    keys[1] = keys[0] if damage == "duplicate" else 0
    fields = {k: getattr(m, k) for k in ("tags", "weights", "transitions", "lexicon_keys",
                                         "lexicon_flags", "joint_indptr", "joint_labels",
                                         "joint_weights", "cand_keys", "cand_masks",
                                         "class_masks", "lex_max")}
    with pytest.raises(ModelFormatError, match="corrupt"):
        Analyzer(Model(**fields, feature_keys=keys), segmenter=False)


def test_half_precision_is_what_is_saved(small_model, tmp_path):
    assert small_model.weights.dtype == np.float16
    big = Model(tags=small_model.tags, feature_keys=small_model.feature_keys,
                weights=small_model.weights.astype(np.float32) * 4096,
                transitions=small_model.transitions * 4096,
                lexicon_keys=small_model.lexicon_keys, lexicon_flags=small_model.lexicon_flags)
    assert np.isfinite(big.weights.astype(np.float32)).all()
    assert float(np.abs(big.weights.astype(np.float32)).max()) < HALF_MAX
    assert Analyzer(big).cut_many(random_texts(5, 50, TEXT)) == \
        Analyzer(small_model).cut_many(random_texts(5, 50, TEXT))


def test_the_loader_checks_checksums_unless_told_not_to(small_model):
    """A changed weight is caught by its array's checksum when the array is first
    read: at load for the tables `cut` reads, when the model's own arrays are
    first needed for them (here a pickle that copies the model, or a standard's
    merge). verify=False skips the checksums (for speed on trusted files) but
    still loads a well-formed file."""
    from hanlex.engine import load_engine
    from hanlex.model.fileformat import ModelFile

    data = bytes(small_model.to_bytes())
    f = ModelFile(data, "<test>")
    for name, first_read in (("ready/main/hslots", lambda e: e),
                             ("weights", lambda e: e.source())):
        damaged = bytearray(data)
        damaged[f.data_start + int(f.specs[name]["offset"]) + 9] ^= 0x01  # one weight's bits
        with pytest.raises(ModelFormatError, match=f"checksum of {name}"):
            first_read(load_engine(bytes(damaged)))
        engine = load_engine(bytes(damaged), verify=False)
        assert "".join(Analyzer(engine).cut(TEXT)) == TEXT
        first_read(engine)
