"""Turn the user's topic options (codebooks, trained model, zero-shot) into detectors per column."""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError, format_choices, option
from ..schema import TOPICS
from .base import TopicDetector, TopicMatch
from .codebook import Codebook, load_codebook

__all__ = ["UnionDetector", "resolve_detectors", "COMBINE_MODES"]

#: Ways to use a trained/zero-shot model with the ``topics`` codebook.
COMBINE_MODES: tuple[str, ...] = ("union", "model-only")


class UnionDetector(TopicDetector):
    """Every match of several detectors for the same column (duplicates removed).

    Example:
        >>> from cxtext.topics import load_codebook
        >>> cb = load_codebook("default").detector()
        >>> UnionDetector([cb, cb]).detect(["cheap"], ["en"])
        [[TopicMatch(topic='price', start=0, end=5, text='cheap')]]
    """

    def __init__(self, detectors: Sequence[TopicDetector], column: str | None = None) -> None:
        if not detectors:
            raise ConfigError("UnionDetector needs at least one detector")
        self.detectors = list(detectors)
        self.column = column or self.detectors[0].column
        self.topics = tuple(dict.fromkeys(t for d in self.detectors for t in d.topics))

    def describe(self) -> dict[str, str]:
        parts = [next(iter(d.describe().values()), type(d).__name__) for d in self.detectors]
        return {self.column: "+".join(parts)}

    def detect(self, texts: Sequence[str], langs: Sequence[str]) -> list[list[TopicMatch]]:
        results = [d.detect(texts, langs) for d in self.detectors]
        out = []
        for per_text in zip(*results):
            merged: dict[tuple[str, int, int], TopicMatch] = {}
            for matches in per_text:
                for m in matches:
                    merged.setdefault((m.topic, m.start, m.end), m)
            out.append(sorted(merged.values(), key=lambda m: (m.start, m.end, m.topic)))
        return out


def resolve_detectors(
    codebooks: Sequence[str | os.PathLike[str]] = ("default",),
    topic_model: str | os.PathLike[str] | None = None,
    combine: str = "union",
    zero_shot: bool = False,
    model_options: dict[str, Any] | None = None,
) -> list[TopicDetector]:
    """One detector per output column, the ``topics`` column first.

    Args:
        codebooks: built-in names (``default``, ``journey``, ``channel``) or YAML paths. A custom
            codebook whose column is ``topics`` replaces ``default``; ``journey``/``channel`` add
            their own columns. With none filling ``topics``, ``default`` is used.
        topic_model: folder of a model saved by ``cxtext train topics``; with ``zero_shot=True``
            the NLI model name or path instead.
        combine: ``"union"`` (codebook matches + model topics) or ``"model-only"``.
        zero_shot: use :class:`cxtext.topics.zeroshot.ZeroShotTopicDetector` with the ``topics``
            codebook's definitions instead of a trained model.
        model_options: keyword options for the zero-shot detector.

    Raises:
        ConfigError: unknown ``combine``, ``model-only`` without a model, or two codebooks for
            the same column.
        CodebookError: a codebook file has mistakes.
        ModelError: the trained model cannot be loaded.

    Example:
        >>> [d.column for d in resolve_detectors(["journey", "default"])]
        ['topics', 'journey']
    """
    if combine not in COMBINE_MODES:
        raise ConfigError(f"combine={combine!r} is not allowed; use one of {format_choices(COMBINE_MODES)}")
    if isinstance(codebooks, (str, os.PathLike)):
        codebooks = [codebooks]
    loaded: dict[str, Codebook] = {}
    for spec in codebooks:
        codebook = load_codebook(spec)
        if codebook.column in loaded:
            raise ConfigError(
                f"codebooks {loaded[codebook.column].source!r} and {codebook.source!r} both fill the "
                f"{codebook.column!r} column; give one codebook per column (use 'extends:' to combine them)"
            )
        loaded[codebook.column] = codebook
    topics_codebook = loaded.pop(TOPICS, None) or load_codebook("default")

    model_detector: TopicDetector | None = None
    if zero_shot:
        if topic_model is None:
            model = option("topic_model='<NLI model name or folder>'", "--topic-model <NLI model name or folder>")
            raise ConfigError(f"{option('zero_shot=True', '--zero-shot')} needs a model: pass {model}")
        from .zeroshot import ZeroShotTopicDetector

        model_detector = ZeroShotTopicDetector(codebook=topics_codebook, model=str(topic_model),
                                               **(model_options or {}))
    elif topic_model is not None:
        from .model import TopicModel, TopicModelDetector

        model_detector = TopicModelDetector(TopicModel.load(topic_model), name=Path(topic_model).name)
    elif combine == "model-only":
        raise ConfigError("combine='model-only' needs a model: pass topic_model (--topic-model my-model/) "
                          "or use combine='union'")

    codebook_detector = topics_codebook.detector()
    if model_detector is None:
        first: TopicDetector = codebook_detector
    elif combine == "model-only":
        first = model_detector
    else:
        first = UnionDetector([codebook_detector, model_detector], column=TOPICS)
    return [first, *(cb.detector() for cb in loaded.values())]
