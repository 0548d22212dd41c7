"""The themes codebook: ``names`` and ``examples`` keys, and the YAML ThemeModel writes."""
from __future__ import annotations

import pytest

from _theme_fixtures import labelled
from cxtext.themes import ThemeModel
from cxtext.topics import load_codebook, validate_codebook

BOOK = """
name: mine
extends: default
topics:
  process:
    topics:
      late_delivery:
        names: {en: late delivery, es: entrega tardía}
        terms:
          en: [late delivery]
        examples:
          en: ["The parcel came a week late.", "Late again."]
          es: ["Llegó una semana tarde."]
"""


def test_names_and_examples_are_read_and_never_matched(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(BOOK, encoding="utf-8")
    spec = load_codebook(path).spec("process/late_delivery")
    assert spec.names == {"en": "late delivery", "es": "entrega tardía"}
    assert spec.examples["en"] == ("The parcel came a week late.", "Late again.")
    found = load_codebook(path).detector().detect(["It came a week"], ["en"])[0]
    assert not [m for m in found if m.topic == "process/late_delivery"]


@pytest.mark.parametrize("bad, message", [
    ("names: {fr: retard}", "bad language code 'fr' in 'names'"),
    ("examples: {xx: [a]}", "bad language code 'xx' in 'examples'"),
    ("examples: {en: {a: b}}", "must be a list of strings"),
])
def test_mistakes_are_listed_with_their_line(tmp_path, bad, message):
    path = tmp_path / "bad.yaml"
    path.write_text(BOOK.replace("names: {en: late delivery, es: entrega tardía}", bad), encoding="utf-8")
    problems = validate_codebook(path)
    assert [p.line for p in problems if message in str(p)] == [8]  # the line of the mistake


@pytest.mark.parametrize("lang", ["en", "es", "it", "pt"])
def test_the_written_codebook_is_valid_and_holds_every_theme(tmp_path, lang):
    texts, _ = labelled(lang)
    model = ThemeModel(embedding="lexical", min_size=4, lang=lang).fit(texts)
    path = tmp_path / "themes.yaml"
    path.write_text(model.to_codebook(source="fixture.csv"), encoding="utf-8")
    assert validate_codebook(path) == []
    codebook = load_codebook(path)
    for theme in model.themes_:
        spec = codebook.spec(theme.id)
        assert spec.names == theme.names and spec.label == theme.name
        assert spec.terms[lang] == theme.terms[lang]
        assert spec.examples[lang][0] == theme.quotes[0].text
    assert set(codebook.topics) >= {"price", "product", "people", "process", "place", "promotion"}


def test_quotes_with_quotes_and_colons_survive(tmp_path):
    texts, _ = labelled("en")
    texts = [t.replace("late", 'late: "again" #1') for t in texts]
    model = ThemeModel(embedding="lexical", min_size=4, lang="en").fit(texts)
    path = tmp_path / "themes.yaml"
    path.write_text(model.to_codebook(), encoding="utf-8")
    assert validate_codebook(path) == []
