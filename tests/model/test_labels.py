from __future__ import annotations

from hanlex.model.labels import LabelSet, spans


def test_labels_round_trip():
    ls = LabelSet(("n", "v"))
    labs = ls.encode_words(["中国", "是", "大国家"], ["n", "v", "n"])
    assert [ls.name(l) for l in labs] == ["B-n", "E-n", "S-v", "B-n", "M-n", "E-n"]
    assert spans(labs) == [(0, 2, 0), (2, 3, 1), (3, 6, 0)]
    a = ls.allowed()
    assert a[ls.label(0, "n"), ls.label(1, "n")] and not a[ls.label(0, "n"), ls.label(1, "v")]
    assert a[8, ls.label(3, "v")] and not a[8, ls.label(2, "v")]
