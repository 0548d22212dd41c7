"""Codebook matching: inflections, accents, longest match, blocking terms, offsets."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtext.topics import CodebookDetector, TopicMatch, load_codebook
from cxtext.topics._text import fold, inflections, tokens, words

FIXTURES = Path(__file__).parent / "fixtures" / "codebooks"


def topics_of(text: str, lang: str, codebook: str | Path = "default") -> list[tuple[str, str]]:
    return [(m.topic, m.text) for m in load_codebook(codebook).detector().detect([text], [lang])[0]]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Las habitaciones eran enormes", "es", ("product", "habitaciones")),
        ("Camere pulite", "it", ("product", "Camere")),
        ("Os funcionários foram ótimos", "pt", ("people", "funcionários")),
        ("The prices went up", "en", ("price", "prices")),
        ("Las luces del local", "es", ("place", "local")),
        ("Baterías que duran poco", "es", ("product", "Baterías")),
        ("As refeições", "pt", ("product", "refeições")),
    ],
)
def test_plurals(text: str, lang: str, expected: tuple[str, str]) -> None:
    assert expected in topics_of(text, lang)


def test_accent_and_case_insensitive() -> None:
    assert topics_of("La ATENCION fue pésima", "es") == [("people", "ATENCION")]
    assert topics_of("PRECIO", "es") == [("price", "PRECIO")]
    assert topics_of("preco", "pt") == [("price", "preco")]
    assert fold("Atención") == "atencion"


def test_longest_term_wins() -> None:
    assert topics_of("Llamé al servicio técnico", "es") == [("process", "servicio técnico")]
    assert topics_of("El servicio fue lento", "es")[0] == ("people", "servicio")
    assert topics_of("room service was slow", "en")[0] == ("people", "room service")


@pytest.mark.parametrize(
    "text, lang, blocked",
    [
        ("Me di cuenta tarde", "es", "price"),
        ("It feels like cheap plastic", "en", "price"),
        ("Mi sono reso conto che", "it", "price"),
        ("Eu não dei conta", "pt", "price"),
        ("Prestare attenzione ai gradini", "it", "people"),
    ],
)
def test_blocking_terms(text: str, lang: str, blocked: str) -> None:
    assert blocked not in {t for t, _ in topics_of(text, lang)}


def test_blocking_is_local_to_the_phrase() -> None:
    found = topics_of("Me di cuenta de que la cuenta era alta", "es")
    assert found == [("price", "cuenta")]


@pytest.mark.parametrize(
    "text, lang, topic",
    [
        ("The food was not expensive at all", "en", "price"),
        ("No delivery problems", "en", "process"),
        ("El personal no fue amable", "es", "people"),
        ("Nessun problema con la colazione", "it", "product"),
    ],
)
def test_negated_mentions_still_name_the_topic(text: str, lang: str, topic: str) -> None:
    # negation changes the sentiment, not what the comment talks about
    assert topic in {t for t, _ in topics_of(text, lang)}


def test_regex_terms_and_currency() -> None:
    assert ("price", "$30") in topics_of("We paid $30 for two", "en")
    assert ("price", "25 €") in topics_of("Costó 25 € el menú", "es")


def test_a_topics_language_and_any_language_regexes_both_match() -> None:
    # one scan per topic: the language's patterns and the "any" ones are joined
    found = topics_of("La factura de este mes es altísima: 90 € más", "es")
    assert ("price", "factura de este mes es altísima") in found and ("price", "90 €") in found
    assert ("price", "90 €") in topics_of("Son 90 € al mes", "es")


def test_custom_prefix_regex_and_exclusions() -> None:
    found = topics_of("The courier delivered it late, see INV-2024", "en", FIXTURES / "mine.yaml")
    assert ("process/delivery", "courier") in found
    assert ("process/delivery", "delivered") in found
    assert ("process/billing", "INV-2024") in found
    assert "process/delivery" not in {t for t, _ in topics_of("The delivery room", "en", FIXTURES / "mine.yaml")}


def test_unknown_language_uses_every_language() -> None:
    det = load_codebook("default").detector()
    assert [m.topic for m in det.detect(["precio"], ["fr"])[0]] == ["price"]


def test_detect_checks_lengths_and_handles_empty() -> None:
    det = load_codebook("default").detector()
    assert det.detect(["", "   "], ["en", "es"]) == [[], []]
    with pytest.raises(ValueError, match="languages"):
        det.detect(["a", "b"], ["en"])
    assert isinstance(det, CodebookDetector)
    assert det.describe() == {"topics": "codebook:default@1.0"}


def test_inflections() -> None:
    assert ("servicios", "tecnicos") in inflections("servicio técnico", "es")
    assert ("cafes", "da", "manha") in inflections("café da manhã", "pt")
    assert ("batteries",) in inflections("battery", "en")
    assert ("camere",) in inflections("camera", "it")
    assert inflections("=x", "en") == {("x",)}


def test_tokens_offsets() -> None:
    words, starts, ends = tokens("L'hotel è ok")
    assert words == ["l", "hotel", "e", "ok"]
    assert [("L'hotel è ok")[s:e] for s, e in zip(starts, ends)] == ["L", "hotel", "è", "ok"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ9_ '’-.ÀéÑñßİıﬁ\u0301ǅ"), max_size=20) | st.text(max_size=20))
def test_words_are_the_folded_words_of_tokens(text: str) -> None:
    # words() lower-cases ASCII text in one go; it must give exactly what folding word by word gives
    assert words(text) == tokens(text)[0]


_VOCAB = ["price", "precio", "caro", "servicio técnico", "staff", "camere", "quartos", "café da manhã",
          "cuenta", "me di cuenta", "$30", "25 €", "Atención", "ÉNVÍO", "l'hotel", "room service"]


@settings(max_examples=150, deadline=None)
@given(
    pieces=st.lists(st.one_of(st.sampled_from(_VOCAB), st.text(max_size=8)), max_size=12),
    seps=st.lists(st.sampled_from([" ", ", ", ". ", "-", "\n", "", "¡", "’"]), min_size=12, max_size=12),
    lang=st.sampled_from(["es", "it", "pt", "en", "und"]),
    name=st.sampled_from(["default", "journey", "channel"]),
)
def test_offsets_rebuild_the_matched_text(pieces: list[str], seps: list[str], lang: str, name: str) -> None:
    text = "".join(p + s for p, s in zip(pieces, seps))
    matches = load_codebook(name).detector().detect([text], [lang])[0]
    for m in matches:
        assert isinstance(m, TopicMatch)
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
    assert [m.start for m in matches] == sorted(m.start for m in matches)
