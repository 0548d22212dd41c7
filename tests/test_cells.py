"""Tests of cxtext.cells: one rule per kind of tagged cell, where the old copies disagreed."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxtext.cells import cell_text, find_comment_column, is_missing, parse_evidence, segment_label, split_labels
from cxtext.errors import ColumnError


@pytest.mark.parametrize("value", [None, float("nan"), np.nan, np.float32("nan"), pd.NA, pd.NaT, "", "  \t"])
def test_missing_cells(value):
    # drivers read pd.NaT as the text "nat" and io's check kept blank text; scores/transcripts did not
    assert is_missing(value) and cell_text(value) == "" and segment_label(value) == "(missing)"


@pytest.mark.parametrize("value", ["0", 0, 0.0, "n/a", [], (), {}, np.array([]), False])
def test_cells_that_hold_something(value):
    assert not is_missing(value)


def test_multi_label_cells_one_rule():
    # the drivers' parser kept repeats; the topic model's had no JSON lists; the transcripts' had no separator
    assert split_labels("process;process; price") == ["process", "price"]
    assert split_labels('["people", "price", "people"]') == ["people", "price"]
    assert split_labels("['place', 'promotion']") == ["place", "promotion"]  # DataFrame.to_csv of a list
    assert split_labels("a|b", separator="|") == ["a", "b"]
    # None items were the label "None" in the topic model's parser; pd.NA was "<NA>" in the drivers'
    assert split_labels(["a", None, float("nan"), " b "]) == ["a", "b"]
    assert split_labels(pd.NA) == [] and split_labels(None) == [] and split_labels("") == []
    assert split_labels(np.array(["x", "y"])) == ["x", "y"] and split_labels(pd.Series(["x"])) == ["x"]
    assert split_labels(3) == ["3"]  # the topic model's parser raised TypeError on a number
    assert split_labels("[not a list") == ["[not a list"]


def test_the_old_parsers_now_agree():
    from cxtext.drivers import parse_topics
    from cxtext.topics.model import parse_labels
    from cxtext.transcripts._cells import split_labels as transcript_labels

    for cell in ["price;price;people", '["price", "people"]', ["price", None, "people"], pd.NA, "  "]:
        assert parse_topics(cell) == parse_labels(cell) == transcript_labels(cell) == split_labels(cell)


def test_evidence_cells():
    text = '{"process": [{"text": "late", "start": 0, "end": 4}], "price": {"text": "dear"}, "people": ["kind"]}'
    evidence = parse_evidence(text)
    assert evidence["process"] == [{"text": "late", "start": 0, "end": 4}]
    # the report's reader skipped a single span (a dict) and plain-text spans; they are read now
    assert evidence["price"] == [{"text": "dear"}] and evidence["people"] == [{"text": "kind"}]
    assert parse_evidence("{broken") == {} and parse_evidence("[1, 2]") == {} and parse_evidence(float("nan")) == {}


def test_report_highlights_a_single_evidence_span():
    from cxtext.report._verbatims import evidence_spans

    assert evidence_spans("Late delivery.", '{"process": {"text": "delivery", "start": 5, "end": 13}}',
                          "process") == [(5, 13)]


def test_comment_column():
    frame = pd.DataFrame({"id": ["1", "2"], "Comment": ["ok", "fine"],
                          "answer": ["the parcel came late", "kind staff at the store"]})
    assert find_comment_column(frame) == "answer"  # by content first, as cxtext tag always did
    assert find_comment_column(frame, "Comment") == "Comment"
    with pytest.raises(ColumnError, match="did you mean 'Comment'"):  # the report's message had no hint
        find_comment_column(frame, "coment")
    both = frame.assign(other=["another long free text here", "and one more long text"])
    with pytest.raises(ColumnError, match="2 text-like columns"):
        find_comment_column(both)
    # the report falls back to the column names (it shows no verbatims rather than fail)
    assert find_comment_column(both, required=False) == "Comment"
    assert find_comment_column(pd.DataFrame({"n": [1, 2]}), required=False) is None
    # evidence columns (JSON text with many words) are never the comments
    tagged = pd.DataFrame({"comment": ["the delivery was late again", "great product and kind staff"],
                           "topic_evidence": ['{"process": [{"text": "delivery was late"}]}'] * 2})
    assert find_comment_column(tagged) == "comment"
