"""Chunked, atomic writers for tagged tables: CSV, TSV, XLSX, Parquet, JSONL.

Multi-label columns hold lists in memory; CSV/TSV/XLSX cells join them with ``;`` (empty string
= none), Parquet/JSONL keep real lists; other nested values (dicts, lists, Parquet structs) become
JSON text in CSV/TSV/XLSX. The output appears only when writing succeeded.

Formula injection: a comment such as ``=HYPERLINK(...)`` or ``+cmd|...`` would run as a formula
when the output is opened in a spreadsheet. By default CSV/TSV text cells that start with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return get a leading ``'`` (plain numbers such as ``-3``
are left alone), and XLSX stores such cells as text (their value is unchanged). Pass
``formula_escape=False`` (``--no-formula-escape``) to write them unchanged.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import json
import os
import re
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd

from ..errors import CxtextWarning, InputError
from ..schema import MULTI_LABEL_SEPARATOR
from ._atomic import atomic_output, check_output_path, output_error
from ._options import current_options
from ._signals import checkpoint
from .tables import is_missing, table_format

__all__ = ["OUTPUT_EXTENSIONS", "TableWriter", "open_writer", "write_table", "check_table_output", "join_labels",
           "escape_formula"]

#: What :func:`write_table` writes: the table formats, and ``.json`` (one array of records).
OUTPUT_EXTENSIONS: tuple[str, ...] = (".csv", ".tsv", ".xlsx", ".parquet", ".jsonl", ".json")
_XLSX_CELL_LIMIT = 32_767
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_NESTED = (dict, list, tuple, np.ndarray)


def escape_formula(value: str) -> str:
    r"""``'=1+1'`` -> ``"'=1+1"``: text a spreadsheet would run as a formula gets a leading quote.

    Plain numbers (``-3``, ``+4.5``) and every other text come back unchanged.

    Example:
        >>> escape_formula("=HYPERLINK(\"x\")"), escape_formula("-3"), escape_formula("ok")
        ('\'=HYPERLINK("x")', '-3', 'ok')
    """
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _as_json(value: object) -> str:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return json.dumps(value, ensure_ascii=False, default=str)


def join_labels(value: object) -> str:
    """``["a", "b"]`` -> ``"a;b"``; missing -> ``""``."""
    if isinstance(value, (list, tuple)):
        return MULTI_LABEL_SEPARATOR.join(str(v) for v in value)
    return "" if is_missing(value) else str(value)


class TableWriter:
    """Append DataFrame chunks to a table file of the format given by its extension.

    Use :func:`open_writer`, which writes to a temporary file and renames it at the end.

    Args:
        path: file to write (the temporary path while writing).
        fmt: ``csv``, ``tsv``, ``xlsx``, ``parquet`` or ``jsonl``.
        list_columns: columns holding lists (joined with ``;`` in CSV/TSV/XLSX).
        metadata: key/values stored in Parquet metadata (e.g. versions).
        stream: write CSV to this text stream instead of ``path`` (standard output).
        formula_escape: neutralise spreadsheet formulas in text cells (module docstring);
            ``None`` = the :func:`cxtext.io.io_options` default (on).
        target: the file the user asked for (named in error messages; default ``path``).
    """

    def __init__(
        self,
        path: Path | None,
        fmt: str,
        list_columns: Sequence[str] = (),
        metadata: dict[str, str] | None = None,
        stream: TextIO | None = None,
        formula_escape: bool | None = None,
        target: str | os.PathLike[str] | None = None,
    ) -> None:
        self.path = path
        self.format = fmt
        self.list_columns = tuple(list_columns)
        self.metadata = metadata or {}
        self.formula_escape = current_options().formula_escape if formula_escape is None else formula_escape
        self.target = Path(target) if target is not None else path
        self._stream = stream
        self._handle: Any = None
        self._rows = 0
        self._mixed_warned: set[str] = set()

    @property
    def rows(self) -> int:
        """Rows written so far."""
        return self._rows

    def write(self, frame: pd.DataFrame) -> None:
        """Append one chunk (its columns must match the first chunk's)."""
        checkpoint()
        try:
            getattr(self, f"_write_{self.format}")(frame)
        except OSError as exc:
            raise output_error(self.target, exc) from None
        self._rows += len(frame)

    def close(self) -> None:
        """Flush and close; writes a header-only/empty table if no chunk came."""
        closer = getattr(self, f"_close_{self.format}", None)
        try:
            if closer:
                closer()
            elif self._handle is not None and self._handle is not self._stream:
                self._handle.close()
        except OSError as exc:
            raise output_error(self.target, exc) from None

    # -- text formats -----------------------------------------------------------------
    def _textual(self, frame: pd.DataFrame, escape: bool) -> pd.DataFrame:
        """Cells as a spreadsheet should see them: joined labels, JSON for nested values,
        formulas neutralised (``escape``); the caller's frame is not modified."""
        columns: list[Any] = []
        changed = False
        for column in frame.columns:
            series = frame[column]
            values: Any = series
            textual = series.dtype == object or pd.api.types.is_string_dtype(series.dtype)
            if column in self.list_columns:
                values, textual = [join_labels(v) for v in series], True
            elif series.dtype == object or _is_nested_arrow(series.dtype):
                if any(isinstance(v, _NESTED) for v in series):
                    values, textual = [_as_json(v) if isinstance(v, _NESTED) else v for v in series], True
            if escape and textual:
                cells = list(values)
                escaped = [escape_formula(v) if isinstance(v, str) else v for v in cells]
                if escaped != cells:
                    values = escaped
            changed = changed or values is not series
            columns.append(values)
        if not changed:
            return frame
        result = pd.DataFrame({i: v for i, v in enumerate(columns)}, index=frame.index)
        result.columns = frame.columns
        return result

    def _write_csv(self, frame: pd.DataFrame) -> None:
        first = self._handle is None
        if first:
            self._handle = self._stream or self.path.open("w", encoding="utf-8", newline="")
        sep = "\t" if self.format == "tsv" else ","
        self._textual(frame, self.formula_escape).to_csv(
            self._handle, index=False, header=first, sep=sep, lineterminator="\n")

    _write_tsv = _write_csv

    def _write_jsonl(self, frame: pd.DataFrame) -> None:
        if self._handle is None:
            self._handle = self.path.open("w", encoding="utf-8")
        if len(frame):
            text = frame.to_json(orient="records", lines=True, force_ascii=False, date_format="iso")
            self._handle.write(text if text.endswith("\n") else text + "\n")

    # -- xlsx -------------------------------------------------------------------------
    def _write_xlsx(self, frame: pd.DataFrame) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        if self._handle is None:
            from openpyxl import Workbook

            self._handle = Workbook(write_only=True)
            self._sheet = self._handle.create_sheet("tagged")
            self._sheet.append([self._text_cell(str(c), WriteOnlyCell) for c in frame.columns])
        joined = self._textual(frame, escape=False)
        for offset, row in enumerate(joined.itertuples(index=False, name=None)):
            values = []
            for column, value in zip(joined.columns, row):
                value = _xlsx_value(value)
                if isinstance(value, str):
                    if len(value) > _XLSX_CELL_LIMIT or ILLEGAL_CHARACTERS_RE.search(value):
                        raise InputError(
                            f"row {self._rows + offset + 1}, column {column!r} cannot be stored in "
                            f"an Excel cell (over {_XLSX_CELL_LIMIT:,} characters or control "
                            "characters); write .csv, .parquet or .jsonl instead"
                        )
                    value = self._text_cell(value, WriteOnlyCell)
                values.append(value)
            self._sheet.append(values)

    def _text_cell(self, value: str, cell_type: Any) -> Any:
        """Text that openpyxl would store as a formula is stored as text (quote-prefixed), unless
        formula escaping is off."""
        if not (self.formula_escape and value.startswith("=")):
            return value
        cell = cell_type(self._sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell

    def _close_xlsx(self) -> None:
        if self._handle is None:
            from openpyxl import Workbook

            self._handle = Workbook(write_only=True)
            self._handle.create_sheet("tagged")
        self._handle.save(self.path)

    # -- parquet ----------------------------------------------------------------------
    def _arrow_ready(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        for column in frame.columns:
            if column in self.list_columns or frame[column].dtype != object:
                continue
            kinds = {type(v) for v in frame[column] if not is_missing(v)}
            if len(kinds) > 1 or kinds & {dict, list, tuple}:
                if column not in self._mixed_warned:
                    warnings.warn(
                        f"column {column!r} mixes value types {sorted(k.__name__ for k in kinds)}; "
                        "it is written to Parquet as text",
                        CxtextWarning,
                        stacklevel=4,
                    )
                    self._mixed_warned.add(column)
                frame[column] = [None if is_missing(v) else _as_text(v) for v in frame[column]]
        return frame

    def _write_parquet(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        frame = self._arrow_ready(frame)
        if self._handle is None:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            fields = [
                pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in table.schema
            ]
            meta = dict(table.schema.metadata or {})
            meta.update({k.encode(): v.encode() for k, v in self.metadata.items()})
            self._schema = pa.schema(fields, metadata=meta)
            self._handle = pq.ParquetWriter(self.path, self._schema)
        try:
            table = pa.Table.from_pandas(frame, schema=self._schema, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as exc:
            raise InputError(
                f"cannot write rows {self._rows + 1}-{self._rows + len(frame)} to Parquet: a column "
                f"changes type between chunks ({exc}); write .csv or .jsonl instead"
            ) from None
        self._handle.write_table(table)

    def _close_parquet(self) -> None:
        if self._handle is not None:
            self._handle.close()


def _as_text(value: object) -> str:
    if isinstance(value, _NESTED):
        return _as_json(value)
    return str(value)


def _is_nested_arrow(dtype: object) -> bool:
    if not isinstance(dtype, pd.ArrowDtype):
        return False
    import pyarrow as pa

    kind = dtype.pyarrow_dtype
    return pa.types.is_nested(kind)


_XLSX_TYPES = (str, bool, int, float, decimal.Decimal, dt.date, dt.time, dt.timedelta, np.number, np.bool_)


def _xlsx_value(value: object) -> object:
    """A value openpyxl can store: missing -> empty, nested -> JSON, time zones -> ISO text."""
    if is_missing(value) or value is pd.NaT:
        return None
    if isinstance(value, _NESTED):
        return _as_json(value)
    if isinstance(value, (dt.datetime, dt.time)) and value.tzinfo is not None:
        return value.isoformat()
    if isinstance(value, float) and not np.isfinite(value):
        return str(value)
    return value if isinstance(value, _XLSX_TYPES) else str(value)


@contextlib.contextmanager
def open_writer(
    path: str | os.PathLike[str],
    force: bool = False,
    list_columns: Sequence[str] = (),
    metadata: dict[str, str] | None = None,
    formula_escape: bool | None = None,
) -> Iterator[TableWriter]:
    """Open a :class:`TableWriter` for ``path`` (``"-"`` = CSV on standard output).

    The file appears only if the ``with`` block succeeds; an existing file is refused
    unless ``force``. ``formula_escape``: see the module docstring (default on).
    """
    if str(path) == "-":
        writer = TableWriter(None, "csv", list_columns, metadata, stream=sys.stdout, formula_escape=formula_escape,
                             target="standard output")
        yield writer
        writer.close()
        sys.stdout.flush()
        return
    fmt = table_format(path, role="output")
    with atomic_output(path, force) as tmp:
        writer = TableWriter(tmp, fmt, list_columns, metadata, formula_escape=formula_escape, target=path)
        try:
            yield writer
        finally:
            writer.close()


def check_table_output(path: str | os.PathLike[str] | None, force: bool = False) -> None:
    """Before any work: ``path`` names a format :func:`write_table` writes, and can be written.

    Raises:
        UnsupportedFormatError: the extension is not one of :data:`OUTPUT_EXTENSIONS`.
        OutputExistsError: the file exists and ``force`` is not set.

    Example:
        >>> check_table_output("drivers.json")  # doctest: +SKIP
    """
    from ..errors import UnsupportedFormatError

    if path is None or str(path) == "-":
        return
    if Path(path).suffix.lower() not in OUTPUT_EXTENSIONS:
        raise UnsupportedFormatError(str(path), OUTPUT_EXTENSIONS, role="output")
    check_output_path(path, force)


def write_table(
    frame: pd.DataFrame, path: str | os.PathLike[str], force: bool = False, list_columns: Sequence[str] = (),
    formula_escape: bool | None = None,
) -> Path:
    """Write a whole DataFrame atomically; the format follows the extension.

    ``.csv``, ``.tsv``, ``.xlsx``, ``.parquet`` and ``.jsonl`` as :class:`TableWriter` writes them
    (``"-"``: CSV on standard output); ``.json``: one array of records (UTF-8, indented), the
    file the CLI's ``-o x.json`` writes. The file appears only when writing succeeded, and an
    existing one is refused unless ``force``.

    Example:
        >>> write_table(pd.DataFrame({"a": [1]}), "out.parquet", force=True)  # doctest: +SKIP
        PosixPath('out.parquet')
    """
    if str(path) != "-" and Path(path).suffix.lower() == ".json":
        with atomic_output(path, force) as tmp:
            frame.to_json(tmp, orient="records", force_ascii=False, indent=1)
        return Path(path)
    with open_writer(path, force, list_columns, formula_escape=formula_escape) as writer:
        writer.write(frame)
    return Path(path)
