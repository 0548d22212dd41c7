"""Atomic output: write to a temporary file beside the target, then rename.

The temporary file (``.NAME.XXXX.part``) is locked while it is written. A run that is killed
(SIGKILL, a power cut) leaves it behind; the next run writing the same output removes every
such file nobody holds a lock on, and says so.
"""
from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

from ..errors import CxtextNotice, OutputError, OutputExistsError, option
from ._signals import checkpoint

try:  # POSIX; elsewhere stale files are left for the user to remove
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["atomic_output", "check_output_path", "output_error"]

_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_OUTPUT_ERRNOS = _DISK_FULL | {errno.EFBIG, errno.EROFS}


def output_error(target: str | os.PathLike[str], exc: OSError) -> OutputError:
    """A one-line :class:`OutputError` for an OS error while writing ``target``."""
    target = Path(target)
    folder = str(target.parent) if str(target.parent) else "."
    other = option("another output path", "another -o")
    if exc.errno in _DISK_FULL:
        return OutputError(f"the disk is full: no space left in {folder!r} for {target.name!r}; nothing was "
                           f"written. Free some space, or choose {other} on another disk")
    if exc.errno == errno.EFBIG:
        return OutputError(f"{target.name!r} is larger than the file system of {folder!r} allows; nothing was "
                           f"written. Choose {other} (or write .parquet, which is smaller)")
    if exc.errno == errno.EROFS:
        return OutputError(f"cannot write {str(target)!r}: {folder!r} is on a read-only file system; choose {other}")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return OutputError(f"cannot write {str(target)!r}: permission denied in folder {folder!r}; choose {other} "
                           "or fix the folder's permissions")
    if exc.errno == errno.EISDIR:
        return OutputError(f"output {str(target)!r} is a folder; give a file name, e.g. "
                           f"{str(target / 'tagged.csv')!r}")
    return OutputError(f"cannot write {str(target)!r}: {exc.strerror or exc}")


def check_output_path(path: str | os.PathLike[str], force: bool = False, folder: bool = False) -> Path:
    """Check before any work that ``path`` can be written; return it.

    Args:
        path: the output file (or folder, with ``folder=True``).
        force: an existing output may be replaced.
        folder: the output is a folder (a model), not a file.

    Raises:
        OutputExistsError: it exists and ``force`` is false.
        OutputError: it is a folder (for a file output), or its folder cannot be created or written to.
    """
    path = Path(path)
    if path.is_dir() and not folder:
        raise output_error(path, OSError(errno.EISDIR, "Is a directory"))
    if path.exists() and not force:
        raise OutputExistsError(path)
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputError(f"cannot create the folder of {str(path)!r}: {str(folder)!r} is a file; choose "
                          + option("another output path", "another -o"))
    if not os.access(folder, os.W_OK | os.X_OK):
        read_only = os.statvfs(folder).f_flag & os.ST_RDONLY if hasattr(os, "statvfs") else 0
        raise output_error(path, OSError(errno.EROFS if read_only else errno.EACCES, "not writable"))
    return path


def _remove_stale_parts(target: Path) -> None:
    """Delete ``.NAME.*.part`` files of ``target`` that no running process holds."""
    if fcntl is None or not target.parent.is_dir():
        return
    removed: list[tuple[str, int]] = []
    for part in target.parent.glob(f".{target.name}.*.part"):
        try:
            fd = os.open(part, os.O_RDWR)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a run in progress holds it
            os.close(fd)
            continue
        try:
            size = os.fstat(fd).st_size
            part.unlink()
            removed.append((part.name, size))
        except OSError:
            pass
        finally:
            os.close(fd)
    if removed:
        names = ", ".join(name for name, _ in removed[:3]) + (" ..." if len(removed) > 3 else "")
        megabytes = sum(size for _, size in removed) / 1e6
        warnings.warn(
            f"removed {len(removed)} temporary file(s) left by an interrupted earlier run writing "
            f"{target.name} ({names}; {megabytes:.1f} MB)",
            CxtextNotice,
            stacklevel=4,
        )


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], force: bool = False) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it to ``path`` on success.

    On any exception (and on Ctrl-C, or SIGTERM/SIGHUP in the command line) the temporary file
    is removed and ``path`` is left untouched, so no partial output is ever left behind.

    Example:
        >>> with atomic_output("out.csv", force=True) as tmp:  # doctest: +SKIP
        ...     frame.to_csv(tmp, index=False)
    """
    target = check_output_path(path, force)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_parts(target)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise output_error(target, exc) from None
    tmp = Path(tmp_name)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released when the process dies, however it dies
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask) if hasattr(os, "fchmod") else tmp.chmod(0o666 & ~umask)
        try:
            yield tmp
        except OSError as exc:
            if exc.errno in _OUTPUT_ERRNOS or exc.filename in (str(tmp), tmp):
                raise output_error(target, exc) from None
            raise
        checkpoint()  # a stop asked during the last chunk: no output
        if target.exists() and not force:  # created by someone else meanwhile
            raise OutputExistsError(target)
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise output_error(target, exc) from None
    finally:
        os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
