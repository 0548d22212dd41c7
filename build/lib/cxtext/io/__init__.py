"""Reading and writing comment tables (and, in :mod:`cxtext.transcripts`, transcripts)."""
from __future__ import annotations

from ._atomic import atomic_output, check_output_path
from .tables import TABLE_EXTENSIONS, TableReader, detect_encoding, open_table, read_table, table_format
from .writers import TableWriter, join_labels, open_writer, write_table

__all__ = [
    "TABLE_EXTENSIONS",
    "TableReader",
    "TableWriter",
    "atomic_output",
    "check_output_path",
    "detect_encoding",
    "join_labels",
    "open_table",
    "open_writer",
    "read_table",
    "table_format",
    "write_table",
]
