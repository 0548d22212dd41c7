"""Reading cells of tagged tables: the names of :mod:`cxtext.cells`, where the rules live."""
from __future__ import annotations

from ..cells import is_missing as is_blank
from ..cells import parse_evidence, split_labels

__all__ = ["split_labels", "parse_evidence", "is_blank"]
