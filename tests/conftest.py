"""Shared fixtures: tiny deterministic test doubles for the backend and topic detector.

They let the pipeline/IO tests check row order, columns and aggregation without depending on
the accuracy of the shipped models (those have their own tests).
"""
from __future__ import annotations

import os
import re
from collections.abc import Sequence

import pytest
from hypothesis import settings

from cxtext.backends import register_backend
from cxtext.backends.base import Backend, Prediction, check_inputs
from cxtext.schema import EMOTIONS
from cxtext.topics.base import TopicDetector, TopicMatch

# CI runs the same examples every time (the brief: deterministic); locally hypothesis explores.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

_POSITIVE = re.compile(r"\b(great|good|excelente|bueno|amable|ottimo|ótimo|lovely)\b", re.I)
_NEGATIVE = re.compile(r"\b(awful|bad|nightmare|tarde|malo|pessimo|péssimo|terrible|late)\b", re.I)


@register_backend("keywords")
class KeywordBackend(Backend):
    """Counts a few polar words; records every call so tests can check caching/batching."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def analyze(self, texts: Sequence[str], langs: Sequence[str]) -> list[Prediction]:
        check_inputs(texts, langs)
        self.calls.append(list(texts))
        out = []
        for text in texts:
            pos, neg = len(_POSITIVE.findall(text)), len(_NEGATIVE.findall(text))
            score = max(-1.0, min(1.0, 0.6 * (pos - 1.5 * neg)))  # a complaint outweighs a praise
            label = "positive" if score > 0 else "negative" if score < 0 else "neutral"
            proba = {"negative": float(score < 0), "neutral": float(score == 0), "positive": float(score > 0)}
            emotions = ("joy",) if score > 0 else ("anger",) if score < 0 else ()
            out.append(Prediction(label, score, proba, emotions,
                                  {e: float(e in emotions) for e in EMOTIONS}))
        return out


@register_backend("flaky")
class FlakyBackend(KeywordBackend):
    """Raises on texts with BOOM (or on everything with fail_all); exits the process on DIE."""

    def __init__(self, fail_all: bool = False, config_error: bool = False) -> None:
        super().__init__()
        self.fail_all, self.config_error = fail_all, config_error

    def analyze(self, texts, langs):
        if self.config_error:
            from cxtext.errors import ConfigError

            raise ConfigError("the backend is misconfigured")
        if self.fail_all or any("BOOM" in t for t in texts):
            raise ValueError("cannot handle BOOM")
        if any("DIE" in t for t in texts):
            import os

            os._exit(3)
        return super().analyze(texts, langs)


class KeywordTopics(TopicDetector):
    """Finds a handful of CX words."""

    column = "topics"
    topics = ("price", "product", "people", "process", "place", "promotion")
    _terms = {
        "price": r"price|precio|caro|prezzo",
        "product": r"product|producto|quality",
        "people": r"staff|vendedor|seller|atendente",
        "process": r"delivery|entrega|shipping",
        "place": r"store|tienda|app",
    }

    def detect(self, texts, langs):
        found = []
        for text in texts:
            matches = []
            for topic, pattern in self._terms.items():
                for m in re.finditer(rf"\b(?:{pattern})\b", text, re.I):
                    matches.append(TopicMatch(topic, m.start(), m.end(), m.group()))
            found.append(matches)
        return found


class JourneyTopics(KeywordTopics):
    column = "journey"
    topics = ("purchase", "support")
    _terms = {"purchase": r"bought|compré", "support": r"support|soporte"}


@pytest.fixture
def fake_models(monkeypatch):
    """Make Analyzer use the keyword backend/detectors unless a test asks otherwise."""
    import cxtext.topics

    def resolve(codebooks=("default",), topic_model=None, combine="union", zero_shot=False, model_options=None):
        detectors = [KeywordTopics()]
        if "journey" in codebooks:
            detectors.append(JourneyTopics())
        return detectors

    monkeypatch.setattr(cxtext.topics, "resolve_detectors", resolve, raising=False)
    return {"backend": "keywords"}


#: notebooks whose run is a slow test (the default run stays fast; .ci/run runs them)
SLOW_NOTEBOOKS = ("focus_groups.ipynb",)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark the run of the slow notebooks ``slow`` before ``-m 'not slow'`` deselects."""
    for item in items:
        if item.originalname == "test_notebook_runs" and any(name in item.nodeid for name in SLOW_NOTEBOOKS):
            item.add_marker(pytest.mark.slow)
