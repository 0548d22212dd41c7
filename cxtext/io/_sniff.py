"""The shape of a delimited text file: separator, header row, decimal commas.

The first records are parsed with each candidate separator (``,`` ``;`` tab ``|``, quote-aware);
the one whose rows most often have as many fields as the header wins, ties going to the
extension's own separator. Title lines above the header are recognised, and the message says
which ``--header-row`` to pass.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, option
from ._encoding import TextEncoding

__all__ = ["TextShape", "sniff_shape", "SEPARATORS", "sep_name"]

SEPARATORS: tuple[str, ...] = (",", ";", "\t", "|")
_SAMPLE_CHARS = 1 << 20
_SAMPLE_RECORDS = 200
_DECIMAL_COMMA = re.compile(r"-?\d+,\d+")


def sep_name(sep: str) -> str:
    """``"\\t"`` -> ``"tab"``; others quoted: ``"';'"``."""
    return "tab" if sep == "\t" else repr(sep)


@dataclass(frozen=True)
class TextShape:
    """What :func:`sniff_shape` found: the separator and columns with decimal commas."""

    sep: str
    detected: bool
    decimal_comma_columns: tuple[str, ...] = field(default=())


def _records(sample: str, sep: str, truncated: bool) -> list[list[str]]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=sep)
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > _SAMPLE_RECORDS:
                break
    except csv.Error:
        pass
    if truncated and rows and len(rows) <= _SAMPLE_RECORDS:
        rows.pop()  # the sample may end inside the last record
    return [r for r in rows if any(c.strip() for c in r)]


def _sample(path: Path, encoding: TextEncoding) -> tuple[str, bool]:
    with path.open(encoding=encoding.name, errors=encoding.errors, newline="") as handle:
        text = handle.read(_SAMPLE_CHARS)
        truncated = bool(handle.read(1))
    return text, truncated


def sniff_shape(path: Path, encoding: TextEncoding, default_sep: str, sep: str | None = None,
                header_row: int = 1) -> TextShape:
    """Separator (given or detected) and decimal-comma columns of a delimited file.

    Raises:
        InputError: the column names are not on ``header_row`` (the message names the row to pass).
    """
    text, truncated = _sample(path, encoding)
    candidates = (sep,) if sep else (default_sep, *[s for s in SEPARATORS if s != default_sep])
    best: tuple[float, int, str, list[list[str]]] | None = None
    for order, candidate in enumerate(candidates):
        rows = _records(text, candidate, truncated)[header_row - 1:]
        if not rows:
            continue
        width = len(rows[0])
        data = rows[1:]
        consistent = sum(len(r) == width for r in data) / len(data) if data else 1.0
        score = (consistent if width > 1 or sep else 0.0, -order)
        if best is None or score > best[:2]:
            best = (*score, candidate, rows)
    if best is None:
        return TextShape(sep or default_sep, False)
    consistency, _, chosen, rows = best
    if consistency == 0.0 and not sep:  # one column whatever the separator, or title lines
        for candidate in candidates:
            _check_header_row(path, text, truncated, candidate, header_row)
        chosen, rows = default_sep, _records(text, default_sep, truncated)[header_row - 1:]
    _check_header_row(path, text, truncated, chosen, header_row)
    return TextShape(chosen, chosen != default_sep and not sep, _decimal_commas(rows, chosen))


def _check_header_row(path: Path, text: str, truncated: bool, sep: str, header_row: int) -> None:
    """Fail when the header has fewer fields than the rows under it and a later line fits them."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    lines: list[tuple[int, int]] = []  # (line number, fields) of non-empty records
    try:
        for row in reader:
            if any(c.strip() for c in row):
                lines.append((reader.line_num, len(row)))
            if len(lines) > _SAMPLE_RECORDS:
                break
    except csv.Error:
        return
    if truncated and len(lines) <= _SAMPLE_RECORDS:
        lines = lines[:-1]
    lines = [x for x in lines if x[0] >= header_row]
    if len(lines) < 3:
        return
    header_fields = lines[0][1]
    common, count = Counter(f for _, f in lines[1:]).most_common(1)[0]
    if common <= header_fields or common < 2 or count < 0.8 * (len(lines) - 1) - 1:
        return
    start = next(n for n, f in lines[1:] if f == common)
    if header_fields > 1 and start == lines[1][0]:
        return  # the rows simply have more fields than the header: the parser names the line
    if all(f == common for n, f in lines if n > start) or count >= 0.9 * (len(lines) - 1):
        raise InputError(
            f"{path.name}: line {lines[0][0]} has {header_fields} field(s) but the lines below have {common} "
            f"({sep_name(sep)}-separated); if the column names are on line {start}, pass "
            f"{option(f'header_row={start}', f'--header-row {start}')}"
        )


def _decimal_commas(rows: list[list[str]], sep: str) -> tuple[str, ...]:
    if sep == "," or len(rows) < 2:
        return ()
    header, data = rows[0], rows[1:]
    found = []
    for j, name in enumerate(header):
        values = [r[j].strip() for r in data if j < len(r) and r[j].strip()]
        if values and sum(bool(_DECIMAL_COMMA.fullmatch(v)) for v in values) >= max(1, len(values) // 2):
            found.append(name)
    return tuple(found)
