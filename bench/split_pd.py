"""Write the project's People's Daily 1998-01 split: train / dev / test.

Non-empty lines; the last 10% is the test set (never trained on); dev is the
last 5% of the rest. Usage: python bench/split_pd.py [199801.txt] [OUTDIR]
"""
import sys
from pathlib import Path

from hanlex.io.corpus import holdout_split
from hanlex.io.files import read_lines

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/peoples-daily-1998/199801.txt"
out = Path(sys.argv[2] if len(sys.argv) > 2 else "work/pd")
out.mkdir(parents=True, exist_ok=True)
train, dev, test = holdout_split(read_lines(src))
for name, lines in (("train", train), ("dev", dev), ("test", test)):
    (out / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{out / name}.txt: {len(lines)} lines")
