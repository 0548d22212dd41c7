"""Chunked readers and writers for comment tables: CSV, TSV, XLSX, Parquet, JSONL.

Readers keep every column, in order, and every row once, in order. CSV/TSV cells are read as
text (no type guessing), so values such as ``007`` or ``NA`` come back out exactly as they went
in. Memory stays flat: rows are produced and written in chunks.
"""
from __future__ import annotations

import csv
import errno
import io
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

import numpy as np
import pandas as pd

from ..errors import (
    ColumnError,
    InputError,
    InputFileNotFoundError,
    CxtextNotice,
    UnsupportedFormatError,
    format_choices,
    option,
)
from ._encoding import detect_encoding, sniff_encoding
from ._options import current_options, parse_sep
from ._signals import checkpoint
from ._sniff import sep_name, sniff_shape

__all__ = [
    "TABLE_EXTENSIONS",
    "TableReader",
    "open_table",
    "read_table",
    "detect_encoding",
    "table_format",
]

TABLE_EXTENSIONS: tuple[str, ...] = (".csv", ".tsv", ".xlsx", ".parquet", ".jsonl")


def table_format(path: str | os.PathLike[str], role: str = "input") -> str:
    """The format of ``path`` from its extension (``csv``, ``tsv``, ``xlsx``, ``parquet``, ``jsonl``)."""
    suffix = Path(path).suffix.lower()
    if suffix not in TABLE_EXTENSIONS:
        raise UnsupportedFormatError(path, TABLE_EXTENSIONS, role)
    return suffix[1:]


def _check_header(columns: Sequence[object], path: Path) -> list[str]:
    names = ["" if c is None else str(c) for c in columns]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            what = "several columns have no name" if name == "" else f"column {name!r} appears more than once"
            raise ColumnError(f"{what} in the header of {path.name}; give every column its own name")
        seen.add(name)
    return names


