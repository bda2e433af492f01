"""A user's own model trained with THULAC's train_c loads like THULAC's shipped ones.

Needs THULAC_TRAIN_C: a train_c binary built from THULAC's public source (never
committed); skipped without it, and without the thulac package, whose decoder
and dictionaries the trained models are checked against and completed with.
"""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from conftest import FIXTURES

from hanlex import Analyzer
from hanlex.io.corpus import read_corpus


@pytest.fixture(scope="module")
def trained_dir(tmp_path_factory, thulac_dir):
    train_c = os.environ.get("THULAC_TRAIN_C")
    if not train_c:
        pytest.skip("set THULAC_TRAIN_C to a train_c binary built from THULAC's source")
    d = tmp_path_factory.mktemp("thulac_user")
    sents = read_corpus(FIXTURES / "pd_sample.txt")
    (d / "train.seg").write_text("\n".join(" ".join(f"{w}_" for w in s.words) for s in sents)
                                 + "\n", encoding="utf-8")
    (d / "train.wt").write_text("\n".join(" ".join(f"{w}/{t}" for w, t in zip(s.words, s.tags))
                                          for s in sents) + "\n", encoding="utf-8")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    subprocess.run([train_c, "-s", "_", "-i", "3", str(d / "train.seg"), str(d / "cws")], **quiet)
    subprocess.run([train_c, "-i", "3", str(d / "train.wt"), str(d / "model_c")], **quiet)
    for name in ("ns.dat", "idiom.dat", "singlepun.dat", "t2s.dat"):
        shutil.copy(os.path.join(thulac_dir, name), d / name)
    return d


TEXTS = ["迈向充满希望的新世纪——一九九八年新年讲话", "我爱北京天安门，天安门上太阳升。",
         "中国人民政府今天宣布了新的政策。", "１２月３１日，在北京大学召开会议"]


def test_user_trained_models_are_read_as_thulac_reads_them(trained_dir):
    import thulac

    ours = Analyzer(f"thulac:{trained_dir}")
    seg = thulac.thulac(model_path=str(trained_dir), seg_only=True)
    joint = thulac.thulac(model_path=str(trained_dir))
    for text in TEXTS:
        assert [w for w in ours.cut(text) if w.strip()] == [w for w, _ in seg.cut(text)]
        assert [p for p in ours.tag(text) if p[0].strip()] == [tuple(p) for p in joint.cut(text)]
