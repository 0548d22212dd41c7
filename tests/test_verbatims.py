"""Quotes that carry the point: the sentence around the evidence, in summaries and in the report."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtext.report import build_report
from cxtext.report._verbatims import excerpt, highlight_excerpt, quote_window
from cxtext.summarize import summarize

LONG = ("Well, I have been a customer for years and I usually order every month or so, mostly books and "
        "small things for the house, nothing special really, and for a long time it all worked fine. "
        "This time the courier left the parcel in the rain. "
        "Anyway, that is my story, and I will probably keep ordering because there is no real alternative.")


def _span(text, word):
    start = text.index(word)
    return [(start, start + len(word))]


def test_short_texts_are_quoted_whole():
    assert quote_window("Too expensive.", []) == (0, 14)


def test_the_evidence_sentence_with_a_neighbour_when_it_is_short():
    quote = excerpt(LONG, _span(LONG, "courier"), "en", max_words=30)
    assert "This time the courier left the parcel in the rain." in quote
    assert quote.startswith("… ") and "Well, I have been" not in quote  # the 37-word opening is left out
    assert len(quote.split()) <= 32
    assert LONG.index("courier") > 100  # the evidence is well past the first 100 characters


def test_a_long_sentence_is_cut_around_the_evidence():
    text = " ".join(f"w{i}" for i in range(200)) + " and the price was wrong " + " ".join(f"z{i}" for i in range(50))
    start, end = quote_window(text, _span(text, "price"), "en", max_words=20)
    assert "price" in text[start:end] and len(text[start:end].split()) == 20


def test_several_evidence_sentences_are_kept_together_when_they_fit():
    text = "Start. " * 40 + "The price went up. Then the price went up again. " + "End. " * 40
    spans = [(text.index("price"), text.index("price") + 5), (text.rindex("price"), text.rindex("price") + 5)]
    start, end = quote_window(text, spans, "en", max_words=30, min_words=1)
    assert text[start:end] == "The price went up. Then the price went up again."


def test_spanish_questions_are_quoted_from_their_opening_mark():
    text = "Bueno. " * 70 + "¿Por qué cobran tanto por el envío? " + "Vale. " * 10
    quote = excerpt(text, _span(text, "envío"), "es", max_words=20)
    assert "¿Por qué cobran tanto por el envío?" in quote and "? ¿" not in quote


def test_highlight_excerpt_marks_the_evidence_inside_the_quote():
    html = highlight_excerpt(LONG, _span(LONG, "courier"), "en", max_words=30)
    assert "<mark>courier</mark>" in html and html.startswith("… ")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["word", "more words here", ".", "!", " ", "¿qué?", "price"]), max_size=120).map(" ".join),
       st.integers(1, 40))
def test_the_window_is_inside_the_text_and_holds_the_first_evidence(text, max_words):
    spans = _span(text, "price") if "price" in text else []
    start, end = quote_window(text, spans, "en", max_words=max_words)
    assert 0 <= start <= end <= len(text)
    if spans and len(text.split()) > max_words:
        assert start <= spans[0][0] < end
        assert len(text[start:end].split()) <= max_words + 1  # words split by the evidence edge


def test_summary_quotes_show_the_evidence_and_are_not_cut_in_the_terminal():
    frame = pd.DataFrame({"speaker": ["Ana"], "text": [LONG], "topics": ["process"], "sentiment": ["negative"],
                          "language": ["en"],
                          "topic_evidence": [json.dumps({"process/delivery": [
                              {"text": "courier", "start": LONG.index("courier"), "end": LONG.index("courier") + 7}]})]})
    result = summarize(frame, max_quote_words=30)
    assert "the courier left the parcel in the rain" in result.quotes["quote"][0]
    shown = " ".join(result.to_text(width=60).split())
    assert "the courier left the parcel in the rain." in shown


def test_report_verbatims_show_the_sentence_around_the_evidence():
    rows = []
    for i in range(80):  # 40 late comments: above the report's smallest driver (--min-n 30)
        late = i % 2 == 0
        text = LONG if late else "All good, thanks."
        evidence = {"process": [{"text": "courier", "start": LONG.index("courier"),
                                 "end": LONG.index("courier") + 7}]} if late else {}
        rows.append({"comment": text, "nps": 3 if late else 9, "topics": "process" if late else "",
                     "topic_evidence": json.dumps(evidence), "sentiment_process": "negative" if late else "",
                     "language": "en", "channel": "web" if i % 4 < 2 else "app"})
    page = build_report(pd.DataFrame(rows), "nps", "nps", n_boot=50)
    assert "the <mark>courier</mark> left the parcel in the rain." in page
    assert "I have been a customer for years" not in page  # the long preamble is not the quote
    assert np.isfinite(len(page))
