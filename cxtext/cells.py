"""Tagged cells: one rule each for what a cell of a (tagged) table holds.

cxtext writes and reads the same kinds of cells in many places: a multi-label cell (``topics``,
``emotions``, a coder's codes) is a list in memory, a ``;``-joined string in CSV/TSV/XLSX and a
JSON list when someone saved a DataFrame of lists with ``to_csv``; an evidence cell is a dict or
its JSON text; an empty cell is ``None``, NaN, pandas NA or blank text. This module is the one
place that reads them, and the one place that finds the comment column of a table.

Example:
    >>> from cxtext.cells import is_missing, split_labels, parse_evidence
    >>> is_missing("  "), split_labels("price; process;price"), split_labels('["people"]')
    (True, ['price', 'process'], ['people'])
    >>> parse_evidence('{"process": [{"text": "late", "start": 0, "end": 4}]}')["process"][0]["end"]
    4
"""
from __future__ import annotations

import ast
import difflib
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import ColumnError, format_choices, option
from .schema import MULTI_LABEL_SEPARATOR

__all__ = [
    "TEXT_COLUMN_NAMES",
    "is_missing",
    "cell_text",
    "segment_label",
    "MISSING_SEGMENT",
    "split_labels",
    "parse_evidence",
    "find_comment_column",
]

#: Column names that hold comments, tried in order (case-insensitive) when the content alone
#: does not tell which column it is.
TEXT_COLUMN_NAMES: tuple[str, ...] = ("comment", "comments", "text", "verbatim", "feedback", "review", "message")


