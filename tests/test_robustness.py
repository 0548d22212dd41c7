"""No single comment may stop a run: the real Analyzer gives a valid result for any string."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxtext
from cxtext.schema import EMOTIONS, LANGUAGES, SENTIMENTS, UNDETERMINED

_PIECES = st.sampled_from([
    "great", "muy bien", "pessimo", "não", "recomendo", "x" * 5000, "😡", "👍🏽", "🇪🇸", "\u200b",
    "!", "!!!", ".", "?", "¿", "…", ",", ";", ":", "-", "=", "+", "@", "\"", "'", "(", ")", "#",
    " ", "  ", "\n", "\n\n", "\t", "\r\n", "\x00", "\x07", "\u2028", "\ufeff", "\u0301", "中文", "مرحبا",
])
_TEXTS = st.one_of(
    st.text(max_size=80),  # any unicode, control characters included
    st.lists(_PIECES, max_size=12).map("".join),
    st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=8).map(" ".join),
)


@pytest.fixture(scope="module")
def analyzer():
    return cxtext.Analyzer().prepare()


@settings(max_examples=150, deadline=None)
@given(text=_TEXTS)
def test_any_string_gets_a_valid_result(analyzer, text):
    result = analyzer(text)
    assert result.language in (*LANGUAGES, UNDETERMINED)
    assert result.sentiment in SENTIMENTS
    assert -1.0 <= result.score <= 1.0 and not math.isnan(result.score)
    assert set(result.emotions) <= set(EMOTIONS)
    for sentence in result.sentences:
        assert sentence.clauses
        for clause in sentence.clauses:
            assert text[clause.start:clause.end] == clause.text
    for spans in result.evidence.values():
        for span in spans:
            assert text[span["start"]:span["end"]] == span["text"]
    assert len(analyzer.record(result)) == len(analyzer.output_columns)
