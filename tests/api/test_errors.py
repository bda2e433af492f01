"""One base class for the errors hanlex raises about its input; the command line
turns exactly those into one line and status 2."""
from __future__ import annotations

import hanlex
import pytest
from hanlex.cli import main
from hanlex.errors import (
    AlignmentError,
    ConfigError,
    CorpusError,
    DictionaryError,
    HanlexError,
    MissingExtraError,
    ModelFormatError,
)


@pytest.mark.parametrize("cls", [ModelFormatError, CorpusError, DictionaryError, AlignmentError,
                                 ConfigError, MissingExtraError])
def test_every_error_is_a_hanlex_error(cls):
    assert issubclass(cls, HanlexError) and issubclass(cls, ValueError)
    assert getattr(hanlex, cls.__name__) is cls


def test_a_bad_model_file_is_a_hanlex_error(tmp_path):
    bad = tmp_path / "bad.hlx"
    bad.write_bytes(b"not a model")
    with pytest.raises(HanlexError):
        hanlex.Analyzer(bad)


def test_the_cli_reports_hanlex_errors_in_one_line(tmp_path, capsys):
    assert main(["segment", str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hanlex: error: ") and err.count("\n") == 1


def test_the_cli_does_not_hide_a_bug_as_a_user_error(monkeypatch):
    """A ValueError that is not a HanlexError is a bug in hanlex, not a user's
    mistake: it is not turned into 'hanlex: error'."""
    from hanlex.cli import segment

    def broken(args):
        raise ValueError("internal")

    monkeypatch.setattr(segment, "cmd_segment", broken)
    with pytest.raises(ValueError, match="internal"):
        main(["segment", "x"])
