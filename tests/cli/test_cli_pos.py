from __future__ import annotations

import subprocess
import sys

from conftest import FIXTURES

from hanlex.io.corpus import read_corpus
from hanlex.model.model import META_LABELS as LABELS


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
    assert "NOUN" in info["tags"] and info[LABELS["tags_from"]] == "default"
    for args, says in (((str(plain), "--tags-from", str(seg)), "needs a joint"),
                       ((str(plain), "--tagset", "upos"), "needs --tags-from"),
                       ((str(FIXTURES / "pd_sample.txt"), "--tags-from", str(tagger)),
                        "already tagged"),
                       ((str(plain), "--seg-only", "--tags-from", str(tagger)), "--seg-only")):
        r = run("train", *args, "-o", str(tmp_path / "x.hlx"))
        assert r.returncode == 2 and says in r.stderr and "Traceback" not in r.stderr


def test_cli_train_other_standard(tmp_path, small_joint_model):
    """A words-only corpus of another standard beside a tagged TRAIN: tagged by
    --tags-from, trained with its own private features; the model decodes in
    either standard and `info` lists both."""
    tagger = tmp_path / "joint.hlx"
    small_joint_model.save(tagger)
    other = tmp_path / "weibo.txt"
    other.write_text("江泽民 说 好\n我们 去 北京 了\n" * 20, encoding="utf-8")
    out = tmp_path / "out.hlx"
    run = lambda *a: subprocess.run([sys.executable, "-m", "hanlex.cli", *a],  # noqa: E731
                                    capture_output=True, text=True)
    train = str(FIXTURES / "pd_sample.txt")
    r = run("train", train, "--name", "pku", "--standard", f"weibo={other}", "--tags-from",
            str(tagger), "-o", str(out), "--epochs", "2", "--min-count", "1")
    assert r.returncode == 0, r.stderr
    assert "criterion 1" in r.stderr and "private features" in r.stderr
    info = dict(l.split("\t", 1) for l in run("info", "--model", str(out)).stdout.splitlines())
    assert int(info["labels"]) > 20
    assert info["standards"] == "pku (default) weibo"
    r = run("train", train, "--standard", f"weibo={other}", "-o", str(tmp_path / "x.hlx"))
    assert r.returncode == 2 and "--tags-from" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.hlx").exists()
    for bad, says in ((f"Weibo={other}", "not a standard name"), (str(other), "NAME=CORPUS"),
                      (f"main={other}", "named twice")):
        r = run("train", train, "--standard", bad, "-o", str(tmp_path / "x.hlx"))
        assert r.returncode == 2 and says in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_cli_train_a_standard_with_its_own_tagset(tmp_path, small_joint_model):
    """A CoNLL-U corpus (UPOS) beside a PKU-tagged TRAIN: its words are tagged by
    --tags-from for the joint model, and its own tags are learned by a retagger,
    so `segment --pos --standard ud` writes UPOS."""
    from hanlex.io.corpus import read_corpus
    from hanlex.model.tagsets import UPOS, convert

    tagger = tmp_path / "joint.hlx"
    small_joint_model.save(tagger)
    rows = []
    for s in read_corpus(FIXTURES / "pd_sample.txt")[:60]:
        rows += [f"{i}\t{w}\t_\t{convert(t, 'upos')}\t_\t_\t0\tdep\t_\t_"
                 for i, (w, t) in enumerate(zip(s.words, s.tags), 1)] + [""]
    ud = tmp_path / "ud.conllu"
    ud.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out.hlx"
    run = lambda *a, **k: subprocess.run([sys.executable, "-m", "hanlex.cli", *a],  # noqa: E731
                                         capture_output=True, text=True, **k)
    r = run("train", str(FIXTURES / "pd_sample.txt"), "--name", "pku", "--standard", f"ud={ud}",
            "--tags-from", str(tagger), "-o", str(out), "--epochs", "2", "--min-count", "1")
    assert r.returncode == 0, r.stderr
    assert "retagger" in r.stderr
    r = run("segment", "--model", str(out), "--standard", "ud", "--pos",
            input="国家主席发表新年讲话。\n", encoding="utf-8")
    assert r.returncode == 0, r.stderr
    tags = [tok.rsplit("/", 1)[1] for tok in r.stdout.split()]
    assert tags and set(tags) <= set(UPOS)
