"""Zero-shot NLI topics, run offline on tiny NLI models built at test time."""
from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

from cxtext.errors import ConfigError, ModelError
from cxtext.topics.base import TopicMatch
from cxtext.topics.zeroshot import DEFAULT_TEMPLATES, ZeroShotTopicDetector

sys.path.insert(0, str(Path(__file__).parent))


class FakeCodebook:
    """The attributes the detector reads from a codebook."""

    name = "fake"
    column = "topics"
    topics = ("price", "process", "process/delivery")
    definitions = {
        "price": {"en": "Price, cost and value for money. Fees count too.", "es": "Precio y coste."},
        "process": {"en": "How the order is handled.", "es": "El pedido: envío y entrega.", "it": "Il modo di ordinare."},
        "process/delivery": {},
    }


def test_hypotheses_use_definitions_per_language_with_fallbacks():
    detector = ZeroShotTopicDetector(FakeCodebook(), model="unused")
    assert detector.hypothesis("price", "en") == "This comment is about price, cost and value for money."
    # the head of the definition (before ':'), with "de el" -> "del", "di il" -> "del"
    assert detector.hypothesis("process", "es") == "Este comentario trata del pedido."
    assert detector.hypothesis("process", "it") == "Questo commento parla del modo di ordinare."
    assert detector.hypothesis("price", "es") == "Este comentario trata de precio y coste."
    # no Italian definition: the English one, in the Italian template
    assert detector.hypothesis("price", "it") == "Questo commento parla di price, cost and value for money."
    assert detector.hypothesis("process", "pt") == "Este comentário é sobre how the order is handled."
    # no definition at all: the last part of the topic path
    assert detector.hypothesis("process/delivery", "en") == "This comment is about delivery."


def test_custom_templates_merge_over_defaults_and_are_validated():
    detector = ZeroShotTopicDetector(FakeCodebook(), model="unused", templates={"es": "Se habla de {}."})
    assert detector.hypothesis("price", "es") == "Se habla de precio y coste."
    assert detector.hypothesis("price", "fr") == DEFAULT_TEMPLATES["en"].format("price, cost and value for money")
    with pytest.raises(ConfigError, match="exactly once"):
        ZeroShotTopicDetector(FakeCodebook(), model="unused", templates={"it": "Parla di prezzi."})


@pytest.mark.parametrize(
    "options, match",
    [({"threshold": 1.5}, "threshold"), ({"batch_size": 0}, "batch_size"), ({"device": "tpu"}, "device")],
)
def test_invalid_options(options, match):
    with pytest.raises(ConfigError, match=match):
        ZeroShotTopicDetector(FakeCodebook(), model="unused", **options)