def is_missing(value: object) -> bool:
    """True for a cell that holds nothing: None, NaN, NaT, pandas NA, or blank text.

    Lists, arrays and other containers are never missing (an empty list is "no labels", which
    :func:`split_labels` reads as ``[]``).

    Example:
        >>> [is_missing(v) for v in (None, float("nan"), "", " ", "0", 0, [])]
        [True, True, True, True, False, False, False]
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    if hasattr(value, "__len__"):
        return False
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def cell_text(value: object) -> str:
    """The text of a cell, stripped and lower-cased; ``""`` when it is missing.

    Example:
        >>> cell_text(" Negative "), cell_text(None)
        ('negative', '')
    """
    return "" if is_missing(value) else str(value).strip().lower()


#: The segment of the rows whose segment cell is empty.
MISSING_SEGMENT = "(missing)"


def segment_label(value: object) -> str:
    """The segment a cell puts its row in: the cell as text, or ``"(missing)"`` when it is empty.

    Example:
        >>> segment_label("web"), segment_label(3), segment_label(None)
        ('web', '3', '(missing)')
    """
    return MISSING_SEGMENT if is_missing(value) else str(value)


def _listed(text: str) -> list[object] | None:
    """The items of a JSON list, or of a Python list as ``DataFrame.to_csv`` writes it."""
    if not (text.startswith("[") and text.endswith("]")):
        return None
    try:
        loaded = json.loads(text)
    except ValueError:
        try:
            loaded = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
    return list(loaded) if isinstance(loaded, (list, tuple)) else None


def split_labels(value: object, separator: str = MULTI_LABEL_SEPARATOR) -> list[str]:
    """Labels of a multi-label cell, stripped, blanks and repeats dropped, in their order.

    A cell is a list/tuple/array/Series, a ``separator``-joined string (``"price;process"``),
    the text of a JSON or Python list (``'["price", "process"]'``), or missing (``[]``).

    Example:
        >>> split_labels("price; people;;price"), split_labels(["a", " b ", None])
        (['price', 'people'], ['a', 'b'])
        >>> split_labels("a|b", separator="|"), split_labels(float("nan"))
        (['a', 'b'], [])
    """
    items: Sequence[object]
    if isinstance(value, str):
        text = value.strip()
        listed = _listed(text)
        items = listed if listed is not None else text.split(separator)
    elif isinstance(value, (bytes, Mapping)):
        items = [str(value)]
    elif hasattr(value, "__iter__"):
        items = list(value)  # type: ignore[call-overload]
    elif is_missing(value):
        return []
    else:
        items = [value]
    seen: dict[str, None] = {}
    for item in items:
        if is_missing(item):
            continue
        label = str(item).strip()
        if label:
            seen[label] = None
    return list(seen)


def parse_evidence(value: object) -> dict[str, list[dict[str, Any]]]:
    """Topic evidence ``{"topic": [{"text", "start", "end"}, ...]}`` from a dict or its JSON text.

    A single span (a dict) becomes a list of one; a span given as plain text becomes
    ``{"text": ...}``. A missing cell, text that is not JSON, or JSON that is not an object give
    ``{}`` (evidence only helps to find and highlight quotes, it never stops a run).

    Example:
        >>> parse_evidence('{"price": {"text": "dear", "start": 4, "end": 8}}')
        {'price': [{'text': 'dear', 'start': 4, 'end': 8}]}
        >>> parse_evidence("not json"), parse_evidence(None)
        ({}, {})
    """
    if isinstance(value, Mapping):
        data: object = value
    elif isinstance(value, str) and value.strip():
        try:
            data = json.loads(value)
        except ValueError:
            return {}
    else:
        return {}
    if not isinstance(data, Mapping):
        return {}
    result: dict[str, list[dict[str, Any]]] = {}
    for topic, spans in data.items():
        if isinstance(spans, Mapping):
            spans = [spans]
        if isinstance(spans, list):
            result[str(topic)] = [dict(s) if isinstance(s, Mapping) else {"text": str(s)} for s in spans]
    return result


def find_comment_column(frame: Any, text: str | None = None, *, required: bool = True) -> str | None:
    """The column that holds the comments.

    1. ``text``, when given: it must be a column (the error suggests the closest name).
    2. Else the one column whose cells read as free text (mostly letters; a median of three
       words or more, or of one word when no column has more); evidence columns
       (``*_evidence``) are never comments.
    3. Else (no such column, or several) the first column named ``comment``, ``comments``,
       ``text``, ... (:data:`TEXT_COLUMN_NAMES`, any case), when ``required`` is False.

    Args:
        frame: the table (a pandas DataFrame).
        text: the column the user named, if any.
        required: raise when no column is found (tagging needs the comments); with False the
            answer may be ``None`` (a report without verbatims).

    Raises:
        ColumnError: ``text`` is not a column; or, when ``required``, no column or several
            columns read as comments.

    Example:
        >>> import pandas as pd
        >>> find_comment_column(pd.DataFrame({"id": ["1"], "answer": ["the parcel came late"]}))
        'answer'
    """
    columns = [str(c) for c in frame.columns]
    if text is not None:
        if text not in columns:
            close = difflib.get_close_matches(text, columns, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ColumnError(
                f"text column {text!r} not found{hint}; the columns are {format_choices(columns)}; "
                f"pass one of them with {option('text=', '--text')}"
            )
        return text
    readable = [c for c in columns if not c.endswith("_evidence")]
    candidates = [c for c in readable if _looks_like_free_text(frame[c])]
    if not candidates:  # short answers: accept the only non-numeric text column
        candidates = [c for c in readable if _looks_like_free_text(frame[c], min_words=1)]
    if len(candidates) == 1:
        return candidates[0]
    if not required:
        lower = {c.lower(): c for c in columns}
        return next((lower[name] for name in TEXT_COLUMN_NAMES if name in lower), None)
    found = f"{len(candidates)} text-like columns ({format_choices(candidates)})" if candidates else \
        "no free-text column"
    raise ColumnError(
        f"cannot tell which column holds the comments: found {found}; name it with {option('text=', '--text')}; "
        f"the columns are {format_choices(columns)}"
    )


def _looks_like_free_text(values: Any, min_words: int = 3) -> bool:
    sample = [v for v in values.head(500).tolist() if isinstance(v, str) and v.strip()]
    if not sample:
        return False
    numeric = sum(_is_number(v) for v in sample)
    if numeric > len(sample) / 2 or sum(any(ch.isalpha() for ch in v) for v in sample) <= len(sample) / 2:
        return False  # ids, codes, dates, phone numbers: text without letters is not a comment
    words = sorted(len(v.split()) for v in sample)
    return words[len(words) // 2] >= min_words


def _is_number(value: str) -> bool:
    try:
        float(value.replace(",", "."))
    except ValueError:
        return False
    return True
