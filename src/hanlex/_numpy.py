"""numpy, imported when first used: `import hanlex` and a first `cut` from a
model whose tables are stored ready need none of it, and importing it is most
of a cold start (~45 ms here). Modules on those paths write
`from .._numpy import np` and use `np` as usual."""
from __future__ import annotations

from typing import Any


class _Numpy:
    def __getattr__(self, name: str) -> Any:
        import numpy  # lazy: imported on first use (see the module docstring)

        value = getattr(numpy, name)
        setattr(self, name, value)  # later reads are plain attribute reads
        return value


np: Any = _Numpy()
