"""Chunked readers and writers for comment tables: CSV, TSV, XLSX, Parquet, JSONL.

Readers keep every column, in order, and every row once, in order. CSV/TSV cells are read as
text (no type guessing), so values such as ``007`` or ``NA`` come back out exactly as they went
in. Memory stays flat: rows are produced and written in chunks.
"""
from __future__ import annotations

import codecs
import csv
import json
import math
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import (
    ColumnError,
    EncodingFallbackWarning,
    InputError,
    InputFileNotFoundError,
    UnsupportedFormatError,
    format_choices,
)

__all__ = [
    "TABLE_EXTENSIONS",
    "TableReader",
    "open_table",
    "read_table",
    "detect_encoding",
    "table_format",
]

TABLE_EXTENSIONS: tuple[str, ...] = (".csv", ".tsv", ".xlsx", ".parquet", ".jsonl")
_FALLBACK_ENCODINGS = ("cp1252", "latin-1")


def table_format(path: str | os.PathLike[str], role: str = "input") -> str:
    """The format of ``path`` from its extension (``csv``, ``tsv``, ``xlsx``, ``parquet``, ``jsonl``)."""
    suffix = Path(path).suffix.lower()
    if suffix not in TABLE_EXTENSIONS:
        raise UnsupportedFormatError(path, TABLE_EXTENSIONS, role)
    return suffix[1:]


def detect_encoding(path: Path, requested: str | None = None) -> str:
    """Encoding of a text file: ``requested`` if given, else UTF-8 (BOM aware), else a fallback.

    A fallback (cp1252, then latin-1) emits :class:`EncodingFallbackWarning`.
    """
    if requested:
        try:
            codecs.lookup(requested)
        except LookupError:
            raise InputError(
                f"unknown encoding {requested!r}; use a Python codec name such as 'utf-8', "
                "'cp1252' or 'latin-1'"
            ) from None
        return requested
    with path.open("rb") as handle:
        head = handle.read(3)
    candidates = ("utf-8-sig",) if head.startswith(codecs.BOM_UTF8) else ("utf-8",)
    for encoding in candidates + _FALLBACK_ENCODINGS:
        if _decodes(path, encoding):
            if encoding in _FALLBACK_ENCODINGS:
                warnings.warn(
                    f"{path.name} is not valid UTF-8; read it as {encoding}. If characters look "
                    "wrong, pass the right encoding with --encoding (encoding=...)",
                    EncodingFallbackWarning,
                    stacklevel=3,
                )
            return encoding
    raise InputError(f"cannot decode {path.name}; pass its encoding with --encoding")  # unreachable: latin-1


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _check_header(columns: Sequence[object], path: Path) -> list[str]:
    names = ["" if c is None else str(c) for c in columns]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ColumnError(
                f"column {name!r} appears more than once in the header of {path.name}; "
                "rename the duplicates so every column name is unique"
            )
        seen.add(name)
    return names


