"""Run a script written for jieba with `jieba` (and jieba.posseg, jieba.analyse)
pointing at hanlex's drop-in: python jieba_dropin_runner.py SCRIPT [ARGS...]."""
import runpy
import sys

import hanlex.integrations.jieba as jieba
import hanlex.integrations.jieba.analyse as analyse
import hanlex.integrations.jieba.posseg as posseg

sys.modules["jieba"] = jieba
sys.modules["jieba.posseg"] = posseg
sys.modules["jieba.analyse"] = analyse
script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
