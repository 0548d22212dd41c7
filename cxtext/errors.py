"""Every exception and warning cxtext raises.

Messages say what was given, what is allowed and how to fix it. Each error subclasses a
builtin so callers can catch ``ValueError``/``FileNotFoundError`` without importing cxtext.
The CLI turns any :class:`CxtextError` into a one-line message and exit code 2.
"""
from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator

__all__ = [
    "CxtextError",
    "InputError",
    "InputFileNotFoundError",
    "UnsupportedFormatError",
    "ColumnError",
    "OutputExistsError",
    "OutputError",
    "ConfigError",
    "MissingDependencyError",
    "ModelError",
    "WorkerError",
    "CxtextWarning",
    "EncodingFallbackWarning",
    "SmallSampleWarning",
    "ScoreIssueWarning",
    "CxtextNotice",
    "ThemeFallbackWarning",
    "ModelWarning",
    "CxtextDeprecationWarning",
    "CodebookError",
    "UnknownTopicError",
    "TranscriptError",
    "TranscriptWarning",
    "format_choices",
    "option",
    "cli_spelling",
]


def format_choices(values: Iterable[object], limit: int = 30) -> str:
    """Join values as ``'a', 'b', 'c'`` for error messages (at most ``limit`` shown)."""
    values = [repr(str(v)) for v in values]
    shown = ", ".join(values[:limit])
    if len(values) > limit:
        shown += f", ... ({len(values) - limit} more)"
    return shown or "(none)"


_CLI = contextvars.ContextVar("cxtext_cli_spelling", default=False)


def option(python: str, cli: str) -> str:
    """How a message names an option: ``cli`` (``--force``) inside the command line, else ``python``.

    Messages are built when the error is raised, so the command line (see :func:`cli_spelling`)
    never shows Python argument names and Python callers never see flags they cannot pass.

    Example:
        >>> option("force=True", "--force")
        'force=True'
    """
    return cli if _CLI.get() else python


@contextlib.contextmanager
def cli_spelling() -> Iterator[None]:
    """Within this block, :func:`option` spells options as command-line flags."""
    token = _CLI.set(True)
    try:
        yield
    finally:
        _CLI.reset(token)


class CxtextError(Exception):
    """Base class of every cxtext error; its message is meant for the end user."""


class InputError(CxtextError, ValueError):
    """The input data cannot be read or used as given."""


class InputFileNotFoundError(CxtextError, FileNotFoundError):
    """An input file or folder does not exist."""

    def __init__(self, path: object) -> None:
        super().__init__(f"input file {str(path)!r} does not exist; check the path (and the current directory)")


class UnsupportedFormatError(InputError):
    """A file extension cxtext cannot read or write."""

    def __init__(self, path: object, allowed: Iterable[str], role: str = "input") -> None:
        super().__init__(
            f"cannot use {str(path)!r} as {role}: unknown file extension; "
            f"use one of {format_choices(allowed)}"
        )


class ColumnError(InputError, KeyError):
    """A column is missing, ambiguous, duplicated or would be overwritten."""

    def __str__(self) -> str:  # KeyError quotes its message; we want it plain
        return str(self.args[0]) if self.args else ""


class OutputExistsError(CxtextError, FileExistsError):
    """The output file exists and ``force`` was not given."""

    def __init__(self, path: object) -> None:
        super().__init__(
            f"output file {str(path)!r} already exists; pass {option('force=True', '--force')} to "
            "overwrite it or choose another name"
        )


class OutputError(CxtextError, OSError):
    """The output cannot be written (folder not writable, disk full, a folder in the way...)."""


class ConfigError(CxtextError, ValueError):
    """An option or configuration value is not allowed."""


class MissingDependencyError(CxtextError, ImportError):
    """An optional extra is needed for the requested feature."""

    def __init__(self, feature: str, extra: str, package: str) -> None:
        super().__init__(
            f"{feature} needs the optional package {package!r}, which is not installed; "
            f'install it with: pip install "cxtext[{extra}]"'
        )


class ModelError(CxtextError, ValueError):
    """A model cannot be loaded or does not fit the cxtext output contract."""


class WorkerError(CxtextError, RuntimeError):
    """A worker process (``--jobs``, Dask) died or could not be reached; nothing was written."""


class CxtextWarning(UserWarning):
    """Base class of cxtext warnings."""


class EncodingFallbackWarning(CxtextWarning):
    """A CSV file was not UTF-8 and was decoded with a fallback encoding."""


class SmallSampleWarning(CxtextWarning):
    """A metric or driver rests on fewer observations than the configured minimum."""


class CxtextNotice(CxtextWarning):
    """Something cxtext detected or chose about the input (separator, sheet, encoding): for your information."""


class ScoreIssueWarning(CxtextWarning):
    """Some score values are out of range, not numbers or unknown labels (see ``score_issue``)."""


class ThemeFallbackWarning(CxtextWarning):
    """Themes are discovered with the lower-quality lexical fallback (no embedding encoder)."""


class ModelWarning(CxtextWarning):
    """A model loads and works, but not as it was validated (e.g. trained with another codebook
    version than this cxtext ships): retrain it for the figures it was validated with."""


class CxtextDeprecationWarning(CxtextWarning, FutureWarning):
    """A name or option that will be removed; the message names its replacement."""


class CodebookError(InputError):
    """A codebook file cannot be read or has mistakes (each listed with its line)."""


class UnknownTopicError(CodebookError, KeyError):
    """A topic name the codebook does not have; the message lists the topics it has."""

    def __str__(self) -> str:  # KeyError quotes its message; we want it plain
        return str(self.args[0]) if self.args else ""


class TranscriptError(InputError):
    """A transcript file cannot be parsed; the message names the file and the line."""

    def __init__(self, file: object, line: int | None, message: str, where: str = "line") -> None:
        place = f"{file}, {where} {line}" if line else f"{file}"
        super().__init__(f"cannot read transcript {place}: {message}")
        self.file = str(file)
        self.line = line
        self.message = message


class TranscriptWarning(CxtextWarning):
    """A transcript was read, but something in it (speaker labels, roles) needs a look."""
