"""`import hanlex.integrations.jieba as jieba` runs code written for jieba: jieba's
own test scripts, unmodified, and the module-level API they and jieba.analyse use."""
from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import hanlex.integrations.jieba as jieba
import hanlex.integrations.jieba.analyse as analyse
import hanlex.integrations.jieba.posseg as pseg

RUNNER = Path(__file__).with_name("jieba_dropin_runner.py")
SCRIPTS = ("test.py", "test_userdict.py", "test_pos.py", "test_tokenize.py",
           "test_cut_for_search.py", "test_bug.py", "test_multithread.py", "test_no_hmm.py")
#: test_userdict.py loads ./userdict.txt, which jieba's source distribution leaves out:
#: a dictionary of our own in jieba's format, with its tags (eng, nz, nr) and a bare word
USERDICT = "云计算 5\n李小福 2 nr\n创新办 3 i\neasy_install 3 eng\n好用 300\n韩玉赏鉴 3 nz\n台中\n"
TEXT = ("线程是程序执行时的最小单位，它是进程的一个执行流，是CPU调度和分派的基本单位。"
        "一个进程可以由很多个线程组成，线程间共享进程的所有资源，每个线程有自己的堆栈和局部变量。"
        "线程由CPU独立调度执行，在多CPU环境下就允许多个线程同时运行。")


@pytest.fixture(scope="module")
def jieba_tests(tmp_path_factory) -> Path:
    """The test/ folder of jieba 0.42.1's source distribution, from the package index."""
    where = tmp_path_factory.mktemp("jieba-sdist")
    r = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                        ":all:", "jieba==0.42.1", "-d", str(where)], capture_output=True,
                       timeout=600)
    if r.returncode != 0:
        pytest.skip("jieba 0.42.1's source distribution could not be downloaded: "
                    + r.stderr.decode(errors="replace").strip().splitlines()[-1])
    with tarfile.open(where / "jieba-0.42.1.tar.gz") as tar:
        tar.extractall(where, members=[m for m in tar.getmembers()
                                       if m.name.startswith("jieba-0.42.1/test/")],
                       filter="data")
    tests = where / "jieba-0.42.1" / "test"
    (tests / "userdict.txt").write_text(USERDICT, encoding="utf-8")
    return tests


@pytest.mark.parametrize("script", SCRIPTS)
def test_jiebas_own_test_scripts_run_unmodified(jieba_tests, script):
    r = subprocess.run([sys.executable, str(RUNNER), script], cwd=jieba_tests,
                       capture_output=True, timeout=600)
    assert r.returncode == 0, r.stderr.decode(errors="replace")[-2000:]
    assert r.stdout.strip()


def test_module_level_calls_share_one_tokenizer():
    assert jieba.lcut("我来到北京清华大学") == ["我", "来到", "北京", "清华大学"]
    assert list(jieba.cut("我来到北京清华大学", HMM=False)) == ["我", "来到", "北京", "清华大学"]
    full = jieba.lcut("我来到北京清华大学", cut_all=True)
    assert full[:3] == ["我", "来到", "北京"] and {"清华", "清华大学", "大学"} <= set(full)
    assert list(jieba.tokenize("我爱北京")) == [("我", 0, 1), ("爱", 1, 2), ("北京", 2, 4)]
    assert {"科学院", "科学", "计算所"} <= set(jieba.lcut_for_search("中国科学院计算所"))
    jieba.add_word("蓝瓶咖啡测试词")
    assert "蓝瓶咖啡测试词" in jieba.lcut("我喝蓝瓶咖啡测试词") == jieba.dt.lcut("我喝蓝瓶咖啡测试词")
    jieba.add_word("蓝瓶咖啡测试词", 0)  # jieba's other way to delete a word
    assert "蓝瓶咖啡测试词" not in jieba.lcut("我喝蓝瓶咖啡测试词")
    assert jieba.get_FREQ("中国") > 1000 and jieba.get_FREQ("不是词的串xyz", 7) == 7
    jieba.initialize()
    jieba.setLogLevel(20)


def test_parallel_mode_gives_the_same_words():
    text = "\n".join(["我来到北京清华大学", "他来到了网易杭研大厦"] * 50)
    plain = jieba.lcut(text)
    jieba.enable_parallel(2)
    try:
        assert jieba.lcut(text) == plain
    finally:
        jieba.disable_parallel()


def test_set_dictionary_adds_soft_words_and_a_missing_file_is_said(tmp_path):
    tok = jieba.Tokenizer()
    words = tmp_path / "dict.txt"
    words.write_text("数位板 3 n\n", encoding="utf-8")
    tok.set_dictionary(str(words))
    assert tok.get_dict_file().read() == words.read_bytes()
    assert "数位板" in tok.lcut("我买了一个数位板")
    with pytest.raises(FileNotFoundError, match="file does not exist"):
        tok.set_dictionary(str(tmp_path / "none.txt"))


def test_posseg_pairs_use_jiebas_tag_names():
    pairs = pseg.lcut("我爱Python。")
    assert [(p.word, p.flag) for p in pairs] == [("我", "r"), ("爱", "v"), ("Python", "eng"),
                                                  ("。", "x")]
    word, flag = pairs[0]
    assert (word, flag) == ("我", "r") and str(pairs[0]) == "我/r"
    assert pairs[0] == pseg.pair("我", "r") and repr(pairs[0]) == "pair('我', 'r')"
    assert pseg.POSTokenizer(jieba.Tokenizer()).lcut("北京")[0].flag == "ns"


def test_extract_tags_as_jiebas_extract_tags_script_calls_it():
    tags = analyse.extract_tags(TEXT, topK=5)
    assert len(tags) == 5 and "线程" == tags[0]
    weighted = analyse.extract_tags(TEXT, topK=3, withWeight=True)
    assert [w for w, _ in weighted] == tags[:3]
    assert weighted[0][1] >= weighted[1][1] >= weighted[2][1] > 0
    nouns = analyse.extract_tags(TEXT, topK=10, allowPOS=("n",), withFlag=True)
    assert nouns and all(p.flag == "n" for p in nouns)
    assert len(analyse.extract_tags(TEXT, topK=None)) > 10


def test_textrank_ranks_linked_words_and_scales_the_best_to_one():
    ranked = analyse.textrank(TEXT, topK=5, withWeight=True)
    assert ranked[0] == ("线程", 1.0)
    assert all(0 < w <= 1 for _, w in ranked)
    assert analyse.textrank("", topK=5) == []


def test_idf_and_stop_word_files(tmp_path):
    idf = tmp_path / "idf.txt"
    idf.write_text("线程 0.1\nCPU 0.1\n进程 0.1\n执行 0.1\n单位 0.1\n堆栈 30.0\n",
                   encoding="utf-8")  # median 0.1: the IDF of the words it lacks
    stop = tmp_path / "stop.txt"
    stop.write_text("单位\n", encoding="utf-8")
    extractor = analyse.TFIDF(str(idf))
    assert extractor.extract_tags(TEXT, topK=1) == ["堆栈"]
    extractor.set_stop_words(str(stop))
    assert "单位" not in extractor.extract_tags(TEXT, topK=None)
    idf.write_text("线程\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"idf.txt:1: expected 'word idf'"):
        analyse.TFIDF(str(idf))