def test_constructing_does_not_import_torch():
    import subprocess

    code = (
        "import sys\n"
        "from cxtext.topics.zeroshot import ZeroShotTopicDetector\n"
        "class CB:\n topics=('price',); column='topics'; definitions={}\n"
        "ZeroShotTopicDetector(CB(), model='x')\n"
        "assert 'torch' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- with tiny NLI models

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
from _tiny_models import build_classifier, reference_proba, train_tokenizer  # noqa: E402

NLI_LABELS = ["entailment", "neutral", "contradiction"]
TEXTS = ["Way too expensive for what it is.", "El envío llegó tarde.", "", "Il personale è gentile."]
LANGS = ["en", "es", "en", "it"]


@pytest.fixture(scope="session")
def nli(tmp_path_factory):
    root = tmp_path_factory.mktemp("nli")
    tokenizer = train_tokenizer()
    return {
        "random": str(build_classifier(root / "random", NLI_LABELS, tokenizer=tokenizer, seed=1)),
        "short": str(build_classifier(root / "short", NLI_LABELS, tokenizer=tokenizer, seed=1,
                                      max_position_embeddings=48)),
        "entails": str(build_classifier(root / "entails", NLI_LABELS, tokenizer=tokenizer,
                                        bias=[math.log(0.8), math.log(0.15), math.log(0.05)])),
        "contradicts": str(build_classifier(root / "contradicts", NLI_LABELS, tokenizer=tokenizer,
                                            bias=[math.log(0.05), math.log(0.15), math.log(0.8)])),
        "sentiment": str(build_classifier(root / "sentiment", ["NEG", "NEU", "POS"], tokenizer=tokenizer)),
        "emotion": str(build_classifier(root / "emotion", ["joy", "anger"], tokenizer=tokenizer)),
    }


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def _reference(path: str, detector: ZeroShotTopicDetector, text: str, lang: str) -> list[float]:
    """Entailment vs contradiction probability per topic, one unpadded pair at a time."""
    out = []
    for topic in detector.topics:
        p = reference_proba(path, (text, detector.hypothesis(topic, lang)))
        out.append(p[0] / (p[0] + p[2]))
    return out


@pytest.mark.slow  # builds tiny transformer models
def test_entailment_matches_unbatched_reference(nli):
    detector = ZeroShotTopicDetector(FakeCodebook(), model=nli["random"], batch_size=5)
    got = detector.entailment(TEXTS, LANGS)
    for text, lang, row in zip(TEXTS, LANGS, got):
        assert row == pytest.approx(_reference(nli["random"], detector, text, lang), abs=1e-4)
    flat = [p for row in got for p in row]
    assert len({round(p, 4) for p in flat}) > 3  # pairs differ, so a mix-up would be caught


@pytest.mark.slow  # builds tiny transformer models
def test_threshold_decides_and_evidence_is_the_whole_text(nli):
    probe = ZeroShotTopicDetector(FakeCodebook(), model=nli["random"])
    rows = probe.entailment(TEXTS, LANGS)
    cut = sorted(p for row in rows for p in row)[len(rows) * 3 // 2]
    detector = ZeroShotTopicDetector(FakeCodebook(), model=nli["random"], threshold=cut)
    matches = detector.detect(TEXTS, LANGS)
    for text, row, found in zip(TEXTS, rows, matches):
        expected = [t for t, p in zip(detector.topics, row) if p >= cut] if text.strip() else []
        assert [m.topic for m in found] == expected
        assert all(m == TopicMatch(m.topic, 0, len(text), text) for m in found)


@pytest.mark.slow  # builds tiny transformer models
def test_fixed_models_give_all_or_no_topics(nli):
    assert ZeroShotTopicDetector(FakeCodebook(), model=nli["entails"]).detect(["ok"], ["pt"]) == [
        [TopicMatch(t, 0, 2, "ok") for t in FakeCodebook.topics]
    ]
    entail = 0.8 / (0.8 + 0.05)
    detector = ZeroShotTopicDetector(FakeCodebook(), model=nli["entails"])
    assert detector.entailment(["ok"], ["en"])[0] == pytest.approx([entail] * 3, abs=1e-5)
    assert ZeroShotTopicDetector(FakeCodebook(), model=nli["contradicts"]).detect(["ok"], ["es"]) == [[]]


def _windowed_reference(path: str, premise: str, hypothesis: str) -> float:
    """Max entailment over consecutive premise windows that fit next to the hypothesis."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSequenceClassification.from_pretrained(path).eval()
    body = tokenizer(premise, add_special_tokens=False)["input_ids"]
    tail = tokenizer(hypothesis, add_special_tokens=False)["input_ids"]
    room = model.config.max_position_embeddings - 3 - len(tail)  # [CLS] p [SEP] h [SEP]
    best = 0.0
    for first in range(0, len(body), room):
        window = body[first : first + room]
        ids = [tokenizer.cls_token_id, *window, tokenizer.sep_token_id, *tail, tokenizer.sep_token_id]
        types = [0] * (len(window) + 2) + [1] * (len(tail) + 1)
        with torch.inference_mode():
            logits = model(input_ids=torch.tensor([ids]), token_type_ids=torch.tensor([types])).logits[0]
        p = torch.softmax(logits[[2, 0]], -1)[1].item()  # contradiction vs entailment
        best = max(best, p)
    return best


@pytest.mark.slow  # builds tiny transformer models
def test_long_premise_is_windowed_not_truncated(nli):
    detector = ZeroShotTopicDetector(FakeCodebook(), model=nli["short"])
    long_text = " ".join(["The delivery was late and the staff were rude.", "Great product, fair price."] * 10)
    rows = detector.entailment([long_text, "ok"], ["en", "en"])
    expected = [_windowed_reference(nli["short"], long_text, detector.hypothesis(t, "en")) for t in detector.topics]
    assert rows[0] == pytest.approx(expected, abs=1e-4)


@pytest.mark.slow  # builds tiny transformer models
def test_non_nli_model_is_rejected(nli):
    with pytest.raises(ModelError, match="not an NLI model.*entailment"):
        ZeroShotTopicDetector(FakeCodebook(), model=nli["sentiment"]).detect(["x"], ["en"])


def test_hub_id_offline_is_a_clear_error():
    detector = ZeroShotTopicDetector(FakeCodebook(), model="some-org/some-nli-model")
    with pytest.raises(ModelError, match="hf download.*--topic-model DIR"):
        detector.detect(["x"], ["en"])


@pytest.mark.slow  # builds tiny transformer models
def test_with_the_default_codebook(nli):
    from cxtext.topics import load_codebook

    codebook = load_codebook("default")
    detector = ZeroShotTopicDetector(codebook, model=nli["entails"])
    assert detector.column == codebook.column
    assert detector.topics == codebook.topics
    for topic in codebook.topics:
        for lang in ("en", "es", "it", "pt"):
            hypothesis = detector.hypothesis(topic, lang)
            # the head of the definition (before its colon), not the whole paragraph
            head = codebook.definitions[topic].get(lang, codebook.definitions[topic].get("en", ""))
            assert len(hypothesis) < len(DEFAULT_TEMPLATES[lang]) + len(head)
            assert hypothesis.endswith(".") and ":" not in hypothesis
    found = detector.detect(["The price is fine."], ["en"])[0]
    assert [m.topic for m in found] == list(codebook.topics)


needs_pipeline = pytest.mark.skipif(
    importlib.util.find_spec("cxtext.cli.tag") is None or importlib.util.find_spec("cxtext.pipeline") is None,
    reason="end-to-end: needs the tag pipeline (cxtext/cli/tag.py, cxtext/pipeline.py)",
)


@pytest.mark.slow  # builds tiny transformer models
@needs_pipeline
@pytest.mark.parametrize("which", ["entails", "contradicts"])
def test_cli_tag_zero_shot(nli, tmp_path, which):
    import pandas as pd
    from click.testing import CliRunner

    from cxtext.cli import main
    from cxtext.schema import CX_TOPICS

    source = tmp_path / "in.csv"
    pd.DataFrame({"comment": ["Nice people.", "La entrega fue lenta."]}).to_csv(source, index=False)
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, [
        "tag", str(source), "--text", "comment", "-o", str(out), "--topic-model", nli[which],
        "--zero-shot", "--topic-combine", "model-only", "--device", "cpu", "--batch-size", "4", "--quiet",
        # the transformers backend too, so this test does not depend on the fast backend
        "--backend", "transformers", "--sentiment-model", nli["sentiment"], "--emotion-model", nli["emotion"],
    ])
    assert result.exit_code == 0, result.output
    tagged = pd.read_csv(out, keep_default_na=False)
    for cell in tagged["topics"]:
        tops = {t.split("/")[0] for t in str(cell).split(";") if t}
        assert tops == (set(CX_TOPICS) if which == "entails" else set())
