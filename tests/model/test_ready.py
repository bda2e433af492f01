"""Tables stored ready (format version 3): `cut` reads them in place, a version 2
file still loads, and damaged tables are refused, never decoded out of bounds."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import random_texts

from hanlex import Analyzer, Model, ModelFormatError
from hanlex.cli import main
from hanlex.decoding import engine as decoding_engine
from hanlex.model import fileformat
from hanlex.model.stored import READY

TEXT = "中共中央总书记、国家主席江泽民发表新年讲话。"


def parts(data: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """(the header's entries besides config, meta and arrays; the arrays) of a model file."""
    f = fileformat.ModelFile(data, "<test>")
    extra = {k: v for k, v in f.header.items()
             if k not in ("format_version", "config", "meta", "arrays", "data_bytes")}
    arrays = {name: f.array(name, spec["dtype"]) for name, spec in f.specs.items()}
    return {"config": f.config, "meta": f.meta, **extra}, arrays


def repacked(data: bytes, version: int = fileformat.FORMAT_VERSION, drop_ready: bool = False,
             **changed: np.ndarray) -> bytes:
    """The model file with arrays replaced (checksums recomputed: a damaged file
    that passes them), without its ready tables, or marked as another version."""
    header, arrays = parts(data)
    if drop_ready:
        header.pop("ready")
        arrays = {k: v for k, v in arrays.items() if not k.startswith(READY)}
    arrays.update({READY + k.replace("__", "/"): v for k, v in changed.items()})
    out = bytearray(fileformat.pack(header.pop("config"), header.pop("meta"), arrays, header))
    out[8:12] = version.to_bytes(4, "little")
    return bytes(out)


@pytest.fixture(scope="module")
def saved(joint_with_segmenter, tmp_path_factory):
    path = tmp_path_factory.mktemp("ready") / "m.hlx"
    joint_with_segmenter.save(path)
    return path


def no_building(monkeypatch):
    """compile_model fails for the segmenter: cut must read the stored tables."""
    real = decoding_engine.compile_model

    def compile_model(model, *args, **kwargs):
        assert model.joint, "cut built its tables"
        return real(model, *args, **kwargs)
    monkeypatch.setattr(decoding_engine, "compile_model", compile_model)


def test_cut_reads_the_stored_tables_and_cuts_as_the_built_ones(saved, joint_with_segmenter,
                                                                monkeypatch):
    texts = random_texts(5, 200, TEXT) + [TEXT]
    built = Analyzer(joint_with_segmenter)  # in memory: no file, no stored tables
    no_building(monkeypatch)
    ready = Analyzer(saved)
    assert ready.engine.full.ready is not None
    assert ready.cut_many(texts) == built.cut_many(texts)
    assert [ready.cut(t) for t in texts] == [built.cut(t) for t in texts]
    assert ready.cut_for_search(TEXT) == built.cut_for_search(TEXT)
    assert ready.tag_many(texts) == built.tag_many(texts)  # the joint model's, built on use


def test_a_segmentation_only_model_stores_its_own_tables(small_model, tmp_path, monkeypatch):
    path = tmp_path / "seg.hlx"
    small_model.save(path)
    texts = random_texts(6, 100, TEXT)
    built = Analyzer(small_model).cut_many(texts)
    no_building(monkeypatch)
    assert Analyzer(path).cut_many(texts) == built


def test_a_version_2_file_loads_and_convert_upgrades_it(saved, tmp_path, monkeypatch):
    old = tmp_path / "v2.hlx"
    old.write_bytes(repacked(saved.read_bytes(), version=2, drop_ready=True))
    texts = random_texts(7, 100, TEXT)
    loaded = Analyzer(old)
    assert loaded.engine.full.ready is None
    assert loaded.cut_many(texts) == Analyzer(saved).cut_many(texts)
    new = tmp_path / "v3.hlx"
    assert main(["convert", str(old), "-o", str(new)]) == 0
    assert new.read_bytes()[8:12] == fileformat.FORMAT_VERSION.to_bytes(4, "little")
    assert new.read_bytes() == saved.read_bytes()
    no_building(monkeypatch)
    assert Analyzer(new).cut_many(texts) == loaded.cut_many(texts)


def test_a_changed_model_does_not_read_tables_that_no_longer_fit(saved):
    model = Model.load(saved)
    assert model.ready is not None
    assert model.with_words(["总书记国家"]).ready is None
    text = "总书记国家主席"
    assert Analyzer(saved, lexicon=["总书记国家"]).cut(text) == \
        Analyzer(Model.load(saved).with_words(["总书记国家"])).cut(text)


def test_damaged_tables_are_refused(saved, tmp_path):
    data = saved.read_bytes()
    _, arrays = parts(data)
    standard = next(k.split("/")[1] for k in arrays if k.startswith(READY) and "/hslots" in k)
    hslots = arrays[f"{READY}{standard}/hslots"]
    full = hslots.copy()
    full[:, 0] = np.arange(1, len(hslots) + 1)  # no empty slot: a probe would never end
    uni_chars = arrays[f"{READY}{standard}/uni_chars"].copy()
    uni_chars[0] = 0x7FFFFFFF  # a row of a character beyond every code point
    lexicon = arrays[f"{READY}lexicon/slots"].copy()
    lexicon[:, 0] |= 1
    damages = {
        "no empty slot": {f"{standard}__hslots": full},
        "slots of another size": {f"{standard}__hpairs": arrays[f"{READY}{standard}/hpairs"][:, :4].copy()},
        "not a power of two": {f"{standard}__hslots": hslots[:-1].copy()},
        "a character out of range": {f"{standard}__uni_chars": uni_chars},
        "rows that do not fit": {f"{standard}__uni": arrays[f"{READY}{standard}/uni"][:-1].copy()},
        "lexicon rows that do not fit": {
            f"{standard}__lexc": arrays[f"{READY}{standard}/lexc"][:-1].copy()},
        "class windows that do not fit": {
            f"{standard}__cwin": arrays[f"{READY}{standard}/cwin"][:-1].copy()},
        "a full lexicon": {"lexicon__slots": lexicon},
        "a short word-start table": {"lexicon__word_starts": np.zeros(10, dtype=np.uint8)},
        "a short key filter": {"lexicon__known": np.zeros(10, dtype=np.uint64)},
    }
    for what, change in damages.items():
        path = tmp_path / "d.hlx"
        path.write_bytes(repacked(data, **change))
        with pytest.raises(ModelFormatError, match="ready tables"):
            Analyzer(path).cut(TEXT)
        assert what


def test_a_joint_model_without_a_segmenter_stores_no_tables(two_standard_model, tmp_path):
    path = tmp_path / "two.hlx"
    two_standard_model.save(path)  # cut decodes with the joint model, built at load
    assert Model.load(path).ready is None
    assert Analyzer(path, standard="joined").cut(TEXT) == \
        Analyzer(two_standard_model, standard="joined").cut(TEXT)


def test_threads_that_first_cut_and_tag_at_once_get_serial_output(saved, two_standard_model,
                                                                   tmp_path):
    """The engine reads the Model and builds the joint tables on first use, under
    one lock: threads that all start at once (cut, tag, another standard's words)
    get what one thread gets."""
    import threading

    two = tmp_path / "two.hlx"
    two_standard_model.save(two)
    texts = random_texts(8, 40, TEXT)
    for path, standard in ((saved, None), (two, "joined")):
        expected = Analyzer(path, standard=standard)
        want = (expected.cut_many(texts), expected.tag_many(texts))
        for _ in range(3):
            an = Analyzer(path, standard=standard)  # nothing read but the header and cut's tables
            got, start = [], threading.Barrier(6)

            def work(k):
                start.wait()
                got.append(an.tag_many(texts) if k % 2 else an.cut_many(texts))
            threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(map(repr, got)) == sorted([repr(want[0])] * 3 + [repr(want[1])] * 3)
