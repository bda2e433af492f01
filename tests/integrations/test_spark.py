"""hanlex on Apache Spark, in local[2] mode."""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402

from hanlex import Analyzer  # noqa: E402
from hanlex.integrations.spark import segment_table, segment_udf  # noqa: E402

TEXTS = ["我爱北京天安门", "天安门上太阳升", "GPT-4 和 iPhone 发布了 😀", "", "中华人民共和国成立了"] * 8


@pytest.fixture(scope="module")
def spark():
    session = (SparkSession.builder.master("local[2]").appName("hanlex-tests")
               .config("spark.ui.enabled", "false").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def df(spark):
    return spark.createDataFrame([(i, t, f"doc{i % 3}") for i, t in enumerate(TEXTS)],
                                 "id long, text string, source string").repartition(3)


def test_the_readme_example(spark):
    from hanlex.integrations.spark import segment_udf
    df = spark.createDataFrame([("我爱北京天安门",), ("天安门上太阳升",)], ["text"])
    df = df.withColumn("words", segment_udf()("text"))
    expected = Analyzer().cut_many(["我爱北京天安门", "天安门上太阳升"])
    assert [r.words for r in df.collect()] == expected


def test_the_udf_equals_cut_many_and_keeps_the_rows(df):
    out = df.withColumn("words", segment_udf()("text")).orderBy("id").collect()
    assert [r.id for r in out] == list(range(len(TEXTS)))
    assert [r.source for r in out] == [f"doc{i % 3}" for i in range(len(TEXTS))]
    assert [list(r.words) for r in out] == Analyzer().cut_many(TEXTS)


def test_tags_and_map_in_arrow_equal_the_analyzer(df):
    an = Analyzer()
    tagged = df.withColumn("tags", segment_udf(pos=True)("text")).orderBy("id").collect()
    assert [[(t.word, t.tag) for t in r.tags] for r in tagged] == an.tag_many(TEXTS)
    toks = segment_table(df, "text", tokens=True).orderBy("id").collect()
    assert [r.source for r in toks] == [f"doc{i % 3}" for i in range(len(TEXTS))]
    assert [[(t.word, t.start, t.end) for t in r.words] for r in toks] == [
        [(t.word, t.start, t.end) for t in ts] for ts in an.tokenize_many(TEXTS)]


def test_a_user_dictionary_is_shipped_to_the_executors(spark, df, tmp_path):
    path = tmp_path / "user.txt"
    path.write_text("天安门上 10 s\n", encoding="utf-8")
    seg = segment_udf(user_dict=str(path))
    assert "user.txt" in spark.sparkContext.listFiles[0]  # sent by addFile...
    out = df.withColumn("words", seg("text")).orderBy("id").collect()
    expected = Analyzer(user_dict=["天安门上"]).cut("天安门上太阳升")
    assert expected[0] == "天安门上" and list(out[1].words) == expected  # ...and read by the executors


def test_the_standard_asked_for_reaches_the_executors(spark, two_standard_model_file,
                                                     sample_sentences):
    texts = [s.text for s in sample_sentences[:150]]
    df = spark.createDataFrame(list(enumerate(texts)), "id long, text string").repartition(3)
    want = Analyzer(two_standard_model_file, standard="joined").cut_many(texts)
    assert want != Analyzer(two_standard_model_file).cut_many(texts)
    seg = segment_udf(model=two_standard_model_file, standard="joined")
    out = df.withColumn("words", seg("text")).orderBy("id").collect()
    assert [list(r.words) for r in out] == want
    table = segment_table(df, "text", model=two_standard_model_file, standard="joined")
    assert [list(r.words) for r in table.orderBy("id").collect()] == want
    bad = segment_udf(model=two_standard_model_file, standard="weibo")
    with pytest.raises(Exception, match="no standard 'weibo'"):
        df.withColumn("words", bad("text")).collect()


def test_null_texts_give_null_and_other_values_name_their_row(spark):
    nulls = spark.createDataFrame([("我爱北京",), (None,)], "text string")
    out = nulls.withColumn("words", segment_udf()("text")).collect()
    assert out[1].words is None and list(out[0].words) == ["我", "爱", "北京"]
    ints = spark.createDataFrame([(5,), (6,)], "text long")
    with pytest.raises(Exception, match=r"row 0: the text column holds a int"):
        segment_table(ints, "text").collect()
