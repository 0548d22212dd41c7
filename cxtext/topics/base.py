"""The interface every topic detector implements (codebooks, trained models, zero-shot)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["TopicMatch", "TopicDetector"]


@dataclass(frozen=True)
class TopicMatch:
    """One piece of evidence that a text mentions a topic.

    Attributes:
        topic: full topic path, e.g. ``"process"`` or ``"process/delivery"``.
        start: character offset of the evidence in the text passed to ``detect``.
        end: end offset (exclusive); ``text[start:end] == self.text``.
        text: the matched words or phrase (a model without word-level evidence
            reports the whole text it classified).
    """

    topic: str
    start: int
    end: int
    text: str

    @property
    def top_level(self) -> str:
        """First component of the topic path (``"process"`` for ``"process/delivery"``)."""
        return self.topic.split("/", 1)[0]


class TopicDetector(ABC):
    """Finds topics in clauses/sentences, with evidence.

    Attributes:
        column: output column the detector fills (``topics``, ``journey``, ``channel``).
        topics: every topic path the detector can output, in display order.
    """

    column: str = "topics"
    topics: tuple[str, ...] = ()

    @property
    def top_level_topics(self) -> tuple[str, ...]:
        """Top-level topics in order; each gets a ``sentiment_<topic>`` column for ``topics``."""
        seen: dict[str, None] = {}
        for topic in self.topics:
            seen.setdefault(topic.split("/", 1)[0], None)
        return tuple(seen)

    @abstractmethod
    def detect(self, texts: Sequence[str], langs: Sequence[str]) -> list[list[TopicMatch]]:
        """Return the matches of each text (offsets relative to that text), in order."""

    def describe(self) -> dict[str, str]:
        """Name/version of the codebook or model, stamped into outputs."""
        return {"topics": type(self).__name__}
