"""Theme indicators for :func:`cxtext.drivers.driver_table` (``drivers="themes"``).

Two kinds of tables carry themes:

* the output of ``cxtext themes discover``: the ``themes`` column (list or ``;``-joined) and
  ``theme_evidence`` (JSON spans, each with the sentiment of its clause); a theme's sentiment
  in a comment is ``mixed`` when its clauses are positive and negative, else negative or
  positive if any clause is, else neutral (the rule of ``sentiment_<topic>``);
* the output of ``cxtext tag --codebook themes.yaml``: the subtopics (``process/late_delivery``)
  in ``topics``; their sentiment is that of their CX topic in the comment (``sentiment_process``),
  as ``cxtext tag`` does not rate subtopics on their own.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from ..errors import ColumnError
from ..schema import THEME_EVIDENCE, THEMES, TOPIC_SENTIMENTS, TOPICS, topic_sentiment_column

__all__ = ["theme_indicators", "theme_sentiments", "combine_sentiments"]


def combine_sentiments(labels: list[str]) -> str:
    """One sentiment from several clauses': ``mixed`` when positive and negative meet.

    Example:
        >>> combine_sentiments(["positive", "negative"]), combine_sentiments(["neutral", "negative"])
        ('mixed', 'negative')
    """
    found = set(labels)
    if {"positive", "negative"} <= found or "mixed" in found:
        return "mixed"
    for label in ("negative", "positive", "neutral"):
        if label in found:
            return label
    return ""


def _evidence(cell: object) -> dict[str, list[dict]]:
    if isinstance(cell, dict):
        return cell
    if cell is None or (isinstance(cell, float) and math.isnan(cell)) or not str(cell).strip():
        return {}
    try:
        loaded = json.loads(str(cell))
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def theme_sentiments(tagged: pd.DataFrame) -> tuple[list[list[str]], list[dict[str, str]]]:
    """Themes of each row and each theme's sentiment there (see the module docstring).

    Raises:
        ColumnError: the table has no themes (neither discovered nor tagged subtopics).
    """
    from ..cells import cell_text
    from ..drivers import parse_topics

    if THEMES in tagged.columns:
        themes = [parse_topics(v) for v in tagged[THEMES].tolist()]
        evidence = [_evidence(v) for v in tagged[THEME_EVIDENCE].tolist()] if THEME_EVIDENCE in tagged.columns \
            else [{} for _ in themes]
        sentiments = [
            {t: combine_sentiments([str(item.get("sentiment", "")) for item in ev.get(t, [])
                                    if isinstance(item, dict)]) for t in row}
            for row, ev in zip(themes, evidence)
        ]
        return themes, sentiments
    if TOPICS in tagged.columns:
        themes = [[t for t in parse_topics(v) if "/" in t] for v in tagged[TOPICS].tolist()]
        if any(themes):
            columns = {}
            for row in themes:
                for t in row:
                    name = topic_sentiment_column(t.split("/", 1)[0])
                    if name in tagged.columns and name not in columns:
                        columns[name] = [cell_text(v) for v in tagged[name].tolist()]
            sentiments = [{t: columns.get(topic_sentiment_column(t.split("/", 1)[0]), [""] * len(themes))[i]
                           for t in row} for i, row in enumerate(themes)]
            return themes, sentiments
    raise ColumnError(
        f"the table has no themes: no {THEMES!r} column and no subtopics (topic/theme) in {TOPICS!r}; "
        "run `cxtext themes discover` first, or `cxtext tag --codebook themes.yaml`"
    )


def theme_indicators(tagged: pd.DataFrame):  # noqa: ANN201 - cxtext.drivers.DriverIndicators
    """Driver indicators at two levels: ``theme`` and ``theme_sentiment`` (``theme:negative``).

    Themes are ordered by their CX topic (as in the codebook), then by name.
    """
    from ..drivers import DriverIndicators
    from ..schema import CX_TOPICS, OTHER_TOPIC

    themes, sentiments = theme_sentiments(tagged)
    n = len(tagged)
    order = {t: i for i, t in enumerate((*CX_TOPICS, OTHER_TOPIC))}
    names = sorted({t for row in themes for t in row}, key=lambda t: (order.get(t.split("/")[0], 99), t))
    index = {t: j for j, t in enumerate(names)}
    present = np.zeros((n, len(names)), dtype=bool)
    feeling = np.full((n, len(names)), "", dtype=object)
    for i, (row, mood) in enumerate(zip(themes, sentiments)):
        for t in row:
            present[i, index[t]] = True
            feeling[i, index[t]] = mood.get(t, "")
    columns = [present[:, j] for j in range(len(names))]
    rows = [(t, "theme", t, "") for t in names]
    for j, t in enumerate(names):
        for sentiment in TOPIC_SENTIMENTS:
            hits = feeling[:, j] == sentiment
            if hits.any():
                columns.append(hits)
                rows.append((f"{t}:{sentiment}", "theme_sentiment", t, sentiment))
    matrix = np.column_stack(columns).astype(bool) if columns else np.zeros((n, 0), dtype=bool)
    return DriverIndicators(matrix, pd.DataFrame(rows, columns=["driver", "level", "topic", "sentiment"]))
