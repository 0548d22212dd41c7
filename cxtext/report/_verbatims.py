"""Representative verbatims per driver, with the topic evidence highlighted (HTML-escaped)."""
from __future__ import annotations

import html
import json
import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["highlight", "evidence_spans", "representative_rows"]


def _evidence(cell: object) -> dict[str, list[dict[str, Any]]]:
    if isinstance(cell, dict):
        return cell
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return {}
    text = str(cell).strip()
    if not text:
        return {}
    try:
        loaded = json.loads(text)
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def evidence_spans(text: str, cell: object, topic: str) -> list[tuple[int, int]]:
    """Character spans of ``topic`` (and its subtopics) in ``text``, merged and validated.

    Offsets that do not point at the evidence text are repaired by searching for the text;
    evidence that cannot be found is skipped (never highlighted at a wrong place).

    Example:
        >>> evidence_spans("Late delivery.", '{"process": [{"text": "delivery", "start": 5, "end": 13}]}', "process")
        [(5, 13)]
    """
    spans: list[tuple[int, int]] = []
    for key, items in _evidence(cell).items():
        if str(key).split("/")[0] != topic or not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict):
                continue
            snippet = str(item.get("text", ""))
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text) and \
                    (not snippet or text[start:end] == snippet):
                spans.append((start, end))
            elif snippet and snippet in text:
                found = text.index(snippet)
                spans.append((found, found + len(snippet)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """HTML of ``text`` with ``<mark>`` around the spans; everything is escaped.

    Example:
        >>> highlight("a <b> c", [(2, 5)])
        'a <mark>&lt;b&gt;</mark> c'
    """
    out, pos = [], 0
    for start, end in spans:
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def representative_rows(texts: pd.Series, scores: np.ndarray, mask: np.ndarray, k: int = 3) -> list[int]:
    """Positions of ``k`` typical comments among ``mask``: score nearest the group median,
    then length nearest the median length, then position (deterministic); duplicates skipped."""
    positions = np.nonzero(mask)[0]
    if len(positions) == 0:
        return []
    values = np.asarray(scores, dtype=float)[positions]
    lengths = np.array([len(str(texts.iloc[p])) for p in positions], dtype=float)
    med_score = float(np.nanmedian(values)) if np.isfinite(values).any() else 0.0
    med_len = float(np.median(lengths))
    score_gap = np.where(np.isfinite(values), np.abs(values - med_score), np.inf)
    order = np.lexsort((positions, np.abs(lengths - med_len), score_gap))
    chosen: list[int] = []
    seen: set[str] = set()
    for i in order:
        text = str(texts.iloc[positions[i]]).strip()
        if not text or text in seen:
            continue
        seen.add(text)
        chosen.append(int(positions[i]))
        if len(chosen) == k:
            break
    return chosen
