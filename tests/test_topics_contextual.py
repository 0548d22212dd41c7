"""The contextual topic layer: the backend's topic probabilities confirm, drop or add matches."""
from __future__ import annotations

from collections.abc import Sequence

import pytest

import cxtext
from cxtext.backends import register_backend
from cxtext.backends.base import Backend, Prediction
from cxtext.schema import CX_TOPICS, EMOTIONS
from cxtext.topics.base import TopicMatch
from cxtext.topics.contextual import in_context

RULE = {t: (0.2, 0.8) for t in CX_TOPICS}


def test_a_match_the_model_doubts_is_dropped_and_a_confident_topic_is_added():
    fast = TopicMatch("product", 0, 4, "fast")
    got = in_context("fast delivery", [fast], {"product": 0.05, "process": 0.9}, RULE)
    assert got == (TopicMatch("process", 0, 13, "fast delivery"),)


def test_a_match_of_several_words_stands_whatever_the_model_says():
    # a multi-word term is specific by construction ("numero verde", "roaming charges"): only a
    # single word can be used in another sense
    line = TopicMatch("place", 4, 16, "numero verde")
    word = TopicMatch("place", 20, 23, "app")
    got = in_context("Il numero verde e l'app", [line, word], {"place": 0.05}, RULE)
    assert got == (line,)


def test_a_confirmed_match_keeps_its_own_evidence_and_is_not_added_twice():
    price = TopicMatch("price", 4, 9, "price")
    got = in_context("the price is steep", [price], {"price": 0.95}, RULE)
    assert got == (price,)


def test_without_probabilities_or_rule_the_matches_stand():
    match = TopicMatch("place", 4, 10, "packed")
    assert in_context("was packed", [match], {}, RULE) == (match,)
    assert in_context("was packed", [match], {"place": 0.0}, {}) == (match,)


def test_subtopics_are_checked_by_their_top_level_and_unknown_topics_untouched():
    sub = TopicMatch("process/delivery", 0, 8, "delivery")
    other = TopicMatch("mood", 9, 13, "glad")
    got = in_context("delivery glad", [sub, other], {"process": 0.1}, RULE)
    assert got == (other,)


@register_backend("topical")
class TopicalBackend(Backend):
    """Neutral sentiment; says every text is about process and never about product."""

    def analyze(self, texts: Sequence[str], langs: Sequence[str]) -> list[Prediction]:
        proba = {t: 0.0 for t in CX_TOPICS} | {"process": 0.99}
        return [Prediction("neutral", 0.0, {"negative": 0.0, "neutral": 1.0, "positive": 0.0}, (),
                           dict.fromkeys(EMOTIONS, 0.0), proba) for _ in texts]

    def topic_rule(self) -> dict[str, tuple[float, float]]:
        return RULE


def test_the_analyzer_applies_the_backend_rule_to_the_default_codebook():
    text = "The jacket was here very fast"
    on = cxtext.Analyzer(backend="topical", lang="en")(text)
    off = cxtext.Analyzer(backend="topical", lang="en", topic_context=False)(text)
    assert "product" in off.topics  # the codebook's words alone
    assert on.topics == ("process",)
    assert on.evidence["process"] == [{"text": text, "start": 0, "end": len(text)}]
    assert cxtext.Analyzer(backend="topical").describe()["topic_context"] == "on"
    assert cxtext.Analyzer(backend="topical", topic_context=False).describe()["topic_context"] == "off"


def test_a_trained_topic_model_is_not_second_guessed(tmp_path):
    from cxtext.topics import TopicModel

    model = TopicModel(cv=0, validation_size=0.5, codebook_features=None).fit(
        ["cheap price", "rude staff", "high price", "friendly staff"] * 5,
        [["price"], ["people"], ["price"], ["people"]] * 5)
    model.save(tmp_path / "m")
    analyzer = cxtext.Analyzer(backend="topical", lang="en", topic_model=str(tmp_path / "m")).prepare()
    assert analyzer.topic_rule_ == {}


@pytest.mark.parametrize("backend", ["lexicon"])
def test_backends_without_a_topic_model_leave_the_codebook_alone(backend):
    assert cxtext.Analyzer(backend=backend).prepare().topic_rule_ == {}
