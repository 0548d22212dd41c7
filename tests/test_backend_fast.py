"""Tests of the ``fast`` backend (trained linear models shipped as NPZ + JSON)."""
from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from cxtext.backends import get_backend
from cxtext.backends.fast import FastBackend, LinearModels
from cxtext.errors import InputError, ModelError
from cxtext.schema import EMOTIONS, LANGUAGES, SENTIMENTS

ARTIFACTS = ("fast_sentiment.npz", "fast_sentiment.json", "fast_emotion.npz", "fast_emotion.json",
             "fast_topics.npz", "fast_topics.json")


@pytest.fixture(scope="module")
def backend() -> FastBackend:
    return FastBackend()


def one(backend: FastBackend, text: str, lang: str):
    return backend.analyze([text], [lang])[0]


@pytest.mark.parametrize("name", ARTIFACTS)
def test_artifacts_are_data_in_the_models_package(name: str) -> None:
    path = resources.files("cxtext.models") / name
    assert path.is_file()
    if name.endswith(".npz"):
        with path.open("rb") as fh:
            arrays = np.load(fh, allow_pickle=False)  # fails on pickled objects
            assert all(arrays[k].dtype != object for k in arrays.files)
    else:
        meta = json.loads(path.read_text(encoding="utf-8"))
        assert meta["languages"] == list(LANGUAGES)


def test_models_load_with_consistent_shapes() -> None:
    models = LinearModels.load()
    n_cols = models.emo_coef.shape[1]
    assert models.emo_coef.shape[0] == len(EMOTIONS) == len(models.thresholds)
    assert ((models.thresholds > 0) & (models.thresholds < 1)).all()
    for lang in LANGUAGES:
        assert models.sent_coef[lang].shape == (len(SENTIMENTS), n_cols + len(EMOTIONS))


def test_registered_name() -> None:
    assert isinstance(get_backend("fast"), FastBackend)


@pytest.mark.parametrize(
    ("text", "lang", "sign"),
    [
        ("El servicio fue excelente, muy amables, gracias!", "es", 1),
        ("Pésima atención, nunca más vuelvo", "es", -1),
        ("Ottimo servizio, personale gentilissimo", "it", 1),
        ("Servizio pessimo, che schifo", "it", -1),
        ("Adorei o atendimento, muito bom", "pt", 1),
        ("Péssimo atendimento, horrível", "pt", -1),
        ("Great service, thank you so much!", "en", 1),
        ("Terrible service, I hate it", "en", -1),
    ],
)
def test_each_language_gets_the_sign_right(backend: FastBackend, text: str, lang: str, sign: int) -> None:
    pred = one(backend, text, lang)
    assert np.sign(pred.score) == sign
    assert pred.sentiment == ("positive" if sign > 0 else "negative")


@pytest.mark.parametrize(
    ("plain", "negated", "lang"),
    [("es bueno", "no es bueno", "es"), ("è buono", "non è buono", "it"),
     ("é bom", "não é bom", "pt"), ("it is good", "it is not good", "en")],
)
def test_negation_lowers_the_score_and_is_not_positive(backend: FastBackend, plain: str, negated: str, lang: str) -> None:
    neg = one(backend, negated, lang)
    assert neg.score < one(backend, plain, lang).score
    assert neg.sentiment != "positive"


def test_angry_emoji_alone_is_negative(backend: FastBackend) -> None:
    for lang in LANGUAGES:
        pred = one(backend, "😡", lang)
        assert pred.sentiment == "negative", lang
        assert pred.emotion_proba["anger"] > pred.emotion_proba["joy"]


def test_contrast_clause_after_but_weighs_more(backend: FastBackend) -> None:
    good_then_bad = one(backend, "The food was good but the service was terrible", "en").score
    bad_then_good = one(backend, "The service was terrible but the food was good", "en").score
    assert good_then_bad < bad_then_good


def test_elongation_keeps_polarity(backend: FastBackend) -> None:
    assert one(backend, "buenísimooo", "es").score > 0


def test_empty_text(backend: FastBackend) -> None:
    preds = backend.analyze(["", "   "], ["en", "es"])
    for p in preds:
        assert -1 <= p.score <= 1 and set(p.emotion_proba) == set(EMOTIONS)


def test_contract_and_determinism(backend: FastBackend) -> None:
    texts = ["Me encanta 😍", "Che schifo", "Demorou demais", "ok", "Why?? I waited 3 hours"]
    langs = ["es", "it", "pt", "en", "en"]
    first = backend.analyze(texts, langs)
    assert first == FastBackend().analyze(texts, langs)
    assert len(first) == len(texts)
    models = LinearModels.load()
    for p in first:
        assert p.sentiment == max(p.sentiment_proba, key=p.sentiment_proba.get)
        assert abs(sum(p.sentiment_proba.values()) - 1) < 1e-4
        assert abs(p.sentiment_proba["positive"] - p.sentiment_proba["negative"] - p.score) < 1e-5
    for p, lang in zip(first, langs):
        for e, t in zip(EMOTIONS, models.thresholds_for(lang)):
            assert (e in p.emotions) == (p.emotion_proba[e] >= t)


def test_thresholds_per_language_with_fallback() -> None:
    models = LinearModels.load()
    for lang in LANGUAGES:
        t = models.thresholds_for(lang)
        assert t.shape == (len(EMOTIONS),) and ((t > 0) & (t < 1)).all()
    np.testing.assert_array_equal(models.thresholds_for("fr"), models.thresholds)


def test_models_load_from_a_recipe_folder(tmp_path, backend: FastBackend) -> None:
    for name in ARTIFACTS:
        (tmp_path / name).write_bytes((resources.files("cxtext.models") / name).read_bytes())
    with np.load(tmp_path / "fast_emotion.npz") as npz:
        arrays = dict(npz)
    arrays.update({f"thresholds_{lang}": np.full(len(EMOTIONS), 0.99, np.float32) for lang in LANGUAGES})
    np.savez_compressed(tmp_path / "fast_emotion.npz", **arrays)
    text, lang = "Sono furioso, è la terza volta che il tecnico non si presenta.", "it"
    assert one(backend, text, lang).emotions  # the shipped thresholds find anger
    other = FastBackend(model_dir=tmp_path)
    assert one(other, text, lang).emotions == ()  # the folder's, all 0.99, find nothing
    assert one(other, text, lang).emotion_proba == one(backend, text, lang).emotion_proba
    assert other.describe()["model_dir"] == str(tmp_path) and "model_dir" not in backend.describe()
    with pytest.raises(ModelError, match="cannot load the fast models from folder"):
        FastBackend(model_dir=tmp_path / "missing").analyze([text], [lang])


def test_unknown_language_uses_the_english_thresholds(backend: FastBackend) -> None:
    models = LinearModels.load()
    pred = one(backend, "I waited three hours and nobody answered", "fr")
    for e, t in zip(EMOTIONS, models.thresholds_for("en")):
        assert (e in pred.emotions) == (pred.emotion_proba[e] >= t)


def test_batches_give_the_same_result(backend: FastBackend) -> None:
    texts = [f"comment {i} was {'great' if i % 2 else 'awful'}" for i in range(9)]
    langs = ["en"] * 9
    small = FastBackend(batch_size=2).proba(texts, langs)
    whole = backend.proba(texts, langs)
    for a, b in zip(small, whole):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_unknown_language_falls_back_to_english(backend: FastBackend) -> None:
    assert one(backend, "terrible", "fr").score < 0


def test_length_mismatch_is_an_error(backend: FastBackend) -> None:
    with pytest.raises(InputError, match="same length"):
        backend.analyze(["a"], ["en", "es"])


