"""Tests of cxtext.report: self-contained page, escaping, highlighting, CLI, optional render."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

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


@pytest.mark.skipif(shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
                    reason="Chromium is not installed")
def test_report_renders_in_headless_chromium(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(build_report(_tagged(), "nps", "nps", n_boot=50), encoding="utf-8")
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "render_report.py"
    done = subprocess.run([sys.executable, str(script), str(page), "-o", str(tmp_path / "r.png"), "--height", "1600"],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "drawn" in done.stdout
