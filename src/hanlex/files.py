"""One wording for the ways opening a user's file can fail."""
from __future__ import annotations

import os


def open_problem(path: str | os.PathLike, error: OSError) -> str:
    """`path: what went wrong`, in words a user can act on."""
    name = os.fspath(path)
    if isinstance(error, FileNotFoundError):
        return f"{name}: no such file"
    if isinstance(error, IsADirectoryError):
        return f"{name}: is a directory"
    if isinstance(error, PermissionError):
        return f"{name}: permission denied"
    return f"{name}: cannot read ({error.strerror or error})"
