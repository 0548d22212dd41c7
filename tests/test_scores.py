"""Tests of cxtext.scores: exact hand-computed values, validation, intervals, properties."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtext.errors import ColumnError, ConfigError, ScoreIssueWarning
from cxtext.scores import (
    ces,
    ces_spec,
    csat,
    mean_interval,
    nps,
    nps_interval,
    parse_scores,
    score_table,
    validate_scores,
    wilson_interval,
    nps_spec,
)


def test_nps_hand_computed():
    # 4 promoters (9, 10, 10, 9), 2 passives (7, 8), 4 detractors (0, 3, 6, 6): n = 10
    r = nps([9, 10, 10, 9, 7, 8, 0, 3, 6, 6])
    assert r.n == 10 and r.value == pytest.approx(0.0)
    # Var = (0.4 + 0.4 - 0) / 10 = 0.08 -> SE = 100 * sqrt(0.08)
    assert r.se == pytest.approx(100 * math.sqrt(0.08))
    assert r.ci_low == pytest.approx(-1.959964 * 100 * math.sqrt(0.08), rel=1e-5)
    assert r.detail == {"promoters": 40.0, "passives": 20.0, "detractors": 40.0}


def test_nps_interval_formula_and_clipping():
    value, se, low, high = nps_interval(3, 1, 5)  # pP=.6, pD=.2
    assert value == pytest.approx(40.0)
    assert se == pytest.approx(100 * math.sqrt((0.8 - 0.16) / 5))
    assert high == pytest.approx(min(100.0, 40 + 1.959964 * se), rel=1e-5)
    assert nps_interval(5, 0, 5)[2:] == (100.0, 100.0)
    assert all(math.isnan(v) for v in nps_interval(0, 0, 0))


def test_nps_one_to_ten_scale():
    assert nps([1, 10, 9, 6], scale="1-10").value == pytest.approx(0.0)
    with pytest.warns(ScoreIssueWarning, match="out of range"):
        r = nps([0, 10], scale="1-10")
    assert r.n == 1 and r.n_invalid == 1
    with pytest.raises(ConfigError, match="0-10"):
        nps([1], scale="1-7")


def test_csat_mean_and_top_box_exact():
    mean, top = csat([5, 4, 3, 2, 1, 5])
    assert mean.value == pytest.approx(20 / 6)
    sd = np.std([5, 4, 3, 2, 1, 5], ddof=1)
    assert mean.se == pytest.approx(sd / math.sqrt(6))
    assert top.value == pytest.approx(50.0)  # 4, 5, 5 of 6
    mean7, top7 = csat([7, 6, 5, 1], scale=7)
    assert mean7.value == pytest.approx(4.75) and top7.value == pytest.approx(50.0)
    _, top3 = csat([5, 4, 3, 2], top_box=3)
    assert top3.value == pytest.approx(75.0)


def test_mean_interval_t_distribution_exact():
    mean, se, low, high = mean_interval([1, 2, 3, 4, 5])
    # t(0.975, 4) = 2.776445; sd = sqrt(2.5); se = sqrt(0.5)
    assert (mean, se) == (3.0, pytest.approx(math.sqrt(0.5)))
    assert low == pytest.approx(3 - 2.776445 * math.sqrt(0.5), rel=1e-6)
    assert high == pytest.approx(3 + 2.776445 * math.sqrt(0.5), rel=1e-6)


def test_wilson_interval_exact():
    p, _, low, high = wilson_interval(8, 10)
    z = 1.959964
    centre = (0.8 + z * z / 20) / (1 + z * z / 10)
    half = z * math.sqrt(0.8 * 0.2 / 10 + z * z / 400) / (1 + z * z / 10)
    assert p == pytest.approx(80.0)
    assert low == pytest.approx(100 * (centre - half), rel=1e-6)
    assert high == pytest.approx(100 * (centre + half), rel=1e-6)
    assert wilson_interval(0, 5)[2] == 0.0


@pytest.mark.parametrize("labels", [
    ["Muy fácil", "fácil", "NEUTRAL", "difícil", "Muy dificil"],
    ["Molto facile", "facile", "neutrale", "Difficile", "molto difficile"],
    ["Muito fácil", "Fácil", "Neutro", "difícil", "MUITO DIFÍCIL"],
    ["Very easy", "easy", "Neutral", "difficult", "very  difficult"],
])
def test_ces_labels_every_language(labels):
    mean, easy = ces(labels)
    assert mean.value == pytest.approx(3.0)  # 5 + 4 + 3 + 2 + 1
    assert easy.value == pytest.approx(40.0)


def test_ces_numeric_needs_direction_and_reverses():
    with pytest.raises(ConfigError, match="direction"):
        ces([1, 2], scale=5)
    mean, _ = ces([1, 1, 2], scale=5, direction="lower_is_easier")  # 1 = very low effort -> ease 5
    assert mean.value == pytest.approx((5 + 5 + 4) / 3)
    mean, _ = ces([7, 6], scale=7, direction="higher_is_easier")
    assert mean.value == pytest.approx(6.5)
    with pytest.raises(ConfigError, match="numbers"):
        ces(["1", "2"])  # numbers but labels expected


def test_bad_values_flagged_not_dropped_or_coerced():
    values = pd.Series([10, "9", "7.5", "eleven", 11, -1, None, "", True, 8.0])
    parsed = parse_scores(values, nps_spec())
    assert list(parsed.issues) == [
        "", "", "not an integer: 7.5", "not a number: 'eleven'", "out of range 0-10: 11",
        "out of range 0-10: -1", "missing", "missing", "not a number: True", "",
    ]
    assert parsed.valid.sum() == 3
    with pytest.warns(ScoreIssueWarning, match="5 of 10 values"):
        r = nps(values)
    assert (r.n, r.n_invalid, r.n_missing) == (3, 5, 2)


def test_validate_scores_column_and_no_mutation():
    df = pd.DataFrame({"nps": [10, 11, 5], "ces": ["Fácil", "bof", None]})
    before = df.copy()
    with pytest.warns(ScoreIssueWarning):
        out = validate_scores(df, nps="nps", ces="ces")
    pd.testing.assert_frame_equal(df, before)
    assert list(out["score_issue"]) == ["", "nps: out of range 0-10: 11; ces: unknown label: 'bof'", "ces: missing"]


def test_no_warning_for_missing_only():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nps([10, None, ""]).n == 1


def test_score_table_segments_exact():
    df = pd.DataFrame({"nps": [10, 9, 3, 8, 0], "ch": ["a", "a", "b", "b", None]})
    t = score_table(df, nps="nps", by="ch")
    assert list(t["segment"]) == ["all", "(missing)", "a", "b"]
    assert list(t["value"]) == pytest.approx([0.0, -100.0, 100.0, -50.0])
    assert list(t["n"]) == [5, 1, 2, 2]
    assert {"segment", "metric", "n", "value", "ci_low", "ci_high"} <= set(t.columns)


def test_errors_name_the_problem():
    with pytest.raises(ColumnError, match="'missing'.*available"):
        score_table(pd.DataFrame({"a": [1]}), nps="missing")
    with pytest.raises(ConfigError, match="no score column"):
        score_table(pd.DataFrame({"a": [1]}))
    with pytest.raises(ConfigError, match="scale"):
        csat([1], scale="five")
    with pytest.raises(ConfigError, match="top_box"):
        csat([1], top_box=9)
    with pytest.raises(ConfigError, match="direction"):
        ces_spec(None, "lower_is_easier")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=60))
def test_nps_bounds_property(values):
    r = nps(values)
    assert -100 <= r.value <= 100 and -100 <= r.ci_low <= r.value <= r.ci_high <= 100
    p = sum(v >= 9 for v in values) / len(values)
    d = sum(v <= 6 for v in values) / len(values)
    assert r.value == pytest.approx(100 * (p - d))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=2, max_size=40), st.randoms(use_true_random=False))
def test_metrics_ignore_row_order(values, rnd):
    shuffled = values[:]
    rnd.shuffle(shuffled)
    a, b = csat(values), csat(shuffled)
    assert a[0].value == pytest.approx(b[0].value) and a[1].value == pytest.approx(b[1].value)
    assert a[0].ci_low == pytest.approx(b[0].ci_low)


def test_cli_scores(tmp_path):
    from cxtext.cli import main

    src = tmp_path / "s.csv"
    pd.DataFrame({"nps": [10, 9, 3, 11], "csat": [5, 4, 2, 1], "ch": ["a", "b", "a", "b"]}).to_csv(src, index=False)
    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(main, ["scores", str(src), "--nps", "nps", "--csat", "csat", "--by", "ch",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    row = table[(table.segment == "all") & (table.metric == "nps")].iloc[0]
    assert row["n"] == 3 and row["value"] == pytest.approx(100 / 3)
    assert "out of range" in result.output  # the warning summary (stderr is mixed in)
    again = CliRunner().invoke(main, ["scores", str(src), "--nps", "nps", "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    bad = CliRunner().invoke(main, ["scores", str(src), "--nps", "nope"])
    assert bad.exit_code == 2 and "nope" in bad.output


def test_cli_issues_file_names_every_bad_row(tmp_path):
    from click.testing import CliRunner

    from cxtext.cli import main

    src = tmp_path / "survey.csv"
    pd.DataFrame({"id": ["a", "b", "c", "d"], "nps": ["10", "11", "", "n/a"]}).to_csv(src, index=False)
    result = CliRunner().invoke(main, ["scores", str(src), "--nps", "nps", "--issues", str(tmp_path / "bad.xlsx")])
    assert result.exit_code == 0, result.output
    assert "--issues issues.csv lists them row by row" in result.output and "validate_scores" not in result.output
    from cxtext.io import read_table

    issues = read_table(tmp_path / "bad.xlsx")
    assert issues["id"].tolist() == ["a", "b", "c", "d"]
    assert issues["score_issue"].fillna("").tolist() == ["", "nps: out of range 0-10: 11", "nps: missing",
                                                         "nps: not a number: 'n/a'"]


def test_scale_says_which_direction_is_better(tmp_path):
    from click.testing import CliRunner

    from cxtext.cli import main

    df = pd.DataFrame({"ces": ["Muy fácil", "Difícil", "very easy"], "effort": [1, 2, 7]})
    table = score_table(df, ces="ces").set_index("metric")
    assert table.loc["ces", "scale"] == "mean 1-5, higher = easier"
    table = score_table(df, ces="effort", ces_scale=7, ces_direction="lower_is_easier").set_index("metric")
    assert table.loc["ces", "scale"] == "mean 1-7, higher = easier (answers reversed: 1 was easiest)"
    assert table.loc["ces_top_box", "scale"] == "% easy (answering 1-2)"
    src = tmp_path / "s.csv"
    df.to_csv(src, index=False)
    printed = CliRunner().invoke(main, ["scores", str(src), "--ces", "ces"])
    assert printed.exit_code == 0 and "higher = easier" in printed.output


def test_messages_name_cli_options_in_the_cli_and_arguments_in_python(tmp_path):
    from click.testing import CliRunner

    from cxtext.cli import main

    with pytest.raises(ConfigError, match="nps=, csat= or ces="):
        score_table(pd.DataFrame({"nps": [1]}))
    src = tmp_path / "s.csv"
    pd.DataFrame({"ces": ["1", "2"]}).to_csv(src, index=False)
    result = CliRunner().invoke(main, ["scores", str(src), "--ces", "ces"])
    assert result.exit_code == 2 and "--ces-direction" in result.output and "ces_direction" not in result.output


def test_one_score_spec_for_tables_drivers_and_reports():
    from cxtext.drivers import driver_table
    from cxtext.scores import score_spec

    df = pd.DataFrame({"sat": [5, 4, 2, 1, 7, 6], "topics": ["price", "", "price", "people", "", "people"]})
    spec = score_spec("csat", "sat", scale=7, top_box=3)
    assert spec.column == "sat" and (spec.low, spec.high, spec.top_from) == (1, 7, 5)
    pd.testing.assert_frame_equal(score_table(df, spec=spec),
                                  score_table(df, csat="sat", csat_scale=7, csat_top_box=3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_spec = driver_table(df, spec, n_boot=50, min_n=1)
        by_name = driver_table(df, "sat", "csat", scale=7, top_box=3, n_boot=50, min_n=1)
    pd.testing.assert_frame_equal(by_spec.table, by_name.table)
    assert by_spec.spec == by_name.spec == spec and by_spec.metric == "csat" and by_spec.score == "sat"
    with pytest.raises(ConfigError, match="not both"):
        score_table(df, csat="sat", spec=spec)
    with pytest.raises(ConfigError, match="leave out 'scale'"):
        driver_table(df, spec, scale=5)
    with pytest.raises(ConfigError, match="needs its column"):
        score_table(df, spec=score_spec("csat"))
    with pytest.raises(ConfigError, match="unknown score option"):  # a typo was ignored silently
        score_table(df, csat="sat", csat_scal=7)


def test_a_misspelt_metric_is_a_config_error():
    from cxtext.scores import score_options

    with pytest.raises(ConfigError, match="metric 'npx' is not allowed; use one of 'nps', 'csat', 'ces'"):
        score_options("npx")
