"""Chunked, atomic writers for tagged tables: CSV, TSV, XLSX, Parquet, JSONL.

Multi-label columns hold lists in memory; CSV/TSV/XLSX cells join them with ``;`` (empty string
= none), Parquet/JSONL keep real lists. The output appears only when writing succeeded.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from ..errors import CxtextWarning, InputError
from ..schema import MULTI_LABEL_SEPARATOR
from ._atomic import atomic_output
from .tables import is_missing, table_format

__all__ = ["TableWriter", "open_writer", "write_table", "join_labels"]

_XLSX_CELL_LIMIT = 32_767


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
    """

    def __init__(
        self,
        path: Path | None,
        fmt: str,
        list_columns: Sequence[str] = (),
        metadata: dict[str, str] | None = None,
        stream: TextIO | None = None,
    ) -> None:
        self.path = path
        self.format = fmt
        self.list_columns = tuple(list_columns)
        self.metadata = metadata or {}
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
        getattr(self, f"_write_{self.format}")(frame)
        self._rows += len(frame)

    def close(self) -> None:
        """Flush and close; writes a header-only/empty table if no chunk came."""
        closer = getattr(self, f"_close_{self.format}", None)
        if closer:
            closer()
        elif self._handle is not None and self._handle is not self._stream:
            self._handle.close()

    # -- text formats -----------------------------------------------------------------
    def _joined(self, frame: pd.DataFrame) -> pd.DataFrame:
        if not any(c in frame.columns for c in self.list_columns):
            return frame
        frame = frame.copy()
        for column in self.list_columns:
            if column in frame.columns:
                frame[column] = [join_labels(v) for v in frame[column]]
        return frame

    def _write_csv(self, frame: pd.DataFrame) -> None:
        first = self._handle is None
        if first:
            self._handle = self._stream or self.path.open("w", encoding="utf-8", newline="")
        sep = "\t" if self.format == "tsv" else ","
        self._joined(frame).to_csv(self._handle, index=False, header=first, sep=sep, lineterminator="\n")

    _write_tsv = _write_csv

    def _write_jsonl(self, frame: pd.DataFrame) -> None:
        if self._handle is None:
            self._handle = self.path.open("w", encoding="utf-8")
        if len(frame):
            text = frame.to_json(orient="records", lines=True, force_ascii=False, date_format="iso")
            self._handle.write(text if text.endswith("\n") else text + "\n")

    # -- xlsx -------------------------------------------------------------------------
    def _write_xlsx(self, frame: pd.DataFrame) -> None:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        if self._handle is None:
            from openpyxl import Workbook

            self._handle = Workbook(write_only=True)
            self._sheet = self._handle.create_sheet("tagged")
            self._sheet.append(list(frame.columns))
        joined = self._joined(frame)
        for offset, row in enumerate(joined.itertuples(index=False, name=None)):
            values = []
            for column, value in zip(joined.columns, row):
                if is_missing(value):
                    value = None
                elif isinstance(value, str):
                    if len(value) > _XLSX_CELL_LIMIT or ILLEGAL_CHARACTERS_RE.search(value):
                        raise InputError(
                            f"row {self._rows + offset + 1}, column {column!r} cannot be stored in "
                            f"an Excel cell (over {_XLSX_CELL_LIMIT:,} characters or control "
                            "characters); write .csv, .parquet or .jsonl instead"
                        )
                values.append(value)
            self._sheet.append(values)

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
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


@contextlib.contextmanager
def open_writer(
    path: str | os.PathLike[str],
    force: bool = False,
    list_columns: Sequence[str] = (),
    metadata: dict[str, str] | None = None,
) -> Iterator[TableWriter]:
    """Open a :class:`TableWriter` for ``path`` (``"-"`` = CSV on standard output).

    The file appears only if the ``with`` block succeeds; an existing file is refused
    unless ``force``.
    """
    if str(path) == "-":
        writer = TableWriter(None, "csv", list_columns, metadata, stream=sys.stdout)
        yield writer
        writer.close()
        sys.stdout.flush()
        return
    fmt = table_format(path, role="output")
    with atomic_output(path, force) as tmp:
        writer = TableWriter(tmp, fmt, list_columns, metadata)
        try:
            yield writer
        finally:
            writer.close()


def write_table(
    frame: pd.DataFrame, path: str | os.PathLike[str], force: bool = False, list_columns: Sequence[str] = ()
) -> Path:
    """Write a whole DataFrame atomically; the format follows the extension."""
    with open_writer(path, force, list_columns) as writer:
        writer.write(frame)
    return Path(path)
