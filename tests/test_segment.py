"""Sentences and clauses keep offsets that rebuild the text, in every language."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtext.segment import Span, clauses, sentences, split_comments


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "The product is great but delivery was a nightmare",
         ["The product is great", "but delivery was a nightmare"]),
        ("es", "El producto es bueno, pero la entrega llegó tarde",
         ["El producto es bueno", "pero la entrega llegó tarde"]),
        ("it", "Il prodotto è ottimo ma la consegna è arrivata tardi",
         ["Il prodotto è ottimo", "ma la consegna è arrivata tardi"]),
        ("pt", "O produto é ótimo, porém a entrega atrasou muito",
         ["O produto é ótimo", "porém a entrega atrasou muito"]),
    ],
)
def test_contrast_splits_clauses(lang, text, expected):
    (sentence,) = sentences(text, lang)
    assert [c.text for c in clauses(sentence, lang)] == expected


def test_one_contrast_list_the_lexicons():
    import json
    from importlib import resources

    from cxtext.segment import CONTRAST_MARKERS

    rules = json.loads((resources.files("cxtext") / "data" / "lexicons" / "rules.json").read_text(encoding="utf-8"))
    assert CONTRAST_MARKERS == {lang: tuple(words) for lang, words in rules["contrast"].items()}


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("es", "Lo único, el envío tardó un poco.", True),
        ("es", "LO UNICO: el envio tardo", True),
        ("es", "¡Pero qué lento fue todo!", True),
        ("es", "El envío tardó un poco.", False),
        ("es", "Solamente dos semanas.", False),  # a whole word, not a prefix
        ("it", "Peccato costi un po' troppo.", True),
        ("it", "L'unica pecca: il prezzo.", True),
        ("it", "Il prezzo è alto.", False),
        ("pt", "Só a entrega demorou um pouco.", True),
        ("pt", "A entrega só demorou um pouco.", False),  # the marker must open the clause
        ("en", "Only the price is a bit high.", True),
        ("en", "(but the staff were rude)", True),
        ("en", "Justice was done.", False),
    ],
)
def test_a_clause_sets_itself_apart_with_a_contrast_or_reservation_marker(lang, text, expected):
    from cxtext.segment import sets_itself_apart

    assert sets_itself_apart(text, lang) is expected


def test_reservation_markers_are_the_lexicons():
    import json
    from importlib import resources

    from cxtext.segment import RESERVATION_MARKERS

    rules = json.loads((resources.files("cxtext") / "data" / "lexicons" / "rules.json").read_text(encoding="utf-8"))
    assert set(RESERVATION_MARKERS) == {"es", "it", "pt", "en"}
    assert RESERVATION_MARKERS["es"] == tuple(rules["reservation"]["es"])


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [  # the list is written without accents; the text may have them or not, in any case
        ("pt", "O produto é ótimo porem a entrega atrasou", ["O produto é ótimo", "porem a entrega atrasou"]),
        ("pt", "O produto é ótimo PORÉM a entrega atrasou", ["O produto é ótimo", "PORÉM a entrega atrasou"]),
        ("it", "Il prodotto è ottimo, pero la consegna è lenta", ["Il prodotto è ottimo", "pero la consegna è lenta"]),
        ("it", "Il prodotto è ottimo, però la consegna è lenta", ["Il prodotto è ottimo", "però la consegna è lenta"]),
    ],
)
def test_contrast_words_match_with_or_without_accents(lang, text, expected):
    (sentence,) = sentences(text, lang)
    assert [c.text for c in clauses(sentence, lang)] == expected


def test_marker_at_start_or_with_one_word_does_not_split():
    assert [c.text for c in clauses(Span("But why?", 0, 8), "en")] == ["But why?"]
    assert [c.text for c in clauses(Span("Good but", 0, 8), "en")] == ["Good but"]


def test_sentences_of_several_languages_in_one_batch():
    result = split_comments(["Uno. Dos!", "", "One sentence only"], ["es", "es", "en"])
    assert [[c.text for s in r for c in s] for r in result] == [["Uno.", "Dos!"], [], ["One sentence only"]]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list("ab .,!?\n") + ["but ", "pero ", "é", "😀"]), max_size=40).map("".join),
       st.sampled_from(["es", "it", "pt", "en"]))
def test_offsets_rebuild_the_text(text, lang):
    (result,) = split_comments([text], [lang])
    for sentence in result:
        for clause in sentence:
            assert text[clause.start:clause.end] == clause.text
            assert clause.text.strip() == clause.text and clause.text


@pytest.mark.parametrize("text", ["great!  ,", "great.  ;", "great!\n\n,", "recomendo!!!   ,", ",", " ; "])
def test_punctuation_after_a_sentence_never_leaves_a_sentence_without_clauses(text):
    (result,) = split_comments([text], ["pt"])
    assert result and all(sentence for sentence in result)
    assert [c.text for s in result for c in s] == [text.strip().rstrip(",; \n") or text.strip()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¿Cómo estás? Bien, gracias. ¿Y el precio? Caro.", ["¿Cómo estás?", "Bien, gracias.", "¿Y el precio?", "Caro."]),
        ("Hola. ¿Qué tal el envío?¿Llegó?", ["Hola.", "¿Qué tal el envío?", "¿Llegó?"]),
        ("¡Qué caro! ¿En serio?", ["¡Qué caro!", "¿En serio?"]),
        ("Hola. ¡¿Qué?! Vale.", ["Hola.", "¡¿Qué?!", "Vale."]),
    ],
)
def test_spanish_opening_marks_start_their_sentence(text, expected):
    spans = sentences(text, "es")
    assert [s.text for s in spans] == expected
    assert all(text[s.start:s.end] == s.text for s in spans)


def _spacy_sentences(text: str, lang: str) -> list[Span]:
    """The reference: a full spaCy Doc through the sentencizer, as cxtext did before."""
    from cxtext import segment

    if not segment._needs_sentencizer(text):
        span = segment._trimmed(text, 0, len(text))
        return [span] if span else []
    doc = segment._nlp(lang)(text)
    spans = [segment._trimmed(text, s.start_char, s.end_char) for s in doc.sents]
    return segment._opening_marks(text, segment._attach_punctuation(text, [s for s in spans if s]))


_TRICKY = ["a", "A", "b", "EE", " ", "  ", "\n", "\t", "\u00a0", ".", "!", "?", ",", ";", ":", ")", "(",
           "\"", "'", "-", "…", "...", "。", "！", "‼", ":)", "😀", "etc.", "Sr.", "a.", "e.g.", "U.S.",
           "p.m.", "Dr.", "EE. UU.", "10km", "www.x.com", "3.5", "\u2028"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TRICKY), max_size=30).map("".join), st.sampled_from(["es", "it", "pt", "en"]))
def test_sentence_boundaries_are_spacys(text, lang):
    assert sentences(text, lang) == _spacy_sentences(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Great.\n:) ok", "en"), ("Great. :) ok", "en"), ("Llegó de EE. UU. Todo bien.", "es"),
    ("Hello.World and hello.world. A. B. c.", "en"), ("Sr. López llegó tarde. Mal.", "es"),
    ("Wow!!!Thanks. ¡Hola! ¿Qué tal?", "es"), ("Ottimo…davvero. Sì!  ,  ", "it"),
])
def test_sentence_boundaries_on_known_tokenizer_cases(text, lang):
    assert sentences(text, lang) == _spacy_sentences(text, lang)


class _CountingStr(str):
    """A str that counts the characters copied by slicing it (its slices count too)."""

    copied = [0]

    def __getitem__(self, key):  # noqa: ANN001, ANN204
        piece = str.__getitem__(self, key)
        _CountingStr.copied[0] += len(piece)
        return _CountingStr(piece)


def _work(text: str, lang: str = "en") -> int:
    _CountingStr.copied[0] = 0
    split_comments([_CountingStr(text)], [lang])
    return _CountingStr.copied[0]


@pytest.mark.parametrize("unit", ["great product, but slow delivery, ", "bad!!! but ok ", "x but y but z "])
def test_splitting_work_grows_linearly_with_comment_length(unit):
    # characters copied, not seconds: a quadratic step (re-slicing the rest of the text at every
    # contrast marker) grows 16x from n to 4n; linear work grows 4x
    small, large = _work(unit * 200), _work(unit * 800)
    assert large <= 5 * small


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab .!?…\u00a0\n\t¿¡)"), max_size=30) | st.text(max_size=30),
       lang=st.sampled_from(["es", "it", "pt", "en"]))
def test_next_final_chunk_is_the_final_chunk_pattern(text: str, lang: str) -> None:
    import re

    from cxtext.segment import _RUNS, _splitter

    splitter = _splitter(lang)
    # the plain form: a whitespace-delimited chunk that holds a sentence-final character
    final_chunk = re.compile(rf"(?<!\S)\S*[{re.escape(splitter.final_chars)}]\S*")
    # every place the sentence loop searches from: the start, and where each run of spaces or
    # of non-spaces begins
    for pos in [0] + [m.end() for m in _RUNS.finditer(text)]:
        found = final_chunk.search(text, pos)
        assert splitter._next_final_chunk(text, pos) == (-1 if found is None else found.start())
