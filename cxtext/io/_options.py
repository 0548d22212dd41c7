"""Defaults for reading and writing tables within a block of code (like ``pandas.option_context``).

Explicit arguments of :func:`cxtext.io.open_table` and :func:`cxtext.io.open_writer` win; the
block only fills in what the caller left out. The command line uses it so that options such as
``--sep`` reach every reader without threading them through each call.
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import ConfigError

__all__ = ["IOOptions", "io_options", "current_options", "parse_sep"]


@dataclass(frozen=True)
class IOOptions:
    """Table reading/writing defaults.

    Attributes:
        sep: CSV/TSV field separator; ``None`` detects it (``,`` ``;`` tab ``|``).
        header_row: 1-based row (line) of the column names; ``None`` = the first row.
        formula_escape: prefix ``'`` to text cells of CSV/TSV output that a spreadsheet would run as
            a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return); XLSX cells are stored as
            text. ``False`` writes them unchanged.
    """

    sep: str | None = None
    header_row: int | None = None
    formula_escape: bool = True


_CURRENT: contextvars.ContextVar[IOOptions] = contextvars.ContextVar("cxtext_io_options", default=IOOptions())

_SEP_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " "}


def parse_sep(sep: str | None) -> str | None:
    """``","``, ``";"``, ``"tab"``/``"\\t"``, ``"|"``... -> the one-character separator (``None`` = detect)."""
    if sep is None:
        return None
    value = _SEP_NAMES.get(sep.lower(), sep)
    if len(value) != 1 or value in "\"\r\n":
        raise ConfigError(
            f"separator {sep!r} is not allowed; use one character such as ',', ';', '|' or 'tab'"
        )
    return value


def current_options() -> IOOptions:
    """The defaults in force (see :func:`io_options`)."""
    return _CURRENT.get()


@contextlib.contextmanager
def io_options(**changes: object) -> Iterator[IOOptions]:
    """Set reading/writing defaults for the tables opened in this block.

    Example:
        >>> with io_options(sep=";", header_row=3):  # doctest: +SKIP
        ...     frame = read_table("export.csv")
    """
    unknown = set(changes) - {f.name for f in dataclasses.fields(IOOptions)}
    if unknown:
        raise ConfigError(f"unknown table option(s) {sorted(unknown)}; allowed: sep, header_row, formula_escape")
    if "sep" in changes:
        changes["sep"] = parse_sep(changes["sep"])  # type: ignore[arg-type]
    header_row = changes.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise ConfigError(f"header row {header_row!r} is not allowed; use a row number from 1")
    token = _CURRENT.set(dataclasses.replace(_CURRENT.get(), **changes))  # type: ignore[arg-type]
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)