class TableReader:
    """A table read lazily in chunks.

    Attributes:
        path: the file (a temporary copy for standard input).
        format: ``csv``, ``tsv``, ``xlsx``, ``parquet`` or ``jsonl``.
        columns: column names in order.
        encoding: text encoding used (CSV/TSV/JSONL), else ``None``.
        sep: field separator (CSV/TSV), given or detected.
        header_row: 1-based row (line) of the column names (CSV/TSV/XLSX).

    Example:
        >>> reader = open_table("comments.csv")  # doctest: +SKIP
        >>> for chunk in reader.chunks(5000): ...  # doctest: +SKIP
    """

    def __init__(self, path: Path, fmt: str, encoding: str | None = None, sheet: str | None = None,
                 sep: str | None = None, header_row: int | None = None) -> None:
        defaults = current_options()
        self.path = path
        self.format = fmt
        self.sheet = sheet
        self.header_row = header_row if header_row is not None else (defaults.header_row or 1)
        if not isinstance(self.header_row, int) or self.header_row < 1:
            raise InputError(f"header row {self.header_row!r} is not allowed; use a row number from 1")
        self._sep_option = parse_sep(sep) if sep is not None else defaults.sep
        self._text = sniff_encoding(path, encoding) if fmt in ("csv", "tsv", "jsonl") else None
        self.encoding = self._text.name if self._text else None
        self.sep: str | None = None
        self._crlf: bool | None = None
        self.columns = self._read_columns()

    # -- header ---------------------------------------------------------------------------
    def _read_columns(self) -> list[str]:
        if self.path.stat().st_size == 0:
            raise InputError(f"{self.path.name} is empty; it needs at least a header row")
        reader = getattr(self, f"_columns_{self.format}")
        return _check_header(reader(), self.path)

    def _open_text(self) -> Any:
        assert self._text is not None
        return self.path.open(encoding=self._text.name, errors=self._text.errors, newline="")

    def _columns_csv(self) -> list[str]:
        default = "\t" if self.format == "tsv" else ","
        shape = sniff_shape(self.path, self._text, default, self._sep_option, self.header_row)
        self.sep = shape.sep
        notes = []
        if shape.detected:
            notes.append(f"read {self.path.name} as {sep_name(shape.sep)}-separated (detected; pass "
                         f"{option('sep=', '--sep')} to set it)")
        if shape.decimal_comma_columns:
            notes.append(f"decimal commas in {format_choices(shape.decimal_comma_columns)} are kept as written "
                         "(score commands read them as numbers)")
        if notes:
            warnings.warn("; ".join(notes), CxtextNotice, stacklevel=4)
        with self._open_text() as handle:
            for _ in range(self.header_row - 1):
                handle.readline()
            header = next(csv.reader(handle, delimiter=self.sep), None)
        if not header or all(not h.strip() for h in header):
            where = f"line {self.header_row}" if self.header_row > 1 else "the first line"
            raise InputError(f"{self.path.name} has no header row at {where}; add one naming each column")
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
        from ._xlsx import check_formulas, check_header_row

        rows = self._xlsx_rows(check=True)
        try:
            sample = [row for _, row in zip(range(40), rows)]
        finally:
            rows.close()
        check_header_row(sample, self.path, self._sheet_title, self.header_row)
        header = sample[0]
        while header and header[-1] is None:
            header = header[:-1]
        check_formulas(self.path, self._worksheet)
        return list(header)

    # -- rows -----------------------------------------------------------------------------
    def chunks(self, size: int = 5000) -> Iterator[pd.DataFrame]:
        """Yield DataFrames of at most ``size`` rows with :attr:`columns`, in file order."""
        for chunk in getattr(self, f"_chunks_{self.format}")(size):
            checkpoint()
            yield chunk

    def _chunks_csv(self, size: int) -> Iterator[pd.DataFrame]:
        assert self._text is not None
        reader = pd.read_csv(
            self.path, sep=self.sep, encoding=self._text.name, encoding_errors=self._text.errors, dtype=str,
            keep_default_na=False, na_filter=False, chunksize=size, header=0, index_col=False,
            quoting=csv.QUOTE_MINIMAL, skiprows=self.header_row - 1,
            # one column: an empty or blank line is an empty answer (pandas would drop "   " too)
            skip_blank_lines=len(self.columns) > 1,
        )
        line = self.header_row + 1  # the file line where the next record starts
        held = self._trailing_blank_lines() if len(self.columns) == 1 else 0
        pending: pd.DataFrame | None = None
        with reader:
            while True:
                try:
                    # a row with more fields than the header must fail, not shift into an index
                    with warnings.catch_warnings():
                        warnings.simplefilter("error", pd.errors.ParserWarning)
                        chunk = next(reader)
                except StopIteration:
                    break
                except (pd.errors.ParserError, pd.errors.ParserWarning, UnicodeDecodeError) as exc:
                    raise self._malformed(exc) from None
                chunk.columns = self.columns
                line = self._checked_rows(chunk, line)
                if not held:
                    yield chunk
                    continue
                if pending is not None:  # not the last chunk after all
                    yield pending
                pending = chunk
            if pending is not None:  # blank lines at the very end of the file are not answers
                yield pending.iloc[: max(len(pending) - held, 0)] if _all_empty(pending.iloc[-held:]) else pending

    _chunks_tsv = _chunks_csv

    def _trailing_blank_lines(self) -> int:
        """Empty lines after the last line with content (one-column files keep the others as answers)."""
        with self._open_text() as handle:
            tail = handle.read()[-4096:] if self.path.stat().st_size < (1 << 24) else _tail(handle)
        tail = tail.replace("\r\n", "\n").replace("\r", "\n")
        stripped = tail.rstrip("\n")
        return max(len(tail) - len(stripped) - 1, 0) if stripped else 0

    def _malformed(self, exc: Exception) -> InputError:
        detail = " ".join(str(exc).split())
        if "EOF inside string" in detail:
            opened = _unclosed_quote_line(self._open_text, self.sep or ",", self.header_row)
            return InputError(
                f"{self.path.name} line {opened}: a quote opens a cell and is never closed, so the rest of "
                'the file would be one cell; close it (a quote inside quoted text is written twice: "")'
            )
        return InputError(
            f"{self.path.name} is not a well-formed {sep_name(self.sep or ',')}-separated file ({detail}); "
            "check quoting (text with separators or line breaks needs double quotes) and the number of "
            f"fields per row, or pass {option('sep=', '--sep')} / {option('encoding=', '--encoding')}"
        )

    def _checked_rows(self, chunk: pd.DataFrame, line: int) -> int:
        """Fail on a row an unbalanced quote swallowed; return the line where the next chunk starts."""
        if not _has_breaks(chunk):
            return line + len(chunk)
        counts = sum(chunk[c].str.count("\n").to_numpy(dtype=int) for c in chunk.columns)
        starts = line + np.arange(len(chunk)) + np.concatenate([[0], np.cumsum(counts)[:-1]])
        crlf = self._crlf_rows()
        for pos in np.nonzero(counts)[0]:
            row = [str(v) for v in chunk.iloc[pos].tolist()]
            for j, value in enumerate(row):
                # rows of a CRLF file end in "\r\n": a cell broken by bare "\n" only (as Excel writes
                # line breaks inside a cell) is a real multi-line answer, whatever its fields look like
                if "\n" in value and not (crlf and "\r" not in value) \
                        and _swallowed(row, j, self.sep or ",", len(self.columns)):
                    raise InputError(
                        f"{self.path.name} line {starts[pos]}: the quote that opens column {self.columns[j]!r} "
                        f"is not closed where the row ends, so the next {value.count(chr(10))} line(s) were read "
                        'into that one cell; close the quote (a quote inside quoted text is written twice: "")'
                    )
        return line + len(chunk) + int(counts.sum())

    def _crlf_rows(self) -> bool:
        """Whether the file's rows end in CRLF (read from its first line)."""
        if self._crlf is None:
            with self._open_text() as handle:
                self._crlf = handle.readline().endswith("\r\n")
        return self._crlf

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
        with self._open_text() as handle:
            for number, line in enumerate(handle, start=1):
                if number == 1:
                    line = line.lstrip("\ufeff")
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

    def _xlsx_rows(self, check: bool = False) -> Iterator[tuple[Any, ...]]:
        """Rows from the header row on (the header first)."""
        from ._xlsx import choose_sheet, open_workbook

        book = open_workbook(self.path)
        try:
            sheet = choose_sheet(book, self.path, self.sheet) if check else \
                book[self._sheet_title]
            self._sheet_title, self._worksheet = sheet.title, sheet
            yield from sheet.iter_rows(min_row=self.header_row, values_only=True)
        finally:
            book.close()

    def _chunks_xlsx(self, size: int) -> Iterator[pd.DataFrame]:
        from ._xlsx import column_letter

        width = len(self.columns)
        rows = self._xlsx_rows()
        next(rows, None)
        batch: list[tuple[Any, ...]] = []
        for number, row in enumerate(rows, start=self.header_row + 1):
            extra = next((j for j in range(width, len(row)) if not _blank_cell(row[j])), None)
            if extra is not None:
                rows.close()
                raise InputError(
                    f"{self.path.name}, sheet {self._sheet_title!r}: cell {column_letter(extra)}{number} holds "
                    f"{str(row[extra])[:40]!r}, but its column has no name in the header row "
                    f"(row {self.header_row}); name the column, or delete what is right of "
                    f"{column_letter(width - 1)}"
                )
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


