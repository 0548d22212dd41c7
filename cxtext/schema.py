"""Output column names and label sets: the one place they are defined.

Later tooling depends on these exact names (see the README's output contract).
"""
from __future__ import annotations

__all__ = [
    "LANGUAGES",
    "UNDETERMINED",
    "SENTIMENTS",
    "TOPIC_SENTIMENTS",
    "EMOTIONS",
    "CX_TOPICS",
    "LANGUAGE",
    "SENTIMENT",
    "SENTIMENT_SCORE",
    "EMOTIONS_COLUMN",
    "TOPICS",
    "TOPIC_EVIDENCE",
    "topic_sentiment_column",
    "output_columns",
    "MULTI_LABEL_SEPARATOR",
    "THEME",
    "THEMES",
    "THEME_TOPIC",
    "THEME_EVIDENCE",
    "THEME_COLUMNS",
    "OTHER_TOPIC",
]

#: Languages cxtext analyses (ISO 639-1).
LANGUAGES: tuple[str, ...] = ("es", "it", "pt", "en")
#: Language code written when the language cannot be determined (empty or symbol-only text).
UNDETERMINED = "und"

SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")
#: Topic-level sentiment adds ``mixed`` (the topic is praised and criticised in one comment).
TOPIC_SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive", "mixed")
#: Plutchik's eight basic emotions, in the fixed order used everywhere.
EMOTIONS: tuple[str, ...] = (
    "anger", "anticipation", "disgust", "fear", "joy", "sadness", "surprise", "trust",
)
#: The total-experience CX topics of the default codebook.
CX_TOPICS: tuple[str, ...] = ("price", "product", "people", "process", "place", "promotion")

LANGUAGE = "language"
SENTIMENT = "sentiment"
SENTIMENT_SCORE = "sentiment_score"
EMOTIONS_COLUMN = "emotions"
TOPICS = "topics"
TOPIC_EVIDENCE = "topic_evidence"

#: Columns ``cxtext themes discover`` adds: the main theme, all themes (a list), the main
#: theme's CX topic and, as JSON, theme -> spans ``{"text", "start", "end", "sentiment"}``.
THEME = "theme"
THEMES = "themes"
THEME_TOPIC = "theme_topic"
THEME_EVIDENCE = "theme_evidence"
THEME_COLUMNS: tuple[str, ...] = (THEME, THEMES, THEME_TOPIC, THEME_EVIDENCE)
#: Topic of a theme that belongs to none of :data:`CX_TOPICS`.
OTHER_TOPIC = "other"

#: Multi-label cells in CSV/TSV/XLSX are joined with this; the empty string means none.
MULTI_LABEL_SEPARATOR = ";"


def topic_sentiment_column(topic: str) -> str:
    """Name of the topic-level sentiment column, e.g. ``sentiment_process``."""
    return f"sentiment_{topic}"


def output_columns(topics: tuple[str, ...] = CX_TOPICS, extra: tuple[str, ...] = ()) -> list[str]:
    """The columns ``cxtext tag`` adds, in order.

    Args:
        topics: top-level topics that get a ``sentiment_<topic>`` column.
        extra: further columns of extra codebooks (e.g. ``journey``), appended at the end.
    """
    base = [LANGUAGE, SENTIMENT, SENTIMENT_SCORE, EMOTIONS_COLUMN, TOPICS, TOPIC_EVIDENCE]
    return base + [topic_sentiment_column(t) for t in topics] + list(extra)
