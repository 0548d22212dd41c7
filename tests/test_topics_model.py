"""TopicModel: fit, thresholds, save -> load -> predict round trip, detector wrapper."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cxtext.errors import ConfigError, CxtextDeprecationWarning, InputError, ModelError, ModelWarning, OutputExistsError
from cxtext.topics import TopicMatch, TopicModel, TopicModelDetector
from cxtext.topics.model import parse_labels

TEXTS = [
    "too expensive for what it is", "cheap and cheerful prices", "the bill was far too high",
    "rude staff at the desk", "the waiter was very friendly", "helpful and kind employees",
    "the pizza was cold", "great tasty food", "the room was dirty",
    "expensive and the staff were rude", "friendly waiter, great food", "price ok, food cold",
]
LABELS = [
    "price", "price", "price", "people", "people", "people", "product", "product", "product",
    "price;people", "people;product", "price;product",
]


@pytest.fixture(scope="module")
def model() -> TopicModel:
    return TopicModel(n_features=2**12, validation_size=0.25, random_state=1).fit(TEXTS * 4, LABELS * 4)


def test_params_stored_untouched() -> None:
    m = TopicModel(C=2.0, char_ngrams=None)
    assert m.get_params()["C"] == 2.0 and m.get_params()["char_ngrams"] is None
    assert not hasattr(m, "classes_") and not hasattr(m, "labels_")


def test_fit_learns_labels_and_thresholds(model: TopicModel) -> None:
    assert model.classes_ == ("price", "product", "people")  # CX order
    assert model.thresholds_.shape == (3,) and np.all((model.thresholds_ > 0) & (model.thresholds_ < 1))
    assert set(model.validation_metrics_) == set(model.classes_)
    assert model.support_ == {"price": 20, "product": 20, "people": 20}
    proba = model.predict_proba(["rude staff", "tasty pizza"])
    assert proba.shape == (2, 3) and np.all((proba >= 0) & (proba <= 1))
    predicted = model.predict(["the staff were rude", "too expensive"])
    assert "people" in predicted[0] and "price" in predicted[1]


def test_single_validation_split(model: TopicModel) -> None:
    split = TopicModel(n_features=2**12, cv=0, validation_size=0.25, random_state=1).fit(TEXTS * 4, LABELS * 4)
    assert split.classes_ == model.classes_
    assert sum(m["support"] for m in split.validation_metrics_.values()) < sum(
        m["support"] for m in model.validation_metrics_.values())  # cv validates every row once
    with pytest.raises(ConfigError, match="cv=1"):
        TopicModel(cv=1).fit(TEXTS, LABELS)


def test_save_load_round_trip(model: TopicModel, tmp_path: Path) -> None:
    folder = model.save(tmp_path / "m")
    assert sorted(p.name for p in folder.iterdir()) == ["model.json", "weights.npz"]
    with np.load(folder / "weights.npz", allow_pickle=False) as npz:  # data, not pickles
        assert set(npz.files) == {"data", "indices", "indptr", "shape", "intercept"}
    config = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    assert config["format"] == "cxtext-topic-model" and config["labels"] == list(model.classes_)
    loaded = TopicModel.load(folder)
    texts = ["staff rude, food cold", "expensive", "", "something else entirely"]
    np.testing.assert_allclose(loaded.predict_proba(texts), model.predict_proba(texts), rtol=1e-5)
    assert loaded.predict(texts) == model.predict(texts)
    assert loaded.get_params() == model.get_params()


def test_save_refuses_to_overwrite(model: TopicModel, tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    with pytest.raises(OutputExistsError):
        model.save(folder)
    assert (folder / "keep.txt").exists()
    model.save(folder, force=True)
    assert not (folder / "keep.txt").exists() and (folder / "model.json").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["m"]  # no temporary folders left


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not a cxtext topic model"):
        TopicModel.load(tmp_path)
    (tmp_path / "model.json").write_text(json.dumps({"format": "other"}))
    with pytest.raises(ModelError, match="format"):
        TopicModel.load(tmp_path)


def test_unfitted_and_bad_input() -> None:
    with pytest.raises(ModelError, match="not fitted"):
        TopicModel().predict(["x"])
    with pytest.raises(InputError, match="at least 10"):
        TopicModel().fit(["a"] * 3, ["x"] * 3)
    with pytest.raises(InputError, match="no labels"):
        TopicModel().fit(["a"] * 12, [""] * 12)
    with pytest.raises(InputError, match="label cells"):
        TopicModel().fit(["a"] * 12, ["x"] * 11)
    with pytest.raises(ConfigError, match="validation_size"):
        TopicModel(validation_size=1.5).fit(TEXTS, LABELS)


def test_label_present_everywhere_or_nowhere_in_training() -> None:
    m = TopicModel(n_features=2**10, validation_size=0.25).fit(TEXTS * 2, ["price;" + x for x in LABELS * 2])
    assert all("price" in p for p in m.predict(["anything", "at all"]))


def test_detector_evidence_is_the_whole_text(model: TopicModel) -> None:
    det = model.detector()
    assert isinstance(det, TopicModelDetector) and det.column == "topics" and det.topics == model.classes_
    text = "The staff were so rude"
    result = det.detect([text, " "], ["en", "en"])
    assert result[1] == []
    assert result[0] and all(m == TopicMatch(m.topic, 0, len(text), text) for m in result[0])
    with pytest.raises(InputError, match="languages"):
        det.detect(["a"], [])



def test_codebook_features_carry_the_codebook_vocabulary_to_unseen_words() -> None:
    langs = ["en"] * len(TEXTS) * 4
    plain = TopicModel(n_features=2**12, codebook_features=None, random_state=1).fit(TEXTS * 4, LABELS * 4, langs)
    hybrid = TopicModel(n_features=2**12, random_state=1).fit(TEXTS * 4, LABELS * 4, langs)
    assert hybrid.get_params()["codebook_features"] == "default"
    unseen = ["a hefty surcharge", "the tariff"]  # price terms of the codebook, never in TEXTS
    price = hybrid.classes_.index("price")
    assert np.all(hybrid.predict_proba(unseen, ["en", "en"])[:, price] > plain.predict_proba(unseen, ["en", "en"])[:, price])
    assert all("price" in labels for labels in hybrid.predict(unseen, ["en", "en"]))
    # one 0/1 column per codebook topic after the two hashed blocks
    X = hybrid._transform(["too expensive", "too expensive"], ["en", "und"])
    assert X.shape[1] == 2 * 2**12 + 6
    assert X[0, 2 * 2**12:].toarray().tolist() == [[1, 0, 0, 0, 0, 0]] and X[1, 2 * 2**12:].sum() == 0
    with pytest.raises(InputError, match="languages"):
        hybrid.predict(unseen, ["en"])
    with pytest.raises(ConfigError, match="built-in codebook"):
        TopicModel(codebook_features="mine.yaml").fit(TEXTS, LABELS)


def test_format_1_folders_load_and_a_changed_codebook_warns(tmp_path: Path) -> None:
    plain = TopicModel(n_features=2**10, codebook_features=None, validation_size=0.25).fit(TEXTS * 2, LABELS * 2)
    folder = plain.save(tmp_path / "old")
    config = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    del config["params"]["codebook_features"], config["features"]["codebook"]
    config["format_version"] = 1
    (folder / "model.json").write_text(json.dumps(config), encoding="utf-8")
    old = TopicModel.load(folder)
    assert old.codebook_features is None and old.predict(["rude staff"]) == plain.predict(["rude staff"])

    hybrid = TopicModel(n_features=2**10, validation_size=0.25).fit(TEXTS * 2, LABELS * 2, ["en"] * 24)
    folder = hybrid.save(tmp_path / "new")
    config = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    assert config["features"]["codebook"]["name"] == "default" and len(config["features"]["codebook"]["sha256"]) == 64
    config["features"]["codebook"]["sha256"] = "0" * 64
    (folder / "model.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.warns(ModelWarning, match="another version of the 'default' codebook"):
        TopicModel.load(folder)

def test_parse_labels() -> None:
    assert parse_labels("price; people;;price") == ["price", "people"]
    assert parse_labels(["a", " b "]) == ["a", "b"]
    assert parse_labels(float("nan")) == [] and parse_labels(None) == []
    assert parse_labels("a|b", separator="|") == ["a", "b"]


# -- a scikit-learn estimator: clone, set_params, grid search, pipelines ---------------------
def _lower(texts: list[str]) -> list[str]:
    return [t.lower() for t in texts]


def test_clone_and_set_params(model: TopicModel) -> None:
    from sklearn.base import clone, is_classifier

    copy = clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "classes_")
    assert is_classifier(model)
    assert copy.set_params(C=1.0, char_ngrams=None) is copy
    assert copy.C == 1.0 and copy.char_ngrams is None and model.C == 4.0
    with pytest.raises(ValueError, match="Invalid parameter"):
        copy.set_params(c=1.0)
    assert copy.fit(TEXTS * 2, LABELS * 2).classes_ == model.classes_


def test_labels_is_a_deprecated_alias_of_classes(model: TopicModel) -> None:
    with pytest.warns(CxtextDeprecationWarning, match="classes_"):
        assert model.labels_ == model.classes_


def test_score_is_subset_accuracy(model: TopicModel) -> None:
    predicted = model.predict(TEXTS)
    expected = np.mean([set(p) == set(parse_labels(y)) for p, y in zip(predicted, LABELS)])
    assert model.score(TEXTS, LABELS) == pytest.approx(expected)
    assert model.score(TEXTS[:2], [predicted[0], predicted[1]]) == 1.0


@pytest.mark.parametrize("as_lists", [False, True])
def test_grid_search(as_lists: bool) -> None:
    from sklearn.model_selection import GridSearchCV, KFold

    labels = [parse_labels(v) for v in LABELS * 4] if as_lists else LABELS * 4
    cv = KFold(3, shuffle=True, random_state=0) if as_lists else 3  # lists of labels are no classes
    search = GridSearchCV(TopicModel(n_features=2**10, codebook_features=None, cv=0, validation_size=0.25),
                          {"C": [0.5, 4.0]}, cv=cv).fit(TEXTS * 4, labels)
    assert search.best_params_["C"] in (0.5, 4.0) and 0.0 <= search.best_score_ <= 1.0
    assert search.best_estimator_.classes_ == ("price", "product", "people")
    assert "people" in search.predict(["the staff were rude"])[0]


def test_pipeline() -> None:
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    pipe = Pipeline([("lower", FunctionTransformer(_lower)),
                     ("topics", TopicModel(n_features=2**10, codebook_features=None, random_state=1))])
    pipe.fit([t.upper() for t in TEXTS * 4], LABELS * 4)
    assert pipe.named_steps["topics"].classes_ == ("price", "product", "people")
    assert "people" in pipe.predict(["THE STAFF WERE RUDE"])[0]
    assert pipe.set_params(topics__C=1.0).get_params()["topics__C"] == 1.0
