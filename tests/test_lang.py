"""Language detection restricted to es/it/pt/en, with und and the default fallback."""
from __future__ import annotations

import pytest

from cxtext.errors import ConfigError
from cxtext.lang import LanguageDetector


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
