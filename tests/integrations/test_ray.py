"""hanlex on Ray Data, on a local cluster of 2 CPUs."""
from __future__ import annotations

import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

from hanlex import Analyzer  # noqa: E402
from hanlex.errors import ConfigError  # noqa: E402
from hanlex.integrations.ray import segment  # noqa: E402

TEXTS = ["我爱北京天安门", "天安门上太阳升", "GPT-4 和 iPhone 发布了 😀", "", "中华人民共和国成立了"] * 8


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def rows(texts):
    return [{"id": i, "text": t, "source": f"doc{i % 3}"} for i, t in enumerate(texts)]


def test_the_readme_example(cluster):
    import ray.data

    from hanlex.integrations.ray import segment
    ds = ray.data.from_items([{"text": "我爱北京天安门"}, {"text": "天安门上太阳升"}])
    ds = segment(ds, column="text", output_column="words")
    # what the same Analyzer writes locally: the Ray path adds no words of its own
    expected = Analyzer().cut_many(["我爱北京天安门", "天安门上太阳升"])
    assert [r["words"] for r in ds.take_all()] == expected


def test_words_equal_cut_many_and_other_columns_stay(cluster):
    out = segment(ray.data.from_items(rows(TEXTS)), batch_size=7).take_all()
    assert [r["id"] for r in out] == list(range(len(TEXTS)))
    assert [r["source"] for r in out] == [f"doc{i % 3}" for i in range(len(TEXTS))]
    assert [list(r["words"]) for r in out] == Analyzer().cut_many(TEXTS)


def test_tags_and_tokens_equal_the_analyzer(cluster):
    an = Analyzer()
    tagged = segment(ray.data.from_items(rows(TEXTS)), pos=True, output_column="tags").take_all()
    assert [[(t["word"], t["tag"]) for t in r["tags"]] for r in tagged] == an.tag_many(TEXTS)
    toks = segment(ray.data.from_items(rows(TEXTS)), tokens=True).take_all()
    assert [[(t["word"], t["start"], t["end"]) for t in r["words"]] for r in toks] == [
        [(t.word, t.start, t.end) for t in ts] for ts in an.tokenize_many(TEXTS)]


def test_user_words_reach_the_actors(cluster, tmp_path):
    path = tmp_path / "user.txt"
    path.write_text("天安门上 10 s\n", encoding="utf-8")
    from_file = segment(ray.data.from_items(rows(TEXTS[:2])), user_dict=path).take_all()
    from_list = segment(ray.data.from_items(rows(TEXTS[:2])), user_dict=["天安门上"]).take_all()
    expected = Analyzer(user_dict=["天安门上"]).cut("天安门上太阳升")
    assert expected[0] == "天安门上"
    assert list(from_file[1]["words"]) == list(from_list[1]["words"]) == expected


def test_the_standard_asked_for_reaches_the_actors(cluster, two_standard_model_file,
                                                  sample_sentences):
    texts = [s.text for s in sample_sentences[:150]]
    want = Analyzer(two_standard_model_file, standard="joined").cut_many(texts)
    assert want != Analyzer(two_standard_model_file).cut_many(texts)
    out = segment(ray.data.from_items(rows(texts)), model=two_standard_model_file,
                  standard="joined", batch_size=32).take_all()
    assert [list(r["words"]) for r in out] == want
    with pytest.raises(ConfigError, match="pku, joined"):  # on the driver, before the job
        segment(ray.data.from_items(rows(texts)), model=two_standard_model_file,
                standard="weibo")


def test_the_command_line_engine_writes_the_standard_asked_for(cluster, tmp_path, capsys,
                                                               two_standard_model_file,
                                                               sample_sentences):
    import pyarrow.parquet as pq

    from hanlex.cli import main

    texts = [s.text for s in sample_sentences[:150]]
    src = tmp_path / "in.txt"
    src.write_text("\n".join(texts) + "\n", encoding="utf-8")
    out = tmp_path / "shards"
    assert main(["segment", "--engine", "ray", str(src), "-o", str(out), "--model",
                 two_standard_model_file, "--standard", "joined"]) == 0
    got = sorted(list(r["words"]) for r in pq.read_table(out).to_pylist())
    assert got == sorted(Analyzer(two_standard_model_file, standard="joined").cut_many(texts))
    assert main(["segment", "--engine", "ray", str(src), "-o", str(tmp_path / "none"),
                 "--model", two_standard_model_file, "--standard", "weibo"]) == 2
    err = capsys.readouterr().err
    assert "'weibo'" in err and "pku, joined" in err and err.count("\n") == 1


