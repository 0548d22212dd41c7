"""resolve_detectors: one detector per column, codebook/model combination, zero-shot wiring."""
from __future__ import annotations

from pathlib import Path

import pytest

import cxtext.topics as topics_pkg
from cxtext.errors import CodebookError, ConfigError
from cxtext.topics import (
    CodebookDetector,
    TopicModel,
    TopicModelDetector,
    UnionDetector,
    resolve_detectors,
)

FIXTURES = Path(__file__).parent / "fixtures" / "codebooks"


def test_every_public_name_imports() -> None:
    for name in topics_pkg.__all__:
        assert getattr(topics_pkg, name) is not None


def test_default_and_extra_columns() -> None:
    dets = resolve_detectors()
    assert [d.column for d in dets] == ["topics"] and isinstance(dets[0], CodebookDetector)
    dets = resolve_detectors(["channel", "journey"])
    assert [d.column for d in dets] == ["topics", "channel", "journey"]
    assert dets[0].codebook.name == "default"
    assert resolve_detectors("journey")[1].column == "journey"


def test_custom_codebook_replaces_default() -> None:
    dets = resolve_detectors([FIXTURES / "mine.yaml", "channel"])
    assert dets[0].codebook.name == "mine" and [d.column for d in dets] == ["topics", "channel"]
    with pytest.raises(ConfigError, match="both fill the 'topics' column"):
        resolve_detectors(["default", FIXTURES / "mine.yaml"])
    with pytest.raises(CodebookError):
        resolve_detectors([FIXTURES / "bad.yaml"])


def test_combine_is_validated() -> None:
    with pytest.raises(ConfigError, match="'union', 'model-only'"):
        resolve_detectors(combine="intersection")
    with pytest.raises(ConfigError, match="needs a model"):
        resolve_detectors(combine="model-only")


@pytest.fixture(scope="module")
def model_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    texts = ["rude staff", "friendly waiter", "too expensive", "cheap prices", "cold pizza", "tasty food"] * 4
    labels = ["people", "people", "price", "price", "product", "product"] * 4
    folder = tmp_path_factory.mktemp("m") / "model"
    TopicModel(n_features=2**10, validation_size=0.25).fit(texts, labels).save(folder)
    return folder


def test_topic_model_union_and_model_only(model_folder: Path) -> None:
    union = resolve_detectors(topic_model=model_folder)[0]
    assert isinstance(union, UnionDetector) and union.column == "topics"
    assert union.topics[:6] == ("price", "product", "people", "process", "place", "promotion")
    matches = union.detect(["The staff were rude"], ["en"])[0]
    assert {m.topic for m in matches} >= {"people"}
    assert any(m.start == 0 and m.text == "The staff were rude" for m in matches)  # model evidence
    only = resolve_detectors(topic_model=model_folder, combine="model-only")[0]
    assert isinstance(only, TopicModelDetector)


def test_zero_shot_is_built_lazily_with_the_codebook(monkeypatch: pytest.MonkeyPatch) -> None:
    import cxtext.topics.zeroshot as zeroshot

    seen = {}

    class Fake(CodebookDetector):
        def __init__(self, codebook, model, **options):  # noqa: ANN001, ANN003
            super().__init__(codebook)
            seen.update(codebook=codebook.name, model=model, **options)

    monkeypatch.setattr(zeroshot, "ZeroShotTopicDetector", Fake)
    dets = resolve_detectors([FIXTURES / "mine.yaml"], topic_model="nli-model", zero_shot=True,
                             model_options={"threshold": 0.7})
    assert seen == {"codebook": "mine", "model": "nli-model", "threshold": 0.7}
    assert isinstance(dets[0], UnionDetector)
    assert isinstance(resolve_detectors(topic_model="x", zero_shot=True, combine="model-only")[0], Fake)
    with pytest.raises(ConfigError, match="zero_shot"):
        resolve_detectors(zero_shot=True)
