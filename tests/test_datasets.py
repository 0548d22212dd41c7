"""Tests of the bundled example survey."""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

from cxtext.datasets import example_path, load_example
from cxtext.errors import ScoreIssueWarning
from cxtext.scores import score_table, validate_scores


def test_example_file_shape_and_size():
    path = example_path()
    assert path.is_file() and path.suffix == ".csv" and path.stat().st_size < 300_000
    df = load_example()
    assert 400 <= len(df) <= 600 and df["id"].is_unique
    assert list(df.columns) == ["id", "comment", "nps", "csat", "ces", "journey_stage", "channel", "date"]
    assert (df["comment"].str.len() > 10).all()
    pd.testing.assert_frame_equal(df, pd.read_csv(path, dtype=str, keep_default_na=False))


def test_example_scores_parse_with_flagged_gaps():
    df = load_example()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        checked = validate_scores(df, nps="nps", csat="csat", ces="ces")
    issues = checked["score_issue"]
    assert (issues != "").sum() == 5  # 3 empty NPS, one 'n/a' and one empty CSAT: flagged, not dropped
    assert sum(issubclass(w.category, ScoreIssueWarning) for w in caught) == 1  # 'n/a' only
    with pytest.warns(ScoreIssueWarning, match="'csat'"):
        table = score_table(df, nps="nps", csat="csat", ces="ces", by="journey_stage")
    assert set(table["segment"]) == {"all", "purchase", "delivery", "returns", "support"}


def test_example_has_planted_process_effect():
    df = load_example()
    nps = pd.to_numeric(df["nps"], errors="coerce")
    late = df["comment"].str.contains("retraso|ritardo|atraso|late", case=False)
    assert nps[late].mean() < nps[~late].mean() - 1.5
