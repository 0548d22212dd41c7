"""Reading and writing comment tables (and, in :mod:`cxtext.transcripts`, transcripts).

Readers detect what spreadsheets and exports really contain and say what they found: the
encoding (byte-order marks, UTF-8 with a few bad bytes, cp1252), the CSV separator (``,`` ``;``
tab ``|``), title lines above the header, unbalanced quotes, Excel sheets, protected workbooks and
formulas without results. Writers write atomically and neutralise spreadsheet formulas in text
cells (see :class:`IOOptions`).
"""
from __future__ import annotations

from ._atomic import atomic_output, check_output_path
from ._encoding import detect_encoding
from ._options import IOOptions, io_options
from .tables import TABLE_EXTENSIONS, TableReader, open_table, read_table, table_format
from .writers import (
    OUTPUT_EXTENSIONS,
    TableWriter,
    check_table_output,
    escape_formula,
    join_labels,
    open_writer,
    write_table,
)

__all__ = [
    "TABLE_EXTENSIONS",
    "OUTPUT_EXTENSIONS",
    "IOOptions",
    "TableReader",
    "TableWriter",
    "atomic_output",
    "check_output_path",
    "check_table_output",
    "detect_encoding",
    "escape_formula",
    "io_options",
    "join_labels",
    "open_table",
    "open_writer",
    "read_table",
    "table_format",
    "write_table",
]
