"""Driver indicators: which rows mention which topic, topic:sentiment and subtopic.

Example:
    >>> import pandas as pd
    >>> from cxtext.drivers import driver_indicators
    >>> driver_indicators(pd.DataFrame({"topics": ["price;people", ""]})).drivers["driver"].tolist()
    ['price', 'people']
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..cells import cell_text, split_labels
from ..errors import ColumnError, option
from ..schema import CX_TOPICS, TOPIC_SENTIMENTS, TOPICS, topic_sentiment_column

__all__ = ["DriverIndicators", "parse_topics", "driver_indicators"]


def parse_topics(value: object) -> list[str]:
    """Topics of one cell: a list/tuple/array, a ``;``-joined string, a JSON or Python list, or empty.

    The rule is :func:`cxtext.cells.split_labels`'s (repeats dropped).

    Example:
        >>> parse_topics("process;price"), parse_topics(["people"]), parse_topics(float("nan"))
        (['process', 'price'], ['people'], [])
    """
    return split_labels(value)


@dataclass(frozen=True)
class DriverIndicators:
    """Boolean driver indicators of a tagged table.

    Attributes:
        matrix: ``(n_rows, n_drivers)`` boolean array.
        drivers: one row per driver: ``driver, level, topic, sentiment``.
    """

    matrix: np.ndarray
    drivers: pd.DataFrame


def driver_indicators(
    tagged: pd.DataFrame,
    topics_column: str = TOPICS,
    sentiments: Sequence[str] = TOPIC_SENTIMENTS,
    subtopics: bool = True,
) -> DriverIndicators:
    """Build the topic, topic:sentiment and subtopic indicators of a tagged table.

    A topic counts as mentioned when the ``topics`` cell names it (or one of its subtopics
    ``topic/sub``) or its ``sentiment_<topic>`` cell is not empty. Topics are ordered as in
    :data:`cxtext.schema.CX_TOPICS`, then alphabetically.

    Example:
        >>> ind = driver_indicators(pd.DataFrame({"topics": ["price", ""],
        ...                                       "sentiment_price": ["negative", ""]}))
        >>> list(ind.drivers.driver), ind.matrix[:, 0].tolist()
        (['price', 'price:negative'], [True, False])
    """
    has_topics = topics_column in tagged.columns
    sentiment_topics = [str(c)[len("sentiment_"):] for c in tagged.columns
                        if str(c).startswith("sentiment_") and str(c) != "sentiment_score"]
    if not has_topics and not sentiment_topics:
        raise ColumnError(
            f"the table has neither a {topics_column!r} column nor sentiment_<topic> columns; "
            "give the output of `cxtext tag`" + option(" (or name the topics column with topics_column=)", "")
        )
    n = len(tagged)
    cells = [split_labels(v) for v in tagged[topics_column].tolist()] if has_topics else [[] for _ in range(n)]
    sentiment_cells = {t: [cell_text(v) for v in tagged[topic_sentiment_column(t)].tolist()]
                       for t in sentiment_topics}
    allowed = set(TOPIC_SENTIMENTS) | {""}
    # a user column that merely starts with "sentiment_" is not a topic-sentiment column
    sentiment_cells = {t: v for t, v in sentiment_cells.items() if set(v) <= allowed}
    top: dict[str, np.ndarray] = {}
    sub: dict[str, np.ndarray] = {}
    for i, labels in enumerate(cells):
        for label in labels:
            head = label.split("/")[0]
            top.setdefault(head, np.zeros(n, dtype=bool))[i] = True
            if subtopics and "/" in label:
                sub.setdefault(label, np.zeros(n, dtype=bool))[i] = True
    for t, values in sentiment_cells.items():
        mentioned = np.array([v != "" for v in values], dtype=bool)
        if mentioned.any() or t in top:
            top[t] = top.get(t, np.zeros(n, dtype=bool)) | mentioned
    order = {t: i for i, t in enumerate(CX_TOPICS)}
    names = sorted(top, key=lambda t: (order.get(t, len(order)), t))
    columns: list[np.ndarray] = []
    rows: list[tuple[str, str, str, str]] = []
    for topic in names:
        columns.append(top[topic])
        rows.append((topic, "topic", topic, ""))
    for topic in names:
        values = sentiment_cells.get(topic)
        if values is None:
            continue
        arr = np.array(values, dtype=object)
        for sentiment in sentiments:
            hits = arr == sentiment
            if not hits.any():  # keep the table short: only sentiments that occur
                continue
            columns.append(hits)
            rows.append((f"{topic}:{sentiment}", "topic_sentiment", topic, sentiment))
    for label in sorted(sub, key=lambda t: (order.get(t.split("/")[0], len(order)), t)):
        columns.append(sub[label])
        rows.append((label, "subtopic", label.split("/")[0], ""))
    matrix = np.column_stack(columns).astype(bool) if columns else np.zeros((n, 0), dtype=bool)
    drivers = pd.DataFrame(rows, columns=["driver", "level", "topic", "sentiment"])
    return DriverIndicators(matrix, drivers)
