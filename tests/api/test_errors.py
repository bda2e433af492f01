"""One base class for the errors hanlex raises about its input; the command line
turns exactly those into one line and status 2."""
from __future__ import annotations

import pytest

import hanlex
from hanlex import errors
from hanlex.cli import main


@pytest.mark.parametrize("name", ["ModelFormatError", "CorpusError", "DictionaryError",
                                  "AlignmentError", "ConfigError", "MissingExtraError"])
def test_every_error_is_a_hanlex_error(name):
    cls = getattr(errors, name)
    assert issubclass(cls, errors.HanlexError) and issubclass(cls, ValueError)
    assert getattr(hanlex, name) is cls


def test_a_bad_model_file_is_a_hanlex_error(tmp_path):
    bad = tmp_path / "bad.hlx"
    bad.write_bytes(b"not a model")
    with pytest.raises(errors.HanlexError):
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
