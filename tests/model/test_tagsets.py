from __future__ import annotations

import pytest
from conftest import FIXTURES

from hanlex.io.corpus import read_corpus
from hanlex.model.tagsets import PKU, convert


def test_tagset_maps():
    assert convert("nr", "thulac") == "np" and convert("nt", "thulac") == "ni"
    assert convert("vn", "thulac") == "v" and convert("Ng", "thulac") == "g"
    assert convert("nr", "upos") == "PROPN" and convert("w", "upos") == "PUNCT"
    assert convert("???", "upos") == "X" and convert("n", "pku") == "n"
    with pytest.raises(ValueError, match="unknown tagset"):
        convert("n", "ctb")
    # every tag in People's Daily has an entry
    tags = {t for s in read_corpus(FIXTURES / "pd_sample.txt") for t in s.tags}
    assert tags <= set(PKU)


def test_a_model_already_in_the_asked_tagset_keeps_its_tags():
    from hanlex.model.tagsets import namer

    assert namer(["", "nr", "w"], "upos")("nr") == "PROPN"  # PKU model: mapped
    assert namer(["NOUN", "PROPN", "X"], "upos")("PROPN") == "PROPN"  # UPOS model: kept
    assert namer(["NOUN", "PROPN"], "pku")("NOUN") == "NOUN"  # the model's own
    with pytest.raises(ValueError, match="neither PKU nor thulac"):
        namer(["NOUN", "PROPN"], "thulac")
    with pytest.raises(ValueError, match="unknown tagset"):
        namer(["n"], "ctb")


def test_tagset_md_shows_the_maps_as_the_code_has_them():
    from pathlib import Path

    from hanlex.model.tagsets import markdown_table

    doc = Path(__file__).resolve().parents[2] / "TAGSET.md"
    if not doc.exists():
        pytest.skip("TAGSET.md is not beside the tests (installed tests only)")
    assert markdown_table() in doc.read_text(encoding="utf-8")
