"""Tests of the rule/lexicon backend."""
from __future__ import annotations

import pytest

from cxtext.backends import get_backend
from cxtext.backends.lexicon import LexiconBackend
from cxtext.errors import InputError
from cxtext.schema import EMOTIONS, SENTIMENTS


@pytest.fixture(scope="module")
def backend() -> LexiconBackend:
    return LexiconBackend()


def one(backend: LexiconBackend, text: str, lang: str):
    return backend.analyze([text], [lang])[0]


def test_registered_name() -> None:
    assert isinstance(get_backend("lexicon"), LexiconBackend)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("El servicio fue excelente", "es", "positive"),
        ("Il servizio è stato pessimo", "it", "negative"),
        ("O atendimento foi ótimo", "pt", "positive"),
        ("The delivery was terrible", "en", "negative"),
        ("La tienda abre a las nueve", "es", "neutral"),
    ],
)
def test_each_language(backend: LexiconBackend, text: str, lang: str, expected: str) -> None:
    assert one(backend, text, lang).sentiment == expected


@pytest.mark.parametrize(
    ("text", "lang"), [("no es bueno", "es"), ("non è buono", "it"), ("não é bom", "pt"), ("not good", "en")]
)
def test_negated_praise_is_not_positive(backend: LexiconBackend, text: str, lang: str) -> None:
    assert one(backend, text, lang).sentiment != "positive"


def test_emoji_alone(backend: LexiconBackend) -> None:
    pred = one(backend, "😡", "es")
    assert pred.sentiment == "negative"
    assert "anger" in pred.emotions


def test_contrast(backend: LexiconBackend) -> None:
    assert one(backend, "Good food but awful, rude service", "en").sentiment == "negative"
    assert one(backend, "Es caro, pero la comida es excelente", "es").sentiment == "positive"


def test_elongation(backend: LexiconBackend) -> None:
    assert one(backend, "buenísimooo", "es").score > one(backend, "bueno", "es").score


def test_empty_text_is_neutral_without_emotions(backend: LexiconBackend) -> None:
    pred = one(backend, "", "en")
    assert pred.sentiment == "neutral" and pred.score == 0 and pred.emotions == ()


def test_contract(backend: LexiconBackend) -> None:
    texts = ["Me encanta 😍", "Che schifo", "", "ok"]
    preds = backend.analyze(texts, ["es", "it", "pt", "en"])
    assert len(preds) == len(texts)
    for p in preds:
        assert set(p.sentiment_proba) == set(SENTIMENTS)
        assert abs(sum(p.sentiment_proba.values()) - 1) < 1e-6
        assert abs(p.sentiment_proba["positive"] - p.sentiment_proba["negative"] - p.score) < 1e-6
        assert set(p.emotion_proba) == set(EMOTIONS)
        assert all(0 <= v <= 1 for v in p.emotion_proba.values())
        assert all(p.emotion_proba[e] >= backend.emotion_threshold for e in p.emotions)


def test_length_mismatch_and_bare_string_are_errors(backend: LexiconBackend) -> None:
    with pytest.raises(InputError, match="same length"):
        backend.analyze(["a", "b"], ["en"])
    with pytest.raises(InputError, match="wrap it"):
        backend.analyze("text", ["en"] * 4)
