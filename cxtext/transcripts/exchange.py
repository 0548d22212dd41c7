"""Coded segments for QDA tools: one row per segment x code.

The codebook itself is exported to REFI-QDA ``.qdc`` by ``cxtext codebook export``; this
module writes the coded data (a flat CSV that MAXQDA, NVivo, ATLAS.ti and QualCoder can
import as "segments with codes", or that can be pivoted in a spreadsheet).
"""
from __future__ import annotations

import pandas as pd

from ..errors import ColumnError, format_choices
from ..schema import TOPIC_EVIDENCE, TOPICS, topic_sentiment_column
from ._cells import is_blank, parse_evidence, split_labels

__all__ = ["SEGMENT_COLUMNS", "coded_segments"]

#: Context columns copied when present, in this order, before ``code``.
SEGMENT_COLUMNS = ("file", "turn", "cue", "sentence", "speaker", "start", "end", "text")


def coded_segments(
    tagged: pd.DataFrame,
    codes: str = TOPICS,
    evidence: str | None = None,
    include_uncoded: bool = False,
) -> pd.DataFrame:
    """One row per segment and code, with the code's sentiment and evidence.

    Args:
        tagged: the output of ``cxtext tag`` (turns, sentences or comments).
        codes: the multi-label column holding the codes (list or ``;``-joined).
        evidence: the JSON evidence column (``{"code": [{"text", "start", "end"}]}``); default
            ``topic_evidence`` for ``topics`` and ``<codes>_evidence`` for extra codebook
            columns such as ``journey``; used only when present.
        include_uncoded: also keep segments without any code (``code`` empty).

    Returns:
        Columns ``segment`` (row number in ``tagged``, from 1), the context columns of
        :data:`SEGMENT_COLUMNS` that exist, ``code``, ``code_sentiment`` (from
        ``sentiment_<code>`` when that column exists, else empty) and ``evidence`` (the
        matched words, ``" | "``-joined).

    Example:
        >>> tagged = pd.DataFrame({"text": ["Too expensive"], "topics": ["price"]})
        >>> coded_segments(tagged)[["segment", "text", "code"]].to_dict("records")
        [{'segment': 1, 'text': 'Too expensive', 'code': 'price'}]
    """
    if codes not in tagged.columns:
        raise ColumnError(
            f"column {codes!r} is not in the table (columns: {format_choices(tagged.columns)}); "
            "pass the column that holds the codes (e.g. --codes topics)"
        )
    if evidence is None:
        evidence = TOPIC_EVIDENCE if codes == TOPICS else f"{codes}_evidence"
    context = [c for c in SEGMENT_COLUMNS if c in tagged.columns]
    rows = []
    for number, record in enumerate(tagged.to_dict("records"), start=1):
        labels = split_labels(record[codes])
        spans = parse_evidence(record.get(evidence)) if evidence in tagged.columns else {}
        base = {"segment": number, **{c: record[c] for c in context}}
        for label in labels:
            column = topic_sentiment_column(label)
            sentiment = record.get(column, "") if column in tagged.columns else ""
            texts = [str(s.get("text", "")) for s in spans.get(label, []) if s.get("text")]
            rows.append({**base, "code": label, "code_sentiment": "" if is_blank(sentiment) else sentiment,
                         "evidence": " | ".join(dict.fromkeys(texts))})
        if not labels and include_uncoded:
            rows.append({**base, "code": "", "code_sentiment": "", "evidence": ""})
    return pd.DataFrame(rows, columns=["segment", *context, "code", "code_sentiment", "evidence"])
