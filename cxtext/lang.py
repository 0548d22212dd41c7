"""Offline language detection restricted to the supported languages.

Uses py3langid (a naive Bayes model shipped with the package) limited to es/it/pt/en.
Text with no letters is ``und``; very short or ambiguous text falls back to a default.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .errors import ConfigError, format_choices
from .schema import LANGUAGES, UNDETERMINED

__all__ = ["LanguageDetector", "detect_language", "check_language"]

_MIN_LETTERS = 12
_LETTER = re.compile(r"[^\W\d_]")
_MIN_CONFIDENCE = 0.70


def check_language(lang: str, allow_auto: bool = False, allowed: Sequence[str] = LANGUAGES) -> str:
    """Validate a language option and return it lower-cased."""
    value = str(lang).strip().lower()
    choices = (["auto"] if allow_auto else []) + list(allowed)
    if value not in choices:
        raise ConfigError(f"unsupported language {lang!r}; choose one of {format_choices(choices)}")
    return value


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]):  # noqa: ANN202 - py3langid object
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(languages))
    return identifier


class LanguageDetector:
    """Detects the language of comments among ``languages``.

    Args:
        languages: candidate languages (subset of es/it/pt/en).
        default: language for short (< 12 letters) or ambiguous (confidence < 0.70) text.

    Example:
        >>> LanguageDetector(["es", "pt"], default="es")("A entrega atrasou muito")
        'pt'
    """

    def __init__(self, languages: Sequence[str] = LANGUAGES, default: str = "en") -> None:
        self.languages = tuple(check_language(lang) for lang in languages)
        if not self.languages:
            raise ConfigError("languages must name at least one of " + format_choices(LANGUAGES))
        self.default = check_language(default, allowed=self.languages)

    def __call__(self, text: str) -> str:
        letters = len(_LETTER.findall(text, 0, 400))
        if letters == 0:
            return UNDETERMINED
        if len(self.languages) == 1 or letters < _MIN_LETTERS:
            return self.default
        lang, confidence = _identifier(self.languages).classify(text[:2000])
        return lang if confidence >= _MIN_CONFIDENCE else self.default

    def detect_many(self, texts: Sequence[str]) -> list[str]:
        """Language of each text, in order."""
        return [self(t) for t in texts]


def detect_language(text: str, languages: Sequence[str] = LANGUAGES, default: str = "en") -> str:
    """Language of one text (see :class:`LanguageDetector`)."""
    return LanguageDetector(languages, default)(text)
