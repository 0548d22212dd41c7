"""Tests of cxtext.report: self-contained page, escaping, highlighting, CLI, optional render."""
from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import _browser
import cxtext
from cxtext.report import build_report

pytestmark = pytest.mark.filterwarnings("ignore::cxtext.errors.SmallSampleWarning")
from cxtext.report._verbatims import evidence_spans, highlight, representative_rows


def _tagged(n: int = 90) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for i in range(n):
        late = i % 3 == 0
        price = i % 4 == 0
        parts, evidence = [], {}
        if late:
            parts.append("The delivery was late <again> & slow")
            evidence["process/delivery"] = [{"text": "delivery", "start": 4, "end": 12}]
        if price:
            start = len(". ".join(parts)) + (2 if parts else 0)
            parts.append("prices are fine")
            evidence["price"] = [{"text": "prices", "start": start, "end": start + 6}]
        text = ". ".join(parts) or "ok"
        rows.append({
            "comment": text, "channel": "web" if i % 2 else "app",
            "nps": int(np.clip(round(8 - 4 * late + rng.normal(0, 1)), 0, 10)),
            "topics": ";".join(evidence), "topic_evidence": json.dumps(evidence),
            "sentiment_process": "negative" if late else "", "sentiment_price": "neutral" if price else "",
            "language": "en",
        })
    return pd.DataFrame(rows)


def test_highlight_escapes_everything():
    text = "a <script>alert(1)</script> b"
    out = highlight(text, [(2, 10)])
    assert "<script>" not in out and out.startswith("a <mark>&lt;script&gt;</mark>")


def test_evidence_spans_repair_and_merge():
    text = "Late delivery and delivery fees"
    cell = json.dumps({"process/delivery": [{"text": "delivery", "start": 5, "end": 13},
                                             {"text": "delivery fees", "start": 99, "end": 112}],
                       "price": [{"text": "fees", "start": 27, "end": 31}]})
    # the second offset is wrong: the snippet is found by search; price evidence is not process
    assert evidence_spans(text, cell, "process") == [(5, 13), (18, 31)]
    assert evidence_spans(text, cell, "price") == [(27, 31)]
    assert evidence_spans(text, "not json", "process") == []


def test_representative_rows_deterministic():
    texts = pd.Series(["a", "bb", "ccc", "bb", "dddd"])
    picked = representative_rows(texts, np.array([1, 5, 5, 5, 9.0]), np.array([1, 1, 1, 1, 0], dtype=bool))
    assert picked == [1, 2, 0]  # median score 5, then length near the median, duplicates skipped


def test_report_is_self_contained_and_complete():
    page = build_report(_tagged(), "nps", "nps", by="channel", title="Q3 <NPS>", n_boot=100)
    assert page.startswith("<!DOCTYPE html>") and "Q3 &lt;NPS&gt;" in page
    assert not re.search(r"<script[^>]+src=", page)  # plotly.js inline, nothing fetched
    assert page.count("plotly.js v") <= 2 and "Plotly.newPlot" in page
    for div in ["cx-drivers", "cx-quadrant", "cx-heatmap", "cx-segments"]:
        assert f'id="{div}"' in page
    assert f"cxtext {cxtext.__version__}" in page
    assert "The <mark>delivery</mark> was late &lt;again&gt; &amp; slow" in page
    assert "<again>" not in page


def test_segment_values_cannot_inject_script():
    tagged = _tagged()
    tagged.loc[::2, "channel"] = "</script><script>alert(1)</script>"
    tagged.loc[1, "comment"] = "<img src=x onerror=alert(2)>"
    page = build_report(tagged, "nps", "nps", by="channel", n_boot=20)
    assert "<script>alert(1)" not in page and "<img src=x" not in page


@pytest.mark.parametrize("metric", ["csat", "ces"])
def test_report_other_metrics(metric):
    tagged = _tagged()
    tagged["csat"] = np.where(tagged["sentiment_process"] == "negative", 2, 5)
    tagged["ces"] = np.where(tagged["sentiment_process"] == "negative", "Muy difícil", "very easy")
    page = build_report(tagged, metric, metric, n_boot=50)
    assert "top box" in page and "What drives " + metric.upper() in page


