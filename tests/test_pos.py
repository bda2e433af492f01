"""Joint segmentation + POS tagging: API, CLI and tagset maps."""
from __future__ import annotations

import subprocess
import sys

import pytest

from hanlex import Analyzer
from hanlex.corpus import read_corpus
from hanlex.tagsets import PKU, convert
from hanlex.train import evaluate_model

from conftest import FIXTURES


def test_joint_model_learns_tags(small_joint_model, sample_sentences):
    s = evaluate_model(small_joint_model, sample_sentences, joint=True)
    assert s.f > 0.95 and s.f_joint > 0.9, (s.f, s.f_joint)
    assert s.f_joint <= s.f


def test_tag_api(small_joint_model):
    an = Analyzer(small_joint_model)
    pairs = an.tag("中共中央总书记、国家主席江泽民发表新年讲话。")
    assert "".join(w for w, _ in pairs) == "中共中央总书记、国家主席江泽民发表新年讲话。"
    assert all(t in small_joint_model.tags for _, t in pairs)
    assert dict(pairs).get("。") == "w"
    toks = an.tokenize("中共中央 总书记")
    assert [t.tag for t in toks][1] == "w"  # whitespace tokens are tagged w
    assert all(t.tag for t in toks)
    upos = an.tag("中共中央总书记", tagset="upos")
    assert [w for w, _ in upos] == [w for w, _ in an.tag("中共中央总书记")]
    assert all(t in {v[2] for v in PKU.values()} | {"X"} for _, t in upos)


def test_seg_only_model_refuses_tags(small_model):
    with pytest.raises(ValueError, match="no POS tags"):
        Analyzer(small_model).tag("你好")
    assert Analyzer(small_model).tokenize("你好")[0].tag is None


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
    from hanlex.tagsets import namer

    assert namer(["", "nr", "w"], "upos")("nr") == "PROPN"  # PKU model: mapped
    assert namer(["NOUN", "PROPN", "X"], "upos")("PROPN") == "PROPN"  # UPOS model: kept
    assert namer(["NOUN", "PROPN"], "pku")("NOUN") == "NOUN"  # the model's own
    with pytest.raises(ValueError, match="neither PKU nor thulac"):
        namer(["NOUN", "PROPN"], "thulac")
    with pytest.raises(ValueError, match="unknown tagset"):
        namer(["n"], "ctb")


def test_cli_pos_output_and_eval(tmp_path, small_joint_model):
    model = tmp_path / "joint.hlx"
    small_joint_model.save(model)
    sents = read_corpus(FIXTURES / "pd_sample.txt")
    raw = tmp_path / "raw.txt"
    raw.write_text("\n".join(s.text for s in sents) + "\n", encoding="utf-8")
    gold = tmp_path / "gold.txt"
    gold.write_text("\n".join(" ".join(f"{w}/{t}" for w, t in zip(s.words, s.tags)) for s in sents)
                    + "\n", encoding="utf-8")
    pred = tmp_path / "pred.txt"
    run = lambda *a: subprocess.run([sys.executable, "-m", "hanlex.cli", *a],  # noqa: E731
                                    capture_output=True, text=True)
    r = run("segment", "--pos", "--model", str(model), str(raw), "-o", str(pred))
    assert r.returncode == 0, r.stderr
    first = pred.read_text(encoding="utf-8").splitlines()[0].split(" ")
    assert all("/" in tok for tok in first)
    r = run("eval", "--pos", str(gold), str(pred))
    out = dict(l.split("\t") for l in r.stdout.splitlines())
    assert float(out["joint F1 (word+tag)"]) > 90.0
    r = run("segment", "--pos", "--sep", "_", "--tagset", "thulac", "--model", str(model),
            str(raw))
    assert r.returncode == 0 and "_" in r.stdout.split("\n")[0]
    r = run("segment", "--pos", "--model", "/nonexistent.hlx", str(raw))
    assert r.returncode == 2


def test_group_sums_carried_between_calls_are_exact(small_joint_model, sample_sentences):
    """The joint decoder keeps its group-A sums from call to call: a decoder
    that has seen other texts gives exactly a fresh decoder's labels."""
    import numpy as np

    from hanlex.decoder import Decoder
    from hanlex.features import codepoints
    from hanlex.pretokenize import plan

    def batch(texts):
        joined, segs, _, mask, _ = plan(texts)
        seg = np.array(segs, dtype=np.int64).reshape(-1, 2)
        return (codepoints(joined), np.ascontiguousarray(seg[:, 0]),
                np.ascontiguousarray(seg[:, 1]), mask)

    texts = [s.text for s in sample_sentences]
    used = Decoder(small_joint_model)
    used.decode(*batch(texts[::-1]))
    assert len(used._caches) == 1
    for part in (texts[:50], texts[50:]):
        assert np.array_equal(used.decode(*batch(part)),
                              Decoder(small_joint_model).decode(*batch(part)))


def _words_only(sents):
    from hanlex.corpus import Sentence
    return [Sentence(s.words) for s in sents]


