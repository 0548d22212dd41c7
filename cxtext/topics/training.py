"""Train a :class:`~cxtext.topics.model.TopicModel` from a coded table (used by ``cxtext train topics``)."""
from __future__ import annotations

import os

import pandas as pd

from ..errors import ColumnError, InputError, format_choices, option
from ..lang import check_language
from .model import TopicModel, parse_labels

__all__ = ["train_topic_model", "train_topics_file", "validation_note", "validation_table"]


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
    for role, column in ((option("text", "--text"), text), (option("labels", "--labels"), labels)):
        if column not in frame.columns:
            raise ColumnError(f"{role} column {column!r} is not in the table; columns: {format_choices(frame.columns)}")
    texts = frame[text].astype("string").fillna("")
    keep = texts.str.strip() != ""
    if not keep.any():
        raise InputError(f"column {text!r} has no text; check {option('text=', '--text')}")
    cells = [parse_labels(v, separator) if isinstance(v, str) else parse_labels(v) for v in frame.loc[keep, labels]]
    kept = list(texts[keep])
    langs = None if lang is None else [check_language(lang)] * len(kept)
    return TopicModel(**params).fit(kept, cells, langs)  # type: ignore[arg-type]


def train_topics_file(
    path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    text: str,
    labels: str,
    *,
    force: bool = False,
    **options: object,
) -> TopicModel:
    """Train a topic model on a coded table file and save it to the folder ``output``.

    The folder is checked first (nothing is read or trained when it cannot be written); the
    table is read with :func:`cxtext.io.read_table`; ``options`` are :func:`train_topic_model`'s
    (``separator``, ``lang``, and the :class:`TopicModel` parameters).

    Example:
        >>> model = train_topics_file("coded.csv", "my-model/", "comment", "codes")  # doctest: +SKIP
    """
    from ..io import check_output_path, read_table

    check_output_path(output, force, folder=True)
    model = train_topic_model(read_table(path), text, labels, **options)  # type: ignore[arg-type]
    model.save(output, force=force)
    return model


def validation_note(model: TopicModel) -> str:
    """One line on what the model was trained on and where its thresholds and figures come from.

    Example:
        >>> validation_note(model)  # doctest: +SKIP
        'trained on 520 comments, 6 codes; thresholds and figures below from 5-fold cross-validation:'
    """
    how = f"{model.cv}-fold cross-validation" if model.cv else f"a {model.validation_size:.0%} validation split"
    return (f"trained on {model.n_train_} comments, {len(model.classes_)} codes; thresholds and "
            f"figures below from {how}:")


def validation_table(model: TopicModel) -> str:
    """Threshold, precision, recall, F1 and support per code, as a Markdown table.

    Example:
        >>> print(validation_table(model).splitlines()[0])  # doctest: +SKIP
        | code | threshold | precision | recall | F1 | support (validated) | rows (all) |
    """
    lines = ["| code | threshold | precision | recall | F1 | support (validated) | rows (all) |",
             "|---|---|---|---|---|---|---|"]
    for label in model.classes_:
        m = model.validation_metrics_[label]
        lines.append(f"| {label} | {m['threshold']:.3f} | {m['precision']:.3f} | {m['recall']:.3f} | "
                     f"{m['f1']:.3f} | {m['support']} | {model.support_[label]} |")
    return "\n".join(lines)