def test_cli_report(tmp_path):
    from cxtext.cli import main

    src = tmp_path / "tagged.csv"
    _tagged().to_csv(src, index=False)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(src), "--score", "nps", "-o", str(out), "--n-boot", "50"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    again = CliRunner().invoke(main, ["report", str(src), "--score", "nps", "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.output


def _survey(n: int = 360) -> pd.DataFrame:
    """A tagged survey with every chart's inputs: segments, dates, topics with both sentiments."""
    rng = np.random.default_rng(1)
    rows = []
    for i in range(n):
        delivery = ["negative", "positive", ""][i % 3]
        price = "negative" if i % 5 == 0 else ("positive" if i % 5 == 1 else "")
        people = "positive" if i % 4 == 0 else ""
        topics = [t for t, v in (("process", delivery), ("price", price), ("people", people)) if v]
        # praise (10) and complaints (3) about delivery average out to the others' 6.5
        nps = {"negative": 3, "positive": 10, "": 6 + i % 2}[delivery] - (1 if price == "negative" else 0)
        rows.append({
            "comment": f"comment {i} about {' and '.join(topics) or 'nothing'}",
            "nps": int(np.clip(nps + rng.normal(0, 1), 0, 10)), "topics": ";".join(topics),
            "sentiment_process": delivery, "sentiment_price": price, "sentiment_people": people,
            "topic_evidence": "{}", "language": ["es", "en", "pt"][i % 3],
            "journey_stage": ["delivery", "purchase", "returns and refunds (online)", "support"][i % 4],
            "date": f"2025-{1 + i % 9:02d}-{1 + i % 27:02d}",
        })
    return pd.DataFrame(rows)


def test_quadrant_importance_follows_the_topic_sentiment_drivers():
    from cxtext.drivers import driver_table
    from cxtext.report._charts import topic_importance

    drivers = driver_table(_survey(), "nps", "nps", n_boot=50).table
    by_driver = drivers.set_index("driver")
    # praise and complaints about delivery cancel out in the mention indicator...
    assert by_driver.loc["process", "weight"] < 1
    top = drivers[drivers.level == "topic_sentiment"].sort_values("weight", ascending=False)["driver"].head(2).tolist()
    assert top[0].startswith("process:") and top[1].startswith("process:")
    # ...but not in the importance plotted: what customers feel about the topic
    importance = topic_importance(drivers)
    assert importance.idxmax() == "process" and importance["process"] > 10 * by_driver.loc["process", "weight"]


def test_small_drivers_are_not_charted_unless_asked():
    tagged = _survey()
    tagged.loc[:3, "topics"] = tagged.loc[:3, "topics"] + ";promotion"
    tagged["sentiment_promotion"] = ["positive"] * 4 + [""] * (len(tagged) - 4)
    page = build_report(tagged, "nps", "nps", n_boot=50)
    charts = page[page.index('id="cx-drivers"'):page.index('id="table"')]
    assert "promotion" not in charts and "promotion:positive" in page  # the table still lists it
    assert "1 driver(s) mentioned fewer than 30 times are not charted" in page or "not charted" in page
    shown = build_report(tagged, "nps", "nps", n_boot=50, show_small=True)
    assert "promotion" in shown[shown.index('id="cx-drivers"'):shown.index('id="table"')]


def test_default_segment_prefers_journey_and_channel_columns():
    from cxtext.report import default_segment

    tagged = _survey()
    assert default_segment(tagged) == "journey_stage"
    assert default_segment(tagged.drop(columns="journey_stage")) == "language"
    tagged["journey"] = "purchase"  # what --codebook journey adds is a topic column, not a segment
    tagged["journey_evidence"] = "{}"
    assert default_segment(tagged.drop(columns="journey_stage")) == "language"
    page = build_report(tagged, "nps", "nps", n_boot=20)
    assert "By journey_stage" in page and "chosen automatically" in page


@pytest.mark.parametrize("period, labels", [("month", ["2025-01", "2025-09"]), ("quarter", ["2025-Q1", "2025-Q3"])])
def test_trend_over_time(period, labels):
    from cxtext.report._trend import trend
    from cxtext.scores import score_spec

    tagged = _survey()
    tagged.loc[0, "date"] = "not a date"
    result = trend(tagged, score_spec("nps", "nps"), "date", period=period, n_boot=50, min_n=10)
    assert result.period == period and [result.metric["segment"].iloc[k] for k in (0, -1)] == labels
    assert result.metric["n"].sum() == len(tagged) - 1
    assert "1 row(s) without a readable date" in result.notes[0]
    assert (result.drivers.groupby("segment").size() <= 3).all() and (result.drivers["n"] >= 10).all()
    page = build_report(tagged, "nps", "nps", n_boot=50, date="date", period=period)
    assert 'id="cx-trend"' in page and f"Over time, by {period}" in page


def test_day_first_dates():
    from cxtext.report._trend import parse_dates

    dates, how = parse_dates(pd.Series(["31/01/2025", "01/02/2025", "15.03.25"]))
    assert how == "day/month/year" and [d.month for d in dates] == [1, 2, 3]
    assert [d.year for d in dates] == [2025, 2025, 2025]  # a four-digit year is read whole
    dates, how = parse_dates(pd.Series(["01/31/2025", "02/01/2025"]))
    assert how == "month/day/year" and [d.month for d in dates] == [1, 2]
    assert [d.year for d in dates] == [2025, 2025]


@pytest.mark.skipif(_browser.CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)")
@pytest.mark.parametrize("width", [1400, 420])
def test_every_chart_fits_and_reads_in_headless_chromium(tmp_path, width):
    page = tmp_path / "report.html"
    page.write_text(build_report(_survey(), "nps", "nps", n_boot=50, min_n=20, date="date", title="Q3 NPS"),
                    encoding="utf-8")
    seen = _browser.layout(page, width)
    assert seen["viewport"] == width
    assert seen["scrollWidth"] <= width, "the page scrolls sideways"
    assert sorted(c["id"] for c in seen["charts"]) == ["cx-drivers", "cx-heatmap", "cx-quadrant", "cx-segments",
                                                        "cx-trend"]
    for chart in seen["charts"]:
        assert chart["marks"] > 0, f"{chart['id']} drew nothing"
        assert 0 <= chart["left"] and chart["right"] <= width, f"{chart['id']} is wider than the page"
        clipped = [t["text"] for t in chart["texts"] if t["l"] < chart["left"] - 1 or t["r"] > chart["right"] + 1
                   or t["t"] < chart["top"] - 1 or t["b"] > chart["bottom"] + 1]
        assert not clipped, f"{chart['id']}: text cut off at {width} px: {clipped}"
        assert not _browser.overlaps(chart["texts"]), f"{chart['id']}: labels overlap at {width} px"


def test_report_takes_the_score_spec_of_the_tables():
    from cxtext.report import build_report
    from cxtext.scores import score_spec

    tagged = _survey()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_spec = build_report(tagged, score_spec("nps", "nps"), n_boot=20, min_n=5)
        by_name = build_report(tagged, "nps", "nps", n_boot=20, min_n=5)
    strip = lambda page: re.sub(r'id="[^"]*"|"uid":"[^"]*"', "", page)  # noqa: E731 - plotly's random ids
    assert strip(by_spec) == strip(by_name)
