"""The plain-Python run of spaCy's tokenizer rules gives spaCy's tokens, so no run imports spaCy."""
from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtext import _tokenizer
from cxtext._tokenizer import RULE_LANGUAGES, chunk_tokenizer, export_rules

from _real_texts import real_texts


def _spacy_tokens(lang: str, chunk: str) -> list[str]:
    from cxtext.segment import _nlp  # spaCy's own blank pipeline of that language

    return [t.text for t in _nlp(lang).tokenizer(chunk)]


def test_shipped_rules_are_the_installed_spacys():
    assert _tokenizer._shipped_rules() == export_rules(), (
        "cxtext/data/tokenizer.json is not the installed spaCy's: run python -m cxtext._tokenizer")


@pytest.mark.parametrize("lang", RULE_LANGUAGES)
def test_tokens_are_spacys_on_real_texts(lang):
    texts, langs = real_texts()
    chunks = {c for text, code in zip(texts, langs) if code == lang or lang == "xx" for c in text.split()}
    assert len(chunks) > 100  # the labelled sets beside the repository, else the example survey
    tokenizer = chunk_tokenizer(lang)
    wrong = [c for c in sorted(chunks) if tokenizer.tokens(c) != _spacy_tokens(lang, c)]
    assert not wrong


@pytest.mark.parametrize("lang", RULE_LANGUAGES)
def test_tokens_are_spacys_around_every_special_case(lang):
    tokenizer = chunk_tokenizer(lang)
    wrong = []
    for special in tokenizer.specials:
        if any(c.isspace() for c in special):
            continue
        for before, after in [("", ""), ("(", ")"), ("", "."), ("", ","), ('"', "!"), ("", "..."), ("¿", "?"),
                              ("", ":)"), ("x", ""), (special, "")]:
            chunk = before + special + after
            if tokenizer.tokens(chunk) != _spacy_tokens(lang, chunk):
                wrong.append(chunk)
    assert not wrong


_PIECES = ["a", "A", "é", "ñ", "EE", "1", "10", ".", "..", "…", "!", "?", "¿", "¡", ",", ";", ":", "'", '"', "(", ")",
           "[", "-", "/", "%", "$", "€", "&", "*", "#", "@", "_", "+", "=", "😀", "👍🏽", ":)", ";-)", "etc", "Sr",
           "a.m", "e.g", "U.S", "www", "http://", ".com", "km", "°C", "'s", "n't", "l'", "dell'"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=10).map("".join), st.sampled_from(RULE_LANGUAGES))
def test_tokens_are_spacys_on_generated_chunks(chunk, lang):
    assert chunk_tokenizer(lang).tokens(chunk) == _spacy_tokens(lang, chunk)


def test_another_spacy_version_is_asked_itself(monkeypatch):
    from cxtext import segment

    chunk_tokenizer.cache_clear()
    monkeypatch.setattr(_tokenizer.metadata, "version", lambda name: "0.0.0")
    monkeypatch.setattr(segment, "_SPLITTERS", {})
    try:
        splitter = segment._splitter("es")
        assert chunk_tokenizer("es") is None
        assert splitter.tokens == splitter._spacy_tokens
        text = "Llegó tarde, etc. ¡Mal! Sr. López: 3.5 de 10... ok"
        assert splitter.sentence_starts(text) == splitter._spacy_starts(text)
    finally:
        chunk_tokenizer.cache_clear()


def test_tagging_imports_no_spacy(tmp_path):
    code = ("import sys, cxtext, pandas as pd; texts = ['Llegó tarde. Mal servicio, etc.', 'Great!! Thanks :)', "
            "'Ottimo. Sì. Bem... ok?']; out = cxtext.Analyzer().tag(pd.DataFrame({'c': texts})); "
            "print(len(out), 'spacy' in sys.modules)")
    # from another directory: the installed package, not the source tree
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert result.stdout.split() == ["3", "False"]
