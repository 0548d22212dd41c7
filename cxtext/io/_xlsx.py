"""Opening Excel workbooks, and saying plainly what is wrong with the ones that cannot be read.

Recognised: password-protected workbooks and old ``.xls`` files saved under an ``.xlsx`` name (both
are OLE2 compound files, not zips), formulas without a saved result (written by a program,
never opened in Excel: they would read as empty), the header on another row than the first, and
several sheets.
"""
from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError, CxtextNotice, format_choices, option

__all__ = ["open_workbook", "choose_sheet", "check_formulas", "check_header_row", "column_letter"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')


def column_letter(index: int) -> str:
    """0 -> ``A``, 26 -> ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def open_workbook(path: Path) -> Any:  # openpyxl Workbook
    """Open ``path`` read-only with cached formula values, or fail with what the file really is."""
    from openpyxl import load_workbook

    with path.open("rb") as handle:
        head = handle.read(8)
    if head == _OLE2:
        if _ENCRYPTED in path.read_bytes():
            raise InputError(
                f"{path.name} is password-protected (encrypted), so it cannot be read; open it in Excel, "
                "remove the password (File > Info > Protect Workbook > Encrypt with Password: clear it), "
                "save, and run again; or save the sheet as CSV"
            )
        raise InputError(
            f"{path.name} is an old Excel 97-2003 workbook (.xls) with an .xlsx name; open it in Excel "
            "(or LibreOffice) and save it as .xlsx or .csv"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes about styles and extensions
            return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/... for bad files
        raise InputError(f"{path.name} is not a readable .xlsx workbook: {exc}") from None


def choose_sheet(book: Any, path: Path, sheet: str | None) -> Any:
    """The worksheet named ``sheet``, or the first (with a note when there are others)."""
    names = list(book.sheetnames)
    if sheet is not None:
        if sheet not in names:
            raise InputError(f"{path.name} has no sheet {sheet!r}; choose one of {format_choices(names)}")
        return book[sheet]
    if len(names) > 1:
        warnings.warn(
            f"{path.name} has {len(names)} sheets ({format_choices(names)}); read the first, {names[0]!r}: "
            f"pass {option('sheet=NAME', '--sheet NAME')} to read another",
            CxtextNotice,
            stacklevel=5,
        )
    return book.worksheets[0]


def check_formulas(path: Path, worksheet: Any) -> None:
    """Fail when formula cells have no saved result (they would be read as empty)."""
    part = getattr(worksheet, "_worksheet_path", None)
    if not part:
        return
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read(part)
    except (KeyError, zipfile.BadZipFile):
        return
    if b"<f" not in xml:
        return
    missing: list[str] = []
    count = 0
    for match in _CELL.finditer(xml):
        attrs, body = match.group(1), match.group(2) or b""
        if b"<f" not in body:
            continue
        value = re.search(rb"<v>(.*?)</v>", body, re.S)
        if value is None or (not value.group(1) and b't="str"' not in attrs):
            count += 1
            if len(missing) < 5:
                ref = _REF.search(attrs)
                missing.append(ref.group(1).decode() if ref else "?")
    if count:
        more = f" and {count - 5} more" if count > 5 else ""
        raise InputError(
            f"{path.name}, sheet {worksheet.title!r}: {count} formula cell(s) ({', '.join(missing)}{more}) have "
            "no saved result (the file was written by a program and never calculated), so they would be read "
            "as empty; open it in Excel or LibreOffice and save it, then run again"
        )


def check_header_row(rows: Sequence[Sequence[object]], path: Path, sheet: str, header_row: int) -> None:
    """Fail when the header row has at most one name but a row below has several cells."""

    def filled(row: Sequence[object]) -> int:
        return sum(v is not None and str(v).strip() != "" for v in row)

    if not rows and header_row == 1:
        raise InputError(f"{path.name}: sheet {sheet!r} is empty; put the column names in the first row")
    if not rows:
        raise InputError(
            f"{path.name}: sheet {sheet!r} has no row {header_row}; it needs a row of column names"
            + (f" (pass a smaller {option('header_row=', '--header-row')})" if header_row > 1 else "")
        )
    names = filled(rows[0])
    below = [(header_row + i, filled(r)) for i, r in enumerate(rows[1:], start=1)]
    if names == 0 and not any(n for _, n in below):
        raise InputError(f"{path.name}: sheet {sheet!r} is empty from row {header_row} on; put the column "
                         "names in the first row")
    if names > 1:
        return
    where = next((r for r, n in below[:10] if n >= 2), None)
    if where is None:
        if names == 0:
            raise InputError(f"{path.name}: row {header_row} of sheet {sheet!r} is empty; put the column names "
                             f"there or pass {option('header_row=', '--header-row')} with their row")
        return
    after = [n for r, n in below if r >= where]
    if sum(n >= 2 for n in after) < 0.8 * len(after):
        return  # a stray cell, not a table: reading reports it
    first = next((str(v) for v in rows[0] if v is not None and str(v).strip()), "")
    what = "is empty" if names == 0 else f"has one cell ({first[:40]!r})"
    width = max(after)
    raise InputError(
        f"{path.name}: row {header_row} of sheet {sheet!r} {what} but row {where} has {width} cells; if the "
        f"column names are on row {where}, pass {option(f'header_row={where}', f'--header-row {where}')}"
    )
