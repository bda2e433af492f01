"""Progress of a long job on stderr (tqdm): a percentage and ETA when the input's
size is known, lines and their rate when it is not (standard input)."""
from __future__ import annotations

import sys


class Progress:
    """Counts input bytes and lines as results are written; silent unless `show`."""

    def __init__(self, total_bytes: int | None, show: bool, desc: str = "hanlex segment"):
        self.by_bytes = total_bytes is not None
        self.bar = None
        if show:
            from tqdm import tqdm  # lazy: only a long job on a terminal shows progress

            if self.by_bytes:
                self.bar = tqdm(total=total_bytes, unit="B", unit_scale=True, unit_divisor=1024,
                                file=sys.stderr, desc=desc, dynamic_ncols=True)
            else:
                self.bar = tqdm(unit=" lines", file=sys.stderr, desc=desc, dynamic_ncols=True)
        self.lines = 0

    def update(self, nbytes: int, lines: int) -> None:
        self.lines += lines
        if self.bar is None:
            return
        if self.by_bytes:
            self.bar.update(nbytes)
            self.bar.set_postfix_str(f"{self.lines} lines", refresh=False)
        else:
            self.bar.update(lines)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
