"""Atomic output: write to a temporary file beside the target, then rename."""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import OutputExistsError

__all__ = ["atomic_output", "check_output_path"]


def check_output_path(path: str | os.PathLike[str], force: bool = False) -> Path:
    """Refuse an existing output unless ``force``; return the path."""
    path = Path(path)
    if path.exists() and not force:
        raise OutputExistsError(path)
    return path


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], force: bool = False) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it to ``path`` on success.

    On any exception the temporary file is removed and ``path`` is left untouched, so no
    partial output is ever left behind.

    Example:
        >>> with atomic_output("out.csv", force=True) as tmp:  # doctest: +SKIP
        ...     frame.to_csv(tmp, index=False)
    """
    target = check_output_path(path, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o666 & ~umask)  # mkstemp makes 0600; give the output ordinary permissions
    try:
        yield tmp
        if target.exists() and not force:  # created by someone else meanwhile
            raise OutputExistsError(target)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