def test_null_texts_give_null_and_other_values_name_their_row(cluster):
    out = segment(ray.data.from_items([{"text": "我爱北京"}, {"text": None}])).take_all()
    assert out[1]["words"] is None and list(out[0]["words"]) == ["我", "爱", "北京"]
    with pytest.raises(Exception, match=r"row 0: the text column holds a int"):
        segment(ray.data.from_items([{"text": 5}, {"text": 6}])).take_all()


def test_the_command_line_engine_writes_shards(cluster, tmp_path):
    import json

    import pyarrow.parquet as pq

    from hanlex.cli import main

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "content": t}, ensure_ascii=False) + "\n"
                           for i, t in enumerate(TEXTS)), encoding="utf-8")
    out = tmp_path / "shards"
    assert main(["segment", "--engine", "ray", str(src), "-o", str(out),
                 "--column", "content"]) == 0
    table = pq.read_table(out).to_pylist()
    table.sort(key=lambda r: r["id"])
    assert [r["id"] for r in table] == list(range(len(TEXTS)))
    assert [list(r["words"]) for r in table] == Analyzer().cut_many(TEXTS)
    assert main(["segment", "--engine", "ray", str(src), "-o", str(out)]) == 2  # not empty


def test_the_command_line_engine_reports_bad_rows_in_one_line(cluster, tmp_path, capsys):
    from hanlex.cli import main

    src = tmp_path / "numbers.jsonl"
    src.write_text('{"text": 5}\n{"text": 6}\n', encoding="utf-8")
    assert main(["segment", "--engine", "ray", str(src), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "the text column holds a int" in err and err.count("\n") == 1


def test_words_built_from_offsets_equal_the_word_lists():
    """The Arrow column the Ray and Spark integrations build from word offsets holds
    exactly cut_many's words (nulls, empty and whitespace texts, 4-byte characters)."""
    import pyarrow as pa

    from hanlex.integrations.columns import analyse, arrow_type, words_column

    an = Analyzer()
    for values in (TEXTS + [None, "", "  a b ", "𠀀中文😀 x", None], [None, None], [""], []):
        assert words_column(an, values).equals(pa.array(analyse(an, values), type=arrow_type()))


def test_read_lines_gives_read_texts_rows(cluster, tmp_path):
    import gzip

    from hanlex.integrations.ray import read_lines

    plain = tmp_path / "a.txt"
    plain.write_bytes("第一行\r\n\n第二行 有空格\n第三行".encode("utf-8"))
    packed = tmp_path / "b.txt.gz"
    packed.write_bytes(gzip.compress("压缩的\n两行\n".encode("utf-8")))
    mine = sorted(r["text"] for r in read_lines([str(plain), str(packed)]).take_all())
    theirs = sorted(r["text"] for r in ray.data.read_text([str(plain), str(packed)]).take_all())
    assert mine == theirs == sorted(["第一行", "第二行 有空格", "第三行", "压缩的", "两行"])


def test_blocks_are_capped_for_this_dataset_only(cluster):
    import ray.data

    before = ray.data.DataContext.get_current().target_max_block_size
    out = segment(ray.data.from_items(rows(TEXTS)), batch_size=4, max_block_bytes=1024)
    assert out.context.target_max_block_size == 1024
    done = out.materialize()
    assert done.num_blocks() > 1  # the actors' output came in small blocks...
    assert [list(r["words"]) for r in done.take_all()] == Analyzer().cut_many(TEXTS)  # ...in order
    assert ray.data.DataContext.get_current().target_max_block_size == before
    kept = segment(ray.data.from_items(rows(TEXTS)), max_block_bytes=None)
    assert kept.context.target_max_block_size == before
