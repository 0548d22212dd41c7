"""The one small interface every sentiment/emotion backend implements."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import InputError
from ..schema import EMOTIONS, SENTIMENTS

__all__ = ["Prediction", "Backend", "score_from_proba", "label_from_score", "check_inputs"]


@dataclass(frozen=True)
class Prediction:
    """Sentiment and emotion of one piece of text (a clause, a sentence or a whole comment).

    Attributes:
        sentiment: ``positive``, ``neutral`` or ``negative``.
        score: polarity in [-1, 1]; negative below zero.
        sentiment_proba: probability per sentiment label (keys: :data:`cxtext.schema.SENTIMENTS`).
        emotions: Plutchik-8 labels whose probability passed the backend's per-label threshold,
            in the order of :data:`cxtext.schema.EMOTIONS`; empty means no clear emotion.
        emotion_proba: probability per Plutchik-8 label.
        topic_proba: probability that the text talks about each CX topic (keys:
            :data:`cxtext.schema.CX_TOPICS`), from a backend with a topic model; empty otherwise.
            The pipeline uses it to confirm or drop the codebook's matches in context and to add
            topics the codebook's words missed (:mod:`cxtext.topics.contextual`).
    """

    sentiment: str
    score: float
    sentiment_proba: dict[str, float] = field(default_factory=dict)
    emotions: tuple[str, ...] = ()
    emotion_proba: dict[str, float] = field(default_factory=dict)
    topic_proba: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.sentiment not in SENTIMENTS:
            raise ValueError(f"sentiment must be one of {SENTIMENTS}, got {self.sentiment!r}")
        if not -1.0 <= self.score <= 1.0:
            raise ValueError(f"score must lie in [-1, 1], got {self.score!r}")
        unknown = set(self.emotions) - set(EMOTIONS)
        if unknown:
            raise ValueError(f"unknown emotions {sorted(unknown)}; allowed: {EMOTIONS}")


def score_from_proba(proba: dict[str, float]) -> float:
    """Polarity score in [-1, 1] from sentiment probabilities: P(positive) - P(negative)."""
    score = float(proba.get("positive", 0.0)) - float(proba.get("negative", 0.0))
    return max(-1.0, min(1.0, score))


def label_from_score(score: float, neutral_band: float = 0.05) -> str:
    """The sentiment label of a score: neutral within ``neutral_band`` of zero."""
    if score > neutral_band:
        return "positive"
    if score < -neutral_band:
        return "negative"
    return "neutral"


class Backend(ABC):
    """Sentiment and emotion for batches of short texts.

    Backends are registered by name (see :mod:`cxtext.backends`) and constructed with keyword
    options only; ``__init__`` stores options and loads nothing heavy until first use.
    ``analyze`` receives clauses/sentences already split by :mod:`cxtext.segment`, each with the
    language to analyse it in (one of :data:`cxtext.schema.LANGUAGES`; never ``und``).
    """

    #: Registered name, e.g. ``"fast"``.
    name: str = ""
    #: Most rows per chunk handed to a worker process (``None``: the caller's default). Slow
    #: backends set it small, so that every worker has rows to tag until the end of a run.
    chunk_rows: int | None = None

    @abstractmethod
    def analyze(self, texts: Sequence[str], langs: Sequence[str]) -> list[Prediction]:
        """Return one :class:`Prediction` per text, in order."""

    def describe(self) -> dict[str, str]:
        """Name and versions of the models in use, stamped into outputs and reports."""
        return {"backend": self.name}

    def topic_rule(self) -> dict[str, tuple[float, float]]:
        """How to read :attr:`Prediction.topic_proba`: topic -> ``(keep, add)`` thresholds.

        A codebook match of a topic is kept when its probability reaches ``keep``; a topic the
        codebook did not find is added when it reaches ``add``. Empty (the default) = the
        backend has no topic model and the codebook's matches stand as they are.
        """
        return {}


def check_inputs(texts: Sequence[str], langs: Sequence[str]) -> None:
    """Raise :class:`~cxtext.errors.InputError` unless ``texts`` is a sequence (not one str) with
    one language per text.

    Example:
        >>> check_inputs(["hola"], ["es"])
        >>> check_inputs("hola", ["es"])
        Traceback (most recent call last):
        ...
        cxtext.errors.InputError: texts must be a sequence of strings, got one str; wrap it: [text]
    """
    if isinstance(texts, str):
        raise InputError("texts must be a sequence of strings, got one str; wrap it: [text]")
    if len(texts) != len(langs):
        raise InputError(
            f"texts and langs must have the same length: got {len(texts)} texts but {len(langs)} "
            "languages; pass one language code per text"
        )
