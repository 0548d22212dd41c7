"""Reading cells of tagged tables: multi-label cells and topic evidence, as lists or text."""
from __future__ import annotations

import json
import math
from collections.abc import Mapping

from ..schema import MULTI_LABEL_SEPARATOR

__all__ = ["split_labels", "parse_evidence", "is_blank"]


def is_blank(value: object) -> bool:
    """None, NaN, pandas NA and empty/whitespace strings."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not hasattr(value, "__len__") else False
    except (TypeError, ValueError):
        return False


def split_labels(value: object) -> list[str]:
    """Labels of a multi-label cell: a list/tuple/array, or a ``;``-joined string; blank -> [].

    Example:
        >>> split_labels("price; process")
        ['price', 'process']
    """
    if isinstance(value, str):
        items = value.split(MULTI_LABEL_SEPARATOR)
    elif hasattr(value, "__iter__") and not isinstance(value, (bytes, Mapping)):
        items = [str(v) for v in value if not is_blank(v)]
    elif is_blank(value):
        return []
    else:
        items = [str(value)]
    seen: dict[str, None] = {}
    for item in items:
        item = item.strip()
        if item:
            seen[item] = None
    return list(seen)


def parse_evidence(value: object) -> dict[str, list[dict]]:
    """Topic evidence ``{"topic": [{"text", "start", "end"}, ...]}`` from a dict or JSON text.

    Text that is not valid JSON gives ``{}`` (evidence only helps ranking quotes).
    """
    if isinstance(value, Mapping):
        data = value
    elif isinstance(value, str) and value.strip():
        try:
            data = json.loads(value)
        except json.JSONDecodeError:
            return {}
    else:
        return {}
    if not isinstance(data, Mapping):
        return {}
    result: dict[str, list[dict]] = {}
    for topic, spans in data.items():
        if isinstance(spans, Mapping):
            spans = [spans]
        if isinstance(spans, list):
            result[str(topic)] = [s if isinstance(s, Mapping) else {"text": str(s)} for s in spans]
    return result
