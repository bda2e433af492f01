"""hanlex on Apache Spark (needs: pip install pyspark pyarrow pandas).

    from hanlex.integrations.spark import segment_udf
    seg = segment_udf(user_dict="my_words.txt")             # files shipped with addFile
    df = df.withColumn("words", seg("text"))                # a pandas (Arrow) UDF

`segment_table(df, "text")` does the same with `mapInArrow`, for whole-table jobs.
A model or user dictionary given as a path is shipped to the executors with
`SparkContext.addFile` and opened there through `SparkFiles.get`, so it need not
exist on the executors' disks (a path that exists only on the driver is the classic
failure of segmenters on Spark). Each Python worker loads the analyzer once, on its
first batch, and keeps it for the settings it was made with. A null text gives a null
result; a value that is not a string fails the task with an error naming its row.
"""
from __future__ import annotations

import os
from typing import Iterable

from ..errors import ConfigError, require
from .columns import analyse, arrow_column, arrow_type, cached_analyzer, frozen_words

require("pyspark", "spark")

import pyarrow as pa  # noqa: E402
from pyspark import SparkFiles  # noqa: E402
from pyspark.sql import DataFrame, SparkSession  # noqa: E402


def _shipped(spark: SparkSession | None, path) -> str | None:
    """A file made available to the executors: its name under SparkFiles."""
    if path is None:
        return None
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ConfigError(f"{path}: no such file")
    session = spark or SparkSession.getActiveSession()
    if session is None:
        raise ConfigError("shipping a model or user dictionary to the executors needs a "
                          "SparkSession: create one first, or pass spark=")
    session.sparkContext.addFile(path)
    return os.path.basename(path)


def _local(name: str | None) -> str | None:
    """Where a shipped file is on this executor."""
    return SparkFiles.get(name) if name is not None else None


class _Settings:
    """What a worker needs to build its analyzer; small, so it pickles cheaply."""

    def __init__(self, spark, model, user_dict, traditional, standard, pos, tokens, tagset):
        self.model = _shipped(spark, model)
        if user_dict is None or isinstance(user_dict, (str, os.PathLike)):
            self.dict_file, self.words = _shipped(spark, user_dict), None
        else:
            self.dict_file, self.words = None, frozen_words(user_dict)
        self.traditional, self.standard = traditional, standard
        self.pos, self.tokens, self.tagset = pos, tokens, tagset

    def analyzer(self):
        words = _local(self.dict_file) if self.dict_file else self.words
        return cached_analyzer(_local(self.model), words, self.traditional, self.standard)

    def spark_type(self):
        from pyspark.sql.pandas.types import (
            from_arrow_type,  # optional extra: imported where it is used
        )

        return from_arrow_type(arrow_type(self.pos, self.tokens))


def segment_udf(*, pos: bool = False, tokens: bool = False, model=None,
                user_dict: str | os.PathLike | Iterable | None = None, traditional: bool = False,
                standard: str | None = None, tagset: str = "pku",
                spark: SparkSession | None = None):
    """A UDF: a text column in, each row's words out (pos=True: {word, tag};
    tokens=True: {word, start, end[, tag]}). standard: the segmentation standard
    to write, of those the model has (None: the model's default). An Arrow UDF
    where Spark has them (pyspark >= 4.1: Arrow arrays in and out), else a pandas UDF."""
    from pyspark.sql import functions  # optional extra: imported where it is used

    settings = _Settings(spark, model, user_dict, traditional, standard, pos, tokens, tagset)
    if hasattr(functions, "arrow_udf"):
        return functions.arrow_udf(_arrow_segment(settings), settings.spark_type())

    def segment(texts):
        import pandas as pd  # optional extra: imported where it is used

        values = [None if v is None or (isinstance(v, float) and v != v) else v
                  for v in texts.tolist()]
        return pd.Series(analyse(settings.analyzer(), values, settings.pos, settings.tokens,
                                 settings.tagset))

    return functions.pandas_udf(segment, settings.spark_type())


def _arrow_segment(settings: _Settings):
    def segment(texts: pa.Array) -> pa.Array:
        return arrow_column(settings.analyzer(), texts.to_pylist(), settings.pos,
                            settings.tokens, settings.tagset)

    return segment


def segment_table(df: DataFrame, column: str = "text", *, output_column: str = "words",
                  pos: bool = False, tokens: bool = False, model=None, user_dict=None,
                  traditional: bool = False, standard: str | None = None,
                  tagset: str = "pku") -> DataFrame:
    """`df` with `output_column` added, computed batch by batch with mapInArrow."""
    from pyspark.sql.types import (  # optional extra: imported where it is used
        StructField,
        StructType,
    )

    settings = _Settings(df.sparkSession, model, user_dict, traditional, standard, pos, tokens,
                         tagset)
    schema = StructType(df.schema.fields + [StructField(output_column, settings.spark_type())])

    def run(batches):
        analyzer = settings.analyzer()
        rows = 0
        for batch in batches:
            values = batch.column(column).to_pylist()
            words = arrow_column(analyzer, values, settings.pos, settings.tokens,
                                 settings.tagset, rows)
            rows += len(values)
            yield batch.append_column(output_column, words)

    return df.mapInArrow(run, schema)