def _all_empty(frame: pd.DataFrame) -> bool:
    return bool(len(frame)) and all(str(v) == "" for v in frame.to_numpy().ravel())


def _tail(handle: Any) -> str:
    last = ""
    while block := handle.read(1 << 20):
        last = (last + block)[-4096:]
    return last


def _blank_cell(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _has_breaks(chunk: pd.DataFrame) -> bool:
    return any(chunk[c].str.contains("\n", regex=False).any() for c in chunk.columns)


def _fields(line: str, sep: str) -> int:
    return len(next(csv.reader([line], delimiter=sep), []))


def _swallowed(row: list[str], j: int, sep: str, width: int) -> bool:
    """True when cell ``j``'s line breaks make sense only as row ends: every line it would span,
    read with its opening quote taken away, has exactly the header's number of fields."""
    parts = str(row[j]).replace("\r\n", "\n").split("\n")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="")

    def joined(cells: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    first = (joined(row[:j]) + sep if j else "") + parts[0]
    last = parts[-1] + (sep + joined(row[j + 1:]) if j + 1 < len(row) else "")
    lines = [first, *parts[1:-1], last]
    return len(lines) >= 2 and all(_fields(x, sep) == width for x in lines)


def _unclosed_quote_line(open_text: Any, sep: str, header_row: int) -> int:
    """Line where the record that runs to the end of the file starts."""
    with open_text() as handle:
        reader = csv.reader(handle, delimiter=sep, strict=True)
        start = 1
        try:
            for _ in reader:
                start = reader.line_num + 1
        except csv.Error:
            pass
    return max(start, header_row)


def open_table(
    path: str | os.PathLike[str], encoding: str | None = None, sheet: str | None = None,
    sep: str | None = None, header_row: int | None = None,
) -> TableReader:
    """Open a comment table for chunked reading; ``"-"`` reads CSV from standard input.

    Args:
        path: the file (its extension sets the format) or ``"-"``.
        encoding: CSV/TSV/JSONL encoding (default: detected, see :mod:`cxtext.io`).
        sheet: XLSX sheet name (default: the first).
        sep: CSV/TSV separator such as ``";"`` or ``"tab"`` (default: detected).
        header_row: 1-based row (line) of the column names in CSV/TSV/XLSX (default: 1).

    Defaults left out here come from :func:`cxtext.io.io_options`.

    Raises:
        InputFileNotFoundError: the file does not exist.
        UnsupportedFormatError: the extension is not one of :data:`TABLE_EXTENSIONS`.
        InputError: empty, unreadable, undecodable or malformed content, or a folder or symlink loop.
        ColumnError: duplicate column names.
    """
    if str(path) == "-":
        spooled = _spool_stdin()
        try:
            return TableReader(spooled, "csv", encoding, sep=sep, header_row=header_row)
        except BaseException:
            spooled.unlink(missing_ok=True)
            raise
    path = Path(path)
    fmt = table_format(path)
    _check_readable(path)
    try:
        return TableReader(path, fmt, encoding, sheet, sep, header_row)
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _check_readable(path: Path) -> None:
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise InputFileNotFoundError(path) from None
        raise _unreadable(path, exc) from None
    if path.is_dir():
        raise InputError(f"{str(path)!r} is a folder; give a {'/'.join(TABLE_EXTENSIONS)} file")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: OSError) -> InputError:
    if exc.errno == errno.ELOOP:
        return InputError(f"input {str(path)!r} is a symbolic link that points back to itself (a loop); "
                          "point it at the real file, or give the file's own path")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(f"cannot read input {str(path)!r}: permission denied; fix its permissions "
                          "(chmod u+r) or copy it somewhere you can read it")
    return InputError(f"cannot read input {str(path)!r}: {exc.strerror or exc}")


def _spool_stdin() -> Path:
    handle = tempfile.NamedTemporaryFile(prefix="cxtext-stdin-", suffix=".csv", delete=False)
    with handle:
        shutil.copyfileobj(sys.stdin.buffer, handle)
    return Path(handle.name)


def read_table(
    path: str | os.PathLike[str], encoding: str | None = None, sheet: str | None = None,
    sep: str | None = None, header_row: int | None = None,
) -> pd.DataFrame:
    """Read a whole table into one DataFrame (see :func:`open_table`)."""
    reader = open_table(path, encoding, sheet, sep, header_row)
    frames = list(reader.chunks(50_000))
    if not frames:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in reader.columns})
    return pd.concat(frames, ignore_index=True)


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas NA (cell values that hold no text)."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)
