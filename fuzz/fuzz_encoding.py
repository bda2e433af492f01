"""Fuzz the readers of text in any encoding: the whole-file reader of corpora and
dictionaries (io.encoding.decode_text) and the streaming reader of `hanlex
segment` (cli.inputs), over UTF-8, GB18030, Big5, UTF-16 and byte-order marks.

    python fuzz/fuzz_encoding.py -atheris_runs=1000000

Any bytes must read or raise a HanlexError of one line (with the hint of the encoding
the bytes look like, from charset-normalizer); with errors='replace' they must read,
and the streamed lines must join back to the whole-file reading of the same bytes.
"""
import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from hanlex.cli.inputs import iter_input_units
    from hanlex.errors import HanlexError
    from hanlex.io.encoding import decode_text

ENCODINGS = ("utf-8", "gb18030", "big5", "utf-16-le", "latin-1")
PATH = os.path.join(tempfile.mkdtemp(), "input.txt")


def streamed(encoding: str, errors: str, read_bytes: int) -> str:
    """The input as `hanlex segment` reads it: whole lines, or pieces of long ones."""
    out = []
    for unit in iter_input_units([PATH], errors, read_bytes=read_bytes, encoding=encoding):
        if unit[0] == "lines":
            out.append(unit[3].decode("utf-8", errors))
        else:
            out.append(unit[1] + ("\n" if unit[2] else ""))
    return "".join(out)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    encoding = ENCODINGS[fdp.ConsumeIntInRange(0, len(ENCODINGS) - 1)]
    errors = "replace" if fdp.ConsumeBool() else "strict"
    read_bytes = fdp.ConsumeIntInRange(4, 64)
    body = fdp.ConsumeBytes(fdp.remaining_bytes())
    try:
        whole = decode_text(body, "input", encoding, errors)
    except HanlexError as e:
        assert errors == "strict" and "\n" not in str(e)
        whole = None
    with open(PATH, "wb") as f:
        f.write(body)
    try:
        text = streamed(encoding, errors, read_bytes)
    except (HanlexError, UnicodeDecodeError):  # segment_lines reports the latter as an error
        assert errors == "strict"
        return
    if whole is not None and errors == "replace" and "\r" not in whole:
        # lines end at \n only; the stream adds the missing final newline
        expected = whole if whole.endswith("\n") or not whole else whole + "\n"
        assert text.replace("\r", "") == expected.replace("\r", ""), (text, expected)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
