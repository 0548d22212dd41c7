"""Train a :class:`~cxtext.topics.model.TopicModel` from a coded table (used by ``cxtext train topics``)."""
from __future__ import annotations

import pandas as pd

from ..errors import ColumnError, InputError, format_choices
from ..lang import check_language
from .model import TopicModel, parse_labels

__all__ = ["train_topic_model"]


def train_topic_model(
    frame: pd.DataFrame,
    text: str,
    labels: str,
    separator: str = ";",
    lang: str | None = None,
    **params: object,
) -> TopicModel:
    """Fit a topic model on ``frame[text]`` with codes in ``frame[labels]`` (rows without text dropped).

    ``lang`` is the comments' language for the codebook features (``None``: detected per
    comment); ``params`` go to :class:`TopicModel`.

    Example:
        >>> frame = pd.DataFrame({"c": ["cheap", "rude staff"] * 10, "codes": ["price", "people"] * 10})
        >>> train_topic_model(frame, "c", "codes", validation_size=0.5).classes_
        ('price', 'people')
    """
    for role, column in (("--text", text), ("--labels", labels)):
        if column not in frame.columns:
            raise ColumnError(f"{role} column {column!r} is not in the table; columns: {format_choices(frame.columns)}")
    texts = frame[text].astype("string").fillna("")
    keep = texts.str.strip() != ""
    if not keep.any():
        raise InputError(f"column {text!r} has no text; check --text")
    cells = [parse_labels(v, separator) if isinstance(v, str) else parse_labels(v) for v in frame.loc[keep, labels]]
    kept = list(texts[keep])
    langs = None if lang is None else [check_language(lang)] * len(kept)
    return TopicModel(**params).fit(kept, cells, langs)  # type: ignore[arg-type]