class TableReader:
    """A table read lazily in chunks.

    Attributes:
        path: the file (a temporary copy for standard input).
        format: ``csv``, ``tsv``, ``xlsx``, ``parquet`` or ``jsonl``.
        columns: column names in order.
        encoding: text encoding used (CSV/TSV), else ``None``.

    Example:
        >>> reader = open_table("comments.csv")  # doctest: +SKIP
        >>> for chunk in reader.chunks(5000): ...  # doctest: +SKIP
    """

    def __init__(self, path: Path, fmt: str, encoding: str | None = None, sheet: str | None = None) -> None:
        self.path = path
        self.format = fmt
        self.sheet = sheet
        self.encoding = detect_encoding(path, encoding) if fmt in ("csv", "tsv") else None
        self.columns = self._read_columns()

    # -- header ---------------------------------------------------------------------------
    def _read_columns(self) -> list[str]:
        if self.path.stat().st_size == 0:
            raise InputError(f"{self.path.name} is empty; it needs at least a header row")
        reader = getattr(self, f"_columns_{self.format}")
        return _check_header(reader(), self.path)

    def _columns_csv(self) -> list[str]:
        with self.path.open(encoding=self.encoding, newline="") as handle:
            header = next(csv.reader(handle, delimiter=self._sep), None)
        if not header or all(not h.strip() for h in header):
            raise InputError(f"{self.path.name} has no header row; add one naming each column")
        return header

    _columns_tsv = _columns_csv

    def _columns_parquet(self) -> list[str]:
        return list(self._parquet().schema_arrow.names)

    def _columns_jsonl(self) -> list[str]:
        keys: dict[str, None] = {}
        for _, record in self._jsonl_records():
            keys.update(dict.fromkeys(record))
        if not keys:
            raise InputError(f"{self.path.name} has no JSON objects; write one object per line")
        return list(keys)

    def _columns_xlsx(self) -> list[str]:
        rows = self._xlsx_rows()
        header = next(rows, None)
        if header is None or all(h is None for h in header):
            raise InputError(f"{self.path.name}: the sheet is empty; put column names in the first row")
        while header and header[-1] is None:
            header = header[:-1]
        return list(header)

    # -- rows -----------------------------------------------------------------------------
    @property
    def _sep(self) -> str:
        return "\t" if self.format == "tsv" else ","

    def chunks(self, size: int = 5000) -> Iterator[pd.DataFrame]:
        """Yield DataFrames of at most ``size`` rows with :attr:`columns`, in file order."""
        yield from getattr(self, f"_chunks_{self.format}")(size)

    def _chunks_csv(self, size: int) -> Iterator[pd.DataFrame]:
        reader = pd.read_csv(
            self.path, sep=self._sep, encoding=self.encoding, dtype=str, keep_default_na=False,
            na_filter=False, chunksize=size, header=0, index_col=False, quoting=csv.QUOTE_MINIMAL,
        )
        with reader:
            while True:
                try:
                    # a row with more fields than the header must fail, not shift into an index
                    with warnings.catch_warnings():
                        warnings.simplefilter("error", pd.errors.ParserWarning)
                        chunk = next(reader)
                except StopIteration:
                    return
                except (pd.errors.ParserError, pd.errors.ParserWarning, UnicodeDecodeError) as exc:
                    raise InputError(
                        f"{self.path.name} is not a well-formed {self.format.upper()} file "
                        f"({' '.join(str(exc).split())}); "
                        "check quoting (text with commas or line breaks needs double quotes) and "
                        "the number of fields per row, or pass --encoding"
                    ) from None
                chunk.columns = self.columns
                yield chunk

    _chunks_tsv = _chunks_csv

    def _parquet(self):  # noqa: ANN202 - pyarrow.parquet.ParquetFile
        import pyarrow.parquet as pq

        try:
            return pq.ParquetFile(self.path)
        except Exception as exc:  # pyarrow raises several types for corrupt files
            raise InputError(f"{self.path.name} is not a readable Parquet file: {exc}") from None

    def _chunks_parquet(self, size: int) -> Iterator[pd.DataFrame]:
        for batch in self._parquet().iter_batches(batch_size=size):
            # Arrow-backed dtypes keep every chunk's types identical to the file's schema
            frame = batch.to_pandas(types_mapper=pd.ArrowDtype)
            frame.columns = self.columns
            yield frame

    def _jsonl_records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        with self.path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(
                        f"{self.path.name} line {number} is not valid JSON ({exc.msg}); "
                        "JSONL needs one JSON object per line"
                    ) from None
                if not isinstance(record, dict):
                    raise InputError(
                        f"{self.path.name} line {number} is a JSON {type(record).__name__}, not an "
                        "object; JSONL needs one object per line"
                    )
                yield number, record

    def _chunks_jsonl(self, size: int) -> Iterator[pd.DataFrame]:
        batch: list[dict[str, Any]] = []
        for _, record in self._jsonl_records():
            batch.append(record)
            if len(batch) >= size:
                yield self._frame(batch)
                batch = []
        if batch:
            yield self._frame(batch)

    def _frame(self, records: list[dict[str, Any]] | list[tuple[Any, ...]]) -> pd.DataFrame:
        if records and isinstance(records[0], dict):
            rows = [[r.get(c) for c in self.columns] for r in records]
        else:
            rows = [list(r) for r in records]
        frame = pd.DataFrame(rows, columns=range(len(self.columns)), dtype=object)
        frame.columns = self.columns
        return frame

    def _xlsx_rows(self) -> Iterator[tuple[Any, ...]]:
        from openpyxl import load_workbook

        try:
            book = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises zipfile/KeyError/... for bad files
            raise InputError(f"{self.path.name} is not a readable .xlsx workbook: {exc}") from None
        try:
            if self.sheet is not None and self.sheet not in book.sheetnames:
                raise InputError(
                    f"{self.path.name} has no sheet {self.sheet!r}; choose one of "
                    f"{format_choices(book.sheetnames)}"
                )
            sheet = book[self.sheet] if self.sheet is not None else book.worksheets[0]
            yield from sheet.iter_rows(values_only=True)
        finally:
            book.close()

    def _chunks_xlsx(self, size: int) -> Iterator[pd.DataFrame]:
        width = len(self.columns)
        rows = self._xlsx_rows()
        next(rows, None)
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            row = tuple(row[:width]) + (None,) * (width - len(row))
            batch.append(row)
            if len(batch) >= size:
                yield self._frame(batch)
                batch = []
        # trailing all-empty rows are formatting residue in spreadsheets, not data
        while batch and all(v is None for v in batch[-1]):
            batch.pop()
        if batch:
            yield self._frame(batch)

    def count_rows(self) -> int | None:
        """Number of data rows when cheap to know (Parquet metadata), else ``None``."""
        if self.format == "parquet":
            return self._parquet().metadata.num_rows
        return None


def open_table(
    path: str | os.PathLike[str], encoding: str | None = None, sheet: str | None = None
) -> TableReader:
    """Open a comment table for chunked reading; ``"-"`` reads CSV from standard input.

    Raises:
        InputFileNotFoundError: the file does not exist.
        UnsupportedFormatError: the extension is not one of :data:`TABLE_EXTENSIONS`.
        InputError: empty file, no header, undecodable or malformed content.
        ColumnError: duplicate column names.
    """
    if str(path) == "-":
        return TableReader(_spool_stdin(), "csv", encoding)
    path = Path(path)
    fmt = table_format(path)
    if not path.exists():
        raise InputFileNotFoundError(path)
    if path.is_dir():
        raise InputError(f"{str(path)!r} is a folder; give a {'/'.join(TABLE_EXTENSIONS)} file")
    return TableReader(path, fmt, encoding, sheet)


def _spool_stdin() -> Path:
    handle = tempfile.NamedTemporaryFile(prefix="cxtext-stdin-", suffix=".csv", delete=False)
    with handle:
        shutil.copyfileobj(sys.stdin.buffer, handle)
    return Path(handle.name)


def read_table(
    path: str | os.PathLike[str], encoding: str | None = None, sheet: str | None = None
) -> pd.DataFrame:
    """Read a whole table into one DataFrame (see :func:`open_table`)."""
    reader = open_table(path, encoding, sheet)
    frames = list(reader.chunks(50_000))
    if not frames:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in reader.columns})
    return pd.concat(frames, ignore_index=True)


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas NA (cell values that hold no text)."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)