def test_tags_from_keeps_the_corpus_words_and_is_the_constrained_best_path(small_joint_model,
                                                                           sample_sentences):
    import numpy as np

    from hanlex import reference
    from hanlex.features import codepoints
    from hanlex.labels import LabelSet
    from hanlex.train import tags_from

    plain = _words_only(sample_sentences)
    tagged = tags_from(small_joint_model, plain, batch=7)  # batches that split the corpus
    assert [s.words for s in tagged] == [s.words for s in sample_sentences]
    tags = set(small_joint_model.tags)
    assert all(len(s.tags) == len(s.words) and set(s.tags) <= tags for s in tagged)
    # the model learned this corpus: its tags mostly come back
    agree = sum(a == b for g, p in zip(sample_sentences, tagged) for a, b in zip(g.tags, p.tags))
    assert agree / sum(len(s.words) for s in sample_sentences) > 0.9
    # each sentence: the pure-Python decoder's best path under the corpus's word positions
    for g, p in list(zip(sample_sentences, tagged))[:25]:
        pos = LabelSet().encode_words(g.words)
        labels = reference.decode(codepoints(g.text).tolist(), small_joint_model,
                                  [1 << x for x in pos])
        ends = np.cumsum([len(w) for w in g.words]) - 1
        assert [lab & 3 for lab in labels] == pos
        assert tuple(small_joint_model.tags[labels[e] >> 2] for e in ends) == p.tags


def test_tags_from_moves_no_boundary_the_tagger_would_draw_elsewhere(small_joint_model):
    from hanlex.corpus import Sentence
    from hanlex.train import tags_from

    odd = [Sentence(("中", "共中", "央总书记")), Sentence(()), Sentence(("https://a.cn", "！"))]
    out = tags_from(small_joint_model, odd)
    assert [s.words for s in out] == [s.words for s in odd]
    assert out[1].tags == () and len(out[0].tags) == 3 and len(out[2].tags) == 2


def test_tags_from_trains_a_joint_model_from_words_only(small_joint_model, small_model,
                                                        sample_sentences):
    from hanlex.corpus import Sentence
    from hanlex.train import TrainConfig, tags_from, train

    with pytest.raises(ValueError, match="joint"):
        tags_from(small_model, _words_only(sample_sentences))
    with pytest.raises(ValueError, match="unknown tagset"):
        tags_from(small_joint_model, _words_only(sample_sentences), tagset="ud2")
    by_length = train([Sentence(s.words, tuple("long" if len(w) > 1 else "one" for w in s.words))
                       for s in sample_sentences[:40]],
                      config=TrainConfig(epochs=1, min_count=1, folds=2, joint=True))
    assert len(tags_from(by_length, _words_only(sample_sentences[:5]))) == 5
    with pytest.raises(ValueError, match="neither PKU nor upos"):
        tags_from(by_length, _words_only(sample_sentences), tagset="upos")
    upos = tags_from(small_joint_model, _words_only(sample_sentences), tagset="upos")
    pku = tags_from(small_joint_model, _words_only(sample_sentences))
    assert [s.tags for s in upos] == [tuple(convert(t, "upos") for t in s.tags) for s in pku]
    upos_model = train(upos, config=TrainConfig(epochs=2, min_count=1, folds=3, joint=True))
    text = sample_sentences[3].text
    assert Analyzer(upos_model).tag(text, "upos") == Analyzer(upos_model).tag(text)
    assert {t for _, t in Analyzer(upos_model).tag(text, "upos")} - {"X"}
    with pytest.raises(ValueError, match="neither PKU nor"):
        Analyzer(by_length).tag(text, "upos")
    silver = tags_from(small_joint_model, _words_only(sample_sentences))
    m = train(silver, config=TrainConfig(epochs=3, min_count=1, folds=3, joint=True,
                                         cand_min_count=2))
    assert len(m.tags) > 5 and set(m.tags) <= set(small_joint_model.tags)
    words = Analyzer(m).tag(sample_sentences[3].text)
    assert "".join(w for w, _ in words) == sample_sentences[3].text


def test_cli_train_tags_from(tmp_path, small_joint_model, small_model, sample_sentences):
    tagger, seg = tmp_path / "joint.hlx", tmp_path / "seg.hlx"
    small_joint_model.save(tagger)
    small_model.save(seg)
    plain = tmp_path / "plain.txt"
    plain.write_text("\n".join(" ".join(s.words) for s in sample_sentences) + "\n", encoding="utf-8")
    out = tmp_path / "out.hlx"
    run = lambda *a: subprocess.run([sys.executable, "-m", "hanlex.cli", *a],  # noqa: E731
                                    capture_output=True, text=True)
    r = run("train", str(plain), "-o", str(out), "--epochs", "2", "--tags-from", str(tagger))
    assert r.returncode == 0, r.stderr
    info = dict(l.split("\t", 1) for l in run("info", "--model", str(out)).stdout.splitlines())
    assert info["tags"] != "(segmentation only)" and int(info["labels"]) > 20
    r = run("train", str(plain), "-o", str(out), "--epochs", "2", "--tags-from", "default",
            "--tagset", "upos")
    assert r.returncode == 0, r.stderr
    info = dict(l.split("\t", 1) for l in run("info", "--model", str(out)).stdout.splitlines())
    assert set(info["tags"].split()) <= {"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN",
                                         "NUM", "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM",
                                         "VERB", "X"}
    assert "NOUN" in info["tags"] and info["tags_from"] == "default"
    for args, says in (((str(plain), "--tags-from", str(seg)), "needs a joint"),
                       ((str(plain), "--tagset", "upos"), "needs --tags-from"),
                       ((str(FIXTURES / "pd_sample.txt"), "--tags-from", str(tagger)),
                        "already tagged"),
                       ((str(plain), "--seg-only", "--tags-from", str(tagger)), "--seg-only")):
        r = run("train", *args, "-o", str(tmp_path / "x.hlx"))
        assert r.returncode == 2 and says in r.stderr and "Traceback" not in r.stderr
