"""Content words of a clause: lemmas (spaCy's lookup tables), stop words removed, with offsets.

Theme names, codebook terms and the lexical fallback all count words by lemma, so "entrega",
"entregas" and "entregado" are one word. The lookup tables of ``spacy-lookups-data`` are
crude (they turn the noun "comida" into the verb "comer"), so a word is *shown* in the form
customers wrote most often, in the singular when its singular was written too.
"""
from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..schema import LANGUAGES
from ..topics._text import WORD, fold, word_forms

__all__ = ["Word", "content_words", "lemma_document", "stop_words", "display_form", "near_duplicates",
           "forms_by_lemma"]

#: Words too general to name a theme, added to spaCy's stop words (folded).
_EXTRA_STOP: dict[str, frozenset[str]] = {
    "en": frozenset("thing things lot lots bit get got go went come came make made really also just "
                    "would could one ones way time times day days use used still even ever much "
                    "many every anything something nothing everything know think need want say said "
                    "tell told try tried take took give gave look looked feel felt seem seemed keep "
                    # what \w+ leaves of contractions (wasn't -> wasn, t)
                    "wasn didn doesn isn aren weren don won couldn wouldn shouldn haven hasn hadn ain ll ve".split()),
    "es": frozenset("cosa cosas vez veces hacer hecho tener tenia dia dias ir fue solo aun tambien "
                    "asi igual nada todo toda todos todas algo".split()),
    "it": frozenset("cosa cose volta volte fare fatto avere dire andare giorno giorni solo ancora "
                    "anche cosi proprio davvero niente tutto tutti tutta tutte qualcosa".split()),
    "pt": frozenset("coisa coisas vez vezes fazer feito ter tinha dia dias ir foi so ainda tambem "
                    "assim mesmo nada tudo todo toda todos todas algo".split()),
}
_MIN_LETTERS = 3


@dataclass(frozen=True)
class Word:
    """A content word: ``lemma`` (folded: the counting key), ``form`` (lower case, as written), offsets."""

    lemma: str
    form: str
    start: int
    end: int


@lru_cache(maxsize=None)
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words of ``lang`` plus a few CX fillers, folded (lower case, no accents)."""
    code = lang if lang in LANGUAGES else "en"
    module = importlib.import_module(f"spacy.lang.{code}.stop_words")
    return frozenset(fold(w) for w in module.STOP_WORDS) | _EXTRA_STOP.get(code, frozenset())


@lru_cache(maxsize=None)
def _lemma_table(lang: str) -> dict[str, str]:
    """``spacy-lookups-data``'s lemma lookup table of ``lang``, read as plain JSON (2-3x faster
    than building spaCy's hashed ``Table``; 0.2-0.7 s per language here)."""
    import gzip
    import json

    code = lang if lang in LANGUAGES else "en"
    path = resources.files("spacy_lookups_data") / "data" / f"{code}_lemma_lookup.json.gz"
    if not path.is_file():
        return {}
    return json.loads(gzip.decompress(path.read_bytes()))


@lru_cache(maxsize=200_000)
def _lemma(word: str, lang: str) -> str:
    lower = word.lower()
    found = _lemma_table(lang).get(lower)
    return fold(found) if isinstance(found, str) and found else fold(lower)


def content_words(text: str, lang: str) -> list[Word]:
    """Words of ``text`` that can name a theme: letters only, 3+ letters, no stop words.

    Example:
        >>> [(w.lemma, w.form) for w in content_words("La atención de los camareros", "es")]
        [('atencion', 'atención'), ('camarero', 'camareros')]
    """
    stops = stop_words(lang)
    out = []
    for match in WORD.finditer(text):
        raw = match.group()
        form = fold(raw)
        if len(form) < _MIN_LETTERS or not form.isalpha() or form in stops:
            continue
        lemma = _lemma(raw, lang)
        if lemma in stops:
            continue
        out.append(Word(lemma, raw.lower(), match.start(), match.end()))
    return out


def lemma_document(words: Sequence[Word]) -> list[str]:
    """The lemmas of a clause and its pairs of neighbouring lemmas (the lexical features).

    Example:
        >>> lemma_document(content_words("late deliveries", "en"))
        ['late', 'delivery', 'late delivery']
    """
    lemmas = [w.lemma for w in words]
    return lemmas + [f"{a} {b}" for a, b in zip(lemmas, lemmas[1:])]


def display_form(forms: Counter[str], lang: str) -> str:
    """The form a lemma is shown in: the most written one, or its singular when that was written.

    Example:
        >>> display_form(Counter({"entregas": 5, "entrega": 3, "entregado": 1}), "es")
        'entrega'
    """
    ranked = sorted(forms.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
    best = ranked[0][0]
    for form, _ in ranked[1:]:
        if best != form and fold(best) in word_forms(form, lang):
            return form
    return best


def near_duplicates(a: str, b: str) -> bool:
    """True when two folded words are variants of one word (``servizio``/``servizi``, ``room``/``rooms``).

    Example:
        >>> near_duplicates("servizio", "servizi"), near_duplicates("room", "staff")
        (True, False)
    """
    a, b = fold(a), fold(b)
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and long_.startswith(short[:max(4, len(short) - 1)]):
        return True
    import difflib

    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def forms_by_lemma(words: Iterable[Word]) -> dict[str, Counter[str]]:
    """lemma -> Counter of the surface forms written for it."""
    out: dict[str, Counter[str]] = {}
    for word in words:
        out.setdefault(word.lemma, Counter())[word.form] += 1
    return out
