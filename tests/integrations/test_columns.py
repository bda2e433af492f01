"""The analyzer a Ray or Spark worker makes from its settings (integrations.columns)."""
from __future__ import annotations

import pytest

from hanlex import Analyzer
from hanlex.errors import ConfigError
from hanlex.integrations.columns import analyse, cached_analyzer


def test_one_analyzer_per_settings_standard_included(two_standard_model_file):
    model = two_standard_model_file
    default = cached_analyzer(model, None, False, None)
    assert cached_analyzer(model, None, False, None) is default
    assert default.engine.standard == "pku"
    joined = cached_analyzer(model, None, False, "joined")
    assert joined.engine.standard == "joined" and joined is not default
    assert cached_analyzer(model, None, False, "joined") is joined
    assert cached_analyzer(model, ("天安门上",), False, "joined").engine.standard == "joined"


def test_a_column_in_the_standard_asked_for(two_standard_model_file, sample_sentences):
    texts = [s.text for s in sample_sentences[:150]] + [None]
    got = analyse(cached_analyzer(two_standard_model_file, None, False, "joined"), texts)
    want = Analyzer(two_standard_model_file, standard="joined").cut_many(texts[:-1])
    assert got == want + [None]
    assert got[:-1] != Analyzer(two_standard_model_file).cut_many(texts[:-1])


def test_an_unknown_standard_is_a_config_error(two_standard_model_file):
    with pytest.raises(ConfigError, match="no standard 'weibo'.*pku, joined"):
        cached_analyzer(two_standard_model_file, None, False, "weibo")
    shipped = Analyzer().engine.standard  # the shipped model's default standard
    assert cached_analyzer(None, None, False, shipped).engine.standard == shipped
