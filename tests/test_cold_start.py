"""A cold start (`import hanlex; hanlex.cut(...)` in a fresh process) reads the
shipped model's stored tables in place and imports no numpy (hanlex._numpy)."""
from __future__ import annotations

import subprocess
import sys

PROGRAM = """
import sys
import hanlex
assert "numpy" not in sys.modules, "import hanlex imported numpy"
print("|".join(hanlex.cut({text!r})))
assert "numpy" not in sys.modules, "the first cut imported numpy"
hanlex.cut_many([{text!r}])  # a batch needs numpy: it is there when asked for
assert "numpy" in sys.modules
"""


def test_import_and_a_first_cut_need_no_numpy():
    for text in ("今天天气很好，我们去北京大学看看。", "GPT-4 在 2024 年发布，https://例子.中国/路径 见。"):
        done = subprocess.run([sys.executable, "-c", PROGRAM.format(text=text)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stdout.rstrip("\n").replace("|", "") == text
