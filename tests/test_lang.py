"""Language detection restricted to es/it/pt/en, with und and the default fallback."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtext.errors import ConfigError
from cxtext.lang import LanguageDetector, normalise


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("El servicio al cliente fue excelente y muy rápido", "es"),
        ("Il servizio clienti è stato eccellente e molto veloce", "it"),
        ("O atendimento ao cliente foi excelente e muito rápido", "pt"),
        ("Customer service was excellent and very fast", "en"),
    ],
)
def test_detects_each_language(text, lang):
    assert LanguageDetector()(text) == lang


def test_no_letters_is_und_and_short_text_falls_back():
    detector = LanguageDetector(default="pt")
    assert detector("") == "und"
    assert detector("👍👍 !!") == "und"
    assert detector("ok") == "pt"


def test_restricted_languages_and_bad_default():
    assert LanguageDetector(["es", "pt"], default="es")("Il servizio è stato eccellente, grazie mille") in {"es", "pt"}
    with pytest.raises(ConfigError, match="unsupported language 'en'"):
        LanguageDetector(["es"], default="en")


@pytest.mark.parametrize(("text", "lang"), [
    ("ENTREGA ATRASADA!!!!!!", "pt"), ("Entrega ATRASADA!!!!!!", "pt"), ("Todo perfecto, repetiré.", "es"),
    ("MUY MALA ATENCION", "es"), ("no me gusto nada", "es"), ("nao recomendo", "pt"),
    ("Muito bom", "pt"), ("Adorei!", "pt"), ("SERVIZIO PESSIMO", "it"), ("Niente da segnalare", "it"),
    ("molto caro", "it"), ("VERY BAD EXPERIENCE", "en"), ("Nothing to add", "en"), ("love it", "en"),
])
def test_short_shouted_and_accentless_comments(text, lang):
    assert LanguageDetector(default="en")(text) == lang


def test_reasons_count_fallbacks_and_forced_languages():
    found = LanguageDetector(default="en").detect(["ok", "Nada que añadir", "", "!!"])
    assert found.langs == ["en", "es", "und", "und"] and found.fallbacks == 1 and found.forced == 0
    forced = LanguageDetector(["es", "pt"], default="es").detect(
        ["I was on hold for 45 minutes and nobody ever answered the phone", "Me cobraron dos veces"])
    assert forced.langs[1] == "es" and forced.langs[0] in {"es", "pt"} and forced.forced == 1


def test_scores_are_py3langids():
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    from scipy.special import softmax

    from cxtext.lang import _model

    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    reference.set_languages(list(_model().classes))
    texts = ["La entrega llegó tarde", "Il prodotto è ottimo", "Great product, awful delivery", "é", "x" * 3000]
    encoded = [t.encode("utf-8") for t in texts]
    scores, known = _model().log_scores(encoded)
    ours = softmax(scores / np.sqrt([len(e) for e in encoded])[:, None], axis=1)
    expected = np.array([reference._decide(e) for e in encoded])
    assert known.all() and np.allclose(ours, expected, atol=1e-4)


def test_shipped_model_is_py3langids_for_our_languages():
    import importlib.util
    from importlib import resources
    from pathlib import Path

    import numpy as np

    from cxtext.lang import MODEL_FILE

    recipe = Path(__file__).resolve().parents[1] / "models" / "recipes" / "export_langid.py"
    spec = importlib.util.spec_from_file_location("export_langid", recipe)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.py3langid_arrays()
    with (resources.files("cxtext.models") / MODEL_FILE).open("rb") as handle, np.load(handle) as shipped:
        assert sorted(shipped.files) == sorted(expected)
        for name, array in expected.items():
            assert shipped[name].dtype == array.dtype and np.array_equal(shipped[name], array), name


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aAÉéZz !!..1_ÑÑ\n"), max_size=24) | st.text(max_size=24))
def test_normalise_equals_its_plain_form(text: str) -> None:
    # normalise() looks for two capitals before trying the shouted-word pattern, and writes the
    # letter repeat as \2\2+: the result must be what the plain patterns give
    upper = "A-ZÀ-ÖØ-Þ"
    plain = re.sub(rf"(?<![^\W\d_])[{upper}]{{2,}}(?![^\W\d_])", lambda m: m.group().lower(), text)
    plain = re.sub(r"([^\w\s])\1+|([^\W\d_])\2{2,}", lambda m: m.group()[0] * (1 if m.group(1) else 2), plain)
    assert normalise(text) == plain
